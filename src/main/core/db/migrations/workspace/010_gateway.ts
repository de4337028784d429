import type { Migration } from '../../migrate';

/**
 * The gateway's per-workspace state: the policy document (YAML, with its history), the usage ledger, the daily
 * budget counters that reservations are checked against, and the response cache.
 */
export const migration010Gateway: Migration = {
  version: 10,
  name: 'gateway',
  sql: /* sql */ `
CREATE TABLE gateway_policy (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  yaml TEXT NOT NULL,
  rev INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT
);
CREATE TABLE gateway_policy_history (
  rev INTEGER PRIMARY KEY,
  yaml TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT
);

-- One row per gateway call. status: pending (reserved, in flight), ok, cached, error, cancelled, refused.
-- Ids are time-ordered, so inserts append to the primary-key index instead of touching random pages; with only one
-- secondary index, a call dirties few pages (two small commits per call are on the hot path).
CREATE TABLE gateway_usage (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  day TEXT NOT NULL,
  workspace TEXT NOT NULL,
  profile_id TEXT,
  use_case TEXT NOT NULL,
  subject TEXT,
  operation TEXT NOT NULL,
  provider_kind TEXT,
  endpoint TEXT,
  model TEXT,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  cached_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  reserved_tokens INTEGER NOT NULL DEFAULT 0,
  reserved_usd REAL NOT NULL DEFAULT 0,
  price_known INTEGER NOT NULL DEFAULT 1,
  latency_ms INTEGER,
  status TEXT NOT NULL,
  error_code TEXT,
  error_message TEXT,
  fallback_used INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  cache_hit INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX gateway_usage_day ON gateway_usage(day, use_case);

-- Running daily totals per scope ('workspace', 'user', 'use_case'), updated in the same transaction as the
-- reservation, so checking a limit is one indexed read however many calls a day holds.
CREATE TABLE gateway_budget_counters (
  day TEXT NOT NULL,
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  tokens INTEGER NOT NULL DEFAULT 0,
  usd REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (day, scope, key)
) WITHOUT ROWID;

CREATE TABLE gateway_cache (
  key TEXT PRIMARY KEY,
  use_case TEXT NOT NULL,
  value TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX gateway_cache_expiry ON gateway_cache(expires_at);
`,
};
