import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayStreamPayload } from '../../../../src/shared/contract';
import { events as eventSchemas } from '../../../../src/shared/events';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';
import { rejection, testPolicy, usageRows } from '../../../fixtures/gateway';

/** The playground's path: a route starts a stream, gateway.stream events carry it, a route cancels it. */
describe('streaming over the contract', () => {
  let t: TestCore;
  let fake: FakeOpenAI;

  /** Starts a stream and collects its events until 'done' or 'error'. */
  async function run(input: { prompt: string; streamId: string; onFirstDelta?: () => void }): Promise<GatewayStreamPayload[]> {
    const got: GatewayStreamPayload[] = [];
    const finished = new Promise<void>((resolve) => {
      const stop = t.core.events.on('gateway.stream', (ev) => {
        if (ev.streamId !== input.streamId) return;
        got.push(ev);
        if (ev.type === 'delta' && got.length === 1) input.onFirstDelta?.();
        if (ev.type !== 'delta') {
          stop();
          resolve();
        }
      });
    });
    const { streamId } = await t.core.call('gateway.streamStart', { workspace: 'w', useCase: 'copilot.chat', prompt: input.prompt, streamId: input.streamId });
    expect(streamId).toBe(input.streamId);
    await finished;
    return got;
  }

  beforeAll(async () => {
    t = makeTestCore();
    fake = await startFakeOpenAI();
    await t.core.call('workspace.create', { name: 'w' });
    await t.core.call('providers.add', { name: 'main', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat' });
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['main'], timeoutMs: 5000 }) });
  });
  afterAll(async () => {
    await t.cleanup();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('delivers deltas in order, then one done event with the answer metadata', async () => {
    const text = 'A streamed answer that arrives in many small pieces over the wire.';
    fake.enqueue('chat', { text, chunkSize: 3 });
    const got = await run({ prompt: 'go', streamId: 'stream-ordered-1' });
    expect(got.map((e) => e.seq)).toEqual(got.map((_, i) => i));
    const deltas = got.filter((e) => e.type === 'delta');
    expect(deltas.map((d) => d.text).join('')).toBe(text);
    // Small chunks are coalesced: fewer events than the 23 chunks the server sent.
    expect(deltas.length).toBeLessThan(23);
    const done = got.at(-1)!;
    expect(done.type).toBe('done');
    expect(done.answer).toMatchObject({ text, provider: 'openai-compatible', model: 'fake-chat', endpoint: 'main', fallbackUsed: false, cached: false });
    expect(done.answer!.tokensOut).toBeGreaterThan(0);
    for (const ev of got) expect(eventSchemas['gateway.stream'].safeParse(ev).success).toBe(true);
    expect((await usageRows(t.core))[0]).toMatchObject({ id: done.answer!.usageId, operation: 'stream', status: 'ok', subject: 'playground' });
  });

  it('gateway.streamCancel stops a stream; the caller gets a cancelled error event and the call is recorded as cancelled', async () => {
    fake.enqueue('chat', { hang: true });
    const running = run({ prompt: 'wait', streamId: 'stream-cancel-1' });
    while (fake.count('chat') === 0) await new Promise((r) => setTimeout(r, 5));
    expect(await t.core.call('gateway.streamCancel', { streamId: 'stream-cancel-1' })).toEqual({ cancelled: true });
    const got = await running;
    expect(got.at(-1)).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
    expect((await usageRows(t.core))[0]).toMatchObject({ status: 'cancelled', operation: 'stream' });
    // Usage & Costs counts a cancelled call apart, never as a failure.
    const { totals } = await t.core.call('usage.summary', { workspace: 'w', range: '1d' });
    expect(totals.cancelled).toBeGreaterThanOrEqual(1);
    expect(totals.errors).toBe((await usageRows(t.core)).filter((r) => r.status === 'error').length);
    expect(await t.core.call('gateway.streamCancel', { streamId: 'stream-cancel-1' })).toEqual({ cancelled: false });
    expect(t.core.services.streams.running).toBe(0);
  });

  it('a failure becomes an error event with a typed code', async () => {
    fake.enqueue('chat', { status: 401, message: 'no such key' });
    const got = await run({ prompt: 'x', streamId: 'stream-error-1' });
    expect(got.at(-1)).toMatchObject({ type: 'error', error: { code: 'provider_error', message: expect.stringMatching(/answered 401/) } });
  });

  it('refuses a stream id already in use, and an unknown workspace before starting', async () => {
    fake.enqueue('chat', { hang: true });
    await t.core.call('gateway.streamStart', { workspace: 'w', useCase: 'copilot.chat', prompt: 'x', streamId: 'stream-dup-1' });
    while (fake.count('chat') === 0) await new Promise((r) => setTimeout(r, 5));
    const e = await rejection(t.core.invoke('gateway.streamStart', { workspace: 'w', useCase: 'copilot.chat', prompt: 'x', streamId: 'stream-dup-1' }));
    expect(e.code).toBe('conflict');
    await t.core.call('gateway.streamCancel', { streamId: 'stream-dup-1' });
    expect((await rejection(t.core.invoke('gateway.streamStart', { workspace: 'nope', useCase: 'copilot.chat', prompt: 'x' }))).code).toBe('not_found');
  });
});
