import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLocalAdapter, type LocalAdapter } from '../../../../src/main/core/localModels/localAdapter';
import { LocalRuntime } from '../../../../src/main/core/localModels/runtime';
import { nodeWorkerLauncher } from '../../../../src/main/core/workers/nodeLauncher';
import type { ChatRequest, ChatStreamEvent, JsonSchema } from '../../../../src/main/core/gateway/types';
import { AppError } from '../../../../src/shared/errors';
import { tempDir } from '../../../fixtures/core';
import { writeTinyGguf } from '../../../fixtures/tinyGguf';

/** A persona-like schema built only from keywords the grammar enforces, so even random weights must satisfy it. */
const TRIAGE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    severity: { enum: ['low', 'medium', 'high', 'critical'] },
    escalate: { type: 'boolean' },
    score: { type: 'integer', minimum: 1, maximum: 5 },
    summary: { type: 'string', maxLength: 24 },
    tags: { type: 'array', items: { type: 'string', maxLength: 8 }, maxItems: 3 },
    owner: { type: ['string', 'null'], maxLength: 10 },
    evidence: { type: 'object', properties: { entity: { enum: ['ticket', 'deal'] }, id: { type: 'string', format: 'date' } }, required: ['entity', 'id'], additionalProperties: false },
  },
  required: ['severity', 'escalate', 'score', 'summary', 'tags', 'evidence'],
  additionalProperties: false,
};

/** JSON Schema counts string length in code points (random bytes decode to astral characters, 2 UTF-16 units each). */
const maxChars = (n: number) => z.string().refine((s) => [...s].length <= n, `at most ${n} characters`);

/** An independent check of the same rules, written as zod so a converter bug cannot hide behind itself. */
const TRIAGE = z.strictObject({
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  escalate: z.boolean(),
  score: z.number().int().min(1).max(5),
  summary: maxChars(24),
  tags: z.array(maxChars(8)).max(3),
  owner: maxChars(10).nullable().optional(),
  evidence: z.strictObject({ entity: z.enum(['ticket', 'deal']), id: z.iso.date() }),
});

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'tiny',
  messages: [
    { role: 'system', content: 'You triage support tickets.' },
    { role: 'user', content },
  ],
  ...extra,
});

async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const e of stream) events.push(e);
  return events;
}

describe('local adapter (node-llama-cpp in the llama host worker, on a generated tiny GGUF)', () => {
  const dir = tempDir('idesk-local-');
  const chatPath = join(dir, 'tiny-chat.gguf');
  const embedPath = join(dir, 'tiny-embed.gguf');
  let runtime: LocalRuntime;
  let adapter: LocalAdapter;

  beforeAll(() => {
    writeTinyGguf(chatPath, { seed: 11 });
    writeTinyGguf(embedPath, { variant: 'embedding', seed: 5 });
    runtime = new LocalRuntime({ threads: 1, idleUnloadMs: 0, launchWorker: nodeWorkerLauncher });
    adapter = createLocalAdapter({ modelPath: chatPath, runtime, modelId: 'tiny-chat', contextSize: 1024, kind: 'chat' });
  });
  afterAll(async () => {
    await adapter.dispose?.();
    await runtime.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('estimates tokens before the model is loaded, counts them exactly with its tokenizer, and calibrates the estimate', async () => {
    const req = ask('The refund for order 1182 never arrived.');
    expect(runtime.mode).toBe('worker');
    // Creating an adapter starts nothing; the host starts with the first request.
    expect((runtime as unknown as { worker: unknown }).worker).toBeNull();
    expect(runtime.isLoaded(chatPath)).toBe(false);
    expect(adapter.countTokens(req)).toBeGreaterThan(0);
    const { alreadyLoaded } = await adapter.warmup();
    expect(alreadyLoaded).toBe(false);
    expect(runtime.isLoaded(chatPath)).toBe(true);
    const exact = await adapter.countTokensExact(req);
    const res = await adapter.chat({ ...req, maxTokens: 4 }, {});
    // The count is the prompt the model really evaluated, chat template included.
    expect(res.usage.inputTokens).toBe(exact);
    expect(exact).toBeGreaterThan(req.messages.map((m) => m.content).join('').length / 4);
    expect(await adapter.countTokensExact(ask('The refund for order 1182 never arrived!!'))).toBeGreaterThan(exact);
    // After one answer the synchronous estimate has learned this tokenizer's characters per token.
    const other = ask('Another ticket: invoice 2291 shows the wrong VAT rate for the second month in a row.');
    const truth = await adapter.countTokensExact(other);
    expect(Math.abs(adapter.countTokens(other) - truth) / truth).toBeLessThan(0.2);
  });

  it('chats: returns text, usage and the model id', async () => {
    const res = await adapter.chat(ask('Summarise ticket 42.', { maxTokens: 12 }), {});
    expect(res.model).toBe('tiny-chat');
    expect(typeof res.text).toBe('string');
    expect(res.usage.outputTokens).toBeGreaterThan(0);
    expect(res.usage.outputTokens).toBeLessThanOrEqual(12);
    expect(['stop', 'length']).toContain(res.finishReason);
    expect(res.toolCalls).toEqual([]);
    // The same conversation again: its prompt is already in the KV cache.
    const again = await adapter.chat(ask('Summarise ticket 42.', { maxTokens: 2 }), {});
    expect(again.usage.cachedTokens).toBe(again.usage.inputTokens);
    // Another question after the same system prompt reuses that prefix only.
    const other = await adapter.chat(ask('Summarise ticket 43, please.', { maxTokens: 2 }), {});
    expect(other.usage.cachedTokens).toBeGreaterThan(5);
    expect(other.usage.cachedTokens).toBeLessThan(other.usage.inputTokens);
  });

  it('structured output always parses and validates against the schema, whatever the sampling', async () => {
    for (const [temperature, seed] of [
      [0, undefined],
      [0.8, 1],
      [1.2, 2],
    ] as const) {
      const res = await adapter.chat(ask('Triage: customer charged twice.', { responseSchema: { name: 'triage', schema: TRIAGE_SCHEMA }, temperature, seed, maxTokens: 400 }), {});
      expect(res.finishReason).toBe('stop');
      const parsed = TRIAGE.safeParse(JSON.parse(res.text));
      expect(parsed.success, `${res.text}\n${parsed.error?.message ?? ''}`).toBe(true);
    }
  });

  it('never lets a begin-of-text token into the answer (the grammar would count it as text the response drops)', async () => {
    const loose = join(dir, 'tiny-loose.gguf');
    writeTinyGguf(loose, { seed: 11, specialOutput: true });
    const a = createLocalAdapter({ modelPath: loose, runtime, contextSize: 1024, kind: 'chat' });
    try {
      const exact = { name: 'exact', schema: { type: 'object', properties: { s: { type: 'string', minLength: 120, maxLength: 120 } } } };
      for (let seed = 0; seed < 4; seed++) {
        const res = await a.chat(ask('x', { responseSchema: exact, temperature: 1.2, seed, maxTokens: 400 }), {});
        expect([...(JSON.parse(res.text) as { s: string }).s]).toHaveLength(120);
      }
    } finally {
      await a.dispose?.();
    }
  });

  it('streams deltas that add up to the final text, ending with done', async () => {
    const events = await collect(adapter.streamChat(ask('Stream please.', { responseSchema: { name: 'triage', schema: TRIAGE_SCHEMA }, maxTokens: 400 }), {}));
    const deltas = events.filter((e) => e.type === 'delta');
    const last = events[events.length - 1];
    expect(deltas.length).toBeGreaterThan(3);
    expect(last?.type).toBe('done');
    if (last?.type !== 'done') return;
    expect(deltas.map((d) => d.text).join('').trim()).toBe(last.result.text.trim());
    expect(TRIAGE.safeParse(JSON.parse(last.result.text)).success).toBe(true);
  });

  it('an abort signal cancels a running generation promptly', async () => {
    const controller = new AbortController();
    // A 1,500-character string cannot end early, so only the abort can stop it.
    const long = { name: 'long', schema: { type: 'object', properties: { text: { type: 'string', minLength: 1500, maxLength: 1500 } } } };
    const seen: string[] = [];
    const started = Date.now();
    const run = (async () => {
      for await (const e of adapter.streamChat(ask('Write a lot.', { responseSchema: long, maxTokens: 900 }), { signal: controller.signal })) {
        if (e.type === 'delta') {
          seen.push(e.text);
          if (seen.length === 5) controller.abort();
        }
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.length).toBeLessThan(100);
    expect(Date.now() - started).toBeLessThan(5000);
    // The model is free again for the next caller.
    expect((await adapter.chat(ask('Still there?', { maxTokens: 3 }), {})).usage.outputTokens).toBeGreaterThan(0);
  });

  it('breaking out of a stream stops the generation', async () => {
    const long = { name: 'long', schema: { type: 'object', properties: { text: { type: 'string', minLength: 1500, maxLength: 1500 } } } };
    let n = 0;
    for await (const e of adapter.streamChat(ask('Write a lot.', { responseSchema: long, maxTokens: 900 }), {})) {
      if (e.type === 'delta' && ++n === 3) break;
    }
    expect(n).toBe(3);
    expect(runtime.inUse(chatPath)).toBe(0);
  });

  it('a timeout ends the call with a provider_error that says so', async () => {
    const long = { name: 'long', schema: { type: 'object', properties: { text: { type: 'string', minLength: 1500, maxLength: 1500 } } } };
    const err = await adapter.chat(ask('Slow.', { responseSchema: long, maxTokens: 900 }), { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'provider_error', details: { reason: 'timeout' } });
  });

  it('forced tool choice yields a tool call whose arguments match the tool schema', async () => {
    const tools = [
      { name: 'lookup_ticket', description: 'Find a ticket', parameters: { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 50 }, include: { enum: ['comments', 'none'] } }, required: ['id', 'include'] } },
      { name: 'close_ticket', description: 'Close it', parameters: { type: 'object', properties: { reason: { type: 'string', maxLength: 12 } } } },
    ];
    const one = await adapter.chat(ask('Look up ticket 7', { tools, toolChoice: { name: 'lookup_ticket' }, maxTokens: 100 }), {});
    expect(one.finishReason).toBe('tool_calls');
    expect(one.toolCalls).toHaveLength(1);
    expect(one.toolCalls[0]!.name).toBe('lookup_ticket');
    const args = z.strictObject({ id: z.number().int().min(1).max(50), include: z.enum(['comments', 'none']) }).safeParse(JSON.parse(one.toolCalls[0]!.arguments));
    expect(args.success, one.toolCalls[0]!.arguments).toBe(true);

    const any = await adapter.chat(ask('Do something', { tools, toolChoice: 'required', maxTokens: 100 }), {});
    expect(any.toolCalls).toHaveLength(1);
    expect(['lookup_ticket', 'close_ticket']).toContain(any.toolCalls[0]!.name);
    expect(() => JSON.parse(any.toolCalls[0]!.arguments)).not.toThrow();
  });

  it('accepts a conversation with tool results folded back into the assistant turn', async () => {
    const res = await adapter.chat(
      {
        model: 'tiny',
        maxTokens: 5,
        messages: [
          { role: 'user', content: 'Status of ticket 7?' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup_ticket', arguments: '{"id":7}' }] },
          { role: 'tool', toolCallId: 'c1', content: '{"status":"open"}' },
        ],
        tools: [{ name: 'lookup_ticket', description: 'Find a ticket', parameters: { type: 'object', properties: { id: { type: 'integer' } } } }],
      },
      {},
    );
    expect(res.usage.inputTokens).toBeGreaterThan(10);
    await expect(adapter.chat({ model: 'tiny', messages: [{ role: 'tool', toolCallId: 'zz', content: '{}' }] }, {})).rejects.toMatchObject({ code: 'validation' });
  });

  it('refuses a prompt longer than the context, naming both sizes', async () => {
    const err = await adapter.chat(ask('word '.repeat(1500)), {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'validation', details: { contextSize: 1024 } });
    expect((err as AppError).message).toMatch(/1024/);
  });

  it('lists the loaded file as its one model', async () => {
    expect(await adapter.listModels({})).toEqual([{ id: 'tiny-chat', kind: 'chat', contextLength: 2048 }]);
  });

  it('the same adapter works with the engine in-process (scripts, benchmarks)', async () => {
    const local = new LocalRuntime({ threads: 1, idleUnloadMs: 0 });
    const a = createLocalAdapter({ modelPath: chatPath, runtime: local, contextSize: 512 });
    try {
      expect(local.mode).toBe('in-process');
      const res = await a.chat(ask('hi', { responseSchema: { name: 'triage', schema: TRIAGE_SCHEMA }, maxTokens: 300 }), {});
      expect(TRIAGE.safeParse(JSON.parse(res.text)).success).toBe(true);
      expect(local.isLoaded(chatPath)).toBe(true);
      expect(res.usage.inputTokens).toBe(await a.countTokensExact(ask('hi')));
    } finally {
      await a.dispose?.();
      await local.dispose();
    }
  });

  it('a host that dies fails its pending calls clearly', async () => {
    // A stand-in host that exits at once: killing the real one mid-generation would tear its thread down under
    // llama.cpp's native threads, which can take the whole process with it.
    const dying = new LocalRuntime({ launchWorker: () => new Worker('setTimeout(() => process.exit(7), 20)', { eval: true }) });
    const a = createLocalAdapter({ modelPath: chatPath, runtime: dying });
    const err = await a.chat(ask('hello'), {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'provider_error', message: expect.stringMatching(/local model host stopped \(exit code 7\)/) });
    await dying.dispose();
  });

  it('after the host is gone, the next call starts a new one with the adapters\' holds', async () => {
    await adapter.warmup();
    expect(runtime.isLoaded(chatPath)).toBe(true);
    await (runtime as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    while (runtime.isLoaded(chatPath)) await new Promise((r) => setTimeout(r, 5));
    expect((await adapter.chat(ask('again', { maxTokens: 3 }), {})).usage.outputTokens).toBeGreaterThan(0);
    expect(runtime.isLoaded(chatPath)).toBe(true);
    expect(runtime.loaded().find((m) => m.path === chatPath)?.holders).toBe(1);
  });

  it('embeds with a GGUF embedding model: unit vectors, deterministic, different for different texts', async () => {
    const embedder = createLocalAdapter({ modelPath: embedPath, runtime, modelId: 'tiny-embed', kind: 'embedding' });
    try {
      expect(embedder.capabilities.embeddings).toBe(true);
      expect(embedder.capabilities.streaming).toBe(false);
      const res = await embedder.embed!({ model: 'tiny-embed', input: ['refund never arrived', 'refund never arrived', 'printer on fire'] }, {});
      expect(res.dimensions).toBe(32);
      expect(res.vectors).toHaveLength(3);
      const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      for (const v of res.vectors) expect(norm(v)).toBeCloseTo(1, 5);
      expect([...res.vectors[0]!]).toEqual([...res.vectors[1]!]);
      expect([...res.vectors[0]!]).not.toEqual([...res.vectors[2]!]);
      expect(res.usage.inputTokens).toBeGreaterThan(10);
      const short = await embedder.embed!({ model: 'tiny-embed', input: ['refund never arrived'], dimensions: 16 }, {});
      expect(short.dimensions).toBe(16);
      expect(norm(short.vectors[0]!)).toBeCloseTo(1, 5);
      await expect(embedder.embed!({ model: 'tiny-embed', input: ['x'], dimensions: 64 }, {})).rejects.toMatchObject({ code: 'validation' });
      expect((await embedder.listModels({}))[0]).toMatchObject({ id: 'tiny-embed', kind: 'embedding' });
      await expect(embedder.chat(ask('hi'), {})).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/embedding model/) });
    } finally {
      await embedder.dispose?.();
    }
    expect(runtime.isLoaded(embedPath)).toBe(false);
  });
});
