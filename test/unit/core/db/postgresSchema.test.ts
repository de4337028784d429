import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../../../src/main/core/db/migrate';
import { postgresWorkspaceMigrations } from '../../../../src/main/core/db/migrations/workspace';
import { openDatabase, type Db } from '../../../../src/main/core/db/open';
import { tempDir } from '../../../fixtures/core';
import { describePostgres, openTestStore, type TestStore } from '../../../fixtures/engines';

interface PgColumn {
  table_name: string;
  column_name: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  is_identity: 'YES' | 'NO';
}

/** Columns PostgreSQL has beyond SQLite's: the rowid stand-ins (dialect.rowid()). */
const PG_ONLY = new Set(['gateway_usage.rowid', 'coaching_reports.rowid']);
/**
 * SQLite's FTS5 table and PostgreSQL's tsvector table share a name and a purpose, not a shape; each runner keeps its
 * own record of applied versions (PostgreSQL's also names the app version).
 */
const ENGINE_SPECIFIC_TABLES = new Set(['insights_fts', 'schema_migrations']);

describePostgres('PostgreSQL workspace schema ↔ SQLite schema', () => {
  let t: TestStore;
  let lite: Db;
  let pgColumns: PgColumn[];

  beforeAll(async () => {
    t = await openTestStore('postgres');
    const dir = tempDir();
    lite = openDatabase(join(dir, 'w.sqlite'));
    migrate(lite, postgresWorkspaceMigrations, { backupDir: join(dir, 'b'), label: 'w' });
    pgColumns = (
      await sql<PgColumn>`SELECT table_name, column_name, is_nullable, column_default, is_identity FROM information_schema.columns WHERE table_schema = current_schema()`.execute(t.store.db)
    ).rows;
  });
  afterAll(async () => {
    lite.close();
    await t.cleanup();
  });

  const liteTables = (): string[] =>
    (lite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[])
      .filter((r) => !/^CREATE VIRTUAL/i.test(r.sql) && !r.name.startsWith('insights_fts_'))
      .map((r) => r.name)
      .filter((n) => !ENGINE_SPECIFIC_TABLES.has(n));

  it('has the same tables', () => {
    const pgTables = [...new Set(pgColumns.map((c) => c.table_name))].filter((n) => !ENGINE_SPECIFIC_TABLES.has(n)).sort();
    expect(pgTables).toEqual(liteTables().sort());
  });

  it('has the same columns, nullability and defaults in every table; integer keys are identity columns', () => {
    for (const table of liteTables()) {
      const cols = lite.pragma(`table_info(${table})`) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
      const pg = pgColumns.filter((c) => c.table_name === table);
      const extra = pg.map((c) => `${table}.${c.column_name}`).filter((n) => !cols.some((c) => `${table}.${c.name}` === n));
      expect(extra.filter((n) => !PG_ONLY.has(n)), `${table}: columns only on PostgreSQL`).toEqual([]);
      for (const c of cols) {
        const p = pg.find((x) => x.column_name === c.name);
        expect(p, `${table}.${c.name} exists on PostgreSQL`).toBeDefined();
        const rowidAlias = c.pk === 1 && c.type === 'INTEGER' && cols.filter((x) => x.pk > 0).length === 1;
        if (rowidAlias) expect(p!.is_identity, `${table}.${c.name} is an identity column`).toBe('YES');
        const required = c.notnull === 1 || c.pk > 0;
        expect(p!.is_nullable === 'NO', `${table}.${c.name} NOT NULL`).toBe(required);
        if (c.dflt_value !== null) {
          // PostgreSQL spells defaults with casts ('[]'::text); compare the literal.
          const normalized = (p!.column_default ?? '')
            .replace(/::[a-z ]+$/, '')
            .replace(/^\((.*)\)$/, '$1')
            .replace(/^'(-?\d+(?:\.\d+)?)'$/, '$1');
          expect(normalized, `${table}.${c.name} default`).toBe(c.dflt_value);
        } else if (!rowidAlias && p!.is_identity === 'NO') expect(p!.column_default, `${table}.${c.name} has no default`).toBeNull();
      }
    }
  });

  it('keeps the insight search document in step like the FTS5 triggers: pending rows wait, edits re-index, deletes cascade', async () => {
    const db = t.store.db;
    const base = { domain: 'support', type: 'persona', trigger: 'on_demand', created_at: '2026-03-01T00:00:00Z' };
    await db.insertInto('insights').values({ ...base, id: 'i1', status: 'pending', title: 'Waiting' }).execute();
    await db
      .insertInto('insights')
      .values({
        ...base,
        id: 'i2',
        status: 'completed',
        title: 'Refund backlog',
        summary: 'Customers wait for refunds',
        recommendations: JSON.stringify([{ action: 'Escalate quickly', rationale: 'churn risk' }]),
        factors: JSON.stringify([{ text: 'volume spike' }]),
        entity_title: 'Acme Corp',
      })
      .execute();
    const matches = async (q: string): Promise<string[]> =>
      (await sql<{ id: string }>`SELECT i.id FROM insights i JOIN insights_fts f ON f.seq = i.seq WHERE f.document @@ to_tsquery('simple', ${q}) ORDER BY i.id`.execute(db)).rows.map((r) => r.id);
    expect(await matches('waiting')).toEqual([]);
    expect(await matches('escalate & churn')).toEqual(['i2']);
    expect(await matches('spike')).toEqual(['i2']);
    expect(await matches('acme')).toEqual(['i2']);
    expect(await matches('ref:*')).toEqual(['i2']);
    await db.updateTable('insights').set({ status: 'completed', title: 'Waiting no more' }).where('id', '=', 'i1').execute();
    expect(await matches('waiting')).toEqual(['i1']);
    await db.deleteFrom('insights').where('id', '=', 'i2').execute();
    expect(await matches('escalate')).toEqual([]);
    expect((await sql<{ n: number }>`SELECT count(*) AS n FROM insights_fts`.execute(db)).rows[0]!.n).toBe(1);
  });
});
