import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';
import { ask, meta, rejection, testPolicy, usageRows } from '../../../fixtures/gateway';

const PRICES = `version: 1
endpoints:
  free-box: { input: 0, output: 0 }
models:
  fake-chat: { input: 2000, cached_input: 1000, output: 4000 }
  fake-embed: { input: 0.5 }
  fake-whisper: { per_minute: 0.6 }
`;

describe('usage, cost and the response cache', () => {
  let t: TestCore;
  let fake: FakeOpenAI;
  let now = new Date('2026-05-20T10:00:00Z');
  const day = 86_400_000;

  beforeAll(async () => {
    t = makeTestCore({ clock: { now: () => now } });
    fake = await startFakeOpenAI();
    await t.core.call('workspace.create', { name: 'w' });
    await t.core.call('providers.add', { name: 'main', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', embeddingModel: 'fake-embed', transcriptionModel: 'fake-whisper', role: 'primary' });
    await t.core.call('providers.add', { name: 'free-box', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', role: 'standby' });
    await t.core.call('prices.set', { yaml: PRICES });
  });
  afterAll(async () => {
    await t.cleanup();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('prices a call from the table, counting cached prompt tokens at the cached rate', async () => {
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['main'] }) });
    // Reported usage must be plausible for what was sent (ADR 0091): a prompt of a few hundred tokens, max_tokens 1000.
    fake.enqueue('chat', { text: 'x', usage: { prompt_tokens: 1_000, completion_tokens: 500, cached_tokens: 400 } });
    const r = await t.core.services.gateway.chat(meta(), { ...ask('price me '.repeat(120)), maxTokens: 1_000 });
    // 600 fresh × $2000 + 400 cached × $1000 + 500 out × $4000, per million.
    expect(r.costUsd).toBeCloseTo(1.2 + 0.4 + 2, 9);
    expect((await usageRows(t.core))[0]).toMatchObject({ costUsd: expect.closeTo(3.6, 9), tokensIn: 1_000, tokensOut: 500, cachedTokens: 400, priceKnown: true, anomaly: null });
  });

  it('records what started a call on its usage row: scheduled and event calls are labelled, others are not', async () => {
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['main'] }) });
    for (const trigger of ['scheduled', 'event', undefined] as const) {
      fake.enqueue('chat', { text: 'x' });
      await t.core.services.gateway.chat({ ...meta('w', 'persona.ticket_analyst', null), ...(trigger ? { trigger } : {}) }, ask(`who asked ${trigger ?? 'nobody'}`));
    }
    const { rows } = await t.core.call('usage.list', { workspace: 'w', limit: 3 });
    expect(rows.map((r) => r.trigger)).toEqual([null, 'event', 'scheduled']);
  });

  it('endpoint prices win over model prices; unknown models cost 0 and are flagged', async () => {
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['free-box'] }) });
    const free = await t.core.services.gateway.chat(meta(), ask('free'));
    expect(free.costUsd).toBe(0);
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['main'] }) });
    fake.enqueue('chat', { model: 'mystery-model-9' });
    const unknown = await t.core.services.gateway.chat(meta(), ask('who answers'));
    // The answered model has no price, so the requested model's price applies.
    expect(unknown.model).toBe('mystery-model-9');
    expect(unknown.costUsd).toBeGreaterThan(0);
    // fake-chat-large has no price; testing the provider makes it a known model the policy may name.
    await t.core.call('providers.test', { name: 'main' });
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['main'], extra: '    model: fake-chat-large' }) });
    const unpriced = await t.core.services.gateway.chat(meta(), ask('unpriced'));
    expect(unpriced.costUsd).toBe(0);
    expect((await usageRows(t.core))[0]).toMatchObject({ model: 'fake-chat-large', priceKnown: false });
    const s = await t.core.call('usage.summary', { workspace: 'w', range: '1d' });
    expect(s.unpricedModels).toEqual(['fake-chat-large']);
  });

  it('records embeddings and transcriptions, transcriptions priced per minute', async () => {
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['main'] }) });
    const e = await t.core.services.gateway.embed(meta('w', 'embeddings'), ['alpha', 'beta'], { dimensions: 4 });
    expect(e.vectors).toHaveLength(2);
    expect(e).toMatchObject({ endpoint: 'main', model: 'fake-embed', dimensions: 4 });
    fake.enqueue('transcriptions', { text: 'call me back tomorrow' });
    const tr = await t.core.services.gateway.transcribe(meta('w', 'voice.transcribe'), { audio: new Uint8Array(120_000), mimeType: 'audio/webm' });
    expect(tr.text).toBe('call me back tomorrow');
    // No duration reported: 120 kB at the 16 kbit/s estimate is 60 s, one minute at $0.60.
    expect(tr.costUsd).toBeCloseTo(0.6, 9);
    const rows = await usageRows(t.core);
    expect(rows[0]).toMatchObject({ operation: 'transcribe', useCase: 'voice.transcribe', model: 'fake-whisper', status: 'ok' });
    expect(rows[1]).toMatchObject({ operation: 'embed', useCase: 'embeddings', model: 'fake-embed', status: 'ok' });
    expect((await rejection(t.core.services.gateway.embed(meta('w', 'embeddings'), []))).code).toBe('validation');
  });

  it('caches deterministic answers for the TTL, records hits at no cost, and skips sampled calls unless the policy opts in', async () => {
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['main'], cacheTtl: 60 }) });
    const first = await t.core.services.gateway.chat(meta(), ask('cache me'));
    const second = await t.core.services.gateway.chat(meta(), ask('  cache me  '));
    expect(fake.count('chat')).toBe(1);
    expect(second).toMatchObject({ text: first.text, cached: true, costUsd: 0, attempts: 0, endpoint: 'main' });
    expect((await usageRows(t.core))[0]).toMatchObject({ status: 'cached', costUsd: 0, tokensIn: 0 });
    await t.core.services.gateway.chat(meta(), ask('cache me too'));
    expect(fake.count('chat')).toBe(2);
    // Sampled: not cached…
    await t.core.services.gateway.chat(meta(), { ...ask('sampled'), temperature: 0.8 });
    await t.core.services.gateway.chat(meta(), { ...ask('sampled'), temperature: 0.8 });
    expect(fake.count('chat')).toBe(4);
    // …unless the policy says so.
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['main'], cacheTtl: 60 }).replace('cache: { ttl_seconds: 60 }', 'cache: { ttl_seconds: 60, sampled: true }') });
    await t.core.services.gateway.chat(meta(), { ...ask('sampled'), temperature: 0.8 });
    await t.core.services.gateway.chat(meta(), { ...ask('sampled'), temperature: 0.8 });
    expect(fake.count('chat')).toBe(5);
    // Expired after the TTL.
    now = new Date(now.getTime() + 61_000);
    await t.core.services.gateway.chat(meta(), ask('cache me'));
    expect(fake.count('chat')).toBe(6);
    // Streaming calls skip the cache unless opted in.
    for await (const _ of t.core.services.gateway.streamChat(meta(), ask('cache me'))) void _;
    expect(fake.count('chat')).toBe(7);
  });

  it('summarises 1d/7d/30d/90d with breakdowns and a filled daily series', async () => {
    const fresh = 'u';
    await t.core.call('workspace.create', { name: fresh });
    await t.core.call('policies.set', { workspace: fresh, yaml: testPolicy({ fallback: ['main'] }) });
    const base = now;
    const at = async (daysAgo: number, useCase: string, tokens: number): Promise<void> => {
      now = new Date(base.getTime() - daysAgo * day);
      fake.enqueue('chat', { text: '', usage: { prompt_tokens: tokens, completion_tokens: 0 } });
      await t.core.services.gateway.chat(meta(fresh, useCase), ask(`${useCase} ${daysAgo} ${'padding '.repeat(200)}`));
    };
    await at(40, 'coaching', 1_000);
    await at(10, 'coaching', 1_000);
    await at(3, 'copilot.chat', 500);
    await at(0, 'copilot.chat', 250);
    await at(0, 'persona.ticket_analyst', 250);
    now = base;
    const d1 = await t.core.call('usage.summary', { workspace: fresh, range: '1d' });
    expect(d1.totals).toMatchObject({ calls: 2, ok: 2, tokensIn: 500, costUsd: 1 });
    expect(d1.daily).toHaveLength(1);
    const d7 = await t.core.call('usage.summary', { workspace: fresh, range: '7d' });
    expect(d7.totals).toMatchObject({ calls: 3, tokensIn: 1_000, costUsd: 2 });
    expect(d7.daily).toHaveLength(7);
    expect(d7.daily.filter((d) => d.calls > 0).map((d) => d.calls)).toEqual([1, 2]);
    expect(d7.byUseCase).toEqual([expect.objectContaining({ key: 'copilot.chat', calls: 2, costUsd: 1.5 }), expect.objectContaining({ key: 'persona.ticket_analyst', calls: 1, costUsd: 0.5 })]);
    const d30 = await t.core.call('usage.summary', { workspace: fresh, range: '30d' });
    expect(d30.totals.calls).toBe(4);
    expect(d30.byModel).toEqual([expect.objectContaining({ key: 'fake-chat', calls: 4 })]);
    expect(d30.byProvider).toEqual([expect.objectContaining({ key: 'openai-compatible', calls: 4 })]);
    expect(d30.byEndpoint).toEqual([expect.objectContaining({ key: 'main', calls: 4 })]);
    const d90 = await t.core.call('usage.summary', { workspace: fresh, range: '90d' });
    expect(d90.totals).toMatchObject({ calls: 5, costUsd: 6 });
    expect(d90.daily).toHaveLength(90);
    expect(d90.from).toBe(new Date(base.getTime() - 89 * day).toISOString().slice(0, 10));
  });

  it('lists calls newest first with filters and the profile name', async () => {
    const all = await t.core.call('usage.list', { workspace: 'w', limit: 3 });
    expect(all.rows).toHaveLength(3);
    expect(all.total).toBeGreaterThan(3);
    const embeds = await t.core.call('usage.list', { workspace: 'w', useCase: 'embeddings' });
    expect(embeds.rows.every((r) => r.useCase === 'embeddings')).toBe(true);
    const mine = await t.core.call('gateway.ask', { workspace: 'w', useCase: 'coaching', prompt: 'from the contract' });
    const row = (await t.core.call('usage.list', { workspace: 'w', limit: 1 })).rows[0]!;
    expect(row).toMatchObject({ id: mine.usageId, profileId: t.core.activeProfile().id, profileName: t.core.activeProfile().name, subject: 'playground' });
  });

  it('the price table is validated with line numbers; a dry run saves nothing', async () => {
    const bad = 'version: 1\nmodels:\n  fake-chat: { input: 2 }\n  other: { inptu: 3 }\n';
    const dry = await t.core.call('prices.set', { yaml: bad, dryRun: true });
    expect(dry.ok).toBe(false);
    expect(dry.issues[0]).toMatchObject({ line: 4, path: 'models.other.inptu' });
    const e = await rejection(t.core.invoke('prices.set', { yaml: bad }));
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/^The price table was not saved: line 4/);
    const state = await t.core.call('prices.get', {});
    expect(state.source).toBe('custom');
    expect(state.models.find((m) => m.match === 'fake-chat')).toMatchObject({ input: 2000, cachedInput: 1000, output: 4000 });
  });

  it('announces new usage once per burst of calls, naming the workspace', async () => {
    await t.core.call('workspace.create', { name: 'live' });
    await t.core.call('policies.set', { workspace: 'live', yaml: testPolicy({ fallback: ['main'] }) });
    const seen: string[] = [];
    // Other tests' workspaces may still have a notice pending: only this one's count here.
    const off = t.core.events.on('usage.changed', (e) => e.workspace === 'live' && seen.push(e.workspace));
    try {
      await Promise.all([1, 2, 3].map((i) => t.core.services.gateway.chat(meta('live'), ask(`burst ${i}`))));
      expect(seen).toEqual([]);
      await expect.poll(() => seen, { timeout: 3_000, interval: 50 }).toEqual(['live']);
      // Quiet afterwards: the three calls made one notice.
      await new Promise((r) => setTimeout(r, 1_200));
      expect(seen).toEqual(['live']);
    } finally {
      off();
    }
  });
});
