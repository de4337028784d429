import type { Migration } from '../../migrate';

/**
 * Report runs (history) and report schedules (ADR 0084). A run records what was asked (template, parameters), what
 * the figures were (a fingerprint, and the KPI values a later run compares with), how it went (status, the failure
 * reason, flagged narrative numbers) and what it produced (file, size, duration). Parameters and figures are JSON
 * text; lists filter on the plain columns only.
 */
export const migration085Reports: Migration = {
  version: 85,
  name: 'reports',
  sql: /* sql */ `
CREATE TABLE report_runs (
  id TEXT PRIMARY KEY,
  template TEXT NOT NULL,
  title TEXT NOT NULL,
  params TEXT NOT NULL,
  status TEXT NOT NULL,
  failure TEXT,
  fingerprint TEXT,
  figures TEXT,
  flagged INTEGER NOT NULL DEFAULT 0,
  format TEXT NOT NULL,
  file TEXT,
  csv_dir TEXT,
  bytes INTEGER,
  pages INTEGER,
  duration_ms INTEGER,
  job_id TEXT,
  schedule_id TEXT,
  trigger TEXT NOT NULL,
  created_by TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX report_runs_started ON report_runs(started_at DESC, id);
CREATE INDEX report_runs_template ON report_runs(template, status, started_at DESC);
CREATE INDEX report_runs_schedule ON report_runs(schedule_id, started_at DESC);

CREATE TABLE report_schedules (
  id TEXT PRIMARY KEY,
  template TEXT NOT NULL,
  params TEXT NOT NULL,
  cron TEXT NOT NULL,
  timezone TEXT NOT NULL,
  out_dir TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  next_run_at TEXT,
  last_run_at TEXT,
  last_status TEXT,
  last_run_id TEXT,
  last_error TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX report_schedules_next ON report_schedules(enabled, next_run_at);
`,
  postgres: {
    sql: /* sql */ `
CREATE TABLE report_runs (
  id text PRIMARY KEY,
  template text NOT NULL,
  title text NOT NULL,
  params text NOT NULL,
  status text NOT NULL,
  failure text,
  fingerprint text,
  figures text,
  flagged bigint NOT NULL DEFAULT 0,
  format text NOT NULL,
  file text,
  csv_dir text,
  bytes bigint,
  pages bigint,
  duration_ms bigint,
  job_id text,
  schedule_id text,
  trigger text NOT NULL,
  created_by text,
  started_at text NOT NULL,
  finished_at text
);
CREATE INDEX report_runs_started ON report_runs(started_at DESC, id);
CREATE INDEX report_runs_template ON report_runs(template, status, started_at DESC);
CREATE INDEX report_runs_schedule ON report_runs(schedule_id, started_at DESC);

CREATE TABLE report_schedules (
  id text PRIMARY KEY,
  template text NOT NULL,
  params text NOT NULL,
  cron text NOT NULL,
  timezone text NOT NULL,
  out_dir text NOT NULL,
  enabled bigint NOT NULL DEFAULT 1,
  next_run_at text,
  last_run_at text,
  last_status text,
  last_run_id text,
  last_error text,
  created_by text,
  created_at text NOT NULL
);
CREATE INDEX report_schedules_next ON report_schedules(enabled, next_run_at);
`,
  },
};
