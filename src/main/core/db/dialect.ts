import { sql, type Expression, type InsertQueryBuilder, type InsertResult, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Engine } from './location';

/**
 * Every difference between SQLite and PostgreSQL that repositories (and the analytics compiler) meet lives here.
 * Kysely already speaks both dialects for ordinary queries (placeholders, quoting, RETURNING, ON CONFLICT, NULLS
 * LAST, LIMIT/OFFSET); this module covers what it leaves to raw SQL. Helpers take and return Kysely expressions, so
 * they compose inside the query builder: `.where(d.containsIgnoreCase(sql.ref('subject'), term))`.
 *
 * Conventions both engines share, so that these helpers stay few:
 * - Timestamps are ISO-8601 UTC TEXT ('2026-01-31T09:30:00.000Z' or '…:00Z'), dates 'YYYY-MM-DD' TEXT.
 * - JSON is TEXT. Booleans are INTEGER 0/1. Ids that are INTEGER PRIMARY KEY in SQLite are identity columns.
 * - PostgreSQL sessions run with TimeZone=UTC (db/postgres.ts), so date-only text means midnight UTC on both.
 *
 * Known, accepted differences (documented in docs/decisions/0050-data-layer.md):
 * - Case-insensitive matching folds ASCII only on SQLite; PostgreSQL folds all of Unicode.
 * - Malformed timestamp text gives NULL on SQLite and an error on PostgreSQL.
 * - Text order: SQLite compares bytes; use `binaryOrder` where PostgreSQL must sort the same way.
 */
export interface Dialect {
  readonly engine: Engine;
  /** Most bound parameters one statement may carry (size multi-row inserts with it). */
  readonly maxParameters: number;

  // Text matching
  /** a = b, ignoring case. */
  equalsIgnoreCase(a: Expression<unknown>, b: Expression<unknown> | string): RawBuilder<SqlBool>;
  /** LIKE that ignores case; `pattern` uses % and _ as wildcards and \ as the escape character. */
  likeIgnoreCase(expr: Expression<unknown>, pattern: string): RawBuilder<SqlBool>;
  /** expr contains `text` anywhere, ignoring case; % _ and \ in `text` are taken literally. */
  containsIgnoreCase(expr: Expression<unknown>, text: string): RawBuilder<SqlBool>;
  /** expr starts with `text`, ignoring case; wildcards in `text` are literal. */
  startsWithIgnoreCase(expr: Expression<unknown>, text: string): RawBuilder<SqlBool>;
  /** Orders text by bytes (SQLite's default), so both engines sort names identically. Text expressions only. */
  binaryOrder<T>(expr: Expression<T>): RawBuilder<T>;

  // JSON stored as TEXT
  /** The JSON value at `path` as text (strings as themselves; other types render differently per engine). */
  jsonText(expr: Expression<unknown>, path: JsonPath): RawBuilder<string | null>;
  /** The JSON number at `path`; NULL when it is missing or not a number. */
  jsonNumber(expr: Expression<unknown>, path: JsonPath): RawBuilder<number | null>;
  /** Length of the JSON array at `path` (or of the value itself); NULL when it is not an array. */
  jsonArrayLength(expr: Expression<unknown>, path?: JsonPath): RawBuilder<number | null>;

  // ISO-8601 text timestamps
  /** Start of the day/week (Monday)/month/quarter/year containing the timestamp, as 'YYYY-MM-DD'. */
  truncateDate(expr: Expression<unknown>, unit: DateUnit): RawBuilder<string | null>;
  /** The timestamp moved by `amount` units, as ISO text with milliseconds. Month/year steps clamp to month end. */
  addInterval(expr: Expression<unknown>, amount: number | Expression<number>, unit: IntervalUnit): RawBuilder<string | null>;
  /** 'YYYY-MM-DD' of a timestamp. */
  toDate(expr: Expression<unknown>): RawBuilder<string | null>;
  /** Seconds since 1970-01-01T00:00:00Z (with fractions). */
  epochSeconds(expr: Expression<unknown>): RawBuilder<number | null>;
  /** later − earlier, in seconds (with fractions). */
  secondsBetween(later: Expression<unknown>, earlier: Expression<unknown>): RawBuilder<number | null>;
  /** later − earlier, in days (with fractions). */
  daysBetween(later: Expression<unknown>, earlier: Expression<unknown>): RawBuilder<number | null>;
  /**
   * The database's clock as ISO text like Date.toISOString(). Values the app writes come from its own clock (the
   * clock port, so tests can move it); use this only where several machines must agree (leases in team mode).
   */
  nowIso(): RawBuilder<string>;

  // Scalars and aggregates spelled differently
  /** Concatenates the group's values with `separator` (group_concat / string_agg). */
  stringAgg(expr: Expression<unknown>, separator: string): RawBuilder<string | null>;
  /** Largest argument. NULLs: coalesce them first (SQLite's max() returns NULL, PostgreSQL's greatest() skips them). */
  greatest(...exprs: Expression<unknown>[]): RawBuilder<number | null>;
  least(...exprs: Expression<unknown>[]): RawBuilder<number | null>;
  /** As a float, for ratios (integer / integer divides as integers on both engines). */
  toReal(expr: Expression<unknown>): RawBuilder<number | null>;
  /** Truncated towards zero to an integer (PostgreSQL's cast would round). */
  toInteger(expr: Expression<unknown>): RawBuilder<number | null>;

  // Booleans as INTEGER 0/1
  /** The stored form of a boolean. */
  flag(value: boolean): 0 | 1;
  /** A 0/1 column used as a condition (PostgreSQL does not treat integers as booleans). */
  isSet(expr: Expression<unknown>): RawBuilder<SqlBool>;
  /** A condition as a 0/1 value (PostgreSQL would return a boolean). */
  asFlag(condition: Expression<SqlBool>): RawBuilder<0 | 1>;

  // Rows and ids
  /**
   * Insertion order of tables without an integer key. SQLite's implicit rowid; on PostgreSQL such tables get a
   * hidden `rowid` identity column in their DDL (gateway_usage, coaching_reports), so the same SQL works.
   */
  rowid(): RawBuilder<number>;
  /** After inserting explicit ids into an identity column: move its sequence past them (no-op on SQLite). */
  resetIdentity(db: Kysely<any>, table: string, column?: string): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Base tables of the workspace (SQLite file, or the PostgreSQL schema on the search_path). */
  listTables(db: Kysely<any>): Promise<string[]>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export type DateUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';
export type IntervalUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
/** Object keys and array indexes, from the root: ['factors', 0, 'text']. */
export type JsonPath = readonly (string | number)[];

const JSON_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const assertPath = (path: JsonPath): void => {
  for (const p of path) {
    const ok = typeof p === 'number' ? Number.isInteger(p) && p >= 0 : JSON_KEY.test(p);
    if (!ok) throw new Error(`Unsupported JSON path element ${JSON.stringify(p)}: use identifiers and array indexes.`);
  }
};
/** Units and paths are spelled into the SQL (not bound) so that GROUP BY sees the same expression as SELECT. */
const sqlitePath = (path: JsonPath): RawBuilder<unknown> => {
  assertPath(path);
  return sql.lit(`$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`);
};
const postgresPath = (path: JsonPath): RawBuilder<unknown> => {
  assertPath(path);
  return sql.lit(`{${path.join(',')}}`);
};

/** Escapes LIKE wildcards so `text` matches itself. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (m) => `\\${m}`);

const amountSql = (amount: number | Expression<number>): RawBuilder<unknown> => {
  if (typeof amount === 'number') {
    if (!Number.isFinite(amount)) throw new Error('An interval amount must be a finite number.');
    return sql.lit(amount);
  }
  return sql`${amount}`;
};

const ISO_SQLITE = "'%Y-%m-%dT%H:%M:%fZ'";
const ISO_PG = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

const SQLITE_UNIT: Record<IntervalUnit, { unit: string; factor: number; clamp: boolean }> = {
  second: { unit: 'seconds', factor: 1, clamp: false },
  minute: { unit: 'minutes', factor: 1, clamp: false },
  hour: { unit: 'hours', factor: 1, clamp: false },
  day: { unit: 'days', factor: 1, clamp: false },
  week: { unit: 'days', factor: 7, clamp: false },
  month: { unit: 'months', factor: 1, clamp: true },
  year: { unit: 'years', factor: 1, clamp: true },
};

export const sqliteDialect: Dialect = {
  engine: 'sqlite',
  maxParameters: 32_766,
  equalsIgnoreCase: (a, b) => sql<SqlBool>`(${a} = ${b} COLLATE NOCASE)`,
  // SQLite's LIKE already ignores ASCII case.
  likeIgnoreCase: (expr, pattern) => sql<SqlBool>`(${expr} LIKE ${pattern} ESCAPE '\\')`,
  containsIgnoreCase: (expr, text) => sql<SqlBool>`(${expr} LIKE ${`%${escapeLike(text)}%`} ESCAPE '\\')`,
  startsWithIgnoreCase: (expr, text) => sql<SqlBool>`(${expr} LIKE ${`${escapeLike(text)}%`} ESCAPE '\\')`,
  binaryOrder: (expr) => sql`${expr}`,
  jsonText: (expr, path) => sql`json_extract(${expr}, ${sqlitePath(path)})`,
  jsonNumber: (expr, path) => {
    const p = sqlitePath(path);
    return sql`(CASE WHEN json_type(${expr}, ${p}) IN ('integer', 'real') THEN json_extract(${expr}, ${p}) END)`;
  },
  jsonArrayLength: (expr, path = []) => {
    const p = sqlitePath(path);
    return sql`(CASE WHEN json_type(${expr}, ${p}) = 'array' THEN json_array_length(${expr}, ${p}) END)`;
  },
  truncateDate: (expr, unit) => {
    switch (unit) {
      case 'day':
        return sql`date(${expr})`;
      case 'week':
        // Back six days, then forward to the next Monday: the Monday on or before the date.
        return sql`date(${expr}, '-6 days', 'weekday 1')`;
      case 'month':
        return sql`date(${expr}, 'start of month')`;
      case 'quarter':
        return sql`date(${expr}, 'start of month', '-' || ((CAST(strftime('%m', ${expr}) AS INTEGER) - 1) % 3) || ' months')`;
      case 'year':
        return sql`date(${expr}, 'start of year')`;
    }
  },
  addInterval: (expr, amount, unit) => {
    const u = SQLITE_UNIT[unit];
    const n = u.factor === 1 ? amountSql(amount) : sql`(${amountSql(amount)}) * ${sql.lit(u.factor)}`;
    // 'floor' makes Jan 31 + 1 month Feb 28, as PostgreSQL does (plain SQLite would overflow into March).
    return u.clamp
      ? sql`strftime(${sql.raw(ISO_SQLITE)}, ${expr}, (${n}) || ' ${sql.raw(u.unit)}', 'floor')`
      : sql`strftime(${sql.raw(ISO_SQLITE)}, ${expr}, (${n}) || ' ${sql.raw(u.unit)}')`;
  },
  toDate: (expr) => sql`date(${expr})`,
  epochSeconds: (expr) => sql`unixepoch(${expr}, 'subsec')`,
  secondsBetween: (later, earlier) => sql`(unixepoch(${later}, 'subsec') - unixepoch(${earlier}, 'subsec'))`,
  daysBetween: (later, earlier) => sql`(julianday(${later}) - julianday(${earlier}))`,
  nowIso: () => sql<string>`strftime(${sql.raw(ISO_SQLITE)}, 'now')`,
  stringAgg: (expr, separator) => sql`group_concat(${expr}, ${separator})`,
  greatest: (...exprs) => sql`max(${sql.join(exprs)})`,
  least: (...exprs) => sql`min(${sql.join(exprs)})`,
  toReal: (expr) => sql`CAST(${expr} AS REAL)`,
  toInteger: (expr) => sql`CAST(${expr} AS INTEGER)`,
  flag: (value) => (value ? 1 : 0),
  isSet: (expr) => sql<SqlBool>`(${expr} <> 0)`,
  asFlag: (condition) => sql<0 | 1>`(CASE WHEN ${condition} THEN 1 ELSE 0 END)`,
  rowid: () => sql<number>`rowid`,
  resetIdentity: async () => {},
  listTables: async (db) => {
    const { rows } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db);
    return rows.map((r) => r.name);
  },
};

const PG_UNIT: Record<IntervalUnit, string> = {
  second: '1 second',
  minute: '1 minute',
  hour: '1 hour',
  day: '1 day',
  week: '7 days',
  month: '1 month',
  year: '1 year',
};
const pgTime = (expr: Expression<unknown>): RawBuilder<unknown> => sql`((${expr})::timestamptz AT TIME ZONE 'UTC')`;

export const postgresDialect: Dialect = {
  engine: 'postgres',
  maxParameters: 65_535,
  equalsIgnoreCase: (a, b) => sql<SqlBool>`(lower(${a}) = lower(${b}))`,
  likeIgnoreCase: (expr, pattern) => sql<SqlBool>`((${expr})::text ILIKE ${pattern} ESCAPE '\\')`,
  containsIgnoreCase: (expr, text) => sql<SqlBool>`((${expr})::text ILIKE ${`%${escapeLike(text)}%`} ESCAPE '\\')`,
  startsWithIgnoreCase: (expr, text) => sql<SqlBool>`((${expr})::text ILIKE ${`${escapeLike(text)}%`} ESCAPE '\\')`,
  binaryOrder: (expr) => sql`(${expr} COLLATE "C")`,
  jsonText: (expr, path) => sql`((${expr})::jsonb #>> ${postgresPath(path)})`,
  jsonNumber: (expr, path) => {
    const p = postgresPath(path);
    return sql`(CASE WHEN jsonb_typeof((${expr})::jsonb #> ${p}) = 'number' THEN ((${expr})::jsonb #>> ${p})::double precision END)`;
  },
  jsonArrayLength: (expr, path = []) => {
    const p = postgresPath(path);
    return sql`(CASE WHEN jsonb_typeof((${expr})::jsonb #> ${p}) = 'array' THEN jsonb_array_length((${expr})::jsonb #> ${p}) END)`;
  },
  truncateDate: (expr, unit) => sql`to_char(date_trunc(${sql.lit(unit)}, ${pgTime(expr)}), 'YYYY-MM-DD')`,
  addInterval: (expr, amount, unit) => sql`to_char(${pgTime(expr)} + (${amountSql(amount)}) * interval ${sql.lit(PG_UNIT[unit])}, ${sql.raw(ISO_PG)})`,
  toDate: (expr) => sql`to_char(${pgTime(expr)}, 'YYYY-MM-DD')`,
  epochSeconds: (expr) => sql`extract(epoch from (${expr})::timestamptz)::double precision`,
  secondsBetween: (later, earlier) => sql`extract(epoch from ((${later})::timestamptz - (${earlier})::timestamptz))::double precision`,
  daysBetween: (later, earlier) => sql`(extract(epoch from ((${later})::timestamptz - (${earlier})::timestamptz)) / 86400)::double precision`,
  nowIso: () => sql<string>`to_char(now() AT TIME ZONE 'UTC', ${sql.raw(ISO_PG)})`,
  stringAgg: (expr, separator) => sql`string_agg((${expr})::text, ${separator})`,
  greatest: (...exprs) => sql`greatest(${sql.join(exprs)})`,
  least: (...exprs) => sql`least(${sql.join(exprs)})`,
  toReal: (expr) => sql`CAST(${expr} AS double precision)`,
  toInteger: (expr) => sql`CAST(trunc(${expr}) AS bigint)`,
  flag: (value) => (value ? 1 : 0),
  isSet: (expr) => sql<SqlBool>`(${expr} <> 0)`,
  asFlag: (condition) => sql<0 | 1>`(CASE WHEN ${condition} THEN 1 ELSE 0 END)`,
  rowid: () => sql<number>`rowid`,
  resetIdentity: async (db, table, column = 'id') => {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), coalesce((SELECT max(${sql.ref(column)}) FROM ${sql.table(table)}), 0) + 1, false)`.execute(db);
  },
  listTables: async (db) => {
    const { rows } = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
    return rows.map((r) => r.name);
  },
};

export const dialectFor = (engine: Engine): Dialect => (engine === 'sqlite' ? sqliteDialect : postgresDialect);

/**
 * INSERT … RETURNING the new row's id, the same on both engines (SQLite's lastInsertRowid does not exist on
 * PostgreSQL, so repositories never read `insertId`).
 */
export async function insertReturningId<DB, TB extends keyof DB>(query: InsertQueryBuilder<DB, TB, InsertResult>, column = 'id'): Promise<number> {
  const row = (await query.returning(sql<number>`${sql.ref(column)}`.as('__id')).executeTakeFirstOrThrow()) as { __id: number | string };
  return Number(row.__id);
}

/**
 * The `doUpdateSet` of an upsert that takes every listed column from the row that was being inserted:
 * `.onConflict((oc) => oc.column('key').doUpdateSet(fromExcluded(['value'])))`. Identical SQL on both engines.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each value is typed by the column it is assigned to
export function fromExcluded<C extends string>(columns: readonly C[]): Record<C, RawBuilder<any>> {
  const out = {} as Record<C, RawBuilder<unknown>>;
  for (const c of columns) out[c] = sql`excluded.${sql.ref(c)}`;
  return out;
}
