import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../../fixtures/core';
import { requireEngine } from '../../fixtures/engines';

const { engine } = requireEngine();

/**
 * data.record, data.lookup and the names, filters and enumeration order of data.browse through the record
 * repository, on either engine (`npm run test:pg` runs this file on PostgreSQL). The data is written with Kysely.
 */
describe(`records as people read them (${engine})`, () => {
  let t: TestCore;
  const at = '2026-03-01T10:00:00Z';

  beforeAll(async () => {
    t = makeTestCore();
    await t.core.call('workspace.create', { name: 'w' });
    await t.core.services.workspaces.withWorkspace('w', (ctx) =>
      ctx.transaction(async (tx) => {
        await tx.db.insertInto('users').values({ id: 4, name: 'Isaac Romano', role: 'sales', created_at: at }).execute();
        await tx.db
          .insertInto('accounts')
          .values([
            { id: 22, name: 'Acme Corp', domain: 'acme.example', tier: 'enterprise', owner_id: 4, created_at: at },
            { id: 23, name: 'Northwind', domain: 'northwind.example', tier: 'smb', owner_id: 4, created_at: at },
          ])
          .execute();
        await tx.db.insertInto('contacts').values({ id: 57, account_id: 22, first_name: 'Jane', last_name: 'Roe', owner_id: 4, created_at: at }).execute();
        await tx.db.insertInto('agents').values({ id: 1, name: 'Andre Martin', active: 1 }).execute();
        const priorities = ['urgent', 'low', 'high', 'normal', 'high', 'low'];
        await tx.db
          .insertInto('tickets')
          .values(
            priorities.map((priority, i) => ({
              id: 570 + i,
              code: `TCK-000${570 + i}`,
              subject: i === 5 ? 'Account locked after failed attempts' : `Printer ${i}`,
              status: 'open',
              priority,
              account_id: i % 2 ? 23 : 22,
              contact_id: i % 2 ? null : 57,
              agent_id: 1,
              created_at: `2026-03-0${i + 1}T10:00:00Z`,
            })),
          )
          .execute();
        await tx.db
          .insertInto('ticket_comments')
          .values([1, 2, 3].map((n) => ({ id: 940 + n, ticket_id: 575, author_type: 'agent', author_name: 'Andre Martin', agent_id: 1, body: `Update ${n}`, internal: 0, created_at: `2026-03-0${n}T11:00:00Z` })))
          .execute();
        await tx.db.insertInto('notes').values({ id: 1, entity_type: 'tickets', entity_id: 575, body: 'Reference customer', author_id: 4, created_at: at }).execute();
      }),
    );
  });
  afterAll(async () => t.cleanup());

  it('names references, lists children with totals (polymorphic notes too), and takes the code', async () => {
    const r = await t.core.call('data.record', { workspace: 'w', entity: 'tickets', id: 'tck-000575' });
    expect(r).toMatchObject({ id: 575, title: 'TCK-000575', subtitle: 'Account locked after failed attempts' });
    expect(r.refs).toEqual([
      { column: 'account_id', entity: 'accounts', id: 23, title: 'Northwind' },
      { column: 'agent_id', entity: 'agents', id: 1, title: 'Andre Martin' },
    ]);
    const kinds = Object.fromEntries(r.children.map((c) => [c.entity, c.total]));
    expect(kinds).toEqual({ ticket_comments: 3, notes: 1 });
    const comments = r.children.find((c) => c.entity === 'ticket_comments')!;
    expect(comments.rows.map((c) => c.id)).toEqual([943, 942, 941]);
    expect(comments.refs.agent_id).toEqual({ '1': 'Andre Martin' });
    const account = await t.core.call('data.record', { workspace: 'w', entity: 'accounts', id: 22, childLimit: 2 });
    const tickets = account.children.find((c) => c.entity === 'tickets')!;
    expect(tickets).toMatchObject({ total: 3 });
    expect(tickets.rows).toHaveLength(2);
    expect(account.children.find((c) => c.entity === 'contacts')!.rows[0]).toMatchObject({ first_name: 'Jane', last_name: 'Roe' });
    await expect(t.core.call('data.record', { workspace: 'w', entity: 'tickets', id: 'TCK-9' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('finds records by exact code, the number in a code, a prefix and a name', async () => {
    const code = await t.core.call('data.lookup', { workspace: 'w', entity: 'tickets', query: 'tck-000572' });
    expect(code.matches[0]).toMatchObject({ id: 572, code: 'TCK-000572' });
    const digits = await t.core.call('data.lookup', { workspace: 'w', entity: 'tickets', query: '573' });
    expect(digits.matches[0]!.id).toBe(573);
    const word = await t.core.call('data.lookup', { workspace: 'w', entity: 'tickets', query: 'locked' });
    expect(word.matches.map((m) => m.id)).toEqual([575]);
    const people = await t.core.call('data.lookup', { workspace: 'w', entity: 'contacts', query: 'roe' });
    expect(people.matches[0]).toMatchObject({ id: 57, title: 'Jane Roe' });
    const first = await t.core.call('data.lookup', { workspace: 'w', entity: 'accounts', query: '', limit: 1 });
    expect(first.matches).toEqual([{ id: 22, title: 'Acme Corp', subtitle: 'acme.example', code: null }]);
    expect((await t.core.call('data.lookup', { workspace: 'w', entity: 'tickets', query: '100%' })).matches).toEqual([]);
  });

  it('browse names references, filters to one record’s rows, and sorts enumerations in their order', async () => {
    const page = await t.core.call('data.browse', { workspace: 'w', entity: 'tickets', sort: { column: 'priority', desc: false } });
    expect(page.rows.map((r) => r.priority)).toEqual(['low', 'low', 'normal', 'high', 'high', 'urgent']);
    expect(page.refs.account_id).toEqual({ '22': 'Acme Corp', '23': 'Northwind' });
    expect(page.refs.contact_id).toEqual({ '57': 'Jane Roe' });
    const desc = await t.core.call('data.browse', { workspace: 'w', entity: 'tickets', sort: { column: 'priority', desc: true } });
    expect(desc.rows.map((r) => r.priority)).toEqual(['urgent', 'high', 'high', 'normal', 'low', 'low']);
    const mine = await t.core.call('data.browse', { workspace: 'w', entity: 'ticket_comments', ref: { column: 'ticket_id', id: 575 }, limit: 2 });
    expect(mine.total).toBe(3);
    expect(mine.rows).toHaveLength(2);
    const notes = await t.core.call('data.browse', { workspace: 'w', entity: 'notes', ref: { column: 'entity_id', id: 575, entity: 'tickets' } });
    expect(notes.total).toBe(1);
    expect(notes.refs.entity_id).toEqual({ 'tickets:575': 'TCK-000575' });
  });
});
