import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectFor, fromExcluded, insertReturningId, type Dialect } from '../../../../src/main/core/db/dialect';
import type { WorkspaceDatabase } from '../../../../src/main/core/db/schema/workspace';
import { openTestStore, requireEngine, type TestStore } from '../../../fixtures/engines';

/**
 * The dialect helpers must give the same answers on both engines: this file runs on SQLite in `npm test` and on
 * PostgreSQL in `npm run test:pg`, with the same expected values.
 */
const { engine } = requireEngine();

describe(`dialect helpers (${engine})`, () => {
  let t: TestStore;
  let db: Kysely<WorkspaceDatabase>;
  let d: Dialect;
  // Parameters get an explicit type, which PostgreSQL needs to resolve functions over them.
  const txt = (v: string | null): RawBuilder<string> => sql`CAST(${v} AS TEXT)`;
  const num = (v: number): RawBuilder<number> => sql`CAST(${v} AS DOUBLE PRECISION)`;
  const value = async <T>(expr: Expression<T>): Promise<T> => (await sql<{ v: T }>`SELECT ${expr} AS v`.execute(db)).rows[0]!.v;

  beforeAll(async () => {
    t = await openTestStore(engine);
    db = t.store.db;
    d = t.store.dialect;
    await sql`CREATE TABLE scratch_dialect (id INTEGER PRIMARY KEY, g INTEGER NOT NULL, v TEXT, at TEXT, n DOUBLE PRECISION, f INTEGER NOT NULL DEFAULT 0)`.execute(db);
  });
  afterAll(() => t.cleanup());

  it('is the dialect of its engine', () => {
    expect(d).toBe(dialectFor(engine));
    expect(d.engine).toBe(engine);
  });

  it('matches text ignoring case, with wildcards only where asked for', async () => {
    expect(await value(d.asFlag(d.equalsIgnoreCase(txt('Acme'), 'aCME')))).toBe(1);
    expect(await value(d.asFlag(d.equalsIgnoreCase(txt('Acme'), 'Acm')))).toBe(0);
    expect(await value(d.asFlag(d.likeIgnoreCase(txt('Hello World'), 'hello%')))).toBe(1);
    expect(await value(d.asFlag(d.likeIgnoreCase(txt('Hello World'), 'world%')))).toBe(0);
    expect(await value(d.asFlag(d.containsIgnoreCase(txt('We are 100% SURE'), '0% s')))).toBe(1);
    expect(await value(d.asFlag(d.containsIgnoreCase(txt('1000 sure'), '0% s')))).toBe(0);
    expect(await value(d.asFlag(d.containsIgnoreCase(txt('a_b'), '_')))).toBe(1);
    expect(await value(d.asFlag(d.containsIgnoreCase(txt('ab'), '_')))).toBe(0);
    expect(await value(d.asFlag(d.containsIgnoreCase(txt('C:\\temp'), ':\\T')))).toBe(1);
    expect(await value(d.asFlag(d.startsWithIgnoreCase(txt('TCK-000123'), 'tck-')))).toBe(1);
    expect(await value(d.asFlag(d.startsWithIgnoreCase(txt('xTCK'), 'tck')))).toBe(0);
  });

  it('orders text by bytes on both engines', async () => {
    const words = ['b', 'B', 'a', 'A', 'é', 'Z', 'a b', 'ab'];
    for (const [i, w] of words.entries()) await sql`INSERT INTO scratch_dialect (id, g, v) VALUES (${100 + i}, 9, ${w})`.execute(db);
    const { rows } = await sql<{ v: string }>`SELECT v FROM scratch_dialect WHERE g = 9 ORDER BY ${d.binaryOrder(sql.ref('v'))}`.execute(db);
    expect(rows.map((r) => r.v)).toEqual(['A', 'B', 'Z', 'a', 'a b', 'ab', 'b', 'é']);
  });

  it('reads JSON stored as text', async () => {
    const j = txt(JSON.stringify({ a: { b: [10, { c: 'x' }] }, s: 'str', n: 2.5, arr: [1, 2, 3] }));
    expect(await value(d.jsonText(j, ['s']))).toBe('str');
    expect(await value(d.jsonText(j, ['a', 'b', 1, 'c']))).toBe('x');
    expect(await value(d.jsonText(j, ['missing']))).toBeNull();
    expect(await value(d.jsonNumber(j, ['n']))).toBe(2.5);
    expect(await value(d.jsonNumber(j, ['a', 'b', 0]))).toBe(10);
    expect(await value(d.jsonNumber(j, ['s']))).toBeNull();
    expect(await value(d.jsonArrayLength(j, ['arr']))).toBe(3);
    expect(await value(d.jsonArrayLength(j, ['s']))).toBeNull();
    expect(await value(d.jsonArrayLength(txt('[1,2]')))).toBe(2);
    expect(() => d.jsonText(j, ["a'); DROP TABLE x; --"])).toThrow(/Unsupported JSON path/);
  });

  it('truncates ISO timestamps to days, ISO weeks, months, quarters and years', async () => {
    const cases: [string, Parameters<Dialect['truncateDate']>[1], string][] = [
      ['2026-03-04T10:00:00Z', 'week', '2026-03-02'], // Wednesday → Monday
      ['2026-03-01T23:59:59.999Z', 'week', '2026-02-23'], // Sunday belongs to the week before
      ['2026-03-02T00:00:00Z', 'week', '2026-03-02'], // Monday stays
      ['2026-03-04T10:00:00.000Z', 'day', '2026-03-04'],
      ['2026-02-28', 'day', '2026-02-28'],
      ['2026-02-28T23:00:00Z', 'month', '2026-02-01'],
      ['2026-05-15T08:00:00Z', 'quarter', '2026-04-01'],
      ['2026-12-31T23:59:59.999Z', 'quarter', '2026-10-01'],
      ['2026-01-01', 'quarter', '2026-01-01'],
      ['2026-09-30', 'quarter', '2026-07-01'],
      ['2026-07-04T12:00:00Z', 'year', '2026-01-01'],
    ];
    for (const [at, unit, expected] of cases) expect(await value(d.truncateDate(txt(at), unit)), `${unit} of ${at}`).toBe(expected);
  });

  it('moves timestamps by intervals, clamping month ends, and measures between them', async () => {
    expect(await value(d.addInterval(txt('2026-01-31T10:00:00Z'), 1, 'month'))).toBe('2026-02-28T10:00:00.000Z');
    expect(await value(d.addInterval(txt('2024-02-29T00:00:00Z'), 1, 'year'))).toBe('2025-02-28T00:00:00.000Z');
    expect(await value(d.addInterval(txt('2026-03-01T00:00:00Z'), -1, 'day'))).toBe('2026-02-28T00:00:00.000Z');
    expect(await value(d.addInterval(txt('2026-03-01T00:00:00Z'), 90, 'minute'))).toBe('2026-03-01T01:30:00.000Z');
    expect(await value(d.addInterval(txt('2026-03-01T00:00:00Z'), 2, 'week'))).toBe('2026-03-15T00:00:00.000Z');
    expect(await value(d.addInterval(txt('2026-03-01T00:00:00.250Z'), 30, 'second'))).toBe('2026-03-01T00:00:30.250Z');
    expect(await value(d.addInterval(txt('2026-03-01'), 1, 'day'))).toBe('2026-03-02T00:00:00.000Z');
    expect(await value(d.addInterval(txt('2026-03-01T00:00:00Z'), sql<number>`CAST(${3} AS INTEGER)`, 'hour'))).toBe('2026-03-01T03:00:00.000Z');
    expect(await value(d.toDate(txt('2026-03-01T23:59:59Z')))).toBe('2026-03-01');
    expect(await value(d.epochSeconds(txt('1970-01-02T00:00:00Z')))).toBe(86_400);
    expect(await value(d.epochSeconds(txt('1970-01-01T00:00:01.5Z')))).toBe(1.5);
    expect(await value(d.secondsBetween(txt('2026-01-01T00:01:00Z'), txt('2026-01-01T00:00:00Z')))).toBe(60);
    expect(await value(d.daysBetween(txt('2026-01-03T12:00:00Z'), txt('2026-01-01T00:00:00Z')))).toBe(2.5);
    const now = await value(d.nowIso());
    expect(now).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(now) - Date.now())).toBeLessThan(10 * 60_000);
  });

  it('groups by a truncated date (the expression is the same text in SELECT and GROUP BY)', async () => {
    const at = ['2026-01-05T10:00:00Z', '2026-01-20T10:00:00Z', '2026-02-02T00:00:00Z', '2026-04-10T00:00:00Z'];
    for (const [i, a] of at.entries()) await sql`INSERT INTO scratch_dialect (id, g, at, n) VALUES (${200 + i}, 7, ${a}, ${i + 1})`.execute(db);
    const month = d.truncateDate(sql.ref('at'), 'month');
    const { rows } = await sql<{ m: string; c: number; total: number }>`SELECT ${month} AS m, count(*) AS c, sum(n) AS total FROM scratch_dialect WHERE g = 7 GROUP BY ${month} ORDER BY ${month}`.execute(db);
    expect(rows).toEqual([
      { m: '2026-01-01', c: 2, total: 3 },
      { m: '2026-02-01', c: 1, total: 3 },
      { m: '2026-04-01', c: 1, total: 4 },
    ]);
  });

  it('spells aggregates, casts and booleans the same way', async () => {
    for (const [i, v] of ['x', 'y', 'z'].entries()) await sql`INSERT INTO scratch_dialect (id, g, v, f) VALUES (${300 + i}, 5, ${v}, ${d.flag(i !== 1)})`.execute(db);
    const agg = (await sql<{ s: string }>`SELECT ${d.stringAgg(sql.ref('v'), '|')} AS s FROM scratch_dialect WHERE g = 5`.execute(db)).rows[0]!.s;
    expect(agg.split('|').sort()).toEqual(['x', 'y', 'z']);
    const set = (await sql<{ v: string }>`SELECT v FROM scratch_dialect WHERE g = 5 AND ${d.isSet(sql.ref('f'))} ORDER BY v`.execute(db)).rows.map((r) => r.v);
    expect(set).toEqual(['x', 'z']);
    expect(await value(d.greatest(num(1), num(5), num(3)))).toBe(5);
    expect(await value(d.least(num(4), num(2), num(3)))).toBe(2);
    expect(await value(sql<number>`CAST(${1} AS INTEGER) / CAST(${2} AS INTEGER)`)).toBe(0);
    expect(await value(sql<number>`${d.toReal(sql`CAST(${1} AS INTEGER)`)} / CAST(${2} AS INTEGER)`)).toBe(0.5);
    expect(await value(d.toInteger(num(-2.7)))).toBe(-2);
    expect(await value(d.toInteger(num(2.7)))).toBe(2);
    const flag = await value(d.asFlag(sql`1 < 2`));
    expect(flag).toBe(1);
    expect(typeof flag).toBe('number');
    expect(d.flag(true)).toBe(1);
    expect(d.flag(false)).toBe(0);
  });

  it('counts come back as numbers', async () => {
    const n = await value(sql<number>`(SELECT count(*) FROM scratch_dialect)`);
    expect(typeof n).toBe('number');
    const s = await value(sql<number>`(SELECT sum(g) FROM scratch_dialect WHERE g = 5)`);
    expect(s).toBe(15);
  });

  it('orders rows without an integer key by insertion (rowid)', async () => {
    for (const id of ['c', 'a', 'b']) {
      await db
        .insertInto('gateway_usage')
        .values({ id, at: '2026-01-01T00:00:00Z', day: '2026-01-01', workspace: 'w', use_case: 'u', operation: 'chat', status: 'ok' })
        .execute();
    }
    const rows = await db.selectFrom('gateway_usage').select('id').orderBy(d.rowid(), 'desc').execute();
    expect(rows.map((r) => r.id)).toEqual(['b', 'a', 'c']);
  });

  it('inserts returning the new id, upserts, and moves identity columns past explicit ids', async () => {
    const first = await insertReturningId(db.insertInto('users').values({ name: 'Ann', role: 'agent', created_at: '2026-01-01T00:00:00Z' }));
    expect(first).toBeGreaterThan(0);
    await db
      .insertInto('users')
      .values([10, 11, 12].map((id) => ({ id, name: `U${id}`, role: 'agent', created_at: '2026-01-01T00:00:00Z' })))
      .execute();
    await d.resetIdentity(db, 'users');
    const next = await insertReturningId(db.insertInto('users').values({ name: 'Bob', role: 'agent', created_at: '2026-01-01T00:00:00Z' }));
    expect(next).toBe(13);

    for (const v of ['one', 'two']) {
      await db
        .insertInto('workspace_meta')
        .values({ key: 'k', value: v })
        .onConflict((oc) => oc.column('key').doUpdateSet(fromExcluded(['value'])))
        .execute();
    }
    expect(await db.selectFrom('workspace_meta').select('value').where('key', '=', 'k').executeTakeFirst()).toEqual({ value: 'two' });
  });

  it('lists the workspace tables (the search index tables only where SQLite holds them)', async () => {
    const tables = await d.listTables(db);
    expect(tables).toEqual(expect.arrayContaining(['tickets', 'insights', 'workspace_meta', 'gateway_usage', 'scratch_dialect']));
    expect(tables.includes('vec_versions')).toBe(engine === 'sqlite');
    expect(tables).not.toContain('schema_migrations'.replace('schema', 'sqlite'));
  });
});
