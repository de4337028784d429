import { sql, type Kysely } from 'kysely';
import { AppError } from '@shared/errors';
import { latestVersion, type MigrateResult, type Migration } from './migrate';

export interface PostgresMigrateOptions {
  /** The workspace name, for messages. */
  label: string;
  /** Recorded with every version applied, so an older app can say which version it needs. */
  appVersion: string;
  now?: () => Date;
}

/** Every desktop and worker of a team migrates through this key: the schema name makes it per workspace. */
const lockKey = sql`hashtextextended('intelligence-desk.migrate.' || current_schema(), 0)`;

interface AppliedRow {
  version: number;
  name: string;
  app_version: string;
}

/**
 * Applies pending migrations to the workspace schema on the connection's search_path, all in one transaction under
 * an advisory lock: two desktops opening the workspace at once serialise here, and the second finds nothing left to
 * do. PostgreSQL's DDL is transactional, so a failure leaves the schema exactly as it was (no backup copy is taken:
 * the server's own backups cover it). A schema holding versions this app does not know was migrated by a newer app;
 * it is refused with the version of the app that is needed.
 */
export async function migratePostgres(db: Kysely<any>, migrations: readonly Migration[], options: PostgresMigrateOptions): Promise<MigrateResult> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const m of sorted) {
    if (m.store === 'index') throw new AppError('internal', `Migration ${m.version} (${m.name}) belongs to the local search index and cannot run on PostgreSQL.`);
    if (!m.postgres) throw new AppError('internal', `Migration ${m.version} (${m.name}) has no PostgreSQL version.`);
  }
  const known = new Set(sorted.map((m) => m.version));
  if (known.size !== sorted.length) throw new AppError('internal', 'Two migrations share a version.');
  const latest = latestVersion(sorted);
  let current: Migration | undefined;
  let from = 0;
  try {
    return await db.transaction().execute(async (trx) => {
      const schema = (await sql<{ s: string | null }>`SELECT current_schema() AS s`.execute(trx)).rows[0]?.s ?? null;
      if (!schema) {
        throw new AppError('not_found', `The PostgreSQL schema of workspace "${options.label}" does not exist (or this user may not use it).`, { workspace: options.label });
      }
      // A long migration must not be cut off by the pool's statement timeout; a stuck peer must not hang us forever.
      await sql`SET LOCAL statement_timeout = 0`.execute(trx);
      await sql`SET LOCAL lock_timeout = '5min'`.execute(trx);
      await sql`SELECT pg_advisory_xact_lock(${lockKey})`.execute(trx);
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL, app_version text NOT NULL)`.execute(trx);
      const applied = (await sql<AppliedRow>`SELECT version, name, app_version FROM schema_migrations ORDER BY version`.execute(trx)).rows;
      from = Math.max(0, ...applied.map((r) => r.version));
      const unknown = applied.filter((r) => !known.has(r.version));
      if (unknown.length > 0) {
        throw newerSchemaError(options.label, unknown, from, options.appVersion, latest);
      }
      const done = new Set(applied.map((r) => r.version));
      const pending = sorted.filter((m) => !done.has(m.version));
      for (const m of pending) {
        current = m;
        if (m.postgres?.sql) await sql.raw(m.postgres.sql).execute(trx);
        await m.postgres?.up?.(trx);
        await sql`INSERT INTO schema_migrations (version, name, applied_at, app_version) VALUES (${m.version}, ${m.name}, ${(options.now?.() ?? new Date()).toISOString()}, ${options.appVersion})`.execute(trx);
      }
      current = undefined;
      return { from, to: Math.max(from, latestVersion(pending)), applied: pending.map((m) => m.version), backupPath: null };
    });
  } catch (error) {
    // Failing before any migration ran (connecting, the lock, a refused schema): the caller knows the server and
    // turns driver errors into messages (describePostgresError).
    if (current === undefined) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'internal',
      `Migration ${current.version} (${current.name}) of workspace "${options.label}" failed on PostgreSQL: ${reason}. Nothing was changed; the schema is still at version ${from}.`,
      { version: current.version },
      { cause: error },
    );
  }
}

/**
 * The refusal for a schema migrated by a newer app: which versions this app does not know and which app version is
 * needed. Also used by the connection test (postgresConnection.ts), so both say the same thing.
 */
export function newerSchemaError(label: string, unknown: readonly { version: number; app_version: string }[], schemaVersion: number, appVersion: string, latest: number): AppError {
  const needed = unknown.map((r) => r.app_version).sort(compareVersions).at(-1)!;
  return new AppError(
    'conflict',
    `Workspace "${label}" was upgraded by Intelligence Desk ${needed}: its schema has version${unknown.length > 1 ? 's' : ''} ${unknown.map((r) => r.version).join(', ')}, which this app (${appVersion}, schema ${latest}) does not know. Update Intelligence Desk to ${needed} or later to open it.`,
    { workspace: label, schemaVersion, appVersionNeeded: needed, reason: 'newer_schema' },
  );
}

/** Orders '0.10.2' after '0.9.9'; pre-release tails compare as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const c = x !== '' && y !== '' && Number.isInteger(nx) && Number.isInteger(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

/** The highest version recorded in the schema (0 before the first migration). */
export async function postgresSchemaVersion(db: Kysely<any>): Promise<number> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const exists = (await sql<{ n: number }>`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`.execute(db)).rows[0]?.n ?? 0;
  if (!exists) return 0;
  return (await sql<{ v: number | null }>`SELECT max(version) AS v FROM schema_migrations`.execute(db)).rows[0]?.v ?? 0;
}
