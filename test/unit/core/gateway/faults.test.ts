import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayStreamEvent } from '../../../../src/main/core/gateway/types';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { fencedJson, startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';
import { ask, makeGateway, meta, rejection, testPolicy, usageRows } from '../../../fixtures/gateway';

const schema = { type: 'object', properties: { verdict: { type: 'string' } }, required: ['verdict'], additionalProperties: false };

/**
 * Every fault the fake server can produce must end in either a fallback or a clear typed error, and a usage row is
 * written either way.
 */
describe('gateway fault handling', () => {
  let t: TestCore;
  let a: FakeOpenAI;
  let b: FakeOpenAI;
  const setPolicy = (opts: Parameters<typeof testPolicy>[0]): Promise<unknown> => t.core.call('policies.set', { workspace: 'w', yaml: testPolicy(opts) });
  const latest = async () => (await usageRows(t.core))[0]!;

  beforeAll(async () => {
    t = makeTestCore();
    [a, b] = await Promise.all([startFakeOpenAI(), startFakeOpenAI()]);
    await t.core.call('workspace.create', { name: 'w' });
    await t.core.call('providers.add', { name: 'a', kind: 'openai-compatible', baseUrl: a.url, model: 'fake-chat', role: 'primary' });
    await t.core.call('providers.add', { name: 'b', kind: 'openai-compatible', baseUrl: b.url, model: 'fake-chat-large', role: 'secondary' });
  });
  afterAll(async () => {
    await t.cleanup();
    await Promise.all([a.close(), b.close()]);
  });
  beforeEach(async () => {
    a.reset();
    b.reset();
    // Breakers remember failures across calls by design; each test starts from a clean slate.
    t.core.services.gateway.pool.resetBreakers();
    await setPolicy({});
  });

  it('500: the secondary answers, and the usage row records the endpoint and the fallback', async () => {
    a.enqueue('chat', { status: 500 });
    const r = await t.core.services.gateway.chat(meta(), ask('hello'));
    expect(r).toMatchObject({ text: 'ok: hello', endpoint: 'b', model: 'fake-chat-large', fallbackUsed: true, attempts: 2 });
    expect(a.count('chat')).toBe(1);
    expect(await latest()).toMatchObject({ id: r.usageId, status: 'ok', endpoint: 'b', fallbackUsed: true, attempts: 2, useCase: 'copilot.chat', profileId: 'p1' });
  });

  it('500 with nowhere to fall back: a typed provider_error naming the status, recorded as an error', async () => {
    await setPolicy({ fallback: ['a'] });
    a.enqueue('chat', { status: 500, message: 'upstream exploded' });
    const e = await rejection(t.core.services.gateway.chat(meta(), ask('hello')));
    expect(e.code).toBe('provider_error');
    expect(e.message).toMatch(/a answered 500: .*upstream exploded/);
    expect(await latest()).toMatchObject({ status: 'error', errorCode: 'provider_error', endpoint: 'a', fallbackUsed: false, attempts: 1 });
  });

  it('retries a 500 on the same endpoint when the policy allows, then succeeds', async () => {
    await setPolicy({ fallback: ['a'], retries: 2 });
    a.enqueue('chat', { status: 503 }, { status: 502 });
    const r = await t.core.services.gateway.chat(meta(), ask('again'));
    expect(r).toMatchObject({ endpoint: 'a', attempts: 3, fallbackUsed: false });
    expect(a.count('chat')).toBe(3);
  });

  it('429 with Retry-After: waits at least that long before retrying the same endpoint', async () => {
    const g = makeGateway(t.core);
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['a'], retries: 1 }).replace('backoff: { base_ms: 1, max_ms: 50 }', 'backoff: { base_ms: 10, max_ms: 5000 }') });
    a.enqueue('chat', { status: 429, retryAfter: 2 });
    const r = await g.gateway.chat(meta(), ask('x'));
    expect(r).toMatchObject({ endpoint: 'a', attempts: 2 });
    expect(g.sleeps).toEqual([2000]);
    // retry-after-ms wins over Retry-After when both are present.
    a.enqueue('chat', { status: 429, retryAfter: 2, retryAfterMs: 1234 });
    await g.gateway.chat(meta(), ask('y'));
    expect(g.sleeps).toEqual([2000, 1234]);
  });

  it('429 asking for a longer wait than the backoff cap: falls back at once instead of waiting', async () => {
    const g = makeGateway(t.core);
    await setPolicy({ retries: 3 });
    a.enqueue('chat', { status: 429, retryAfter: 120 });
    const r = await g.gateway.chat(meta(), ask('x'));
    expect(r).toMatchObject({ endpoint: 'b', fallbackUsed: true });
    expect(g.sleeps).toEqual([]);
  });

  it('a hang: the per-attempt timeout fires and the next endpoint answers', async () => {
    await setPolicy({ timeoutMs: 300 });
    a.enqueue('chat', { hang: true });
    const t0 = Date.now();
    const r = await t.core.services.gateway.chat(meta(), ask('x'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(r).toMatchObject({ endpoint: 'b', fallbackUsed: true });
    expect((await latest()).latencyMs).toBeGreaterThanOrEqual(290);
  });

  it('a hang with nowhere to fall back: a typed timeout error', async () => {
    await setPolicy({ timeoutMs: 200, fallback: ['a'] });
    a.enqueue('chat', { hang: true });
    const e = await rejection(t.core.services.gateway.chat(meta(), ask('x')));
    expect(e.code).toBe('provider_error');
    expect(e.message).toBe('a did not answer within 200 ms.');
    expect(e.details).toMatchObject({ failure: 'timeout' });
    expect(await latest()).toMatchObject({ status: 'error', errorCode: 'provider_error', errorMessage: 'a did not answer within 200 ms.' });
  });

  it('malformed JSON and a reset connection fall back', async () => {
    a.enqueue('chat', { malformed: true });
    expect(await t.core.services.gateway.chat(meta(), ask('x'))).toMatchObject({ endpoint: 'b', fallbackUsed: true });
    a.enqueue('chat', { reset: true });
    expect(await t.core.services.gateway.chat(meta(), ask('x'))).toMatchObject({ endpoint: 'b', fallbackUsed: true });
    const rows = await usageRows(t.core);
    expect(rows.slice(0, 2).every((r) => r.status === 'ok' && r.fallbackUsed)).toBe(true);
  });

  it('malformed JSON with nowhere to fall back: a typed error saying the response could not be read', async () => {
    await setPolicy({ fallback: ['a'] });
    a.enqueue('chat', { malformed: true });
    const e = await rejection(t.core.services.gateway.chat(meta(), ask('x')));
    expect(e.code).toBe('provider_error');
    expect(e.details).toMatchObject({ endpoint: 'a', retryable: true });
    expect((await latest()).status).toBe('error');
  });

  it('a plain answer cut in half falls back', async () => {
    a.enqueue('chat', { cut: true });
    expect(await t.core.services.gateway.chat(meta(), ask('x'))).toMatchObject({ endpoint: 'b', fallbackUsed: true });
  });

  it('a stream cut before any output falls back; one cut after output is a typed error with the partial usage recorded', async () => {
    const events = async (): Promise<GatewayStreamEvent[]> => {
      const out: GatewayStreamEvent[] = [];
      for await (const ev of t.core.services.gateway.streamChat(meta(), ask('stream please'))) out.push(ev);
      return out;
    };
    a.enqueue('chat', { cut: true, afterChars: 0 });
    const ok = await events();
    expect(ok.at(-1)).toMatchObject({ type: 'meta', meta: { endpoint: 'b', fallbackUsed: true } });
    expect((await latest()).operation).toBe('stream');

    a.enqueue('chat', { cut: true, text: 'The first half of a long answer, and then', afterChars: 24 });
    const seen: string[] = [];
    const e = await rejection(async () => {
      for await (const ev of t.core.services.gateway.streamChat(meta(), ask('stream please'))) if (ev.type === 'delta') seen.push(ev.text);
    });
    expect(seen.join('')).toBe('The first half of a long');
    expect(e.code).toBe('provider_error');
    expect(e.message).toMatch(/^The answer from a broke off/);
    expect(e.details).toMatchObject({ failure: 'stream_broken' });
    expect(b.count('chat')).toBe(1); // no fallback after output reached the caller
    const row = await latest();
    expect(row).toMatchObject({ status: 'error', operation: 'stream', endpoint: 'a', errorCode: 'provider_error' });
    expect(row.tokensOut).toBeGreaterThan(0);
  });

  it('structured output: a fenced answer is cleaned to bare JSON; an answer without JSON falls back', async () => {
    a.enqueue('chat', fencedJson({ verdict: 'fine' }));
    const r = await t.core.services.gateway.chat(meta(), { ...ask('rate'), responseSchema: { name: 'v', schema } });
    expect(JSON.parse(r.text)).toEqual({ verdict: 'fine' });
    expect(r.endpoint).toBe('a');
    a.enqueue('chat', { text: 'I would rather not answer in JSON.' });
    b.enqueue('chat', { text: '{"verdict":"from b"}' });
    const r2 = await t.core.services.gateway.chat(meta(), { ...ask('rate'), responseSchema: { name: 'v', schema } });
    expect(r2).toMatchObject({ endpoint: 'b', fallbackUsed: true, text: '{"verdict":"from b"}' });
    a.enqueue('chat', { text: '{"other":1}' });
    b.enqueue('chat', { text: 'nope' });
    const e = await rejection(t.core.services.gateway.chat(meta(), { ...ask('rate'), responseSchema: { name: 'v', schema } }));
    expect(e.code).toBe('provider_error');
    expect(e.message).toMatch(/a: a answered, but not with the JSON that was asked for \(missing required field verdict\)/);
    expect(e.message).toMatch(/b: b answered, but not with the JSON/);
    expect(e.details?.failures).toHaveLength(2);
  });

  it('cancellation: a cancelled error and a cancelled usage row', async () => {
    a.enqueue('chat', { hang: true });
    const ctrl = new AbortController();
    const pending = rejection(t.core.services.gateway.chat(meta(), ask('x'), { signal: ctrl.signal }));
    while (a.count('chat') === 0) await new Promise((r) => setTimeout(r, 5));
    ctrl.abort();
    const e = await pending;
    expect(e.code).toBe('cancelled');
    expect(b.count('chat')).toBe(0);
    expect(await latest()).toMatchObject({ status: 'cancelled', errorCode: 'cancelled' });
  });

  it('no endpoint for the chain: unavailable, recorded', async () => {
    await setPolicy({ fallback: ['@tertiary'] });
    const e = await rejection(t.core.services.gateway.chat(meta(), ask('x')));
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/no endpoint has the role tertiary/);
    expect(await latest()).toMatchObject({ status: 'error', errorCode: 'unavailable' });
  });

  it('circuit breaker: opens after N consecutive failures, skips the endpoint, lets one probe through after the cool-down', async () => {
    const g = makeGateway(t.core, { breaker: { failureThreshold: 2, cooldownMs: 10_000 } });
    a.handle('chat', () => ({ status: 500 }));
    for (let i = 0; i < 2; i++) expect(await g.gateway.chat(meta(), ask('x'))).toMatchObject({ endpoint: 'b' });
    expect(a.count('chat')).toBe(2);
    const aId = t.core.services.gateway.endpoints.get('a').config.id;
    expect(g.gateway.pool.breakerState(aId)).toBe('open');
    // Open: a is skipped without a request.
    expect(await g.gateway.chat(meta(), ask('x'))).toMatchObject({ endpoint: 'b', fallbackUsed: true, attempts: 1 });
    expect(a.count('chat')).toBe(2);
    // With nowhere else to go, the refusal says the endpoint is paused.
    await setPolicy({ fallback: ['a'] });
    const e = await rejection(g.gateway.chat(meta(), ask('x')));
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/a is paused after repeated failures/);
    // After the cool-down one probe goes through; it fails, so the circuit opens again.
    await setPolicy({});
    g.advance(10_001);
    expect(g.gateway.pool.breakerState(aId)).toBe('half_open');
    expect(await g.gateway.chat(meta(), ask('x'))).toMatchObject({ endpoint: 'b' });
    expect(a.count('chat')).toBe(3);
    expect(g.gateway.pool.breakerState(aId)).toBe('open');
    // Next cool-down: the probe succeeds and the circuit closes.
    a.handle('chat', null);
    g.advance(10_001);
    expect(await g.gateway.chat(meta(), ask('x'))).toMatchObject({ endpoint: 'a', fallbackUsed: false });
    expect(g.gateway.pool.breakerState(aId)).toBe('closed');
  });

  it('an adapter that ignores its AbortSignal is still bounded by the timeout', async () => {
    await t.core.call('providers.add', { name: 'stuck', kind: 'local', modelPath: '/models/stuck.gguf', model: 'stuck' });
    t.core.services.gateway.setLocalAdapterFactory(() => ({
      kind: 'local',
      capabilities: { streaming: false, structuredOutput: 'prompt', tools: false, embeddings: false, transcription: false },
      chat: () => new Promise(() => undefined),
      streamChat: async function* () {},
      listModels: async () => [],
      countTokens: () => 1,
    }));
    try {
      await setPolicy({ fallback: ['stuck', 'b'], timeoutMs: 200 });
      const r = await t.core.services.gateway.chat(meta(), ask('x'));
      expect(r).toMatchObject({ endpoint: 'b', fallbackUsed: true });
      expect((await latest()).latencyMs).toBeGreaterThanOrEqual(190);
    } finally {
      t.core.services.gateway.setLocalAdapterFactory(null);
      await t.core.call('providers.remove', { name: 'stuck' });
    }
  });

  it('a bad request (400) is not retried on the same endpoint and does not trip the breaker', async () => {
    const g = makeGateway(t.core, { breaker: { failureThreshold: 1 } });
    await setPolicy({ retries: 3 });
    a.enqueue('chat', { status: 400, message: 'bad parameter' });
    expect(await g.gateway.chat(meta(), ask('x'))).toMatchObject({ endpoint: 'b', attempts: 2 });
    expect(a.count('chat')).toBe(1);
    expect(g.gateway.pool.breakerState(t.core.services.gateway.endpoints.get('a').config.id)).toBe('closed');
  });
});
