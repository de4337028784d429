import { ENTITIES } from '@shared/entities';
import { migrate } from '../db/migrate';
import { workspaceMigrations } from '../db/migrations/workspace';
import { checkpointAndClose, openDatabase } from '../db/open';
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
    return { rows, ms: Date.now() - started, counts };
  } finally {
    checkpointAndClose(db);
  }
}
