import type { Migration } from '../../migrate';

/** The app registry (app.sqlite in the data directory): profiles, workspaces, settings and jobs. */
export const migration001App: Migration = {
  version: 1,
  name: 'app',
  sql: /* sql */ `
CREATE TABLE profiles (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, role TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE workspaces (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, kind TEXT NOT NULL DEFAULT 'sqlite', file TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'ready', demo_scale REAL, demo_seed INTEGER, created_at TEXT NOT NULL, created_by TEXT
);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, workspace_id TEXT, status TEXT NOT NULL, params TEXT NOT NULL,
  progress TEXT, checkpoint TEXT, result TEXT, error TEXT, created_by TEXT, created_at TEXT NOT NULL,
  started_at TEXT, finished_at TEXT
);
CREATE INDEX jobs_status ON jobs(status, created_at);
`,
};
