import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Kysely } from 'kysely';
import { AppError } from '@shared/errors';
import type { Db } from './open';

/**
 * Which store a workspace migration shapes. 'data' is the workspace's records (the SQLite file, or its PostgreSQL
 * schema). 'index' is the local search index (sqlite-vec + FTS5): part of the workspace file on SQLite, and a
 * per-machine SQLite file next to the registry for a PostgreSQL workspace, so index migrations never run on a server.
 */
export type MigrationStore = 'data' | 'index';

export interface Migration {
  version: number;
  name: string;
  /** SQLite: plain SQL, run with db.exec. */
  sql?: string;
  /** SQLite: for changes SQL alone cannot express (backfills, data moves). Runs inside the same transaction. */
  up?: (db: Db) => void;
  /** Default 'data'. */
  store?: MigrationStore;
  /**
   * The same change for PostgreSQL, applied in the same transaction as its version record. Every 'data' migration of
   * the workspace list needs one (a test checks); app-database and 'index' migrations are SQLite only.
   */
  postgres?: {
    sql?: string;
    up?: (db: Kysely<any>) => Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
}

export const isIndexMigration = (m: Migration): boolean => m.store === 'index';

export interface MigrateOptions {
  /** Folder for the pre-migration backup copies. */
  backupDir: string;
  /** Label for backup files and messages ('app', a workspace name). */
  label: string;
  now?: () => Date;
  /** How many backups of this database to keep. */
  keepBackups?: number;
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: number[];
  backupPath: string | null;
}

export const latestVersion = (migrations: readonly Migration[]): number => Math.max(0, ...migrations.map((m) => m.version));

/**
 * Applies pending migrations in one transaction. Before touching a database that already holds data, it writes a
 * consistent copy with VACUUM INTO. If any migration fails, the transaction rolls back and the database stays
 * exactly as it was; the error names the migration and the backup.
 */
export function migrate(db: Db, migrations: readonly Migration[], options: MigrateOptions): MigrateResult {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const versions = new Set<number>();
  for (const m of sorted) {
    if (versions.has(m.version)) throw new AppError('internal', `Two migrations share version ${m.version}.`);
    versions.add(m.version);
  }
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = latestVersion(sorted);
  if (from > latest) {
    throw new AppError(
      'conflict',
      `The ${options.label} database has schema version ${from}, newer than this app understands (${latest}). Update Intelligence Desk to open it.`,
    );
  }
  // Versions are reserved in ranges per area, so a migration added later can have a lower number than one already
  // applied: what is pending comes from the record of applied migrations, not from user_version alone.
  const recorded = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").pluck().get()
    ? new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[])
    : null;
  const pending = sorted.filter((m) => (recorded ? !recorded.has(m.version) : m.version > from));
  if (pending.length === 0) return { from, to: from, applied: [], backupPath: null };

  let backupPath: string | null = null;
  const hasData = from > 0 || (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n > 0;
  if (hasData) {
    mkdirSync(options.backupDir, { recursive: true });
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const safeLabel = options.label.replace(/[^\p{L}\p{N}_-]+/gu, '_');
    backupPath = join(options.backupDir, `${safeLabel}.v${from}.${stamp}.sqlite`);
    db.prepare('VACUUM INTO ?').run(backupPath);
    pruneBackups(options.backupDir, `${safeLabel}.v`, options.keepBackups ?? 5);
  }

  // Foreign-key enforcement is switched off while tables are rebuilt (SQLite's documented procedure for schema
  // changes) and the whole result is checked before commit.
  db.pragma('foreign_keys = OFF');
  let current: Migration | undefined;
  try {
    db.transaction(() => {
      db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      for (const m of pending) {
        current = m;
        if (m.sql) db.exec(m.sql);
        m.up?.(db);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, (options.now?.() ?? new Date()).toISOString());
        db.pragma(`user_version = ${Math.max(from, m.version)}`);
      }
      const violations = db.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) throw new Error(`${violations.length} foreign key violations after migrating`);
    })();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'internal',
      `Migration ${current?.version ?? '?'} (${current?.name ?? 'unknown'}) of the ${options.label} database failed: ${reason}. ` +
        `Nothing was changed; the database is still at version ${from}${backupPath ? ` and a backup is at ${backupPath}` : ''}.`,
      { version: current?.version, backupPath },
      { cause: error },
    );
  } finally {
    db.pragma('foreign_keys = ON');
  }
  return { from, to: Math.max(from, latestVersion(pending)), applied: pending.map((m) => m.version), backupPath };
}

function pruneBackups(dir: string, prefix: string, keep: number): void {
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.sqlite'))
    .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => a.t - b.t)
    .map((x) => x.f);
  for (const f of files.slice(0, Math.max(0, files.length - keep))) rmSync(join(dir, basename(f)), { force: true });
}
