import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/shared/errors';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';
import { ask, meta, rejection, testPolicy, usageRows } from '../../../fixtures/gateway';

/** $0.001 per token in and out for fake-chat, ten times that for fake-chat-large. */
const PRICES = `version: 1
models:
  fake-chat: { input: 1000, output: 1000 }
  fake-chat-large: { input: 10000, output: 10000 }
`;
const MAX_TOKENS = 64;

describe('budgets', () => {
  let t: TestCore;
  let a: FakeOpenAI;
  let b: FakeOpenAI;
  let clock = new Date('2026-03-10T12:00:00Z');
  /** What the gateway will estimate for ask('x'): input tokens plus max_tokens. */
  let perCall: { tokens: number; usd: number };

  const policy = (budgets: string, useCases = ''): Promise<unknown> => t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ budgets, useCases }) });

  beforeAll(async () => {
    t = makeTestCore({ clock: { now: () => clock } });
    [a, b] = await Promise.all([startFakeOpenAI({ latencyMs: 30 }), startFakeOpenAI()]);
    await t.core.call('workspace.create', { name: 'w' });
    await t.core.call('providers.add', { name: 'a', kind: 'openai-compatible', baseUrl: a.url, model: 'fake-chat', role: 'primary' });
    await t.core.call('providers.add', { name: 'b', kind: 'openai-compatible', baseUrl: b.url, model: 'fake-chat-large', role: 'secondary' });
    await t.core.call('prices.set', { yaml: PRICES });
    const inputTokens = t.core.services.gateway.tokens.messages(ask('x').messages, 'openai-compatible');
    perCall = { tokens: inputTokens + MAX_TOKENS, usd: (inputTokens + MAX_TOKENS) * 0.001 };
    // The provider reports exactly what was estimated: actual spend equals the reservation (the tightest case).
    a.handle('chat', () => ({ text: 'fine', usage: { prompt_tokens: inputTokens, completion_tokens: MAX_TOKENS } }));
  });
  afterAll(async () => {
    await t.cleanup();
    await Promise.all([a.close(), b.close()]);
  });
  beforeEach(() => {
    // Each test runs on a fresh UTC day, so counters start at zero.
    clock = new Date(clock.getTime() + 86_400_000);
  });

  it('50 concurrent calls against a tight daily budget never overspend; the rest are refused with budget_exceeded', async () => {
    const limit = 0.5;
    await policy(`  workspace_daily: { usd: ${limit} }`);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => t.core.services.gateway.chat(meta(), ask('x'))));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok.length).toBe(Math.floor(limit / perCall.usd + 1e-9));
    expect(ok.length + refused.length).toBe(50);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(AppError);
      expect((r.reason as AppError).code).toBe('budget_exceeded');
      expect((r.reason as AppError).message).toMatch(/workspace daily budget of \$0\.50 would be exceeded: \$0\.\d+ remains today/);
    }
    const rows = (await usageRows(t.core)).filter((r) => r.at.startsWith(clock.toISOString().slice(0, 10)));
    const spent = rows.filter((r) => r.status === 'ok').reduce((s, r) => s + r.costUsd, 0);
    expect(spent).toBeLessThanOrEqual(limit);
    expect(spent).toBeCloseTo(ok.length * perCall.usd, 9);
    expect(rows.filter((r) => r.status === 'refused' && r.errorCode === 'budget_exceeded')).toHaveLength(refused.length);
    const budget = await t.core.call('budgets.get', { workspace: 'w' });
    expect(budget.workspaceDaily.spent.usd).toBeCloseTo(spent, 6);
    expect(budget.workspaceDaily.remaining.usd).toBeCloseTo(limit - spent, 6);
  });

  it('a reservation is settled to the actual cost, freeing what was not used', async () => {
    await policy(`  workspace_daily: { usd: ${(perCall.usd * 1.5).toFixed(6)} }`);
    // The first call uses far less than it reserved, so a second call fits afterwards.
    a.enqueue('chat', { text: 'short', usage: { prompt_tokens: 1, completion_tokens: 1 } });
    await t.core.services.gateway.chat(meta(), ask('x'));
    const after = await t.core.call('budgets.get', { workspace: 'w' });
    expect(after.workspaceDaily.spent).toEqual({ usd: 0.002, tokens: 2 });
    expect((await t.core.services.gateway.chat(meta(), ask('x'))).costUsd).toBeCloseTo(perCall.usd, 9);
    const e = await rejection(t.core.services.gateway.chat(meta(), ask('x')));
    expect(e.code).toBe('budget_exceeded');
  });

  it('settlement is written behind the answer: the reservation holds until the next turn, then the row is final', async () => {
    await policy('');
    a.enqueue('chat', { text: 'cheap', usage: { prompt_tokens: 1, completion_tokens: 1 } });
    const r = await t.core.services.gateway.chat(meta(), ask('x'));
    const db = t.core.services.workspaces.open('w');
    const row = () => db.prepare('SELECT status, cost_usd AS cost FROM gateway_usage WHERE id = ?').get(r.usageId) as { status: string; cost: number };
    const counter = () => (db.prepare("SELECT usd FROM gateway_budget_counters WHERE day = ? AND scope = 'workspace'").get(clock.toISOString().slice(0, 10)) as { usd: number }).usd;
    // Still reserved: counters hold the (higher) estimate, so checks in between err on the safe side.
    expect(row().status).toBe('pending');
    expect(counter()).toBeCloseTo(perCall.usd, 9);
    await new Promise((resolve) => setImmediate(resolve));
    expect(row()).toEqual({ status: 'ok', cost: 0.002 });
    expect(counter()).toBeCloseTo(0.002, 9);
  });

  it('the per-request limit refuses a call whose estimate is above it, before any request is sent', async () => {
    await policy('  per_request: { usd: 0.01 }');
    const before = a.count('chat');
    const e = await rejection(t.core.services.gateway.chat(meta(), ask('x')));
    expect(e.code).toBe('budget_exceeded');
    expect(e.message).toMatch(/^This call could cost up to \$0\.0\d+, above the per-request limit of \$0\.01/);
    expect(e.details).toMatchObject({ limit: 'per-request limit', limitUsd: 0.01 });
    expect(a.count('chat')).toBe(before);
    expect((await usageRows(t.core))[0]).toMatchObject({ status: 'refused', errorCode: 'budget_exceeded', costUsd: 0 });
  });

  it('per-user daily limits count each profile separately', async () => {
    await policy(`  per_user_daily: { usd: ${(perCall.usd * 1.5).toFixed(6)} }`);
    await t.core.services.gateway.chat(meta('w', 'copilot.chat', 'p1'), ask('x'));
    const e = await rejection(t.core.services.gateway.chat(meta('w', 'copilot.chat', 'p1'), ask('x')));
    expect(e.code).toBe('budget_exceeded');
    expect(e.message).toMatch(/per-user daily budget/);
    await expect(t.core.services.gateway.chat(meta('w', 'copilot.chat', 'p2'), ask('x'))).resolves.toMatchObject({ endpoint: 'a' });
  });

  it('a use case daily limit applies to that use case only; token limits work like USD limits', async () => {
    await policy('', `  copilot.chat:\n    budget: { daily: { tokens: ${perCall.tokens + 10} } }`);
    await t.core.services.gateway.chat(meta('w', 'copilot.chat'), ask('x'));
    const e = await rejection(t.core.services.gateway.chat(meta('w', 'copilot.chat'), ask('x')));
    expect(e.code).toBe('budget_exceeded');
    expect(e.message).toMatch(new RegExp(`daily budget of copilot\\.chat of ${perCall.tokens + 10} tokens would be exceeded: 10 tokens remain today`));
    await expect(t.core.services.gateway.chat(meta('w', 'coaching'), ask('x'))).resolves.toBeTruthy();
    const state = await t.core.call('budgets.get', { workspace: 'w' });
    expect(state.useCases.find((u) => u.useCase === 'copilot.chat')).toMatchObject({ daily: { limit: { tokens: perCall.tokens + 10 }, spent: { tokens: perCall.tokens } } });
  });

  it('a fallback to a pricier model re-reserves, and is refused if that no longer fits', async () => {
    await policy(`  workspace_daily: { usd: ${(perCall.usd * 3).toFixed(6)} }`);
    a.enqueue('chat', { status: 500 });
    const e = await rejection(t.core.services.gateway.chat(meta(), ask('x')));
    expect(e.code).toBe('budget_exceeded');
    expect(b.count('chat')).toBe(0);
    expect((await usageRows(t.core))[0]).toMatchObject({ status: 'refused', attempts: 1, endpoint: 'a' });
    // Nothing stays reserved after the refusal.
    expect((await t.core.call('budgets.get', { workspace: 'w' })).workspaceDaily.spent).toEqual({ usd: 0, tokens: 0 });
  });

  it('counters are per UTC day: tomorrow the budget is fresh', async () => {
    await policy(`  workspace_daily: { usd: ${(perCall.usd * 1.2).toFixed(6)} }`);
    await t.core.services.gateway.chat(meta(), ask('x'));
    expect((await rejection(t.core.services.gateway.chat(meta(), ask('x')))).code).toBe('budget_exceeded');
    clock = new Date(clock.getTime() + 86_400_000);
    await expect(t.core.services.gateway.chat(meta(), ask('x'))).resolves.toBeTruthy();
  });

  it('budgets.set edits the limits inside the YAML document and keeps its comments', async () => {
    const yaml = `${testPolicy({ budgets: '  # keep this comment\n  per_request: { usd: 1 }' })}\n  # a comment about coaching\n  coaching:\n    temperature: 0.4\n`;
    await t.core.call('policies.set', { workspace: 'w', yaml });
    const state = await t.core.call('budgets.set', { workspace: 'w', workspaceDaily: { usd: 12.5 }, perRequest: null, useCases: { coaching: { daily: { usd: 2 } } } });
    expect(state.workspaceDaily.limit).toEqual({ usd: 12.5 });
    expect(state.perRequest).toBeNull();
    expect(state.useCases.find((u) => u.useCase === 'coaching')?.daily.limit).toEqual({ usd: 2 });
    const doc = (await t.core.call('policies.get', { workspace: 'w' })).yaml;
    expect(doc).toContain('# keep this comment');
    expect(doc).toContain('# a comment about coaching');
    expect(doc).toMatch(/workspace_daily: \{ usd: 12\.5 \}/);
    expect(doc).not.toMatch(/per_request/);
    expect(doc).toMatch(/coaching:\n {4}temperature: 0\.4\n {4}budget:\n {6}daily: \{ usd: 2 \}/);
  });

  it('only admins change budgets', async () => {
    const member = await t.core.call('profiles.create', { name: 'Budget Member', role: 'member' });
    const e = await rejection(t.core.invoke('budgets.set', { workspace: 'w', workspaceDaily: { usd: 1000 } }, { profileId: member.id }));
    expect(e.code).toBe('forbidden');
    await expect(t.core.invoke('budgets.get', { workspace: 'w' }, { profileId: member.id })).resolves.toBeTruthy();
  });
});
