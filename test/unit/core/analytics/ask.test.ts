import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EVAL_QUESTIONS } from '../../../../src/main/core/analytics/eval/questions';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { fencedJson, startFakeOpenAI, type FakeOpenAI, type FakeRequest } from '../../../fixtures/fakeOpenAI';
import { testPolicy } from '../../../fixtures/gateway';

/**
 * analytics.ask and analytics.eval through the real gateway and the fake OpenAI-compatible server, whose answers
 * are scripted: these check the harness (validation, repair, fallback, history, accuracy counting), not a model.
 */
const ANCHOR = '2026-06-15';

const lastUser = (req: FakeRequest): string => {
  const msgs = req.body.messages as { role: string; content: string }[];
  return [...msgs].reverse().find((m) => m.role === 'user')!.content;
};

describe('analytics.ask with a scripted model', () => {
  let t: TestCore;
  let fake: FakeOpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = makeTestCore();
    const { jobId } = await t.core.call('workspace.create', { name: 'demo', demo: { scale: 0.2, seed: 3, anchorDate: ANCHOR } });
    expect((await t.core.services.jobs.waitFor(jobId!)).status).toBe('completed');
    // A workspace without a provider's policy chain would still reach @primary; a second workspace keeps no-model checks honest.
    await t.core.call('workspace.create', { name: 'empty' });
  });
  afterAll(async () => {
    await t.cleanup();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('falls back to the built-in patterns when no model is configured, and says so', async () => {
    const r = await t.core.call('analytics.ask', { workspace: 'demo', question: 'win rate by owner last quarter' });
    expect(r.method).toBe('patterns');
    expect(r.pattern).toContain('measure: win_rate');
    expect(r.warnings.join(' ')).toMatch(/No model is configured/);
    expect(r.chart.kind).toBe('bar');
    const direct = await t.core.call('analytics.query', { workspace: 'demo', spec: { measures: ['win_rate'], dimensions: ['owner'], timeRange: { preset: 'last_quarter' } } });
    expect(r.result.rows).toEqual(direct.rows);
    await expect(t.core.call('analytics.ask', { workspace: 'demo', question: 'win rate by owner', mode: 'model' })).rejects.toMatchObject({ code: 'unavailable' });
    await expect(t.core.call('analytics.ask', { workspace: 'demo', question: 'what is the meaning of life' })).rejects.toMatchObject({ code: 'validation', details: { reason: 'no_pattern' } });
  });

  describe('with a provider', () => {
    beforeAll(async () => {
      await t.core.call('providers.add', { name: 'fake', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', role: 'primary' });
      await t.core.call('policies.set', { workspace: 'demo', yaml: testPolicy({ retries: 0, timeoutMs: 5_000 }) });
    });

    it('runs the spec the model returns, under the analytics.ask use case, with every number from the result', async () => {
      fake.enqueue('chat', fencedJson({ measures: ['ticket_volume'], dimensions: ['priority'], timeRange: { preset: 'last_90_days' } }));
      const r = await t.core.call('analytics.ask', { workspace: 'demo', question: 'How are tickets split across priorities lately?', mode: 'model' });
      expect(r.method).toBe('model');
      expect(r.model).toMatchObject({ endpoint: 'fake', attempts: 1 });
      expect(r.spec).toMatchObject({ measures: ['ticket_volume'], dimensions: ['priority'], timeRange: { preset: 'last_90_days' } });
      const req = fake.requests.find((x) => x.route === 'chat')!;
      const system = (req.body.messages as { role: string; content: string }[])[0]!.content;
      expect(system).toContain('win_rate');
      expect(lastUser(req)).toContain(`Reference day (today for relative periods): ${ANCHOR}`);
      expect(JSON.stringify(req.body.response_format)).toContain('analytics_query_spec');
      // Every number in the summary appears in the result's figures as formatted.
      const total = r.result.totals.ticket_volume as number;
      expect(r.summary).toContain(`${total.toLocaleString('en-GB')} tickets`);
      const usage = await t.core.call('usage.list', { workspace: 'demo', limit: 5 });
      expect(usage.rows[0]).toMatchObject({ useCase: 'analytics.ask' });
    });

    it('repairs an answer naming an unknown measure once, telling the model the valid names nearest first', async () => {
      fake.enqueue('chat', { text: JSON.stringify({ measures: ['winrate'], dimensions: ['owner'] }) }, { text: JSON.stringify({ measures: ['win_rate'], dimensions: ['owner'], timeRange: 'last_quarter' }) });
      const r = await t.core.call('analytics.ask', { workspace: 'demo', question: 'win rate by owner last quarter', mode: 'model' });
      expect(r.method).toBe('model');
      expect(r.model?.attempts).toBe(2);
      expect(r.spec.timeRange).toEqual({ preset: 'last_quarter' });
      expect(r.warnings.join(' ')).toMatch(/asked again/);
      const second = fake.requests.filter((x) => x.route === 'chat')[1]!;
      expect(lastUser(second)).toMatch(/measures\.0/);
      fake.enqueue('chat', { text: JSON.stringify({ measures: ['csat'], dimensions: ['stage'] }) }, { text: JSON.stringify({ measures: ['csat'], dimensions: ['agent'] }) });
      const r2 = await t.core.call('analytics.ask', { workspace: 'demo', question: 'csat by agent', mode: 'model' });
      expect(r2.spec.dimensions).toEqual(['agent']);
      const repair = lastUser(fake.requests.filter((x) => x.route === 'chat')[3]!);
      expect(repair).toMatch(/cannot be broken down by "stage"/);
      expect(repair).toMatch(/Valid names, nearest first: /);
    });

    it('refuses after a second unusable answer (model mode) and falls back to the patterns (auto mode)', async () => {
      const bad = { text: JSON.stringify({ measures: ['revenue_magic'] }) };
      fake.enqueue('chat', bad, bad);
      await expect(t.core.call('analytics.ask', { workspace: 'demo', question: 'open tickets by priority', mode: 'model' })).rejects.toMatchObject({ code: 'provider_error' });
      fake.enqueue('chat', bad, bad);
      const r = await t.core.call('analytics.ask', { workspace: 'demo', question: 'open tickets by priority' });
      expect(r.method).toBe('patterns');
      expect(r.spec).toMatchObject({ measures: ['open_tickets'], dimensions: ['priority'] });
      expect(r.warnings.join(' ')).toMatch(/built-in question patterns answered/);
    });

    it('never asks the model in patterns mode', async () => {
      const r = await t.core.call('analytics.ask', { workspace: 'demo', question: 'pipeline value by stage', mode: 'patterns' });
      expect(r.method).toBe('patterns');
      expect(fake.count('chat')).toBe(0);
    });

    it('keeps a question history per profile, newest first', async () => {
      const other = await t.core.call('profiles.create', { name: 'Bea' });
      await t.core.call('analytics.history.clear', { workspace: 'demo' });
      await t.core.call('analytics.ask', { workspace: 'demo', question: 'csat by agent', mode: 'patterns' });
      await t.core.call('analytics.ask', { workspace: 'demo', question: 'open tickets by priority', mode: 'patterns' });
      await t.core.call('analytics.ask', { workspace: 'demo', question: 'nps by region', mode: 'patterns' }, { profileId: other.id });
      const mine = await t.core.call('analytics.history.list', { workspace: 'demo' });
      expect(mine.items.map((i) => i.question)).toEqual(['open tickets by priority', 'csat by agent']);
      expect(mine.items[0]!.spec).toMatchObject({ measures: ['open_tickets'] });
      const theirs = await t.core.call('analytics.history.list', { workspace: 'demo' }, { profileId: other.id });
      expect(theirs.items.map((i) => i.question)).toEqual(['nps by region']);
      expect(await t.core.call('analytics.history.clear', { workspace: 'demo' })).toEqual({ removed: 2 });
    });

    it('eval counts exact-result accuracy over the scripted answers', async () => {
      // Right answers for every question except every fifth, which gets a plausible but different spec.
      const byQuestion = new Map(EVAL_QUESTIONS.map((q, i) => [q.question, { q, wrong: i % 5 === 4 }]));
      fake.handle('chat', (req) => {
        const text = lastUser(req);
        const hit = [...byQuestion.entries()].find(([question]) => text.includes(question));
        if (!hit) return { text: '{}' };
        const { q, wrong } = hit[1];
        const spec = wrong ? { ...q.expected, measures: [q.expected.measures[0] === 'ticket_volume' ? 'csat' : 'ticket_volume'], dimensions: [], grain: undefined } : q.expected;
        return { text: JSON.stringify(spec) };
      });
      const r = await t.core.call('analytics.eval', { workspace: 'demo', mode: 'model' });
      expect(EVAL_QUESTIONS.length).toBeGreaterThanOrEqual(60);
      expect(r.total).toBe(EVAL_QUESTIONS.length);
      const wrong = EVAL_QUESTIONS.filter((_, i) => i % 5 === 4).length;
      expect(r.correct).toBe(EVAL_QUESTIONS.length - wrong);
      expect(r.accuracy).toBeCloseTo((EVAL_QUESTIONS.length - wrong) / EVAL_QUESTIONS.length, 10);
      expect(r.byMethod.model).toBe(EVAL_QUESTIONS.length);
      expect(r.items.filter((i) => !i.ok).map((i) => i.question)).toEqual(EVAL_QUESTIONS.filter((_, i) => i % 5 === 4).map((q) => q.question));
    });

    it('the built-in patterns answer most of the evaluation set on their own', async () => {
      const r = await t.core.call('analytics.eval', { workspace: 'demo', mode: 'patterns' });
      expect(r.byMethod.patterns).toBe(r.total);
      // A floor, so a regression in the patterns shows; the exact figure is in the README.
      expect(r.accuracy).toBeGreaterThanOrEqual(0.9);
    });
  });
});

describe('Dashboard KPI tiles', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = makeTestCore();
    const { jobId } = await t.core.call('workspace.create', { name: 'demo', demo: { scale: 0.2, seed: 3, anchorDate: ANCHOR } });
    expect((await t.core.services.jobs.waitFor(jobId!)).status).toBe('completed');
  });
  afterAll(async () => t.cleanup());

  it('shows the default tiles with the previous period, and the admin picks others', async () => {
    const d = await t.core.call('analytics.tiles', { workspace: 'demo' });
    expect(d.measures).toEqual(['open_tickets', 'sla_breach_rate', 'pipeline_value', 'win_rate', 'csat', 'renewals_due']);
    for (const tile of d.tiles) {
      expect(tile.chart.kind).toBe('kpi');
      const direct = await t.core.call('analytics.query', { workspace: 'demo', spec: { measures: [tile.measure], timeRange: { preset: 'last_30_days' }, compare: true } });
      expect(tile.value).toBe(direct.totals[tile.measure]);
      expect(tile.previous).toBe(direct.previousTotals![tile.measure]);
    }
    await expect(t.core.call('analytics.tiles.set', { measures: ['csat', 'winrate'] })).rejects.toMatchObject({ code: 'validation', details: { reason: 'unknown_measure' } });
    await t.core.call('analytics.tiles.set', { measures: ['nps', 'csat'] });
    expect((await t.core.call('analytics.tiles', { workspace: 'demo' })).tiles.map((x) => x.measure)).toEqual(['nps', 'csat']);
    const member = await t.core.call('profiles.create', { name: 'Member' });
    await expect(t.core.call('analytics.tiles.set', { measures: ['csat'] }, { profileId: member.id })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
