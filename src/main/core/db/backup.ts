import { closeSync, existsSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { AppError } from '@shared/errors';
import { latestVersion } from './migrate';
import { sqliteWorkspaceMigrations } from './migrations/workspace';
import { openDatabase, type Db } from './open';
import { removeSqliteFiles, type WorkspaceStore } from './workspaceStore';

/** Rows per table of a SQLite database (ordinary tables only: virtual tables are counted through their shadow tables). */
export type TableCounts = Record<string, number>;

export interface BackupVerification {
  integrity: 'ok';
  tables: number;
  rows: number;
  counts: TableCounts;
}

export interface BackupFileInfo extends BackupVerification {
  bytes: number;
  schemaVersion: number;
  /** The workspace name stored in the file (workspace_meta), if any. */
  name: string | null;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export function tableCounts(db: Db): TableCounts {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")
    .pluck()
    .all() as string[];
  const counts: TableCounts = {};
  for (const t of tables) counts[t] = db.prepare(`SELECT count(*) FROM "${t.replace(/"/g, '""')}"`).pluck().get() as number;
  return counts;
}

const differences = (a: TableCounts, b: TableCounts): string[] =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((t) => a[t] !== b[t]).map((t) => `${t}: ${a[t] ?? 'missing'} → ${b[t] ?? 'missing'}`);

/** Checks a SQLite file on its own: the header, integrity_check, and what it holds. Throws a validation error if damaged. */
export function inspectSqliteFile(file: string, what = 'The file'): BackupFileInfo {
  if (!existsSync(file)) throw new AppError('not_found', `${what} does not exist (${file}).`);
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(SQLITE_MAGIC)) throw new AppError('validation', `${what} is not a workspace backup: it is not a SQLite database.`, { file });
  let db: Db;
  try {
    db = openDatabase(file, { readonly: true });
  } catch (error) {
    throw new AppError('validation', `${what} cannot be opened as a database: ${(error as Error).message}`, { file });
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    if (integrity !== 'ok') throw new AppError('validation', `${what} is damaged (SQLite integrity check: ${integrity}).`, { file });
    const hasMeta = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'workspace_meta'").pluck().get() as number;
    if (!hasMeta) throw new AppError('validation', `${what} is a SQLite database but not an Intelligence Desk workspace (it has no workspace_meta table).`, { file });
    const name = (db.prepare("SELECT value FROM workspace_meta WHERE key = 'name'").pluck().get() as string | undefined) ?? null;
    const counts = tableCounts(db);
    return {
      integrity: 'ok',
      tables: Object.keys(counts).length,
      rows: Object.values(counts).reduce((s, n) => s + n, 0),
      counts,
      bytes: statSync(file).size,
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      name,
    };
  } finally {
    db.close();
  }
}

/**
 * Writes a consistent copy of an open SQLite workspace with SQLite's online backup API (the app keeps running and
 * writing), then verifies the copy: integrity_check, and row counts per table equal to the source's at the moment
 * the copy finished. A writer in another thread (an import, a demo worker) can change the source between the copy and
 * the count; then the copy is made again, and after `attempts` tries the backup fails rather than claim a match.
 */
export async function backupSqliteStore(
  store: WorkspaceStore,
  dest: string,
  options: { label: string; attempts?: number; onProgress?: (done: number, total: number) => void },
): Promise<BackupFileInfo> {
  const source = store.sqlite;
  if (!source) throw postgresBackupUnsupported(options.label);
  const tmp = `${dest}.partial`;
  const attempts = options.attempts ?? 3;
  let last: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    removeSqliteFiles(tmp);
    try {
      await source.backup(tmp, {
        progress: ({ totalPages, remainingPages }) => {
          options.onProgress?.(totalPages - remainingPages, totalPages);
          return 256;
        },
      });
      // Synchronous from here: nothing on this thread writes between the end of the copy and the count.
      const expected = tableCounts(source);
      const info = inspectSqliteFile(tmp, 'The backup just written');
      last = differences(expected, info.counts);
      if (last.length === 0) {
        removeSqliteFiles(dest);
        renameSync(tmp, dest);
        return { ...info, bytes: statSync(dest).size };
      }
    } catch (error) {
      removeSqliteFiles(tmp);
      throw error;
    }
  }
  removeSqliteFiles(tmp);
  throw new AppError('conflict', `Workspace "${options.label}" kept changing while it was copied (${last.slice(0, 3).join('; ')}); run the backup again when its imports and jobs have finished.`, {
    workspace: options.label,
  });
}

/**
 * Copies a backup file into place for a new workspace, through SQLite's backup API (so a file that is itself in WAL
 * mode with a -wal beside it is read consistently), and verifies the copy against the original.
 */
export async function restoreSqliteFile(from: string, to: string): Promise<BackupFileInfo> {
  const original = inspectSqliteFile(from);
  const newest = latestVersion(sqliteWorkspaceMigrations);
  if (original.schemaVersion > newest) {
    throw new AppError('validation', `This backup was made by a newer version of the app (schema ${original.schemaVersion}, this app knows ${newest}); update the app to restore it.`);
  }
  const tmp = `${to}.restoring`;
  removeSqliteFiles(tmp);
  try {
    const src = openDatabase(from, { readonly: true });
    try {
      await src.backup(tmp);
    } finally {
      src.close();
    }
    const copy = inspectSqliteFile(tmp, 'The restored copy');
    const diff = differences(original.counts, copy.counts);
    if (diff.length) throw new AppError('internal', `The restored copy does not match the backup (${diff.slice(0, 3).join('; ')}).`);
    removeSqliteFiles(to);
    renameSync(tmp, to);
    return copy;
  } catch (error) {
    removeSqliteFiles(tmp);
    throw error;
  }
}

export const postgresBackupUnsupported = (name: string): AppError =>
  new AppError(
    'unavailable',
    `Workspace "${name}" is on PostgreSQL: back it up on the server with pg_dump (its schema), e.g. pg_dump --schema=<schema> <database>. Backup and restore from the app are for SQLite workspaces only, for now.`,
    { workspace: name, engine: 'postgres', reason: 'postgres_backup_unsupported' },
  );
