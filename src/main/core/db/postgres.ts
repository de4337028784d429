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
 * Why a PostgreSQL connection or statement failed, as a stable key the UI and tests can switch on (`details.reason`
 * of the AppError that `describePostgresError` returns).
 */
export type PostgresFailure =
  | 'refused'
  | 'host'
  | 'timeout'
  | 'credentials'
  | 'not_allowed'
  | 'tls_required'
  | 'tls_unsupported'
  | 'tls_certificate'
  | 'database'
  | 'privilege'
  | 'schema'
  | 'newer_schema'
  | 'statement_timeout'
  | 'other';

const TLS_CERT_CODES = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

/**
 * Turns a driver failure into a message a person can act on, without the password. Codes are PostgreSQL's SQLSTATEs
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html) and Node's socket/TLS error codes; the server's
 * pg_hba refusal carries no code of its own (28000), so its text tells TLS-required apart from a missing entry.
 */
export function describePostgresError(error: unknown, url: string): AppError {
  if (error instanceof AppError) return error;
  const e = error as { code?: string; message?: string };
  const where = maskUrl(url);
  const text = (e.message ?? String(error)).replaceAll(url, where);
  const fail = (code: 'unavailable' | 'forbidden' | 'not_found', reason: PostgresFailure, message: string): AppError =>
    new AppError(code, message, { reason, ...(e.code ? { code: e.code } : {}) }, { cause: error });
  switch (e.code) {
    case 'ECONNREFUSED':
      return fail('unavailable', 'refused', `Nothing answers at ${where}: is the PostgreSQL server running, and is the port right? (A firewall or listen_addresses may also keep it from this machine.)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail('unavailable', 'host', `The host of ${where} is unknown; check the host name in the connection string.`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return fail('unavailable', 'timeout', `${where} could not be reached (${e.code}); check the host, the port and the network.`);
    case '28P01':
      return fail('forbidden', 'credentials', `PostgreSQL refused the user name or password in ${where}; check them (the password is the one set with ALTER ROLE … PASSWORD).`);
    case '28000':
      if (/pg_hba\.conf/i.test(text)) {
        // Refused by the server's host rules. Over a plain connection this is also what a server that only accepts
        // TLS says; the connection test tells the two apart (postgresConnection.ts).
        const plain = /SSL off|no encryption/i.test(text);
        return fail(
          'forbidden',
          'not_allowed',
          `The server at ${where} does not let this user connect to this database from this machine (pg_hba.conf)${plain ? ', or it only accepts encrypted connections (then add ?sslmode=require)' : ''}; ask its administrator.`,
        );
      }
      return fail('forbidden', 'credentials', `PostgreSQL refused the user in ${where}: ${text}`);
    case '3D000':
      return fail('not_found', 'database', `The database in ${where} does not exist; create it first (createdb NAME, or CREATE DATABASE), or fix its name.`);
    case '42501':
      return fail('forbidden', 'privilege', `The PostgreSQL user lacks a privilege this needs (${text}); ask the database owner to grant it.`);
    case '3F000':
      return fail('not_found', 'schema', `The workspace schema does not exist on ${where} (${text}).`);
    case '57014':
      return fail('unavailable', 'statement_timeout', 'A PostgreSQL statement ran past its time limit and was cancelled.');
    default:
      break;
  }
  if (e.code && TLS_CERT_CODES.has(e.code)) {
    return fail('forbidden', 'tls_certificate', `The TLS certificate of ${where} is not trusted (${e.code}); use a certificate from a known authority, or sslmode=no-verify if you trust this network.`);
  }
  if (/does not support SSL/i.test(text)) {
    return fail('unavailable', 'tls_unsupported', `The server at ${where} does not offer TLS, but the connection string asks for it; remove sslmode=require or enable ssl on the server.`);
  }
  if (/timeout/i.test(text) && /connect/i.test(text)) {
    return fail('unavailable', 'timeout', `${where} did not answer in time; check the host, the port and the network.`);
  }
  return new AppError('unavailable', `PostgreSQL at ${where} failed: ${text}`, { reason: 'other', ...(e.code ? { code: e.code } : {}) }, { cause: error });
}
