import { afterEach, describe, expect, it } from 'vitest';
import { getPersona } from '../../../../src/main/core/personas/registry';
import type { ScanResult } from '../../../../src/main/core/engine/scanService';
import { makeEngineCore, type EngineTestCore } from '../../../fixtures/engineCore';
import { entityIdOf, sampleAnswer } from '../../../fixtures/scriptedGateway';

const MIN = 60_000;
const answer = (delayMs = 0) => (_m: unknown, req: Parameters<typeof entityIdOf>[0]) => ({ text: JSON.stringify(sampleAnswer(getPersona('ticket_analyst'), entityIdOf(req))), delayMs, inputTokens: 500, outputTokens: 150 });

/** Leaves only the given schedules of workspace w switched on (persona scans start off, so kept ones are switched on). */
async function only(t: EngineTestCore, keep: string[]): Promise<void> {
  for (const s of (await t.core.call('schedule.list', { workspace: 'w' })).schedules) {
    const name = s.target ?? s.kind;
    if (keep.includes(name) !== s.enabled) await t.core.call('schedule.setEnabled', { id: s.id, enabled: keep.includes(name) });
  }
}

async function settle(t: EngineTestCore, jobIds: string[]) {
  const jobs = await Promise.all(jobIds.map((id) => t.core.services.jobs.waitFor(id)));
  await new Promise((r) => setImmediate(r));
  return jobs;
}

describe('scheduler', () => {
  let t: EngineTestCore;
  afterEach(() => t.cleanup());

  it('keeps a schedule per persona and workspace task, with cron-based next runs', async () => {
    t = await makeEngineCore(answer());
    const { schedules } = await t.core.call('schedule.list', { workspace: 'w' });
    // 8 personas + 4 workspace tasks (sweep, detectors, coaching, the daily backup that starts switched off).
    expect(schedules).toHaveLength(8 + 4);
    expect(schedules.find((s) => s.kind === 'workspace_backup')).toMatchObject({ enabled: false, nextRunAt: null });
    // Background model spend never surprises: a new workspace's persona scans start switched off; the rest start on.
    const ticket = schedules.find((s) => s.target === 'ticket_analyst')!;
    expect(ticket).toMatchObject({ kind: 'persona_scan', cron: '15 */2 * * *', enabled: false, nextRunAt: null, running: false });
    expect(schedules.filter((s) => s.kind === 'persona_scan').every((s) => !s.enabled)).toBe(true);
    expect(schedules.filter((s) => s.kind !== 'persona_scan' && s.kind !== 'workspace_backup').every((s) => s.enabled)).toBe(true);
    expect(schedules.find((s) => s.kind === 'expiry_sweep')!.nextRunAt).toBe('2026-03-01T12:05:00Z');
    expect((await t.core.call('schedule.runDue', {})).started).toEqual([]);
    // A day later nothing scheduled has called a model.
    await t.core.call('schedule.setEnabled', { id: schedules.find((s) => s.kind === 'coaching_refresh')!.id, enabled: false });
    t.clock.advance(24 * 60 * MIN);
    const ran = await t.core.call('schedule.runDue', {});
    expect(ran.started.map((s) => s.scheduleId.split(':')[1]).sort()).toEqual(['detectors', 'expiry_sweep']);
    await settle(t, ran.started.map((s) => s.jobId));
    expect(t.gateway.calls.filter((c) => c.meta.useCase.startsWith('persona.'))).toEqual([]);
    // Switched on, it gets its next run from the cron.
    expect(await t.core.call('schedule.setEnabled', { id: ticket.id, enabled: true })).toMatchObject({ enabled: true, nextRunAt: '2026-03-02T12:15:00Z' });
  });

  it('starts due tasks as jobs; scheduled insights say so', async () => {
    t = await makeEngineCore(answer());
    await only(t, ['ticket_analyst', 'expiry_sweep']);
    t.clock.advance(20 * MIN);
    const res = await t.core.call('schedule.runDue', {});
    expect(res.started.map((s) => s.scheduleId.split(':').slice(1).join(':')).sort()).toEqual(['expiry_sweep', 'persona_scan:ticket_analyst']);
    const jobs = await settle(t, res.started.map((s) => s.jobId));
    expect(jobs.map((j) => j.status)).toEqual(['completed', 'completed']);
    const list = await t.core.call('insights.list', { workspace: 'w', persona: 'ticket_analyst' });
    expect(list.total).toBe(3);
    expect(list.items.every((i) => i.trigger === 'scheduled')).toBe(true);
    // Every scheduled model call says so to the gateway, which records it on the usage row.
    expect(t.gateway.calls.length).toBeGreaterThan(0);
    expect(t.gateway.calls.every((c) => c.meta.trigger === 'scheduled')).toBe(true);
    const ticket = (await t.core.call('schedule.list', { workspace: 'w' })).schedules.find((s) => s.target === 'ticket_analyst')!;
    expect(ticket).toMatchObject({ lastStatus: 'completed', lastRunAt: '2026-03-01T12:20:00Z', nextRunAt: '2026-03-01T14:15:00Z', running: false });
  });

  it('never overlaps a task with its own previous run', async () => {
    t = await makeEngineCore(answer(1_500));
    await only(t, ['ticket_analyst']);
    t.clock.advance(20 * MIN);
    const first = await t.core.call('schedule.runDue', {});
    expect(first.started).toHaveLength(1);
    t.clock.advance(2 * 60 * MIN);
    const second = await t.core.call('schedule.runDue', {});
    expect(second.started).toEqual([]);
    expect(second.skipped).toEqual([{ scheduleId: first.started[0]!.scheduleId, reason: expect.stringMatching(/still going/) }]);
    expect((await t.core.call('schedule.list', { workspace: 'w' })).schedules.find((s) => s.target === 'ticket_analyst')!.running).toBe(true);
    await settle(t, [first.started[0]!.jobId]);
    t.clock.advance(2 * 60 * MIN);
    expect((await t.core.call('schedule.runDue', {})).started).toHaveLength(1);
  });

  it('runs missed runs once at catch-up, then schedules from now', async () => {
    t = await makeEngineCore(answer());
    await only(t, ['expiry_sweep', 'detectors']);
    t.clock.advance(3 * 24 * 60 * MIN);
    const res = await t.core.call('schedule.runDue', {});
    expect(res.started).toHaveLength(2);
    await settle(t, res.started.map((s) => s.jobId));
    const sweep = (await t.core.call('schedule.list', { workspace: 'w' })).schedules.find((s) => s.kind === 'expiry_sweep')!;
    expect(sweep.nextRunAt).toBe('2026-03-04T12:05:00Z');
    expect((await t.core.call('schedule.runDue', {})).started).toEqual([]);
  });

  it('caps insights per run', async () => {
    t = await makeEngineCore(answer());
    await only(t, ['ticket_analyst']);
    await t.core.call('engine.configure', { scheduler: { maxInsightsPerRun: 2 } });
    t.clock.advance(20 * MIN);
    const res = await t.core.call('schedule.runDue', {});
    const [job] = await settle(t, res.started.map((s) => s.jobId));
    expect((job!.result as ScanResult).analyzed).toBe(2);
  });

  it('respects the daily token budget for scheduled work', async () => {
    t = await makeEngineCore(answer());
    await only(t, ['ticket_analyst']);
    await t.core.call('engine.configure', { scan: { concurrency: 1 }, scheduler: { dailyTokenBudget: 1_000 } });
    t.clock.advance(20 * MIN);
    let res = await t.core.call('schedule.runDue', {});
    const [job] = await settle(t, res.started.map((s) => s.jobId));
    expect(job!.result).toMatchObject({ analyzed: 2, tokens: 1_300, stoppedBy: 'budget' });
    t.clock.advance(2 * 60 * MIN);
    res = await t.core.call('schedule.runDue', {});
    const [refused] = await settle(t, res.started.map((s) => s.jobId));
    expect(refused).toMatchObject({ status: 'failed', error: { code: 'budget_exceeded' } });
    expect((await t.core.call('schedule.list', { workspace: 'w' })).schedules.find((s) => s.target === 'ticket_analyst')).toMatchObject({ lastStatus: 'failed', lastError: expect.stringMatching(/daily token budget/) });
    // A new UTC day brings a fresh budget.
    t.clock.set('2026-03-02T00:16:00Z');
    res = await t.core.call('schedule.runDue', {});
    const [next] = await settle(t, res.started.map((s) => s.jobId));
    expect(next!.status).toBe('completed');
  });

  it('skips persona scans while the persona or the scheduler is switched off', async () => {
    t = await makeEngineCore(answer());
    await only(t, ['ticket_analyst']);
    await t.core.call('personas.setEnabled', { persona: 'ticket_analyst', enabled: false });
    t.clock.advance(20 * MIN);
    const res = await t.core.call('schedule.runDue', {});
    expect(res.skipped[0]!.reason).toMatch(/switched off/);
    await t.core.call('personas.setEnabled', { persona: 'ticket_analyst', enabled: true });
    await t.core.call('engine.configure', { scheduler: { enabled: false } });
    t.clock.advance(2 * 60 * MIN);
    expect((await t.core.call('schedule.runDue', {})).skipped[0]!.reason).toMatch(/scheduler is switched off/);
    expect(t.gateway.calls).toHaveLength(0);
  });
});
