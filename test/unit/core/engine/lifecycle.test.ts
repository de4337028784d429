import { afterEach, describe, expect, it } from 'vitest';
import { getPersona } from '../../../../src/main/core/personas/registry';
import { AppError } from '../../../../src/shared/errors';
import { finish, makeEngineCore, type EngineTestCore } from '../../../fixtures/engineCore';
import { entityIdOf, sampleAnswer } from '../../../fixtures/scriptedGateway';
import type { ScanResult } from '../../../../src/main/core/engine/scanService';
import { nodeWorkerLauncher } from '../../../../src/main/core/workers/nodeLauncher';

const HOUR = 3_600_000;

async function analyze(t: EngineTestCore, persona: string, entityId: number): Promise<string> {
  const { jobId } = await t.core.call('insights.analyze', { workspace: 'w', persona, entityId });
  return ((await finish(t, jobId)).result as { insightId: string }).insightId;
}

async function scan(t: EngineTestCore, persona: string, extra: { limit?: number; force?: boolean } = {}): Promise<ScanResult> {
  const { jobId } = await t.core.call('insights.scan', { workspace: 'w', persona, ...extra });
  const job = await finish(t, jobId);
  expect(job.status, job.error?.message).toBe('completed');
  return job.result as ScanResult;
}

describe('insight lifecycle', () => {
  let t: EngineTestCore;
  afterEach(() => t.cleanup());

  it('acknowledge then action, each recording who, when and a note; illegal moves conflict', async () => {
    t = await makeEngineCore();
    const id = await analyze(t, 'ticket_analyst', 1);
    const me = t.core.activeProfile().id;
    t.clock.advance(60_000);
    const acked = await t.core.call('insights.acknowledge', { workspace: 'w', id, note: 'Looking into it' });
    expect(acked).toMatchObject({ status: 'acknowledged', statusChangedBy: me, statusNote: 'Looking into it', statusChangedAt: '2026-03-01T12:01:00Z' });
    const actioned = await t.core.call('insights.action', { workspace: 'w', id, note: 'Escalated to engineering' });
    expect(actioned.status).toBe('actioned');
    expect(actioned.history.filter((h) => h.action.startsWith('insight.')).map((h) => [h.action, h.actor, h.note])).toEqual([
      ['insight.completed', me, null],
      ['insight.acknowledged', me, 'Looking into it'],
      ['insight.actioned', me, 'Escalated to engineering'],
    ]);
    await expect(t.core.call('insights.dismiss', { workspace: 'w', id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/actioned/) });
    await expect(t.core.call('insights.acknowledge', { workspace: 'w', id: 'ins_nope' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a failed insight cannot be acknowledged; a completed one can be dismissed with a note', async () => {
    t = await makeEngineCore(() => ({ error: new AppError('provider_error', 'The provider returned 500.') }));
    const failed = await analyze(t, 'ticket_analyst', 1);
    await expect(t.core.call('insights.acknowledge', { workspace: 'w', id: failed })).rejects.toMatchObject({ code: 'conflict' });
    t.gateway.script = (_m, req) => ({ text: JSON.stringify(sampleAnswer(getPersona('ticket_analyst'), entityIdOf(req))) });
    const ok = await analyze(t, 'ticket_analyst', 3);
    expect((await t.core.call('insights.dismiss', { workspace: 'w', id: ok, note: 'Duplicate' })).status).toBe('dismissed');
  });

  it('the TTL sweep expires open insights past their expiry and leaves actioned ones', async () => {
    t = await makeEngineCore();
    const open = await analyze(t, 'ticket_analyst', 1);
    const acked = await analyze(t, 'ticket_analyst', 3);
    const done = await analyze(t, 'ticket_analyst', 4);
    await t.core.call('insights.acknowledge', { workspace: 'w', id: acked });
    await t.core.call('insights.action', { workspace: 'w', id: done });
    expect((await t.core.call('insights.expire', { workspace: 'w' })).expired).toBe(0);
    t.clock.advance(47 * HOUR);
    expect((await t.core.call('insights.expire', { workspace: 'w' })).expired).toBe(0);
    t.clock.advance(2 * HOUR);
    const events: unknown[] = [];
    t.core.events.on('insights.changed', (e) => events.push(e));
    expect((await t.core.call('insights.expire', { workspace: 'w' })).expired).toBe(2);
    expect((await t.core.call('insights.get', { workspace: 'w', id: open })).status).toBe('expired');
    expect((await t.core.call('insights.get', { workspace: 'w', id: acked })).status).toBe('expired');
    expect((await t.core.call('insights.get', { workspace: 'w', id: done })).status).toBe('actioned');
    expect(events).toEqual([{ workspace: 'w', reason: 'expired', ids: expect.arrayContaining([open, acked]), count: 2 }]);
  });

  it('pending insights left by a stopped run are failed, not left pending for ever', async () => {
    t = await makeEngineCore();
    const db = t.core.services.workspaces.open('w');
    db.prepare(
      "INSERT INTO insights (id, type, persona_key, domain, entity_type, entity_id, status, trigger, created_at) VALUES ('ins_stale', 'persona', 'ticket_analyst', 'support', 'tickets', 1, 'pending', 'on_demand', '2026-03-01T10:00:00Z')",
    ).run();
    const got = await t.core.call('insights.get', { workspace: 'w', id: 'ins_stale' });
    expect(got).toMatchObject({ status: 'failed', errorCode: 'unavailable' });
  });
});

describe('scans', () => {
  let t: EngineTestCore;
  afterEach(() => t.cleanup());

  it('analyses open records, then skips the ones whose context did not change', async () => {
    t = await makeEngineCore();
    const first = await scan(t, 'ticket_analyst');
    expect(first).toMatchObject({ candidates: 3, skippedUnchanged: 0, analyzed: 3, completed: 3, failed: 0, stoppedBy: null });
    const listed = await t.core.call('insights.list', { workspace: 'w', persona: 'ticket_analyst' });
    expect(listed.items.map((i) => i.entityId).sort()).toEqual([1, 3, 4]);

    const again = await scan(t, 'ticket_analyst');
    expect(again).toMatchObject({ skippedUnchanged: 3, analyzed: 0 });
    expect(t.gateway.calls).toHaveLength(3);

    t.core.services.workspaces.open('w').prepare("INSERT INTO ticket_comments (ticket_id, author_type, body, created_at) VALUES (3, 'customer', 'Any news?', '2026-03-01T11:00:00Z')").run();
    const changed = await scan(t, 'ticket_analyst');
    expect(changed).toMatchObject({ skippedUnchanged: 2, analyzed: 1 });
    expect(t.gateway.calls.at(-1)!.req.messages[1]!.content).toContain('tickets#3');

    expect(await scan(t, 'ticket_analyst', { force: true })).toMatchObject({ analyzed: 3, skippedUnchanged: 0 });
  });

  it('an expired or failed insight does not count as live for the skip', async () => {
    t = await makeEngineCore();
    await scan(t, 'ticket_analyst');
    t.clock.advance(49 * HOUR);
    expect((await scan(t, 'ticket_analyst')).analyzed).toBe(3);
  });

  it('respects the limit and the concurrency setting, with progress', async () => {
    t = await makeEngineCore((_m, req) => ({ text: JSON.stringify(sampleAnswer(getPersona('ticket_analyst'), entityIdOf(req))), delayMs: 30 }));
    await t.core.call('engine.configure', { scan: { concurrency: 2 } });
    const db = t.core.services.workspaces.open('w');
    const ins = db.prepare("INSERT INTO tickets (code, subject, status, priority, account_id, created_at) VALUES (?, 'Help', 'open', 'normal', 1, '2026-02-20T10:00:00Z')");
    for (let i = 0; i < 10; i++) ins.run(`TCK-9${i}`);
    const progress: number[] = [];
    t.core.events.on('job.progress', (j) => j.kind === 'engine.scan' && j.phase === 'analysing' && progress.push(j.done));
    const res = await scan(t, 'ticket_analyst', { limit: 6 });
    expect(res.analyzed).toBe(6);
    expect(t.gateway.maxInFlight).toBe(2);
    expect(progress.at(-1)).toBe(6);
  });

  it('builds contexts for big scans in a worker thread, starting the first calls meanwhile', async () => {
    const launched: string[] = [];
    t = await makeEngineCore(undefined, undefined, {
      launchWorker: (options) => {
        launched.push((options.workerData as { task: string }).task);
        return nodeWorkerLauncher(options);
      },
    });
    const db = t.core.services.workspaces.open('w');
    const ins = db.prepare("INSERT INTO tickets (code, subject, status, priority, account_id, created_at) VALUES (?, 'Printer on fire', 'open', 'normal', 1, '2026-02-20T10:00:00Z')");
    for (let i = 0; i < 60; i++) ins.run(`TCK-8${String(i).padStart(3, '0')}`);
    const res = await scan(t, 'ticket_analyst', { limit: 60 });
    expect(res.candidates).toBeGreaterThan(40);
    expect(res.analyzed).toBe(60);
    expect(launched).toEqual(['engine.prepareScan']);
    expect(new Set(t.gateway.calls.map((c) => c.req.messages[1]!.content.match(/\(tickets#(\d+)\)/)![1])).size).toBe(60);
  });

  it('stops at the first budget refusal instead of failing every record', async () => {
    t = await makeEngineCore((_m, _r, n) => (n === 0 ? { text: 'x' } : { error: new AppError('budget_exceeded', 'Budget used up.') }));
    await t.core.call('engine.configure', { outputRetries: 0, scan: { concurrency: 1 } });
    const res = await scan(t, 'ticket_analyst');
    expect(res).toMatchObject({ analyzed: 2, failed: 2, stoppedBy: 'budget' });
  });

  it('stops after repeated provider failures', async () => {
    t = await makeEngineCore(() => ({ error: new AppError('unavailable', 'No provider configured.') }));
    await t.core.call('engine.configure', { scan: { concurrency: 1 } });
    const db = t.core.services.workspaces.open('w');
    const ins = db.prepare("INSERT INTO tickets (code, subject, status, priority, created_at) VALUES (?, 'x', 'open', 'normal', '2026-02-20T10:00:00Z')");
    for (let i = 0; i < 5; i++) ins.run(`TCK-7${i}`);
    const res = await scan(t, 'ticket_analyst', { limit: 8 });
    expect(res).toMatchObject({ analyzed: 3, failed: 3, stoppedBy: 'errors' });
  });

  it('can be cancelled; finished insights are kept and records it did not finish leave no failed insight', async () => {
    let secondAsked: () => void = () => undefined;
    const asked = new Promise<void>((r) => (secondAsked = r));
    t = await makeEngineCore((_m, req, n) => {
      if (n === 1) secondAsked();
      // The first record answers at once; the second waits until the cancel aborts it (the double honours the signal).
      return { text: JSON.stringify(sampleAnswer(getPersona('ticket_analyst'), entityIdOf(req))), delayMs: n === 0 ? 0 : 3_600_000 };
    });
    await t.core.call('engine.configure', { scan: { concurrency: 1 } });
    const { jobId } = await t.core.call('insights.scan', { workspace: 'w', persona: 'ticket_analyst' });
    await asked;
    await t.core.call('jobs.cancel', { jobId });
    const job = await finish(t, jobId);
    expect(job.status).toBe('cancelled');
    const all = await t.core.call('insights.list', { workspace: 'w', runId: jobId });
    expect(all.items.map((i) => [i.entityId, i.status])).toEqual([[1, 'completed']]);
    expect((await t.core.call('insights.list', { workspace: 'w', status: 'failed' })).total).toBe(0);
    const db = t.core.services.workspaces.open('w');
    const second = entityIdOf(t.gateway.calls[1]!.req);
    expect(db.prepare("SELECT entity_id, insight_id FROM engine_audit WHERE action = 'analysis.cancelled'").all()).toEqual([{ entity_id: second, insight_id: null }]);
    expect(db.prepare("SELECT count(*) FROM insights WHERE status = 'pending'").pluck().get()).toBe(0);
  });
});
