import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TimerFn } from '../../../src/main/core/gateway/callRunner';
import { GatewayService } from '../../../src/main/core/gateway/gatewayService';
import type { ProviderAdapter } from '../../../src/main/core/gateway/types';
import { guardUsage, maxOutputFor } from '../../../src/main/core/gateway/usageGuard';
import { silentLogger } from '../../../src/main/core/logger';
import { memoryCipher } from '../../../src/main/core/secrets/keyFile';
import { makeTestCore, type TestCore } from '../../fixtures/core';
import { finish, makeEngineCore } from '../../fixtures/engineCore';
import { fencedJson, startFakeOpenAI, type FakeOpenAI } from '../../fixtures/fakeOpenAI';
import { ask, meta, rejection, testPolicy, usageRows } from '../../fixtures/gateway';

/**
 * The provider-fault suite (issue 13 §2, §4; ADR 0091): a provider that lies about usage, breaks off, hangs,
 * trickles, floods or echoes the key. Each case asserts a recorded outcome on the usage row and intact budgets:
 * the day's counters equal what the rows say, finite and never negative. No case waits on the clock: call
 * deadlines run on a manual timer fired when the fake server reports progress.
 */

/** A deadline timer the test fires by hand. */
function manualTimers() {
  const pending = new Set<{ fn: () => void; ms: number }>();
  const timer: TimerFn = (fn, ms) => {
    const e = { fn, ms };
    pending.add(e);
    return () => pending.delete(e);
  };
  return {
    timer,
    armed: () => [...pending].map((e) => e.ms),
    fire() {
      const all = [...pending];
      pending.clear();
      for (const e of all) e.fn();
    },
  };
}

const MAX_TOKENS = 64;
const KEY = 'sk-fault-suite-SECRET-0123456789abcdef';

describe('provider faults against the gateway', () => {
  let t: TestCore;
  let fake: FakeOpenAI;
  let locked: FakeOpenAI;
  let clock: ReturnType<typeof manualTimers>;
  let gateway: GatewayService;

  // A generous per-attempt timeout: no case here depends on it (deadlines are fired by hand), and a busy machine
  // must not turn a slow first call into a timeout.
  const policy = (opts: Parameters<typeof testPolicy>[0] = {}) => t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['main'], timeoutMs: 60_000, ...opts }) });
  const latest = async () => {
    gateway.flush();
    return (await usageRows(t.core))[0]!;
  };

  /** The invariant every fault must keep: counters finite, non-negative and equal to the sum of the day's rows. */
  async function expectBudgetsIntact(): Promise<void> {
    gateway.flush();
    const b = await t.core.call('budgets.get', { workspace: 'w' });
    const rows = (await usageRows(t.core)).filter((r) => r.status !== 'refused' && r.status !== 'cached' && r.status !== 'pending');
    const tokens = rows.reduce((n, r) => n + r.tokensIn + r.tokensOut, 0);
    const usd = rows.reduce((n, r) => n + r.costUsd, 0);
    for (const v of [b.workspaceDaily.spent.tokens, b.workspaceDaily.spent.usd]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(b.workspaceDaily.spent.tokens).toBe(tokens);
    expect(b.workspaceDaily.spent.usd).toBeCloseTo(usd, 6);
    // The raw counters too, per scope: nothing non-finite or negative was written.
    const db = t.core.services.workspaces.open('w');
    const bad = db.prepare("SELECT count(*) AS n FROM gateway_budget_counters WHERE NOT (tokens >= 0 AND tokens < 1e15 AND usd >= 0 AND usd < 1e15)").get() as { n: number };
    expect(bad.n).toBe(0);
  }

  beforeAll(async () => {
    t = makeTestCore();
    [fake, locked] = await Promise.all([startFakeOpenAI(), startFakeOpenAI({ apiKey: 'sk-the-server-wants-another' })]);
    await t.core.call('workspace.create', { name: 'w' });
    await t.core.call('providers.add', { name: 'main', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', role: 'primary' });
    await t.core.call('providers.add', { name: 'locked', kind: 'openai-compatible', baseUrl: locked.url, model: 'fake-chat', apiKey: KEY, role: 'standby' });
    await t.core.call('prices.set', { yaml: 'version: 1\nmodels:\n  fake-chat: { input: 1000, output: 2000 }\n' });
  });
  afterAll(async () => {
    await gateway?.dispose();
    await t.cleanup();
    await Promise.all([fake.close(), locked.close()]);
  });
  beforeEach(async () => {
    fake.reset();
    locked.reset();
    await gateway?.dispose();
    clock = manualTimers();
    gateway = new GatewayService({
      appDb: t.core.services.appDb,
      workspaces: t.core.services.workspaces,
      secrets: memoryCipher,
      logger: silentLogger,
      now: () => new Date(),
      random: () => 1,
      sleep: async () => undefined,
      deadlineTimer: clock.timer,
    });
    await policy();
  });

  describe('reported usage is untrusted', () => {
    it('negative counts are replaced by the estimate, flagged, and cannot switch a budget off', async () => {
      await t.core.call('budgets.set', { workspace: 'w', workspaceDaily: { tokens: 5_000 } });
      fake.enqueue('chat', { text: 'fine', usage: { prompt_tokens: -1_000_000, completion_tokens: -5 } });
      const r = await gateway.chat(meta(), ask('negative usage please'));
      expect(r.usage.inputTokens).toBeGreaterThan(0);
      expect(r.usage.outputTokens).toBeGreaterThan(0);
      expect(r.costUsd).toBeGreaterThan(0);
      const row = await latest();
      expect(row).toMatchObject({ status: 'ok', tokensIn: r.usage.inputTokens, tokensOut: r.usage.outputTokens });
      expect(row.anomaly).toMatch(/input tokens reported as -1000000/);
      expect(row.anomaly).toMatch(/output tokens reported as -5/);
      await expectBudgetsIntact();
      // The budget still holds: a call whose reservation passes the limit is refused.
      const e = await rejection(gateway.chat(meta(), { ...ask('too big'), maxTokens: 6_000 }));
      expect(e.code).toBe('budget_exceeded');
      await t.core.call('budgets.set', { workspace: 'w', workspaceDaily: null });
    });

    it('1e999 (Infinity) is not a count: the call succeeds, its row is finite, and every reader keeps working', async () => {
      fake.enqueue('chat', { text: 'infinite', usageJson: '{"prompt_tokens":1e999,"completion_tokens":1e999,"total_tokens":1e999}' });
      const r = await gateway.chat(meta(), ask('infinity'));
      expect(r.text).toBe('infinite');
      expect(Number.isFinite(r.costUsd)).toBe(true);
      const row = await latest();
      expect(row.status).toBe('ok');
      expect(row.tokensOut).toBeLessThanOrEqual(maxOutputFor({ estimatedInput: 0, maxOutput: MAX_TOKENS }));
      expect(row.anomaly).toMatch(/reported as Infinity/);
      const s = await t.core.call('usage.summary', { workspace: 'w', range: '1d' });
      expect(Number.isFinite(s.totals.costUsd)).toBe(true);
      await expectBudgetsIntact();
    });

    it('the same holds for a streamed answer', async () => {
      fake.enqueue('chat', { text: 'streamed', usageJson: '{"prompt_tokens":-3,"completion_tokens":1e999,"total_tokens":0}' });
      let text = '';
      for await (const ev of gateway.streamChat(meta(), ask('stream infinity'))) if (ev.type === 'delta') text += ev.text;
      expect(text).toBe('streamed');
      const row = await latest();
      expect(row).toMatchObject({ status: 'ok', operation: 'stream' });
      expect(row.anomaly).toMatch(/output tokens reported as Infinity/);
      await expectBudgetsIntact();
    });

    it('inflated output (500k tokens for max_tokens 64) is clamped to the cap plus a margin', async () => {
      fake.enqueue('chat', { text: 'short', usage: { prompt_tokens: 5, completion_tokens: 500_000 } });
      await gateway.chat(meta(), ask('inflate me'));
      const row = await latest();
      expect(row.tokensOut).toBe(maxOutputFor({ estimatedInput: 0, maxOutput: MAX_TOKENS }));
      expect(row.anomaly).toMatch(/output tokens reported as 500000, above \d+ for max_tokens 64; clamped/);
      await expectBudgetsIntact();
    });

    it('inflated input (a million tokens for a five-word prompt) is clamped to the estimate times a margin', async () => {
      fake.enqueue('chat', { text: 'short', usage: { prompt_tokens: 1_000_000, completion_tokens: 2 } });
      await gateway.chat(meta(), ask('a five word prompt here'));
      const row = await latest();
      expect(row.tokensIn).toBeLessThan(2_000);
      expect(row.anomaly).toMatch(/input tokens reported as 1000000, above \d+ for what was sent; clamped/);
      await expectBudgetsIntact();
    });

    it('a plausible report passes untouched', async () => {
      fake.enqueue('chat', { text: 'honest', usage: { prompt_tokens: 7, completion_tokens: 3 } });
      await gateway.chat(meta(), ask('an honest provider'));
      expect(await latest()).toMatchObject({ tokensIn: 7, tokensOut: 3, anomaly: null });
    });

    it('local models that report no tokens are counted with the local tokenizer', async () => {
      await t.core.call('providers.add', { name: 'offline', kind: 'local', modelPath: '/models/tiny.gguf', model: 'tiny' });
      const local: ProviderAdapter = {
        kind: 'local',
        capabilities: { streaming: true, structuredOutput: 'native', tools: false, embeddings: false, transcription: false },
        chat: async (req) => ({ text: 'an offline answer of several words', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0 }, model: req.model }),
        streamChat: async function* () {},
        listModels: async () => [{ id: 'tiny', kind: 'chat' }],
        countTokens: () => 12,
      };
      gateway.setLocalAdapterFactory(() => local);
      await policy({ fallback: ['offline'] });
      await gateway.chat(meta(), ask('count me'));
      const row = await latest();
      expect(row).toMatchObject({ status: 'ok', providerKind: 'local', tokensIn: 12 });
      expect(row.tokensOut).toBeGreaterThan(0);
      gateway.setLocalAdapterFactory(null);
      await t.core.call('providers.remove', { name: 'offline' });
    });

    it('guardUsage: every non-count is corrected, and the notes say how', () => {
      const b = { estimatedInput: 10, maxOutput: 100, estimatedOutput: 4 };
      expect(guardUsage({ inputTokens: 10, outputTokens: 4, cachedTokens: 0 }, b)).toEqual({ usage: { inputTokens: 10, outputTokens: 4, cachedTokens: 0 }, anomaly: null });
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1, '12', null, undefined]) {
        const g = guardUsage({ inputTokens: bad, outputTokens: bad, cachedTokens: 0 }, b);
        expect(g.usage).toEqual({ inputTokens: 10, outputTokens: 4, cachedTokens: 0 });
        expect(g.anomaly).not.toBeNull();
      }
      expect(guardUsage({ inputTokens: 10, outputTokens: 4, cachedTokens: 50 }, b).usage.cachedTokens).toBe(10);
      expect(guardUsage({ inputTokens: 10.6, outputTokens: 3.2, cachedTokens: 0 }, b).usage).toEqual({ inputTokens: 11, outputTokens: 3, cachedTokens: 0 });
    });
  });

  describe('billed attempts', () => {
    it('an answer rejected for parsing and retried is two usage rows, both counted', async () => {
      await policy({ retries: 1 });
      fake.enqueue('chat', { text: 'not json at all', usage: { prompt_tokens: 20, completion_tokens: 5 } }, { ...fencedJson({ verdict: 'ok' }), usage: { prompt_tokens: 21, completion_tokens: 6 } });
      const schema = { type: 'object', properties: { verdict: { type: 'string' } }, required: ['verdict'], additionalProperties: false };
      const before = (await usageRows(t.core)).length;
      const r = await gateway.chat(meta(), { ...ask('judge'), responseSchema: { name: 'v', schema } });
      expect(JSON.parse(r.text)).toEqual({ verdict: 'ok' });
      gateway.flush();
      const rows = await usageRows(t.core);
      expect(rows.length - before).toBe(2);
      const ok = rows.find((r) => r.status === 'ok');
      const rejected = rows.find((r) => r.status === 'error' && r.tokensIn === 20);
      expect(ok).toMatchObject({ status: 'ok', tokensIn: 21, tokensOut: 6 });
      expect(rejected).toMatchObject({ status: 'error', errorCode: 'provider_error', tokensIn: 20, tokensOut: 5 });
      expect(rejected!.costUsd).toBeGreaterThan(0);
      expect(rejected!.errorMessage).toMatch(/not with the JSON/);
      await expectBudgetsIntact();
    });

    it('the last rejected answer is billed on the call row itself', async () => {
      fake.enqueue('chat', { text: 'still not json', usage: { prompt_tokens: 9, completion_tokens: 4 } });
      const schema = { type: 'object', properties: { verdict: { type: 'string' } }, required: ['verdict'] };
      const e = await rejection(gateway.chat(meta(), { ...ask('judge'), responseSchema: { name: 'v', schema } }));
      expect(e.code).toBe('provider_error');
      expect(await latest()).toMatchObject({ status: 'error', tokensIn: 9, tokensOut: 4 });
      await expectBudgetsIntact();
    });
  });

  describe('broken transports', () => {
    it('half a stream: a typed error, the partial output billed, budgets intact', async () => {
      fake.enqueue('chat', { cut: true, text: 'a partial answer that the connection drops somewhere in', afterChars: 24 });
      let got = '';
      const e = await rejection(async () => {
        for await (const ev of gateway.streamChat(meta(), ask('half'))) if (ev.type === 'delta') got += ev.text;
      });
      expect(got).toBe('a partial answer that th');
      expect(e.code).toBe('provider_error');
      const row = await latest();
      expect(row).toMatchObject({ status: 'error', operation: 'stream' });
      expect(row.tokensOut).toBeGreaterThan(0);
      await expectBudgetsIntact();
    });

    it('a reset: a network error, recorded, and the reservation released', async () => {
      fake.enqueue('chat', { reset: true });
      const e = await rejection(gateway.chat(meta(), ask('reset')));
      expect(e.code).toBe('provider_error');
      expect(await latest()).toMatchObject({ status: 'error', errorCode: 'provider_error', tokensIn: 0, tokensOut: 0 });
      await expectBudgetsIntact();
    });

    it('a hang ends at the call deadline (default 4 × timeout_ms), not never', async () => {
      await policy({ timeoutMs: 600_000 });
      fake.handle('chat', () => {
        // The request has arrived and will never be answered: now the deadline passes.
        queueMicrotask(() => clock.fire());
        return { hang: true };
      });
      const e = await rejection(gateway.chat(meta(), ask('hang')));
      expect(clock.armed()).toEqual([]);
      expect(e.message).toMatch(/did not finish within the call's deadline of 2400000 ms/);
      expect(await latest()).toMatchObject({ status: 'error', errorCode: 'provider_error' });
      await expectBudgetsIntact();
    });

    it('a trickle (one character at a time, forever) is stopped by deadline_ms, its output billed', async () => {
      await policy({ timeoutMs: 60_000, extra: '    deadline_ms: 5000' });
      let armed: number[] = [];
      fake.enqueue('chat', {
        trickle: true,
        intervalMs: 5,
        onChunk: (n) => {
          if (n !== 5) return;
          armed = clock.armed();
          clock.fire();
        },
      });
      let got = '';
      const e = await rejection(async () => {
        for await (const ev of gateway.streamChat(meta(), ask('trickle'))) if (ev.type === 'delta') got += ev.text;
      });
      expect(armed).toEqual([5000]);
      expect(got.length).toBeGreaterThanOrEqual(4);
      expect(e.message).toMatch(/deadline of 5000 ms/);
      const row = await latest();
      expect(row).toMatchObject({ status: 'error', operation: 'stream' });
      expect(row.tokensOut).toBeGreaterThan(0);
      await expectBudgetsIntact();
    });

    it('a huge answer (200k characters for max_tokens 64) is refused, and billed at no more than the cap', async () => {
      fake.enqueue('chat', { text: 'y'.repeat(200_000), usage: { prompt_tokens: 5, completion_tokens: 50_000 } });
      const e = await rejection(gateway.chat(meta(), ask('flood')));
      expect(e.message).toMatch(/answer of 200,000 characters/);
      const row = await latest();
      expect(row).toMatchObject({ status: 'error' });
      expect(row.tokensOut).toBeLessThanOrEqual(maxOutputFor({ estimatedInput: 0, maxOutput: MAX_TOKENS }));
      await expectBudgetsIntact();
    });

    it('a huge streamed answer is cut off at the cap', async () => {
      fake.enqueue('chat', { text: 'z'.repeat(200_000), chunkSize: 4096 });
      let got = 0;
      const e = await rejection(async () => {
        for await (const ev of gateway.streamChat(meta(), ask('flood stream'))) if (ev.type === 'delta') got += ev.text.length;
      });
      expect(got).toBeLessThanOrEqual(65_536);
      expect(e.message).toMatch(/the stream was stopped/);
      expect((await latest()).status).toBe('error');
      await expectBudgetsIntact();
    });

    it('a 401 whose body echoes the key: the key appears in no error, row or listing', async () => {
      await policy({ fallback: ['locked'] });
      const e = await rejection(gateway.chat(meta(), ask('who am i')));
      expect(locked.count('chat')).toBe(1);
      expect(e.message).toMatch(/answered 401/);
      expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(KEY);
      const row = await latest();
      expect(row).toMatchObject({ status: 'error', endpoint: 'locked' });
      expect(JSON.stringify(row)).not.toContain(KEY);
      expect(JSON.stringify(await t.core.call('providers.list', {}))).not.toContain(KEY);
      await expectBudgetsIntact();
    });
  });

  describe('rows already bad, and reservations left behind', () => {
    it('a row with Infinity and negative values written before the fix does not break any reader', async () => {
      const db = t.core.services.workspaces.open('w');
      const day = new Date().toISOString().slice(0, 10);
      db.prepare(
        `INSERT INTO gateway_usage (id, at, day, workspace, profile_id, use_case, operation, tokens_in, tokens_out, cost_usd, status)
         VALUES ('u-bad-1', ?, ?, 'w', 'p1', 'copilot.chat', 'chat', ?, ?, ?, 'ok')`,
      ).run(new Date().toISOString(), day, Number.POSITIVE_INFINITY, -500, Number.POSITIVE_INFINITY);
      db.prepare("UPDATE gateway_budget_counters SET tokens = ?, usd = ? WHERE day = ? AND scope = 'workspace'").run(Number.POSITIVE_INFINITY, -3, day);
      const list = await t.core.call('usage.list', { workspace: 'w', limit: 500 });
      const bad = list.rows.find((r) => r.id === 'u-bad-1')!;
      expect(bad).toMatchObject({ tokensIn: 0, tokensOut: 0, costUsd: 0 });
      expect(bad.anomaly).toMatch(/not a finite, non-negative number/);
      const s = await t.core.call('usage.summary', { workspace: 'w', range: '1d' });
      expect(Number.isFinite(s.totals.tokensIn) && Number.isFinite(s.totals.costUsd)).toBe(true);
      // The poisoned counter is rebuilt from the rows.
      await expectBudgetsIntact();
      db.prepare("DELETE FROM gateway_usage WHERE id = 'u-bad-1'").run();
    });

    it("a reservation whose process is gone is released by the next reader, and so is one past its lease", async () => {
      await t.core.call('budgets.set', { workspace: 'w', workspaceDaily: { tokens: 100_000 } });
      const db = t.core.services.workspaces.open('w');
      const ledger = gateway.ledger(db);
      // The three scopes every reserved call holds (CallRunner.limits).
      const limits = [
        { name: 'workspace daily budget', scope: 'workspace' as const, key: '*', limit: { tokens: 100_000 } },
        { name: 'per-user daily budget', scope: 'user' as const, key: 'p1', limit: undefined },
        { name: 'daily budget of copilot.chat', scope: 'use_case' as const, key: 'copilot.chat', limit: undefined },
      ];
      const now = new Date();
      const identity = { at: now.toISOString(), day: now.toISOString().slice(0, 10), workspace: 'w', profileId: 'p1', useCase: 'copilot.chat', subject: null, operation: 'chat' as const };
      const plan = { providerKind: null, endpoint: 'main', model: 'fake-chat' };
      const dead = ledger.reserve(identity, { tokens: 40_000, usd: 0 }, [], limits, plan, 3_600_000);
      const stale = ledger.reserve(identity, { tokens: 40_000, usd: 0 }, [], limits, plan, 3_600_000);
      // A process that has exited: its pid no longer runs.
      const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      db.prepare('UPDATE gateway_usage SET lease_pid = ? WHERE id = ?').run(Number(child.stdout), dead.id);
      db.prepare('UPDATE gateway_usage SET lease_until = ? WHERE id = ?').run(new Date(Date.now() - 1_000).toISOString(), stale.id);
      const before = ledger.spent(identity.day, 'workspace', '*');
      const b = await t.core.call('budgets.get', { workspace: 'w' });
      expect(b.workspaceDaily.spent.tokens).toBe(before.tokens - 80_000);
      const rows = await usageRows(t.core);
      expect(rows.find((r) => r.id === dead.id)).toMatchObject({ status: 'error', errorCode: 'abandoned', errorMessage: expect.stringMatching(/process .* stopped/) });
      expect(rows.find((r) => r.id === stale.id)).toMatchObject({ status: 'error', errorCode: 'abandoned', errorMessage: expect.stringMatching(/outlived its deadline/) });
      // A live reservation of this process within its lease is kept.
      const live = ledger.reserve(identity, { tokens: 10, usd: 0 }, [], limits, plan, 3_600_000);
      ledger.sweep();
      expect((await usageRows(t.core)).find((r) => r.id === live.id)?.status).toBe('pending');
      ledger.settle(live, { status: 'ok', providerKind: null, endpoint: 'main', model: 'fake-chat', tokensIn: 0, tokensOut: 0, cachedTokens: 0, costUsd: 0, priceKnown: true, latencyMs: 1, errorCode: null, errorMessage: null, fallbackUsed: false, attempts: 1, cacheHit: false });
      await expectBudgetsIntact();
      await t.core.call('budgets.set', { workspace: 'w', workspaceDaily: null });
    });

    it('every call arms a deadline and a lease beyond it', async () => {
      await policy({ timeoutMs: 30_000 });
      let armed: number[] = [];
      fake.handle('chat', () => {
        armed = clock.armed();
        return { text: 'quick' };
      });
      const r = await gateway.chat(meta(), ask('lease'));
      expect(armed).toEqual([120_000]);
      expect(clock.armed()).toEqual([]);
      const db = t.core.services.workspaces.open('w');
      gateway.flush();
      const lease = db.prepare('SELECT lease_pid, lease_until FROM gateway_usage WHERE id = ?').get(r.usageId) as { lease_pid: number | null; lease_until: string | null };
      // Settled: the lease is cleared.
      expect(lease).toEqual({ lease_pid: null, lease_until: null });
    });
  });
});

describe('insights written before usage was validated', () => {
  it('`insights show` and the list read an insight whose cost is Infinity and tokens negative', async () => {
    const t = await makeEngineCore();
    try {
      const { jobId } = await t.core.call('insights.analyze', { workspace: 'w', persona: 'ticket_analyst', entityId: 1 });
      const job = await finish(t, jobId);
      const id = (job.result as { insightId: string }).insightId;
      t.core.services.workspaces.open('w').prepare('UPDATE insights SET cost_usd = ?, tokens_in = ?, tokens_out = ? WHERE id = ?').run(Number.POSITIVE_INFINITY, -40, Number.POSITIVE_INFINITY, id);
      const shown = await t.core.call('insights.get', { workspace: 'w', id });
      expect(shown).toMatchObject({ id, costUsd: 0, tokensIn: 0, tokensOut: 0 });
      const listed = await t.core.call('insights.list', { workspace: 'w' });
      expect(listed.items.some((i) => i.id === id)).toBe(true);
    } finally {
      await t.cleanup();
    }
  });
});
