import type { Migration } from '../../migrate';

/**
 * The engine's scheduler: one row per scheduled task and workspace (persona scans, the expiry sweep, the coaching
 * refresh, the detectors), and the tokens scheduled work used per day, for the daily budget.
 */
export const migration020Scheduler: Migration = {
  version: 20,
  name: 'scheduler',
  sql: /* sql */ `
CREATE TABLE schedules (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  target TEXT,
  cron TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  next_run_at TEXT,
  last_run_at TEXT,
  last_status TEXT,
  last_job_id TEXT,
  last_error TEXT,
  last_result TEXT,
  running_job_id TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX schedules_due ON schedules(enabled, next_run_at);
CREATE INDEX schedules_workspace ON schedules(workspace_id);

CREATE TABLE engine_token_usage (
  day TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  tokens INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, workspace_id)
) WITHOUT ROWID;
`,
};
