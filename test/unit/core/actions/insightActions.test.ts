import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEngineCore, type EngineTestCore } from '../../../fixtures/engineCore';

/**
 * The actions whose effect lives outside the workspace transaction: running a persona (a job), the insight lifecycle
 * (the engine's store) and the scheduled scans (the app database). Each still waits for approval and is audited.
 */
describe('insight, persona and schedule actions', () => {
  let t: EngineTestCore;
  const ws = 'w';

  beforeAll(async () => {
    t = await makeEngineCore();
  });
  afterAll(async () => t.cleanup());

  const approve = async (name: string, args: Record<string, unknown>) => {
    const p = await t.core.call('actions.execute', { workspace: ws, name, args, source: 'copilot', agent: 'success' });
    if (p.status !== 'pending') throw new Error(`${name}: expected pending`);
    const done = await t.core.call('actions.approve', { workspace: ws, id: p.approval.id });
    if (done.status !== 'executed') throw new Error(`${name}: expected execution`);
    return { proposal: p.approval, done };
  };

  it('run_persona proposes a model run, and approving starts the analyze job that writes the insight', async () => {
    const before = (await t.core.call('insights.list', { workspace: ws, entityType: 'tickets', entityId: 4 })).total;
    const { proposal, done } = await approve('run_persona', { persona: 'ticket_analyst', record: 'TCK-000004' });
    expect(proposal.preview.changes[0]).toMatchObject({ entity: 'insights', op: 'create', id: null });
    const { jobId } = done.result as { jobId: string };
    expect((await t.core.services.jobs.waitFor(jobId)).status).toBe('completed');
    expect((await t.core.call('insights.list', { workspace: ws, entityType: 'tickets', entityId: 4 })).total).toBe(before + 1);
  });

  it('acknowledge then dismiss through approvals, with the lifecycle diff and audit rows; an impossible move is refused at proposal', async () => {
    const [insight] = (await t.core.call('insights.list', { workspace: ws, entityType: 'tickets', entityId: 4, status: 'completed' })).items;
    if (!insight) throw new Error('expected an insight');
    const ack = await approve('acknowledge_insight', { id: insight.id, note: 'seen' });
    expect(ack.proposal.preview.changes[0]!.fields).toContainEqual({ name: 'status', before: 'completed', after: 'acknowledged' });
    expect((await t.core.call('insights.get', { workspace: ws, id: insight.id })).status).toBe('acknowledged');
    await approve('dismiss_insight', { id: insight.id });
    expect((await t.core.call('insights.get', { workspace: ws, id: insight.id })).status).toBe('dismissed');
    await expect(t.core.call('actions.execute', { workspace: ws, name: 'acknowledge_insight', args: { id: insight.id } })).rejects.toMatchObject({ code: 'conflict' });
    const audit = await t.core.call('audit.list', { workspace: ws });
    expect(audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['acknowledge_insight', 'dismiss_insight', 'run_persona']));
    expect(audit.entries.find((e) => e.action === 'dismiss_insight')).toMatchObject({ agent: 'success', touched: [{ entity: 'insights', id: insight.id }] });
  });

  it('schedule_scan (admin) switches a persona scan on and off', async () => {
    // A new workspace's persona scans start switched off (background spend never surprises).
    const find = async () => (await t.core.call('schedule.list', { workspace: ws })).schedules.find((s) => s.kind === 'persona_scan' && s.target === 'vendor_analyst');
    expect(await find()).toMatchObject({ enabled: false });
    const on = await approve('schedule_scan', { persona: 'vendor_analyst' });
    expect(on.proposal.preview.changes[0]!.fields).toEqual([{ name: 'enabled', before: false, after: true }]);
    expect(await find()).toMatchObject({ enabled: true });
    const off = await approve('schedule_scan', { persona: 'vendor_analyst', enabled: false });
    expect(off.proposal.preview.changes[0]!.fields).toEqual([{ name: 'enabled', before: true, after: false }]);
    expect(await find()).toMatchObject({ enabled: false });
  });
});
