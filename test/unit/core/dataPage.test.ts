import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../../src/shared/errors';
import { ENTITIES } from '../../../src/shared/entities';
import { makeTestCore, type TestCore } from '../../fixtures/core';
import { requireEngine } from '../../fixtures/engines';

const { engine } = requireEngine();

const rejection = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
};

/** The Data page's reads (data.stats, data.browse, data.get) through the record repository, on either engine. */
describe(`Data page reads (${engine})`, () => {
  let t: TestCore;
  const names = ['beta Corp', 'Alpha Ltd', 'alpha labs', 'Zeta 100% Co', 'Émile SA', 'Gamma_x', 'Delta'];

  beforeAll(async () => {
    t = makeTestCore();
    await t.core.call('workspace.create', { name: 'w' });
    await t.core.services.workspaces.withWorkspace('w', (ctx) =>
      ctx.transaction(async (tx) => {
        await tx.db
          .insertInto('users')
          .values({ id: 1, name: 'Owner', role: 'sales', created_at: '2026-01-01T00:00:00Z' })
          .execute();
        await tx.db
          .insertInto('accounts')
          .values(
            names.map((name, i) => ({
              id: i + 1,
              name,
              domain: `d${i}.example`,
              industry: i % 2 ? 'Retail' : 'SaaS',
              region: i === 3 ? null : 'EMEA',
              employees: i === 2 ? null : (i + 1) * 10,
              arr: i * 1000.5,
              tier: 'smb',
              lifecycle: 'customer',
              owner_id: 1,
              created_at: `2026-01-0${i + 1}T00:00:00Z`,
            })),
          )
          .execute();
        await tx.dialect.resetIdentity(tx.db, 'accounts');
      }),
    );
  });
  afterAll(() => t.cleanup());

  it('counts every entity table in one go', async () => {
    const { counts } = await t.core.call('data.stats', { workspace: 'w' });
    expect(Object.keys(counts).sort()).toEqual(ENTITIES.map((e) => e.table).sort());
    expect(counts).toMatchObject({ accounts: names.length, users: 1, tickets: 0 });
    for (const n of Object.values(counts)) expect(typeof n).toBe('number');
  });

  it('sorts text byte-wise, the same on both engines, with a stable tie-break', async () => {
    const { rows, total } = await t.core.call('data.browse', { workspace: 'w', entity: 'accounts' });
    expect(total).toBe(names.length);
    expect(rows.map((r) => r.name)).toEqual(['Alpha Ltd', 'Delta', 'Gamma_x', 'Zeta 100% Co', 'alpha labs', 'beta Corp', 'Émile SA']);
    // Only visible columns, values typed as numbers where the column is numeric.
    expect(rows[0]).toMatchObject({ id: 2, employees: 20, arr: 1000.5 });
  });

  it('puts empty values last in either direction, and pages without gaps or repeats', async () => {
    const asc = await t.core.call('data.browse', { workspace: 'w', entity: 'accounts', sort: { column: 'employees', desc: false } });
    expect(asc.rows.map((r) => r.employees)).toEqual([10, 20, 40, 50, 60, 70, null]);
    const desc = await t.core.call('data.browse', { workspace: 'w', entity: 'accounts', sort: { column: 'region', desc: true } });
    expect(desc.rows.at(-1)!.region).toBeNull();
    const pages = [];
    for (let offset = 0; offset < names.length; offset += 3) {
      pages.push(...(await t.core.call('data.browse', { workspace: 'w', entity: 'accounts', sort: { column: 'industry', desc: false }, offset, limit: 3 })).rows);
    }
    expect(pages.map((r) => r.id).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('searches across the search columns ignoring case, with % and _ taken literally, and by id', async () => {
    const search = async (s: string): Promise<string[]> => (await t.core.call('data.browse', { workspace: 'w', entity: 'accounts', search: s })).rows.map((r) => String(r.name));
    expect(await search('ALPHA')).toEqual(['Alpha Ltd', 'alpha labs']);
    expect(await search('100%')).toEqual(['Zeta 100% Co']);
    expect(await search('a_x')).toEqual(['Gamma_x']);
    expect(await search('%')).toEqual(['Zeta 100% Co']);
    expect(await search('retail')).toEqual(['Alpha Ltd', 'Gamma_x', 'Zeta 100% Co']);
    expect(await search('d4.example')).toEqual(['Émile SA']);
    expect(await search('6')).toEqual(['Delta', 'Gamma_x']); // Delta's domain is d6.example; Gamma_x has id 6
    const { total } = await t.core.call('data.browse', { workspace: 'w', entity: 'accounts', search: 'nothing like this' });
    expect(total).toBe(0);
  });

  it('a table without searchable columns matches nothing for a search', async () => {
    const { rows, total } = await t.core.call('data.browse', { workspace: 'w', entity: 'campaign_metrics_daily', search: 'x' });
    expect({ rows, total }).toEqual({ rows: [], total: 0 });
  });

  it('looks one record up by id, with a title, and says clearly when it is missing', async () => {
    const { record, title } = await t.core.call('data.get', { workspace: 'w', entity: 'accounts', id: 5 });
    expect(title).toBe('Émile SA');
    expect(record).toMatchObject({ id: 5, name: 'Émile SA', owner_id: 1, created_at: '2026-01-05T00:00:00Z' });
    expect((await t.core.call('data.get', { workspace: 'w', entity: 'accounts', id: '5' })).record.id).toBe(5);
    const missing = await rejection(t.core.call('data.get', { workspace: 'w', entity: 'accounts', id: 999 }));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toBe('There is no account with id 999.');
    expect((await rejection(t.core.call('data.get', { workspace: 'w', entity: 'accounts', id: 'abc' }))).code).toBe('not_found');
    expect((await rejection(t.core.call('data.get', { workspace: 'w', entity: 'campaign_metrics_daily', id: 1 }))).code).toBe('validation');
  });

  it('refuses to sort by a column the entity does not have', async () => {
    const e = await rejection(t.core.call('data.browse', { workspace: 'w', entity: 'accounts', sort: { column: 'name; DROP TABLE accounts', desc: false } }));
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/Cannot sort Accounts by/);
  });

  it('new rows after explicit ids get fresh ids (identity columns moved past them)', async () => {
    const id = await t.core.services.workspaces.withWorkspace('w', async (ctx) => {
      const row = await ctx.db.insertInto('accounts').values({ name: 'Next', created_at: '2026-02-01T00:00:00Z' }).returning('id').executeTakeFirstOrThrow();
      await ctx.db.deleteFrom('accounts').where('id', '=', row.id).execute();
      return row.id;
    });
    expect(id).toBe(names.length + 1);
  });
});
