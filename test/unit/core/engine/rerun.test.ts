import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/shared/errors';
import { finish, makeEngineCore, validScript, type EngineTestCore } from '../../../fixtures/engineCore';

async function analyze(t: EngineTestCore, entityId: number, force = false) {
  const { jobId } = await t.core.call('insights.analyze', { workspace: 'w', persona: 'ticket_analyst', entityId, force });
  const job = await finish(t, jobId);
  expect(job.status, job.error?.message).toBe('completed');
  return job.result as { insightId: string; status: string };
}

const statuses = async (t: EngineTestCore, entityId: number) =>
  (await t.core.call('insights.list', { workspace: 'w', persona: 'ticket_analyst', entityId, sort: { column: 'createdAt', desc: false } })).items.map((i) => [i.id, i.status]);

describe('re-analysing a record', () => {
  let t: EngineTestCore;
  afterEach(() => t.cleanup());

  it('an unchanged record keeps its open insight and asks nothing; Analyze again (force) supersedes it', async () => {
    t = await makeEngineCore();
    const first = await analyze(t, 1);
    expect(first.status).toBe('completed');
    const again = await analyze(t, 1);
    expect(again).toMatchObject({ insightId: first.insightId, status: 'unchanged' });
    expect(t.gateway.calls).toHaveLength(1);
    expect(await statuses(t, 1)).toEqual([[first.insightId, 'completed']]);

    const forced = await analyze(t, 1, true);
    expect(forced.status).toBe('completed');
    expect(t.gateway.calls).toHaveLength(2);
    expect(await statuses(t, 1)).toEqual([
      [first.insightId, 'superseded'],
      [forced.insightId, 'completed'],
    ]);
    const old = await t.core.call('insights.get', { workspace: 'w', id: first.insightId });
    expect(old.history.at(-1)).toMatchObject({ action: 'insight.superseded', details: { by: forced.insightId } });
    expect(old.statusNote).toBe(`Superseded by ${forced.insightId}`);
    // Only one open insight per persona and record.
    expect((await t.core.call('insights.list', { workspace: 'w', entityId: 1, status: ['completed', 'acknowledged'] })).total).toBe(1);
  });

  it('a changed record gets a new insight that supersedes the open one, acknowledged or not', async () => {
    t = await makeEngineCore();
    const first = await analyze(t, 1);
    await t.core.call('insights.acknowledge', { workspace: 'w', id: first.insightId });
    t.core.services.workspaces.open('w').prepare("UPDATE tickets SET priority = 'urgent', subject = 'Now everything is down' WHERE id = 1").run();
    const second = await analyze(t, 1);
    expect(second.status).toBe('completed');
    expect(await statuses(t, 1)).toEqual([
      [first.insightId, 'superseded'],
      [second.insightId, 'completed'],
    ]);
  });

  it('a failed re-run does not hide the open finding', async () => {
    t = await makeEngineCore();
    const first = await analyze(t, 1);
    t.gateway.script = () => ({ error: new AppError('unavailable', 'Provider down.') });
    const failed = await analyze(t, 1, true);
    expect(failed.status).toBe('failed');
    expect(await statuses(t, 1)).toEqual([
      [first.insightId, 'completed'],
      [failed.insightId, 'failed'],
    ]);
  });
});

describe('failed insights: retry and delete', () => {
  let t: EngineTestCore;
  afterEach(() => t.cleanup());

  it('retry runs the analysis again and the new outcome supersedes the failure', async () => {
    t = await makeEngineCore(() => ({ error: new AppError('unavailable', 'Provider down.') }));
    const failed = await analyze(t, 1);
    expect(failed.status).toBe('failed');
    t.gateway.script = validScript;
    const { jobId } = await t.core.call('insights.retry', { workspace: 'w', id: failed.insightId });
    const job = await finish(t, jobId);
    const retried = job.result as { insightId: string; status: string };
    expect(retried.status).toBe('completed');
    expect(await statuses(t, 1)).toEqual([
      [failed.insightId, 'superseded'],
      [retried.insightId, 'completed'],
    ]);
    expect((await t.core.call('insights.list', { workspace: 'w', status: 'failed' })).total).toBe(0);
  });

  it('a retry that fails again replaces the old failure instead of adding a second', async () => {
    t = await makeEngineCore(() => ({ error: new AppError('unavailable', 'Provider down.') }));
    const failed = await analyze(t, 1);
    const { jobId } = await t.core.call('insights.retry', { workspace: 'w', id: failed.insightId });
    const again = (await finish(t, jobId)).result as { insightId: string; status: string };
    expect(again.status).toBe('failed');
    expect(await statuses(t, 1)).toEqual([
      [failed.insightId, 'superseded'],
      [again.insightId, 'failed'],
    ]);
  });

  it('only failed insights can be retried; only failed or superseded ones deleted', async () => {
    t = await makeEngineCore();
    const ok = await analyze(t, 1);
    await expect(t.core.call('insights.retry', { workspace: 'w', id: ok.insightId })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/only failed analyses can be retried/) });
    await expect(t.core.call('insights.delete', { workspace: 'w', id: ok.insightId })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/Dismiss it instead/) });
    await expect(t.core.call('insights.delete', { workspace: 'w', id: 'ins_nope' })).rejects.toMatchObject({ code: 'not_found' });
    expect((await t.core.call('insights.get', { workspace: 'w', id: ok.insightId })).status).toBe('completed');
  });

  it('delete removes a failed insight and leaves an audit line', async () => {
    t = await makeEngineCore(() => ({ error: new AppError('unavailable', 'Provider down.') }));
    const failed = await analyze(t, 1);
    const events: string[][] = [];
    t.core.services.events.on('insights.changed', (e) => events.push(e.ids));
    expect(await t.core.call('insights.delete', { workspace: 'w', id: failed.insightId })).toEqual({ deleted: failed.insightId });
    await expect(t.core.call('insights.get', { workspace: 'w', id: failed.insightId })).rejects.toMatchObject({ code: 'not_found' });
    expect(events).toEqual([[failed.insightId]]);
    const audit = t.core.services.workspaces.open('w').prepare("SELECT actor, details FROM engine_audit WHERE action = 'insight.deleted' AND insight_id = ?").get(failed.insightId) as { actor: string; details: string };
    expect(audit.actor).toBe(t.core.activeProfile().id);
    expect(JSON.parse(audit.details)).toEqual({ status: 'failed', errorCode: 'unavailable' });
  });
});
