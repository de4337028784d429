import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicAdapter, anthropicParams } from '../../../../src/main/core/gateway/adapters/anthropicAdapter';
import { isStrictCompatible } from '../../../../src/main/core/gateway/adapters/common';
import { GeminiAdapter, geminiParams } from '../../../../src/main/core/gateway/adapters/geminiAdapter';
import { OpenAIAdapter } from '../../../../src/main/core/gateway/adapters/openaiAdapter';
import { createAdapter } from '../../../../src/main/core/gateway/adapters/createAdapter';
import { Sanitizer } from '../../../../src/main/core/gateway/secrets';
import { TokenEstimator } from '../../../../src/main/core/gateway/tokens';
import type { ChatRequest, ChatStreamEvent, EndpointConfig, ProviderAdapter } from '../../../../src/main/core/gateway/types';
import { AppError } from '../../../../src/shared/errors';
import { startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';
import { rejection } from '../../../fixtures/gateway';

const tokens = new TokenEstimator();

const endpoint = (over: Partial<EndpointConfig>): EndpointConfig => ({
  id: 'ep_test',
  name: 'test',
  kind: 'openai-compatible',
  baseUrl: null,
  model: 'fake-chat',
  embeddingModel: null,
  transcriptionModel: null,
  role: 'primary',
  enabled: true,
  apiKey: null,
  headers: {},
  apiVersion: null,
  modelPath: null,
  contextSize: null,
  threads: null,
  ...over,
});

const adapterFor = (cfg: EndpointConfig): ProviderAdapter => createAdapter(cfg, { sanitizer: new Sanitizer([cfg.apiKey, ...Object.values(cfg.headers)]), tokens });

async function collect(it: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const out: ChatStreamEvent[] = [];
  for await (const ev of it) out.push(ev);
  return out;
}

const schema = {
  type: 'object',
  properties: { verdict: { type: 'string' }, score: { type: 'number' } },
  required: ['verdict', 'score'],
  additionalProperties: false,
};

describe('OpenAI adapter (openai, openai-compatible, azure) against the fake server', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => (fake = await startFakeOpenAI()));
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('maps messages, tools and structured output onto the request, and the answer back', async () => {
    const a = adapterFor(endpoint({ baseUrl: fake.url, apiKey: 'sk-compat-0000000000', headers: { 'X-Team': 'ops' } }));
    fake.enqueue('chat', { toolCalls: [{ id: 'call_1', name: 'find_ticket', arguments: { code: 'TCK-1' } }], usage: { prompt_tokens: 40, completion_tokens: 9, cached_tokens: 8 } });
    const req: ChatRequest = {
      model: 'fake-chat',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Find TCK-1' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', name: 'find_ticket', arguments: '{"code":"TCK-0"}' }] },
        { role: 'tool', content: '{"status":"open"}', toolCallId: 'call_0' },
      ],
      temperature: 0.1,
      maxTokens: 50,
      tools: [{ name: 'find_ticket', description: 'Find a ticket', parameters: { type: 'object', properties: { code: { type: 'string' } } } }],
      toolChoice: { name: 'find_ticket' },
    };
    const r = await a.chat(req, {});
    expect(r).toMatchObject({ toolCalls: [{ id: 'call_1', name: 'find_ticket', arguments: '{"code":"TCK-1"}' }], finishReason: 'tool_calls', usage: { inputTokens: 40, outputTokens: 9, cachedTokens: 8 } });
    const body = fake.requests[0]!.body;
    expect(body).toMatchObject({ model: 'fake-chat', temperature: 0.1, max_tokens: 50, tool_choice: { type: 'function', function: { name: 'find_ticket' } } });
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Find TCK-1' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'find_ticket', arguments: '{"code":"TCK-0"}' } }] },
      { role: 'tool', tool_call_id: 'call_0', content: '{"status":"open"}' },
    ]);
    expect(fake.requests[0]!.headers['x-team']).toBe('ops');

    await a.chat({ model: 'fake-chat', messages: [{ role: 'user', content: 'rate it' }], responseSchema: { name: 'verdict', schema } }, {});
    expect(fake.requests[1]!.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'verdict', schema, strict: true } });
  });

  it('uses strict mode only for schemas that allow it', () => {
    expect(isStrictCompatible(schema)).toBe(true);
    expect(isStrictCompatible({ type: 'object', properties: { a: { type: 'string' } }, required: [] , additionalProperties: false })).toBe(false);
    expect(isStrictCompatible({ type: 'object', properties: { a: { type: 'array', items: { type: 'object', properties: {} } } }, required: ['a'], additionalProperties: false })).toBe(false);
  });

  it('sends no Authorization header to a keyless local server, and max_completion_tokens to OpenAI itself', async () => {
    await adapterFor(endpoint({ baseUrl: fake.url })).chat({ model: 'fake-chat', messages: [{ role: 'user', content: 'hi' }], maxTokens: 5 }, {});
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
    await adapterFor(endpoint({ kind: 'openai', baseUrl: fake.url, apiKey: 'sk-openai-00000000000' })).chat({ model: 'gpt-5-mini', messages: [{ role: 'user', content: 'hi' }], maxTokens: 5, temperature: 0.2 }, {});
    expect(fake.requests[1]!.body).toMatchObject({ max_completion_tokens: 5 });
    // Reasoning models reject sampling parameters.
    expect(fake.requests[1]!.body.temperature).toBeUndefined();
    expect(fake.requests[1]!.headers.authorization).toBe('Bearer sk-openai-00000000000');
  });

  it('streams deltas and tool calls, ending with the full result', async () => {
    const a = adapterFor(endpoint({ baseUrl: fake.url }));
    fake.enqueue('chat', { text: 'Three short pieces.', chunkSize: 6 });
    const events = await collect(a.streamChat({ model: 'fake-chat', messages: [{ role: 'user', content: 'x' }] }, {}));
    expect(events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text).join('')).toBe('Three short pieces.');
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    expect(done.type === 'done' && done.result).toMatchObject({ text: 'Three short pieces.', finishReason: 'stop', usage: { outputTokens: 5 } });
    expect(fake.requests[0]!.body.stream_options).toEqual({ include_usage: true });

    fake.enqueue('chat', { toolCalls: [{ id: 'c9', name: 'lookup', arguments: { q: 'x' } }] });
    const ev2 = await collect(a.streamChat({ model: 'fake-chat', messages: [{ role: 'user', content: 'x' }] }, {}));
    expect(ev2.find((e) => e.type === 'tool_call')).toEqual({ type: 'tool_call', call: { id: 'c9', name: 'lookup', arguments: '{"q":"x"}' } });
  });

  it('a cut stream is a retryable stream_broken or network error, never a silent short answer', async () => {
    const a = adapterFor(endpoint({ baseUrl: fake.url }));
    fake.enqueue('chat', { cut: true, text: 'a'.repeat(40) });
    const e = await rejection(collect(a.streamChat({ model: 'fake-chat', messages: [{ role: 'user', content: 'x' }] }, {})));
    expect(e.code).toBe('provider_error');
    expect(e.details).toMatchObject({ retryable: true });
  });

  it('cancels through the AbortSignal', async () => {
    const a = adapterFor(endpoint({ baseUrl: fake.url }));
    fake.enqueue('chat', { hang: true });
    const ctrl = new AbortController();
    const pending = rejection(a.chat({ model: 'fake-chat', messages: [{ role: 'user', content: 'x' }] }, { signal: ctrl.signal }));
    // Abort once the server holds the request, so the cancel is of a call in flight.
    while (fake.count('chat') === 0) await new Promise((r) => setTimeout(r, 5));
    ctrl.abort();
    const e = await pending;
    expect(e.code).toBe('cancelled');
  });

  it('embeds, transcribes and lists models', async () => {
    const a = adapterFor(endpoint({ baseUrl: fake.url }));
    const emb = await a.embed!({ model: 'fake-embed', input: ['one', 'two', 'three'], dimensions: 12 }, {});
    expect(emb.vectors).toHaveLength(3);
    expect(emb.vectors[0]).toBeInstanceOf(Float32Array);
    expect(emb.dimensions).toBe(12);
    expect(fake.requests[0]!.body.encoding_format).toBe('float');
    const openai = adapterFor(endpoint({ kind: 'openai', baseUrl: fake.url, apiKey: 'sk-openai-00000000000' }));
    const emb2 = await openai.embed!({ model: 'fake-embed', input: ['one'] }, {});
    expect(fake.requests.map((r) => [r.route, r.body.encoding_format ?? null]), JSON.stringify(fake.requests.map((r) => [r.route, r.path, r.body.model]))).toEqual([['embeddings', 'float'], ['embeddings', 'base64']]);
    expect(Array.from(emb2.vectors[0]!)).toHaveLength(16);
    fake.enqueue('transcriptions', { text: 'the caller wants a refund' });
    const t = await a.transcribe!({ model: 'fake-whisper', audio: new Uint8Array(3000), mimeType: 'audio/webm' }, {});
    expect(t.text).toBe('the caller wants a refund');
    expect((await a.listModels({})).map((m) => m.id)).toEqual(['fake-chat', 'fake-chat-large', 'fake-embed', 'fake-whisper']);
    expect((await a.listModels({})).find((m) => m.id === 'fake-embed')?.kind).toBe('embedding');
  });

  it('Azure: deployment in the path, api-version in the query, the key in api-key', async () => {
    const a = adapterFor(endpoint({ kind: 'azure', baseUrl: fake.origin, apiKey: 'azure-key-0123456789abcdef', model: 'gpt4o-prod', apiVersion: '2024-10-21' }));
    await a.chat({ model: 'gpt4o-prod', messages: [{ role: 'user', content: 'hi' }] }, {});
    const r = fake.requests[0]!;
    expect(r.path).toBe('/openai/deployments/gpt4o-prod/chat/completions');
    expect(r.query['api-version']).toBe('2024-10-21');
    expect(r.headers['api-key']).toBe('azure-key-0123456789abcdef');
    expect(r.headers.authorization).toBeUndefined();
  });

  it('scrubs the key out of errors that echo it', async () => {
    const guarded = await startFakeOpenAI({ apiKey: 'sk-the-right-one-0000' });
    try {
      const key = 'sk-live-secret-9f8e7d6c5b4a';
      const e = await rejection(adapterFor(endpoint({ baseUrl: guarded.url, apiKey: key })).chat({ model: 'fake-chat', messages: [{ role: 'user', content: 'x' }] }, {}));
      expect(e.code).toBe('provider_error');
      expect(e.details).toMatchObject({ status: 401, retryable: false });
      expect(e.message).toMatch(/answered 401/);
      expect(e.message).not.toContain(key);
      expect(e.message).not.toContain('9f8e7d6c5b4a');
      expect(JSON.stringify(e.toJSON())).not.toContain(key);
      expect(e.cause).toBeUndefined();
    } finally {
      await guarded.close();
    }
  });

  it('kinds that need a key or a model file say so; local is absent until its provider is installed', () => {
    const local = (): ProviderAdapter => adapterFor(endpoint({ kind: 'local', modelPath: '/models/x.gguf' }));
    expect(local).toThrow(AppError);
    try {
      local();
    } catch (e) {
      expect((e as AppError).code).toBe('unavailable');
      expect((e as AppError).message).toBe('The local model provider is not installed in this build yet.');
    }
    const injected = createAdapter(endpoint({ kind: 'local', modelPath: '/models/x.gguf', contextSize: 2048 }), {
      sanitizer: new Sanitizer([]),
      tokens,
      local: (o) => ({ ...new OpenAIAdapter(endpoint({ baseUrl: 'http://127.0.0.1:1' }), { sanitizer: new Sanitizer([]), tokens }), kind: 'local', modelPath: o.modelPath, contextSize: o.contextSize }) as unknown as ProviderAdapter,
    });
    expect(injected).toMatchObject({ kind: 'local', modelPath: '/models/x.gguf', contextSize: 2048 });
  });
});

/** A tiny HTTP server for the Anthropic and Gemini SDKs: records requests, answers from a function. */
async function miniServer(answer: (req: IncomingMessage, body: Record<string, unknown>, res: ServerResponse) => void): Promise<{ url: string; requests: { path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }[]; close(): Promise<void> }> {
  const requests: { path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(parts).toString('utf8');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      answer(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const sse = (res: ServerResponse, events: { event?: string; data: unknown }[]): void => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${JSON.stringify(e.data)}\n\n`);
  res.end();
};

describe('Anthropic adapter (official SDK)', () => {
  const conversation: ChatRequest = {
    model: 'claude-haiku-4-5',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Check TCK-1' },
      { role: 'assistant', content: 'Looking.', toolCalls: [{ id: 'tu_1', name: 'find', arguments: '{"code":"TCK-1"}' }] },
      { role: 'tool', content: 'open', toolCallId: 'tu_1' },
      { role: 'user', content: 'And?' },
    ],
    maxTokens: 100,
    temperature: 0.5,
    responseSchema: { name: 'v', schema },
    tools: [{ name: 'find', description: 'Find', parameters: { type: 'object', properties: { code: { type: 'string' } } } }],
    toolChoice: 'required',
  };

  it('maps system, tool calls and results, structured output and tool choice', () => {
    const p = anthropicParams(conversation);
    expect(p.system).toBe('Be brief.');
    expect(p.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Check TCK-1' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Looking.' }, { type: 'tool_use', id: 'tu_1', name: 'find', input: { code: 'TCK-1' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu_1', content: 'open' }, { type: 'text', text: 'And?' }] },
    ]);
    expect(p.output_config).toEqual({ format: { type: 'json_schema', schema } });
    expect(p.tool_choice).toEqual({ type: 'any' });
    expect(p.max_tokens).toBe(100);
  });

  it('talks to the Messages API: plain, streamed, models; errors scrubbed', async () => {
    const srv = await miniServer((req, body, res) => {
      if (req.url?.startsWith('/v1/models')) return json(res, 200, { data: [{ id: 'claude-haiku-4-5', type: 'model', display_name: 'Haiku', created_at: '2025-01-01T00:00:00Z' }], has_more: false, first_id: null, last_id: null });
      if (body.model === 'bad') return json(res, 401, { type: 'error', error: { type: 'authentication_error', message: `invalid credentials ${String(req.headers['x-api-key'] ?? req.headers.authorization)}` } });
      if (body.stream) {
        return sse(res, [
          { event: 'message_start', data: { type: 'message_start', message: { id: 'm1', type: 'message', role: 'assistant', model: 'claude-haiku-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1, cache_read_input_tokens: 2 } } } },
          { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
          { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } } },
          { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } } },
          { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
          { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 7 } } },
          { event: 'message_stop', data: { type: 'message_stop' } },
        ]);
      }
      json(res, 200, {
        id: 'm2',
        type: 'message',
        role: 'assistant',
        model: 'claude-haiku-4-5-20251001',
        content: [
          { type: 'text', text: '{"verdict":"ok","score":1}' },
          { type: 'tool_use', id: 'tu_9', name: 'find', input: { code: 'X' } },
        ],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: 20, output_tokens: 5, cache_read_input_tokens: 10, cache_creation_input_tokens: 0 },
      });
    });
    try {
      const a = new AnthropicAdapter(endpoint({ kind: 'anthropic', baseUrl: srv.url, apiKey: 'sk-ant-secret-abcdefgh' }), { sanitizer: new Sanitizer(['sk-ant-secret-abcdefgh']), tokens });
      const r = await a.chat(conversation, {});
      expect(r).toMatchObject({ text: '{"verdict":"ok","score":1}', toolCalls: [{ id: 'tu_9', name: 'find', arguments: '{"code":"X"}' }], finishReason: 'tool_calls', model: 'claude-haiku-4-5-20251001', usage: { inputTokens: 30, outputTokens: 5, cachedTokens: 10 } });
      expect(srv.requests[0]!.path).toBe('/v1/messages');
      // The SDK sends the key as x-api-key or (1.x) as a bearer token.
      expect(srv.requests[0]!.headers['x-api-key'] ?? srv.requests[0]!.headers.authorization).toMatch(/^(Bearer )?sk-ant-secret-abcdefgh$/);
      const events = await collect(a.streamChat({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hi' }] }, {}));
      expect(events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text)).toEqual(['Hel', 'lo']);
      expect(events.at(-1)).toMatchObject({ type: 'done', result: { text: 'Hello', finishReason: 'stop', usage: { inputTokens: 14, outputTokens: 7, cachedTokens: 2 } } });
      expect((await a.listModels({})).map((m) => m.id)).toEqual(['claude-haiku-4-5']);
      const e = await rejection(a.chat({ model: 'bad', messages: [{ role: 'user', content: 'x' }] }, {}));
      expect(e.details).toMatchObject({ status: 401 });
      expect(e.message).not.toContain('sk-ant-secret-abcdefgh');
    } finally {
      await srv.close();
    }
  });
});

describe('Gemini adapter (official SDK)', () => {
  it('maps system instruction, roles, function calls and responses, and JSON schema output', () => {
    const p = geminiParams({
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Check' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'fc1', name: 'find', arguments: '{"code":"A"}' }] },
        { role: 'tool', content: 'open', toolCallId: 'fc1' },
      ],
      temperature: 0,
      maxTokens: 10,
      responseSchema: { name: 'v', schema },
      tools: [{ name: 'find', description: 'Find', parameters: { type: 'object' } }],
      toolChoice: { name: 'find' },
    });
    expect(p.config.systemInstruction).toBe('Be brief.');
    expect(p.contents).toEqual([
      { role: 'user', parts: [{ text: 'Check' }] },
      { role: 'model', parts: [{ functionCall: { id: 'fc1', name: 'find', args: { code: 'A' } } }] },
      { role: 'user', parts: [{ functionResponse: { id: 'fc1', name: 'find', response: { result: 'open' } } }] },
    ]);
    expect(p.config).toMatchObject({ temperature: 0, maxOutputTokens: 10, responseMimeType: 'application/json', responseJsonSchema: schema });
    expect(p.config.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['find'] } });
  });

  it('talks to generateContent, streamGenerateContent and embedContent', async () => {
    const srv = await miniServer((req, _body, res) => {
      const url = req.url ?? '';
      if (url.includes('models/missing')) return json(res, 404, { error: { code: 404, message: 'models/missing is not found', status: 'NOT_FOUND' } });
      if (url.includes(':streamGenerateContent')) {
        return sse(res, [
          { data: { candidates: [{ content: { role: 'model', parts: [{ text: 'Hi ' }] } }], modelVersion: 'gemini-2.5-flash' } },
          { data: { candidates: [{ content: { role: 'model', parts: [{ text: 'there' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2 } } },
        ]);
      }
      if (url.includes(':generateContent')) {
        return json(res, 200, { candidates: [{ content: { role: 'model', parts: [{ text: '{"verdict":"fine","score":2}' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 6, cachedContentTokenCount: 3 }, modelVersion: 'gemini-2.5-flash-001' });
      }
      if (url.includes(':batchEmbedContents') || url.includes(':embedContent')) {
        return json(res, 200, { embeddings: [{ values: [0.1, 0.2, 0.3] }, { values: [0.4, 0.5, 0.6] }] });
      }
      json(res, 404, { error: { code: 404, message: `no route ${url}`, status: 'NOT_FOUND' } });
    });
    try {
      const a = new GeminiAdapter(endpoint({ kind: 'gemini', baseUrl: srv.url, apiKey: 'AIzaSyTestKey000000000000000' }), { sanitizer: new Sanitizer(['AIzaSyTestKey000000000000000']), tokens });
      const r = await a.chat({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'rate' }], responseSchema: { name: 'v', schema } }, {});
      expect(r).toMatchObject({ text: '{"verdict":"fine","score":2}', finishReason: 'stop', model: 'gemini-2.5-flash-001', usage: { inputTokens: 9, outputTokens: 6, cachedTokens: 3 } });
      expect(srv.requests[0]!.path).toMatch(/models\/gemini-2\.5-flash:generateContent/);
      expect(srv.requests[0]!.headers['x-goog-api-key']).toBe('AIzaSyTestKey000000000000000');
      expect(srv.requests[0]!.body.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseJsonSchema: schema });
      const events = await collect(a.streamChat({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] }, {}));
      expect(events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text).join('')).toBe('Hi there');
      expect(events.at(-1)).toMatchObject({ type: 'done', result: { text: 'Hi there', usage: { inputTokens: 4, outputTokens: 2 } } });
      const emb = await a.embed!({ model: 'gemini-embedding-001', input: ['a', 'b'] }, {});
      expect(emb.vectors.map((v) => Array.from(v).map((x) => Math.round(x * 10)))).toEqual([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const e = await rejection(a.chat({ model: 'missing', messages: [{ role: 'user', content: 'x' }] }, {}));
      expect(e.code).toBe('provider_error');
      expect(e.details).toMatchObject({ status: 404, retryable: false });
      expect(e.message).not.toContain('AIzaSyTestKey');
    } finally {
      await srv.close();
    }
  });
});
