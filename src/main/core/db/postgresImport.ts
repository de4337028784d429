import type pg from 'pg';
import type { PostgresLocation } from './location';
import { createPostgresPool, describePostgresError } from './postgres';
import { PostgresBulkWriter, type BulkValue } from './postgresBulk';

/** One checked row waiting to be written, with the references it makes (checked against the database). */
export interface ImportRow {
  line: number;
  values: BulkValue[];
  refs: { column: string; table: string; value: number | string; message: string }[];
}

/**
 * Where CSV import writes, per engine. Rows arrive one at a time; an implementation may hold them and write them in
 * batches, reporting each row's fate through the callbacks (a row is bad once, for every reason found). Everything
 * runs in one transaction that `end(commit)` commits or rolls back: all or nothing.
 */
export interface ImportTarget {
  add(row: ImportRow): Promise<void> | void;
  /** Writes rows still held. */
  flush(): Promise<void> | void;
  end(commit: boolean): Promise<void> | void;
}

export interface ImportCallbacks {
  written(line: number): void;
  bad(line: number, column: string | null, reason: string): void;
}

const BATCH = 1_000;

/** What a constraint violation means for the person importing (SQLSTATE class 23). */
function describeRowError(error: unknown, label: string): string {
  const e = error as { code?: string; detail?: string; column?: string; message?: string };
  switch (e.code) {
    case '23505': {
      const key = /Key \(([^)]+)\)=/.exec(e.detail ?? '')?.[1];
      return `${key ?? 'a unique value'} already exists in ${label}`;
    }
    case '23503':
      return 'refers to a record that does not exist';
    case '23502':
      return `a required value is missing (${e.column ?? 'a column'})`;
    default:
      return e.message ?? String(error);
  }
}

/**
 * CSV import into a PostgreSQL workspace: rows are held in batches of 1,000; each batch's references are checked with
 * one query per referenced table, then the good rows go in as one multi-row INSERT under a savepoint. If that INSERT
 * fails (a duplicate key, a constraint), the batch is retried row by row, each under its own savepoint, so every
 * bad row is named and the good ones stay, exactly as on SQLite, where rows are written one by one.
 */
export async function postgresImportTarget(location: PostgresLocation, table: string, label: string, columns: readonly string[], callbacks: ImportCallbacks): Promise<ImportTarget> {
  const pool = createPostgresPool(location, { max: 1, statementTimeoutMs: 0 });
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
    await client.query('BEGIN');
  } catch (error) {
    await pool.end().catch(() => {});
    throw describePostgresError(error, location.url);
  }
  const writer = new PostgresBulkWriter(client);
  let held: ImportRow[] = [];
  let savepoints = 0;

  const missingRefs = async (rows: ImportRow[]): Promise<Set<ImportRow>> => {
    const byTable = new Map<string, Set<number>>();
    for (const r of rows) for (const ref of r.refs) if (typeof ref.value === 'number') (byTable.get(ref.table) ?? byTable.set(ref.table, new Set()).get(ref.table)!).add(ref.value);
    const found = new Map<string, Set<number>>();
    for (const [t, ids] of byTable) {
      const res = await client.query<{ id: number }>(`SELECT id FROM "${t}" WHERE id = ANY($1::bigint[])`, [[...ids]]);
      found.set(t, new Set(res.rows.map((x) => Number(x.id))));
    }
    const bad = new Set<ImportRow>();
    for (const r of rows) {
      for (const ref of r.refs) {
        if (typeof ref.value !== 'number' || !found.get(ref.table)?.has(ref.value)) {
          callbacks.bad(r.line, ref.column, ref.message);
          bad.add(r);
        }
      }
    }
    return bad;
  };

  const underSavepoint = async (fn: () => Promise<void>): Promise<unknown> => {
    const name = `idesk_import_${++savepoints}`;
    await client.query(`SAVEPOINT ${name}`);
    try {
      await fn();
      await client.query(`RELEASE SAVEPOINT ${name}`);
      return null;
    } catch (error) {
      await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      if ((error as { code?: string }).code?.startsWith('23')) return error;
      throw error;
    }
  };

  const flush = async (): Promise<void> => {
    if (held.length === 0) return;
    const rows = held;
    held = [];
    const bad = await missingRefs(rows);
    const good = rows.filter((r) => !bad.has(r));
    if (good.length === 0) return;
    const failed = await underSavepoint(() => writer.insert(table, columns, good.map((r) => r.values)));
    if (!failed) {
      for (const r of good) callbacks.written(r.line);
      return;
    }
    for (const r of good) {
      const error = await underSavepoint(() => writer.insert(table, columns, [r.values]));
      if (error) callbacks.bad(r.line, null, describeRowError(error, label));
      else callbacks.written(r.line);
    }
  };

  return {
    async add(row) {
      held.push(row);
      if (held.length >= BATCH) await flush();
    },
    flush,
    async end(commit) {
      try {
        // Explicit ids from the file: later inserts must not collide with them.
        if (commit && columns.includes('id')) await writer.resetIdentity(table);
        await client.query(commit ? 'COMMIT' : 'ROLLBACK');
      } finally {
        client.release();
        await pool.end().catch(() => {});
      }
    },
  };
}
