import { afterEach, describe, expect, it } from 'vitest';
import { INSIGHT_STATUSES } from '../../../../src/shared/insights';
import { finish, makeEngineCore, type EngineTestCore } from '../../../fixtures/engineCore';

async function analyze(t: EngineTestCore, entityId: number | string): Promise<string> {
  const { jobId } = await t.core.call('insights.analyze', { workspace: 'w', persona: 'ticket_analyst', entityId });
  const job = await finish(t, jobId);
  expect(job.status, job.error?.message).toBe('completed');
  return (job.result as { insightId: string }).insightId;
}

describe('insights: undo, analyze by code, lifecycle sort', () => {
  let t: EngineTestCore;
  afterEach(() => t.cleanup());

  it('undoes a dismiss back to new, recorded in the history, and only once', async () => {
    t = await makeEngineCore();
    const id = await analyze(t, 1);
    await t.core.call('insights.dismiss', { workspace: 'w', id, note: 'Not ours' });
    t.clock.advance(5_000);
    const undone = await t.core.call('insights.undo', { workspace: 'w', id, status: 'dismissed' });
    expect(undone).toMatchObject({ status: 'completed', statusChangedAt: null, statusChangedBy: null, statusNote: null });
    const last = undone.history.at(-1)!;
    expect(last).toMatchObject({ action: 'insight.reverted', actor: t.core.activeProfile().id, details: { from: 'dismissed', to: 'completed' } });
    await expect(t.core.call('insights.undo', { workspace: 'w', id, status: 'completed' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/Only the latest/) });
  });

  it('undoing an action after an acknowledgement brings the acknowledgement (who, when, note) back', async () => {
    t = await makeEngineCore();
    const id = await analyze(t, 1);
    const acked = await t.core.call('insights.acknowledge', { workspace: 'w', id, note: 'Looking into it' });
    t.clock.advance(60_000);
    await t.core.call('insights.action', { workspace: 'w', id, note: 'Escalated' });
    const back = await t.core.call('insights.undo', { workspace: 'w', id, status: 'actioned' });
    expect(back).toMatchObject({ status: 'acknowledged', statusNote: 'Looking into it', statusChangedAt: acked.statusChangedAt, statusChangedBy: acked.statusChangedBy });
  });

  it('refuses to undo when the insight changed since the person saw it', async () => {
    t = await makeEngineCore();
    const id = await analyze(t, 1);
    await t.core.call('insights.acknowledge', { workspace: 'w', id });
    await t.core.call('insights.dismiss', { workspace: 'w', id });
    await expect(t.core.call('insights.undo', { workspace: 'w', id, status: 'acknowledged' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/now dismissed/) });
    const fresh = await analyze(t, 3);
    // A new insight has no lifecycle change to undo.
    await expect(t.core.call('insights.undo', { workspace: 'w', id: fresh, status: 'completed' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(t.core.call('insights.undo', { workspace: 'w', id: 'ins_nope', status: 'completed' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('analyze now takes the code people see, in any case', async () => {
    t = await makeEngineCore();
    const id = await analyze(t, 'tck-000003');
    const insight = await t.core.call('insights.get', { workspace: 'w', id });
    expect(insight).toMatchObject({ entityType: 'tickets', entityId: 3 });
    await expect(t.core.call('insights.analyze', { workspace: 'w', persona: 'ticket_analyst', entityId: 'TCK-424242' })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/TCK-424242/) });
  });

  it('sorts by status in lifecycle order, not alphabetically', async () => {
    t = await makeEngineCore();
    const a = await analyze(t, 1);
    const b = await analyze(t, 3);
    const c = await analyze(t, 4);
    await t.core.call('insights.dismiss', { workspace: 'w', id: a });
    await t.core.call('insights.acknowledge', { workspace: 'w', id: b });
    expect(c).toBeTruthy();
    const { items } = await t.core.call('insights.list', { workspace: 'w', sort: { column: 'status', desc: false } });
    const ranks = items.map((i) => INSIGHT_STATUSES.indexOf(i.status));
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    // Alphabetical would put acknowledged first.
    expect(items.map((i) => i.status)).toEqual(['completed', 'acknowledged', 'dismissed']);
  });
});
