import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import OpenAI, { toFile, type APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeEmbedding, fencedJson, startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';

/** The fake server is a fixture every later suite relies on, so it is tested with the real SDK over real HTTP. */
describe('fake OpenAI-compatible server', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0, timeout: 2000 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('answers plain chat with the scripted text and usage, and logs the request', async () => {
    fake.enqueue('chat', { text: 'Hello!', usage: { prompt_tokens: 11, completion_tokens: 3, cached_tokens: 4 } });
    const res = await client.chat.completions.create({ model: 'fake-chat', messages: [{ role: 'user', content: 'Hi' }] });
    expect(res.choices[0]!.message.content).toBe('Hello!');
    expect(res.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } });
    expect(fake.requests[0]).toMatchObject({ route: 'chat', method: 'POST', body: { model: 'fake-chat' } });
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('echoes the last user message by default, and answers JSON when response_format asks for it', async () => {
    const plain = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'ping' }] });
    expect(plain.choices[0]!.message.content).toBe('ok: ping');
    const json = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'give json' }],
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
    });
    expect(JSON.parse(json.choices[0]!.message.content!)).toEqual({ ok: true, echo: 'give json' });
  });

  it('streams SSE chunks with usage at the end', async () => {
    fake.enqueue('chat', { text: 'streamed answer text', chunkSize: 5 });
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } });
    const pieces: string[] = [];
    let usage: unknown = null;
    for await (const c of stream) {
      const d = c.choices[0]?.delta?.content;
      if (d) pieces.push(d);
      if (c.usage) usage = c.usage;
    }
    expect(pieces.join('')).toBe('streamed answer text');
    expect(pieces.length).toBe(4);
    expect(usage).toMatchObject({ completion_tokens: 5 });
  });

  it('returns tool calls, plain and streamed', async () => {
    fake.enqueue('chat', { toolCalls: [{ name: 'lookup', arguments: { id: 7 } }] });
    const res = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }] });
    const call = res.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function).toMatchObject({ name: 'lookup', arguments: '{"id":7}' });
    expect(res.choices[0]!.finish_reason).toBe('tool_calls');

    fake.enqueue('chat', { toolCalls: [{ name: 'lookup', arguments: { id: 8 } }] });
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    let args = '';
    let name = '';
    for await (const c of stream) {
      for (const tc of c.choices[0]?.delta?.tool_calls ?? []) {
        name += tc.function?.name ?? '';
        args += tc.function?.arguments ?? '';
      }
    }
    expect({ name, args }).toEqual({ name: 'lookup', args: '{"id":8}' });
  });

  it('answers from a handler function when the queue is empty', async () => {
    fake.handle('chat', (req) => ({ text: `model was ${String(req.body.model)}` }));
    const res = await client.chat.completions.create({ model: 'fake-chat-large', messages: [{ role: 'user', content: 'x' }] });
    expect(res.choices[0]!.message.content).toBe('model was fake-chat-large');
  });

  it('embeds deterministically, as floats or base64', async () => {
    const a = await client.embeddings.create({ model: 'fake-embed', input: ['alpha', 'beta'], encoding_format: 'float' });
    expect(a.data).toHaveLength(2);
    expect(a.data[0]!.embedding).toHaveLength(16);
    expect(a.data[0]!.embedding[0]).toBeCloseTo(fakeEmbedding('alpha', 16)[0]!, 6);
    const b = await client.embeddings.create({ model: 'fake-embed', input: ['alpha'], dimensions: 8 });
    expect(Array.from(b.data[0]!.embedding)).toHaveLength(8);
    expect(b.data[0]!.embedding[3]).toBeCloseTo(fakeEmbedding('alpha', 8)[3]!, 5);
    expect(Math.hypot(...Array.from(b.data[0]!.embedding))).toBeCloseTo(1, 5);
  });

  it('lists models and transcribes audio', async () => {
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    expect(models).toContain('fake-chat');
    fake.enqueue('transcriptions', { text: 'hello world' });
    const t = await client.audio.transcriptions.create({ file: await toFile(Buffer.alloc(1000, 1), 'a.wav', { type: 'audio/wav' }), model: 'fake-whisper' });
    expect(t.text).toBe('hello world');
    expect(fake.requests.at(-1)).toMatchObject({ route: 'transcriptions', body: { model: 'fake-whisper', bytes: 1000 } });
  });

  it('accepts Azure-style deployment paths', async () => {
    const res = await fetch(`${fake.origin}/openai/deployments/my-dep/chat/completions?api-version=2024-10-21`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'api-key': 'k' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(fake.requests[0]).toMatchObject({ route: 'chat', deployment: 'my-dep', query: { 'api-version': '2024-10-21' } });
  });

  describe('faults', () => {
    it('answers any status with an OpenAI-style error body, and 429 with Retry-After', async () => {
      fake.enqueue('chat', { status: 500 }, { status: 429, retryAfter: 3 });
      await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 500 });
      const e = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).then(
        () => null,
        (x: unknown) => x as APIError,
      );
      expect(e?.status).toBe(429);
      expect(e?.headers?.get('retry-after')).toBe('3');
    });

    it('hangs until the client gives up', async () => {
      fake.enqueue('chat', { hang: true });
      const quick = new OpenAI({ apiKey: 'k', baseURL: fake.url, maxRetries: 0, timeout: 200 });
      const t0 = Date.now();
      await expect(quick.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow(/timed out/i);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    });

    it('sends malformed JSON, resets connections, and cuts streams in half', async () => {
      fake.enqueue('chat', { malformed: true }, { reset: true }, { cut: true, text: 'abcdefghijklmnopqrstuvwxyz', afterChars: 10 });
      await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow();
      await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow();
      const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
      let got = '';
      await expect(
        (async () => {
          for await (const c of stream) got += c.choices[0]?.delta?.content ?? '';
        })(),
      ).rejects.toThrow();
      expect(got).toBe('abcdefghij');
    });

    it('wraps JSON in a Markdown fence on request, and adds latency', async () => {
      fake.enqueue('chat', fencedJson({ a: 1 }));
      fake.setLatency(60);
      const t0 = Date.now();
      const res = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
      expect(res.choices[0]!.message.content).toMatch(/^Here is the result:\n```json\n\{\n {2}"a": 1\n\}\n```$/);
    });

    it('rejects a wrong API key with a 401 that echoes it, like real services do', async () => {
      const guarded = await startFakeOpenAI({ apiKey: 'sk-right-key-000000' });
      try {
        const wrong = new OpenAI({ apiKey: 'sk-wrong-key-111111', baseURL: guarded.url, maxRetries: 0 });
        await expect(wrong.models.list()).rejects.toThrow(/sk-wrong-key-111111/);
        const right = new OpenAI({ apiKey: 'sk-right-key-000000', baseURL: guarded.url, maxRetries: 0 });
        await expect(right.models.list()).resolves.toBeTruthy();
      } finally {
        await guarded.close();
      }
    });
  });

  it('runs standalone for E2E, scriptable over HTTP', async () => {
    const tsx = resolve(import.meta.dirname, '../../../../node_modules/.bin/tsx');
    const child = spawn(tsx, [resolve(import.meta.dirname, '../../../fixtures/fakeOpenAI.ts'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line) ok((JSON.parse(line) as { url: string }).url);
        });
        child.on('exit', (code) => fail(new Error(`exited ${code}`)));
      });
      await fetch(`${url.replace(/\/v1$/, '')}/__fake/enqueue`, { method: 'POST', body: JSON.stringify({ route: 'chat', replies: [{ text: 'from the control API' }] }) });
      const c = new OpenAI({ apiKey: 'k', baseURL: url, maxRetries: 0 });
      const res = await c.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
      expect(res.choices[0]!.message.content).toBe('from the control API');
      const log = (await (await fetch(`${url.replace(/\/v1$/, '')}/__fake/requests`)).json()) as { requests: unknown[] };
      expect(log.requests).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
