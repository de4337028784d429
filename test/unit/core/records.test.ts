import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTITIES, getEntity } from '../../../src/shared/entities';
import { childRelations } from '../../../src/shared/records';
import { finish, makeEngineCore, type EngineTestCore } from '../../fixtures/engineCore';

type Row = Record<string, unknown>;

describe('records as people read them (data.record, data.lookup, names in data.browse)', () => {
  let t: EngineTestCore;
  const one = (sql: string, ...args: unknown[]): Row => t.core.services.workspaces.open('w').prepare(sql).get(...args) as Row;
  const count = (sql: string, ...args: unknown[]): number => t.core.services.workspaces.open('w').prepare(sql).pluck().get(...args) as number;

  beforeEach(async () => {
    t = await makeEngineCore();
  });
  afterEach(() => t.cleanup());

  it('names a ticket’s references and lists its comments, SLA events, history and notes with true totals', async () => {
    const r = await t.core.call('data.record', { workspace: 'w', entity: 'tickets', id: 1 });
    const ticket = one('SELECT * FROM tickets WHERE id = 1');
    expect(r.title).toBe(ticket.code);
    expect(r.subtitle).toBe(ticket.subject);
    const account = one('SELECT name FROM accounts WHERE id = ?', ticket.account_id);
    const contact = one('SELECT first_name, last_name FROM contacts WHERE id = ?', ticket.contact_id);
    const agent = one('SELECT name FROM agents WHERE id = ?', ticket.agent_id);
    expect(r.refs).toEqual([
      { column: 'account_id', entity: 'accounts', id: ticket.account_id, title: account.name },
      { column: 'contact_id', entity: 'contacts', id: ticket.contact_id, title: `${contact.first_name as string} ${contact.last_name as string}` },
      { column: 'agent_id', entity: 'agents', id: ticket.agent_id, title: agent.name },
    ]);
    const kinds = Object.fromEntries(r.children.map((c) => [c.entity, c.total]));
    expect(kinds).toEqual({
      ticket_comments: count('SELECT count(*) FROM ticket_comments WHERE ticket_id = 1'),
      ticket_sla_events: count('SELECT count(*) FROM ticket_sla_events WHERE ticket_id = 1'),
      ticket_status_history: count('SELECT count(*) FROM ticket_status_history WHERE ticket_id = 1'),
      notes: count("SELECT count(*) FROM notes WHERE entity_type = 'tickets' AND entity_id = 1"),
    });
    expect(kinds.ticket_comments).toBeGreaterThan(0);
    // Children carry names for their own references (a comment's agent).
    const comments = r.children.find((c) => c.entity === 'ticket_comments')!;
    const withAgent = comments.rows.find((c) => c.agent_id !== null);
    if (withAgent) expect(comments.refs.agent_id?.[String(withAgent.agent_id)]).toBe(one('SELECT name FROM agents WHERE id = ?', withAgent.agent_id).name);
    // Newest first, the child's default order.
    const times = comments.rows.map((c) => String(c.created_at));
    expect(times).toEqual([...times].sort().reverse());
  });

  it('caps each kind of child at childLimit but reports the whole count', async () => {
    const r = await t.core.call('data.record', { workspace: 'w', entity: 'accounts', id: 1, childLimit: 1 });
    const tickets = r.children.find((c) => c.entity === 'tickets')!;
    expect(tickets.total).toBe(count('SELECT count(*) FROM tickets WHERE account_id = 1'));
    expect(tickets.total).toBeGreaterThan(1);
    expect(tickets.rows).toHaveLength(1);
    // An account's children come from the catalog: contacts, deals, tickets, renewals among them.
    expect(r.children.map((c) => c.entity)).toEqual(expect.arrayContaining(['contacts', 'deals', 'tickets', 'renewals']));
  });

  it('includes the insights about the record, newest first', async () => {
    const { jobId } = await t.core.call('insights.analyze', { workspace: 'w', persona: 'ticket_analyst', entityId: 1 });
    const insightId = ((await finish(t, jobId)).result as { insightId: string }).insightId;
    const r = await t.core.call('data.record', { workspace: 'w', entity: 'tickets', id: 1 });
    expect(r.insights.total).toBe(1);
    expect(r.insights.items[0]).toMatchObject({ id: insightId, entityType: 'tickets', entityId: 1 });
    const other = await t.core.call('data.record', { workspace: 'w', entity: 'tickets', id: 2 });
    expect(other.insights.total).toBe(0);
  });

  it('opens a record by the code people see, in any case, and refuses unknown ones with a clear message', async () => {
    const byCode = await t.core.call('data.record', { workspace: 'w', entity: 'tickets', id: 'tck-000003' });
    expect(byCode.id).toBe(3);
    expect((await t.core.call('data.record', { workspace: 'w', entity: 'tickets', id: '#2' })).id).toBe(2);
    await expect(t.core.call('data.record', { workspace: 'w', entity: 'tickets', id: 'TCK-999999' })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/no ticket with the code or name “TCK-999999”/) });
    await expect(t.core.call('data.record', { workspace: 'w', entity: 'tickets', id: 999 })).rejects.toMatchObject({ code: 'not_found', message: 'There is no ticket #999 in this workspace.' });
    await expect(t.core.call('data.record', { workspace: 'w', entity: 'campaign_metrics_daily', id: 1 })).rejects.toMatchObject({ code: 'validation' });
  });

  it('finds records for the picker: exact code first, then the number in a code, prefixes and names', async () => {
    const exact = await t.core.call('data.lookup', { workspace: 'w', entity: 'tickets', query: 'TCK-000003' });
    expect(exact.matches[0]).toMatchObject({ id: 3, title: 'TCK-000003', code: 'TCK-000003' });
    const digits = await t.core.call('data.lookup', { workspace: 'w', entity: 'tickets', query: '4' });
    expect(digits.matches[0]!.id).toBe(4);
    const words = await t.core.call('data.lookup', { workspace: 'w', entity: 'tickets', query: 'invoice' });
    expect(words.matches.map((m) => m.id)).toContain(2);
    expect(words.matches.find((m) => m.id === 2)!.subtitle).toBe('Invoice question');
    const contact = one('SELECT id, first_name, last_name FROM contacts LIMIT 1');
    const people = await t.core.call('data.lookup', { workspace: 'w', entity: 'contacts', query: String(contact.last_name) });
    expect(people.matches.find((m) => m.id === contact.id)?.title).toBe(`${contact.first_name as string} ${contact.last_name as string}`);
    const project = await t.core.call('data.lookup', { workspace: 'w', entity: 'projects', query: 'prj-001' });
    expect(project.matches[0]).toMatchObject({ id: 1, title: 'Acme rollout', subtitle: 'PRJ-001' });
    expect((await t.core.call('data.lookup', { workspace: 'w', entity: 'tickets', query: 'zzqxv' })).matches).toEqual([]);
    // Nothing typed: the first records in the default order, so the picker is never empty.
    expect((await t.core.call('data.lookup', { workspace: 'w', entity: 'tickets', query: '', limit: 2 })).matches).toHaveLength(2);
    // LIKE wildcards are text, not patterns.
    expect((await t.core.call('data.lookup', { workspace: 'w', entity: 'tickets', query: '%' })).matches).toEqual([]);
  });

  it('data.browse names every reference cell, including polymorphic ones', async () => {
    const page = await t.core.call('data.browse', { workspace: 'w', entity: 'tickets', limit: 50 });
    for (const row of page.rows) {
      if (row.account_id !== null) expect(page.refs.account_id?.[String(row.account_id)]).toBe(one('SELECT name FROM accounts WHERE id = ?', row.account_id).name);
    }
    const notes = await t.core.call('data.browse', { workspace: 'w', entity: 'notes' });
    const note = notes.rows.find((n) => n.entity_type === 'tickets')!;
    expect(notes.refs.entity_id?.[`tickets:${String(note.entity_id)}`]).toBe(one('SELECT code FROM tickets WHERE id = ?', note.entity_id).code);
  });

  it('data.browse can list only the rows that point at one record', async () => {
    const page = await t.core.call('data.browse', { workspace: 'w', entity: 'ticket_comments', ref: { column: 'ticket_id', id: 1 } });
    expect(page.total).toBe(count('SELECT count(*) FROM ticket_comments WHERE ticket_id = 1'));
    expect(page.rows.every((r) => r.ticket_id === 1)).toBe(true);
    await expect(t.core.call('data.browse', { workspace: 'w', entity: 'ticket_comments', ref: { column: 'body', id: 1 } })).rejects.toMatchObject({ code: 'validation' });
    await expect(t.core.call('data.browse', { workspace: 'w', entity: 'notes', ref: { column: 'entity_id', id: 1 } })).rejects.toMatchObject({ code: 'validation' });
    const notes = await t.core.call('data.browse', { workspace: 'w', entity: 'notes', ref: { column: 'entity_id', id: 1, entity: 'tickets' } });
    expect(notes.total).toBe(count("SELECT count(*) FROM notes WHERE entity_type = 'tickets' AND entity_id = 1"));
  });

  it('sorts enumerations by their declared order, not alphabetically (low < normal < high < urgent)', async () => {
    const order = getEntity('tickets')!.columns.find((c) => c.name === 'priority')!.values!;
    const asc = await t.core.call('data.browse', { workspace: 'w', entity: 'tickets', sort: { column: 'priority', desc: false } });
    const ranks = asc.rows.map((r) => order.indexOf(r.priority as string));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(asc.rows.map((r) => r.priority)).size).toBeGreaterThan(2);
    const desc = await t.core.call('data.browse', { workspace: 'w', entity: 'tickets', sort: { column: 'priority', desc: true } });
    expect(desc.rows.map((r) => r.priority)).toEqual([...asc.rows.map((r) => r.priority)].reverse());
    // Alphabetical would put "high" before "low".
    expect(asc.rows.findIndex((r) => r.priority === 'low')).toBeLessThan(asc.rows.findIndex((r) => r.priority === 'high'));
  });

  it('every child relation in the catalog is answerable (no switch per entity type)', async () => {
    const db = t.core.services.workspaces.open('w');
    let checked = 0;
    for (const parent of ENTITIES.filter((e) => e.primaryKey.length === 1)) {
      const first = db.prepare(`SELECT min(id) FROM ${parent.table}`).pluck().get() as number | null;
      if (first === null) continue;
      const r = await t.core.services.workspaces.withWorkspace('w', (ctx) => t.core.services.records.record(ctx.repos.records, parent.key, first));
      checked++;
      for (const c of r.children) expect(childRelations(parent.key).some((rel) => rel.child.key === c.entity && rel.column.name === c.column)).toBe(true);
    }
    expect(checked).toBeGreaterThan(25);
  });
});
