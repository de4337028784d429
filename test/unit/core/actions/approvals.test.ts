import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, tempDir, type TestCore } from '../../../fixtures/core';
import { requireEngine } from '../../../fixtures/engines';
import { seedActionsWorkspace } from './seed';

const { engine } = requireEngine();

/**
 * The action layer end to end through the contract, on either engine (`npm run test:pg` runs this file on
 * PostgreSQL): propose → pending → approve → record + audit; reject; roles; edited arguments; records changed
 * between proposal and approval; the untrusted flag; and approvals that outlive the core.
 */
describe(`actions and approvals (${engine})`, () => {
  let t: TestCore;
  let memberId: string;
  const ws = 'w';

  const task = (id: number) => t.core.services.workspaces.withWorkspace(ws, (c) => c.repos.records.byId('tasks', id));
  const tasksTitled = (title: string) => t.core.services.workspaces.withWorkspace(ws, (c) => c.db.selectFrom('tasks').selectAll().where('title', '=', title).execute());

  beforeAll(async () => {
    t = makeTestCore();
    await seedActionsWorkspace(t.core, ws);
    memberId = (await t.core.call('profiles.create', { name: 'Mia', role: 'member' })).id;
  });
  afterAll(async () => t.cleanup());

  it('a write proposed through execute waits for approval; approving writes the record and one audit row', async () => {
    const proposed = await t.core.call('actions.execute', {
      workspace: ws,
      name: 'create_task',
      args: { title: 'Call Jane about renewal', dueDate: '2026-06-20', dealId: 8, contactId: 57 },
      source: 'copilot',
      agent: 'sales',
      conversationId: 'conv-1',
    });
    if (proposed.status !== 'pending') throw new Error('expected a pending approval');
    expect(proposed.approval).toMatchObject({ action: 'create_task', status: 'pending', risk: 'write', source: 'copilot', agent: 'sales', conversationId: 'conv-1', untrusted: false });
    expect(proposed.approval.preview.changes).toEqual([
      expect.objectContaining({ entity: 'tasks', id: null, op: 'create', fields: expect.arrayContaining([{ name: 'title', before: null, after: 'Call Jane about renewal' }, { name: 'deal_id', before: null, after: 8 }]) }),
    ]);
    // Nothing is written before the approval.
    expect(await tasksTitled('Call Jane about renewal')).toHaveLength(0);
    const pending = await t.core.call('actions.pending', { workspace: ws });
    expect(pending.approvals.map((a) => a.id)).toContain(proposed.approval.id);

    const done = await t.core.call('actions.approve', { workspace: ws, id: proposed.approval.id });
    if (done.status !== 'executed') throw new Error('expected execution');
    const created = await tasksTitled('Call Jane about renewal');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ status: 'open', due_date: '2026-06-20', deal_id: 8, contact_id: 57 });
    expect(done.touched).toEqual([{ entity: 'tasks', id: Number(created[0]!.id) }]);
    expect(done.approval).toMatchObject({ status: 'executed', auditId: done.auditId, decidedBy: { name: expect.any(String) } });

    const audit = await t.core.call('audit.list', { workspace: ws, action: 'create_task' });
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({
      id: done.auditId,
      status: 'ok',
      agent: 'sales',
      conversationId: 'conv-1',
      source: 'copilot',
      approvalId: proposed.approval.id,
      args: expect.objectContaining({ title: 'Call Jane about renewal' }),
      touched: [{ entity: 'tasks', id: Number(created[0]!.id) }],
    });
    expect((await t.core.call('actions.pending', { workspace: ws })).approvals.map((a) => a.id)).not.toContain(proposed.approval.id);
    await expect(t.core.call('actions.approve', { workspace: ws, id: proposed.approval.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('reject writes nothing', async () => {
    const before = (await t.core.call('audit.list', { workspace: ws })).total;
    const p = await t.core.call('actions.execute', { workspace: ws, name: 'delete_task', args: { id: 100 } });
    if (p.status !== 'pending') throw new Error('expected pending');
    expect(p.approval.risk).toBe('destructive');
    const r = await t.core.call('actions.reject', { workspace: ws, id: p.approval.id, reason: 'keep it' });
    expect(r.approval).toMatchObject({ status: 'rejected', note: 'keep it' });
    expect(await task(100)).toMatchObject({ title: 'Send pricing' });
    expect((await t.core.call('audit.list', { workspace: ws })).total).toBe(before);
    await expect(t.core.call('actions.approve', { workspace: ws, id: p.approval.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a member cannot call, propose or approve an admin action', async () => {
    const asMember = { profileId: memberId };
    await expect(t.core.call('actions.execute', { workspace: ws, name: 'schedule_scan', args: { persona: 'ticket_analyst' } }, asMember)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(t.core.call('actions.preview', { workspace: ws, name: 'schedule_scan', args: { persona: 'ticket_analyst' } }, asMember)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await t.core.call('actions.list', {}, asMember)).actions.map((a) => a.name)).not.toContain('schedule_scan');
    expect((await t.core.call('actions.list', {})).actions.map((a) => a.name)).toContain('schedule_scan');
    // Proposed by an admin, approved by a member: the role is checked again at approval.
    const p = await t.core.call('actions.execute', { workspace: ws, name: 'schedule_scan', args: { persona: 'ticket_analyst', enabled: false } });
    if (p.status !== 'pending') throw new Error('expected pending');
    await expect(t.core.call('actions.approve', { workspace: ws, id: p.approval.id }, asMember)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await t.core.call('actions.pending', { workspace: ws })).approvals.find((a) => a.id === p.approval.id)).toMatchObject({ status: 'pending' });
    await t.core.call('actions.reject', { workspace: ws, id: p.approval.id });
  });

  it('approval with edited arguments executes the edited ones', async () => {
    const p = await t.core.call('actions.execute', { workspace: ws, name: 'create_task', args: { title: 'Draft title', dealId: 8 } });
    if (p.status !== 'pending') throw new Error('expected pending');
    const done = await t.core.call('actions.approve', { workspace: ws, id: p.approval.id, args: { title: 'Edited title', dealId: 8, priority: 'urgent' } });
    expect(done.status).toBe('executed');
    expect(await tasksTitled('Draft title')).toHaveLength(0);
    expect(await tasksTitled('Edited title')).toEqual([expect.objectContaining({ priority: 'urgent', deal_id: 8 })]);
    const audit = await t.core.call('audit.list', { workspace: ws, action: 'create_task' });
    expect(audit.entries[0]!.args).toMatchObject({ title: 'Edited title', priority: 'urgent' });
    // Edited arguments are validated like proposed ones.
    const q = await t.core.call('actions.execute', { workspace: ws, name: 'create_task', args: { title: 'x' } });
    if (q.status !== 'pending') throw new Error('expected pending');
    await expect(t.core.call('actions.approve', { workspace: ws, id: q.approval.id, args: { title: '' } })).rejects.toMatchObject({ code: 'validation' });
    await t.core.call('actions.reject', { workspace: ws, id: q.approval.id });
  });

  it('when the record changed between proposal and approval, approving shows the new diff first', async () => {
    const p = await t.core.call('actions.execute', { workspace: ws, name: 'update_deal', args: { deal: 'Acme renewal', stage: 'proposal', amount: 60000 } });
    if (p.status !== 'pending') throw new Error('expected pending');
    expect(p.approval.preview.changes[0]!.fields).toEqual([
      { name: 'stage', before: 'qualification', after: 'proposal' },
      { name: 'amount', before: 50000, after: 60000 },
    ]);
    // Someone else moves the deal meanwhile.
    await t.core.services.workspaces.withWorkspace(ws, (c) => c.db.updateTable('deals').set({ amount: 55000 }).where('id', '=', 8).execute());
    const first = await t.core.call('actions.approve', { workspace: ws, id: p.approval.id });
    expect(first.status).toBe('changed');
    expect(first.approval.status).toBe('changed');
    expect(first.approval.preview.changes[0]!.fields).toContainEqual({ name: 'amount', before: 55000, after: 60000 });
    expect(await t.core.services.workspaces.withWorkspace(ws, (c) => c.repos.records.byId('deals', 8))).toMatchObject({ stage: 'qualification' });
    // Confirmed on the new diff: now it runs.
    const second = await t.core.call('actions.approve', { workspace: ws, id: p.approval.id });
    expect(second.status).toBe('executed');
    const deal = await t.core.services.workspaces.withWorkspace(ws, (c) => c.repos.records.byId('deals', 8));
    expect(deal).toMatchObject({ stage: 'proposal' });
    expect(Number(deal!.amount)).toBe(60000);
    expect(deal!.updated_at).toEqual(expect.any(String));
  });

  it('carries the untrusted flag from the proposal to the approval card and the audit row', async () => {
    const p = await t.core.call('actions.execute', { workspace: ws, name: 'update_ticket', args: { ticket: 'TCK-000575', status: 'solved' }, source: 'voice', untrusted: true });
    if (p.status !== 'pending') throw new Error('expected pending');
    expect(p.approval).toMatchObject({ untrusted: true, source: 'voice' });
    const done = await t.core.call('actions.approve', { workspace: ws, id: p.approval.id });
    if (done.status !== 'executed') throw new Error('expected execution');
    const ticket = await t.core.services.workspaces.withWorkspace(ws, (c) => c.repos.records.byId('tickets', 575));
    expect(ticket).toMatchObject({ status: 'solved', resolved_at: expect.any(String) });
    expect(done.touched.map((x) => x.entity)).toEqual(['tickets', 'ticket_status_history']);
    const audit = await t.core.call('audit.list', { workspace: ws, action: 'update_ticket' });
    expect(audit.entries[0]).toMatchObject({ untrusted: true, source: 'voice', status: 'ok' });
  });

  it('reads run at once and are audited; an approval whose record vanished fails and writes nothing', async () => {
    const r = await t.core.call('actions.execute', { workspace: ws, name: 'list_deals', args: { stage: ['closed_won'] } });
    if (r.status !== 'done') throw new Error('expected a result');
    expect(r.result).toMatchObject({ entity: 'deals', total: 1, rows: [expect.objectContaining({ id: 9, name: 'Acme expansion' })] });
    expect((await t.core.call('audit.list', { workspace: ws, action: 'list_deals' })).entries[0]).toMatchObject({ id: r.auditId, risk: 'read', status: 'ok' });

    const p = await t.core.call('actions.execute', { workspace: ws, name: 'delete_note', args: { id: 900 } });
    if (p.status !== 'pending') throw new Error('expected pending');
    await t.core.services.workspaces.withWorkspace(ws, (c) => c.db.deleteFrom('notes').where('id', '=', 900).execute());
    await expect(t.core.call('actions.approve', { workspace: ws, id: p.approval.id })).rejects.toMatchObject({ code: 'not_found' });
    expect((await t.core.call('actions.pending', { workspace: ws, status: ['failed'] })).approvals.map((a) => a.id)).toContain(p.approval.id);
    expect((await t.core.call('audit.list', { workspace: ws, action: 'delete_note' })).entries[0]).toMatchObject({ status: 'failed', approvalId: p.approval.id });
  });

  it('bad arguments and unknown actions are typed errors', async () => {
    await expect(t.core.call('actions.execute', { workspace: ws, name: 'create_task', args: { title: 5 } })).rejects.toMatchObject({ code: 'validation' });
    await expect(t.core.call('actions.execute', { workspace: ws, name: 'no_such_action' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.core.call('actions.execute', { workspace: ws, name: 'create_task', args: { title: 'x', dealId: 424242 } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.core.call('actions.approve', { workspace: ws, id: 'apr_missing' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe(`pending approvals survive a restart (${engine})`, () => {
  it('a new core over the same data folder lists and approves the pending write', async () => {
    const dataDir = tempDir();
    const first = makeTestCore({ dataDir });
    await seedActionsWorkspace(first.core, 'r');
    const p = await first.core.call('actions.execute', { workspace: 'r', name: 'log_activity', args: { type: 'call', subject: 'Checked in with Jane', contactId: 57, occurredAt: '2026-06-10T09:00:00Z' } });
    if (p.status !== 'pending') throw new Error('expected pending');
    await first.core.dispose();

    const second = makeTestCore({ dataDir });
    try {
      const pending = await second.core.call('actions.pending', { workspace: 'r' });
      expect(pending.approvals).toEqual([expect.objectContaining({ id: p.approval.id, action: 'log_activity', status: 'pending' })]);
      const done = await second.core.call('actions.approve', { workspace: 'r', id: p.approval.id });
      expect(done.status).toBe('executed');
      const rows = await second.core.services.workspaces.withWorkspace('r', (c) => c.db.selectFrom('activities').selectAll().execute());
      expect(rows).toEqual([expect.objectContaining({ type: 'call', subject: 'Checked in with Jane', contact_id: 57, occurred_at: '2026-06-10T09:00:00Z' })]);
    } finally {
      await second.cleanup();
    }
  });
});
