import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { AppError } from '@shared/errors';
import { maskUrl, POSTGRES_SCHEMA, type PostgresLocation } from './location';

export interface PostgresPoolOptions {
  /** Connections per workspace; a desktop issues few queries at a time, and a server's slots are shared by a team. */
  max?: number;
  /** Longest a single statement may run before the server cancels it. */
  statementTimeoutMs?: number;
  /** How long to wait for a connection (server down, or every slot busy). */
  connectTimeoutMs?: number;
  /** Called for errors of idle connections (a restarted server); without a listener they would crash the process. */
  onError?: (error: Error) => void;
}

const INT8 = 20;
const NUMERIC = 1700;

/**
 * Counts and ids arrive as int8 and aggregates of integers as numeric, which pg returns as strings to avoid silent
 * precision loss. The schema stores no value beyond 2^53, so they become numbers; a value that would not fit stays a
 * string rather than becoming a wrong number.
 */
const parseInt8 = (value: string): number | string => {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
};
const parseNumeric = (value: string): number | string => {
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  return Math.abs(n) <= Number.MAX_SAFE_INTEGER ? n : value;
};
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return parseInt8;
    if (oid === NUMERIC) return parseNumeric;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/**
 * A small pool for one workspace schema. Every connection starts with the schema as its search_path (so the SQL is
 * the same as on SQLite: unqualified table names), UTC as its time zone (date helpers in dialect.ts rely on it) and a
 * statement timeout.
 */
export function createPostgresPool(location: PostgresLocation, options: PostgresPoolOptions = {}): pg.Pool {
  if (!POSTGRES_SCHEMA.test(location.schema)) throw new AppError('validation', `"${location.schema}" is not a usable schema name.`);
  const pool = new pg.Pool({
    connectionString: location.url,
    max: options.max ?? 4,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    options: `-c search_path=${location.schema} -c TimeZone=UTC`,
    application_name: 'intelligence-desk',
    types,
  });
  pool.on('error', (error) => options.onError?.(error));
  return pool;
}

/** Kysely over a pool; destroying the Kysely instance ends the pool. */
export const postgresKysely = <DB>(pool: pg.Pool): Kysely<DB> => new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });

/**
 * Turns a driver failure into a message a person can act on, without the password. The team-mode connection test
 * builds on this; codes are PostgreSQL's SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
 */
export function describePostgresError(error: unknown, url: string): AppError {
  if (error instanceof AppError) return error;
  const e = error as { code?: string; message?: string };
  const where = maskUrl(url);
  switch (e.code) {
    case 'ECONNREFUSED':
      return new AppError('unavailable', `Nothing answers at ${where}: is the PostgreSQL server running and reachable?`, undefined, { cause: error });
    case 'ENOTFOUND':
      return new AppError('unavailable', `The host of ${where} is unknown; check the connection string.`, undefined, { cause: error });
    case '28P01':
    case '28000':
      return new AppError('forbidden', `PostgreSQL refused the user name or password in ${where}.`, undefined, { cause: error });
    case '3D000':
      return new AppError('not_found', `The database in ${where} does not exist; create it first (createdb).`, undefined, { cause: error });
    case '42501':
      return new AppError('forbidden', `The PostgreSQL user lacks a privilege this needs (${e.message ?? 'permission denied'}).`, undefined, { cause: error });
    case '57014':
      return new AppError('unavailable', 'A PostgreSQL statement ran past its time limit and was cancelled.', undefined, { cause: error });
    default:
      return new AppError('unavailable', `PostgreSQL at ${where} failed: ${(e.message ?? String(error)).replaceAll(url, where)}`, { code: e.code }, { cause: error });
  }
}
