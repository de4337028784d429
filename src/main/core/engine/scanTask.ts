import { openDatabase } from '../db/open';
import type { TaskContext } from '../workers/context';
import { prepareScan, type PrepareScanParams, type PreparedScan } from './prepareScan';

/** Worker task: build a big scan's contexts off the main thread, on the workspace file. */
export function prepareScanTask(params: PrepareScanParams & { dbFile: string }, ctx: TaskContext): PreparedScan {
  const db = openDatabase(params.dbFile, { vectors: false });
  try {
    db.pragma('query_only = ON');
    return prepareScan(db, params, ctx);
  } finally {
    // Read-only use: nothing to checkpoint.
    db.close();
  }
}
