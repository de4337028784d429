import type pg from 'pg';
import { AppError } from '@shared/errors';
import type { PostgresLocation } from './location';
import type { Db } from './open';
import { createPostgresPool, describePostgresError } from './postgres';

export type BulkValue = string | number | bigint | null;

/** PostgreSQL's limit of bind parameters per statement. */
const MAX_PARAMETERS = 65_535;
/** Rows per INSERT: large enough to amortise the round trip, small enough to keep statements quick to plan. */
const DEFAULT_BATCH_ROWS = 1_000;

const ident = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new AppError('internal', `"${name}" is not a plain identifier.`);
  return `"${name}"`;
};

/**
 * Batched multi-row INSERTs on one connection, inside a transaction the caller opens. Each statement carries up to
 * `batchRows` rows (fewer when the columns would exceed PostgreSQL's 65,535 bind parameters) and is prepared once per
 * shape (table, columns, row count), so PostgreSQL parses and plans it once.
 */
export class PostgresBulkWriter {
  private readonly shapes = new Map<string, string>();
  private seq = 0;

  constructor(
    readonly client: pg.PoolClient,
    private readonly batchRows = DEFAULT_BATCH_ROWS,
  ) {}

  /** Rows per statement for this many columns. */
  rowsPerStatement(columns: number): number {
    return Math.max(1, Math.min(this.batchRows, Math.floor(MAX_PARAMETERS / Math.max(1, columns))));
  }

  /** Inserts `rows` (each in `columns` order); `upsertKey` turns it into ON CONFLICT (key) DO UPDATE of the other columns. */
  async insert(table: string, columns: readonly string[], rows: readonly (readonly BulkValue[])[], options: { upsertKey?: string } = {}): Promise<void> {
    const per = this.rowsPerStatement(columns.length);
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const values: BulkValue[] = [];
      for (const r of chunk) for (const v of r) values.push(v);
      await this.client.query({ name: this.statement(table, columns, chunk.length, options.upsertKey), text: this.text(table, columns, chunk.length, options.upsertKey), values });
    }
  }

  /** Sets an identity column's sequence past the largest id (explicit ids were inserted). */
  async resetIdentity(table: string, column = 'id'): Promise<void> {
    await this.client.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${ident(column)}) FROM ${ident(table)}), 0) + 1, false)`, [table, column]);
  }

  private statement(table: string, columns: readonly string[], rows: number, upsertKey: string | undefined): string {
    const key = `${table}(${columns.join(',')})x${rows}${upsertKey ? `!${upsertKey}` : ''}`;
    let name = this.shapes.get(key);
    if (!name) {
      name = `idesk_bulk_${++this.seq}`;
      this.shapes.set(key, name);
    }
    return name;
  }

  private text(table: string, columns: readonly string[], rows: number, upsertKey: string | undefined): string {
    const n = columns.length;
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) tuples.push(`(${columns.map((_, c) => `$${r * n + c + 1}`).join(', ')})`);
    const conflict = upsertKey ? ` ON CONFLICT (${ident(upsertKey)}) DO UPDATE SET ${columns.filter((c) => c !== upsertKey).map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`).join(', ')}` : '';
    return `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES ${tuples.join(', ')}${conflict}`;
  }
}

/**
 * Runs `fn` in one transaction on one connection to the workspace schema: committed when it returns, rolled back
 * (nothing written) when it throws. Driver failures become messages a person can act on.
 */
export async function withPostgresTransaction<T>(location: PostgresLocation, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  // Bulk work may run for minutes: no statement timeout on this connection.
  const pool = createPostgresPool(location, { max: 1, statementTimeoutMs: 0 });
  let client: pg.PoolClient | null = null;
  try {
    client = await pool.connect();
    await client.query('BEGIN');
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  } catch (error) {
    throw fromServer(error) ? describePostgresError(error, location.url) : error;
  } finally {
    client?.release();
    await pool.end().catch(() => {});
  }
}

/** A failure of the server or the connection (pg's DatabaseError, a socket error), not of the caller's own code. */
const fromServer = (error: unknown): boolean => {
  if (AppError.is(error) || !(error instanceof Error)) return false;
  const e = error as { severity?: string; code?: string };
  return typeof e.severity === 'string' || (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) || /does not support SSL|Connection terminated/i.test(error.message);
};

export interface CopyOptions {
  /** Tables to copy; copied parents first (foreign keys are checked as rows arrive). */
  tables: readonly string[];
  /** Tables whose rows replace existing rows with the same key (workspace_meta: the name written at creation). */
  upsert?: Readonly<Record<string, string>>;
  onProgress?: (table: string, done: number) => void;
  /** Called between batches; throws to cancel (the transaction rolls back). */
  checkpoint?: () => void;
  batchRows?: number;
}

/**
 * Copies whole tables from a SQLite workspace file into a PostgreSQL workspace schema, in one transaction: either
 * every row arrives or none does. Reads the source in id order in batches (bounded memory), writes batched multi-row
 * INSERTs, then moves each identity sequence past the copied ids. Used to put a generated demo on PostgreSQL.
 */
export async function copySqliteIntoPostgres(source: Db, location: PostgresLocation, options: CopyOptions): Promise<Record<string, number>> {
  const order = parentsFirst(source, options.tables);
  return withPostgresTransaction(location, async (client) => {
    const writer = new PostgresBulkWriter(client, options.batchRows);
    const identity = new Set(
      (await client.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'`)).rows.map((r) => r.t),
    );
    const counts: Record<string, number> = {};
    for (const table of order) {
      const columns = (source.pragma(`table_info(${ident(table)})`) as { name: string }[]).map((c) => c.name);
      const per = writer.rowsPerStatement(columns.length) * 5;
      // In key order (the order they were generated in), so the server's pages fill in the same order.
      const order = columns.includes('id') ? ' ORDER BY id' : '';
      const stmt = source.prepare(`SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)}${order}`).raw(true);
      let batch: BulkValue[][] = [];
      let done = 0;
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        options.checkpoint?.();
        const upsertKey = options.upsert?.[table];
        await writer.insert(table, columns, batch, upsertKey ? { upsertKey } : {});
        done += batch.length;
        batch = [];
        options.onProgress?.(table, done);
      };
      const it = stmt.iterate() as IterableIterator<BulkValue[]>;
      for (let next = it.next(); !next.done; next = it.next()) {
        batch.push(next.value);
        // The iterator stays open while the batch is written: nothing else uses the source connection meanwhile.
        if (batch.length >= per) await flush();
      }
      await flush();
      counts[table] = done;
      if (identity.has(table)) await writer.resetIdentity(table);
    }
    return counts;
  });
}

/** Orders tables so that each comes after the tables its foreign keys point to (self-references aside). */
function parentsFirst(source: Db, tables: readonly string[]): string[] {
  const wanted = new Set(tables);
  const deps = new Map<string, string[]>();
  for (const t of tables) deps.set(t, (source.pragma(`foreign_key_list(${ident(t)})`) as { table: string }[]).map((f) => f.table).filter((p) => p !== t && wanted.has(p)));
  const out: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: string): void => {
    if (state.get(t) === 'done') return;
    if (state.get(t) === 'visiting') throw new AppError('internal', `Tables refer to each other in a cycle through ${t}; they cannot be copied in order.`);
    state.set(t, 'visiting');
    for (const p of deps.get(t) ?? []) visit(p);
    state.set(t, 'done');
    out.push(t);
  };
  for (const t of [...tables].sort()) visit(t);
  return out;
}
