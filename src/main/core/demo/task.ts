import { ENTITIES } from '@shared/entities';
import { migrate } from '../db/migrate';
import { workspaceMigrations } from '../db/migrations/workspace';
import type { PostgresLocation } from '../db/location';
import { checkpointAndClose, openDatabase } from '../db/open';
import { copySqliteIntoPostgres } from '../db/postgresBulk';
import type { TaskContext } from '../workers/context';
import { generateDemo } from './generate';

export interface DemoParams {
  /** Database file to create (the workspace service renames it into place when done). */
  file: string;
  scale: number;
  seed: number;
  /** 'YYYY-MM-DD' the generated history ends on. Same seed + scale + anchor date → identical data. */
  anchorDate: string;
  workspaceName: string;
  backupDir: string;
  /**
   * A team workspace: `file` is only a local staging copy; when it is complete its rows are copied into this
   * (already migrated) PostgreSQL schema in one transaction, and the caller deletes the staging file.
   */
  target?: PostgresLocation | undefined;
}

export interface DemoResult {
  rows: number;
  ms: number;
  counts: Record<string, number>;
}

/** Worker task: create the workspace schema in a fresh file and fill it with demo data. */
export async function demoGenerateTask(params: DemoParams, ctx: TaskContext): Promise<DemoResult> {
  const started = Date.now();
  const db = openDatabase(params.file);
  try {
    // Bulk load: no WAL fsyncs per commit. The file is renamed into place only after a clean close.
    db.pragma('synchronous = OFF');
    migrate(db, workspaceMigrations, { backupDir: params.backupDir, label: params.workspaceName });
    const counts = generateDemo(db, { scale: params.scale, seed: params.seed, anchorDate: params.anchorDate, workspaceName: params.workspaceName }, ctx);
    db.pragma('optimize');
    // Business rows only (workspace_meta is bookkeeping, not counted), as `data stats` and the Data page count them.
    const rows = ENTITIES.reduce((sum, e) => sum + (counts[e.table] ?? 0), 0);
    if (params.target) {
      // Generated and checked (foreign keys) locally, then shipped in one transaction: a failure or a cancel
      // part-way leaves the schema as it was.
      const tables = [...Object.keys(counts).filter((t) => (counts[t] ?? 0) > 0), 'workspace_meta'];
      let copied = 0;
      const seen: Record<string, number> = {};
      await copySqliteIntoPostgres(db, params.target, {
        tables,
        upsert: { workspace_meta: 'key' },
        checkpoint: () => ctx.throwIfCancelled(),
        onProgress: (table, done) => {
          copied += done - (seen[table] ?? 0);
          seen[table] = done;
          ctx.progress({ phase: 'writing to PostgreSQL', done: Math.min(copied, rows), total: rows, message: table });
        },
      });
      ctx.progress({ phase: 'done', done: rows, total: rows });
    }
    return { rows, ms: Date.now() - started, counts };
  } finally {
    checkpointAndClose(db);
  }
}
