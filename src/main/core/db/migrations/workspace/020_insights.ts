import type { Migration } from '../../migrate';

/**
 * Insights, their audit trail, full-text search and the coaching cache. JSON columns hold the structured parts
 * (factors, recommendations, domain fields); filters and sorts only touch plain indexed columns, so the browser
 * stays fast at 100k rows. The FTS index is contentless (no second copy of the text) and kept in step by triggers.
 */
export const migration020Insights: Migration = {
  version: 20,
  name: 'insights',
  sql: /* sql */ `
CREATE TABLE insights (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  persona_key TEXT,
  persona_version TEXT,
  prompt_version TEXT,
  domain TEXT NOT NULL,
  entity_type TEXT,
  entity_id INTEGER,
  entity_title TEXT,
  status TEXT NOT NULL,
  severity TEXT,
  severity_rank INTEGER NOT NULL DEFAULT -1,
  title TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  confidence REAL,
  recommendations TEXT NOT NULL DEFAULT '[]',
  factors TEXT NOT NULL DEFAULT '[]',
  fields TEXT NOT NULL DEFAULT '{}',
  defaulted_fields TEXT NOT NULL DEFAULT '[]',
  warnings TEXT NOT NULL DEFAULT '[]',
  data_points TEXT,
  dedup_key TEXT,
  provider TEXT,
  model TEXT,
  endpoint TEXT,
  fallback_used INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  latency_ms INTEGER,
  context_hash TEXT,
  context_chars INTEGER,
  redactions TEXT,
  trigger TEXT NOT NULL,
  actor TEXT,
  run_id TEXT,
  error_code TEXT,
  error_message TEXT,
  created_at TEXT NOT NULL,
  completed_at TEXT,
  expires_at TEXT,
  status_changed_at TEXT,
  status_changed_by TEXT,
  status_note TEXT
);
CREATE INDEX insights_created ON insights(created_at DESC, seq DESC);
CREATE INDEX insights_status ON insights(status, created_at DESC);
CREATE INDEX insights_domain ON insights(domain, created_at DESC);
CREATE INDEX insights_persona ON insights(persona_key, created_at DESC);
CREATE INDEX insights_severity ON insights(severity_rank DESC, created_at DESC);
CREATE INDEX insights_entity ON insights(entity_type, entity_id, created_at DESC);
CREATE INDEX insights_persona_entity ON insights(persona_key, entity_id, created_at DESC);
CREATE INDEX insights_type ON insights(type, created_at DESC);
-- One covering index for the browser's filter combinations: counts and filtered pages are read from it without
-- touching the table, and sorts by severity or confidence sort only the matching index entries.
CREATE INDEX insights_cover ON insights(status, domain, persona_key, severity, type, created_at, severity_rank, confidence, entity_type, entity_id);
CREATE INDEX insights_expiry ON insights(expires_at) WHERE status IN ('completed', 'acknowledged');
CREATE INDEX insights_dedup ON insights(dedup_key) WHERE dedup_key IS NOT NULL;
CREATE INDEX insights_run ON insights(run_id) WHERE run_id IS NOT NULL;

CREATE VIRTUAL TABLE insights_fts USING fts5(
  title, summary, body, entity_title,
  content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
-- Pending rows have no text yet; they enter the index when they complete (the update trigger).
CREATE TRIGGER insights_fts_insert AFTER INSERT ON insights WHEN new.status <> 'pending' BEGIN
  INSERT INTO insights_fts (rowid, title, summary, body, entity_title) VALUES (
    new.seq, new.title, new.summary,
    (SELECT group_concat(coalesce(json_extract(value, '$.action'), '') || ' ' || coalesce(json_extract(value, '$.rationale'), ''), ' ') FROM json_each(new.recommendations))
      || ' ' || (SELECT group_concat(coalesce(json_extract(value, '$.text'), ''), ' ') FROM json_each(new.factors)),
    coalesce(new.entity_title, '')
  );
END;
CREATE TRIGGER insights_fts_update AFTER UPDATE OF title, summary, recommendations, factors, entity_title ON insights BEGIN
  DELETE FROM insights_fts WHERE rowid = old.seq;
  INSERT INTO insights_fts (rowid, title, summary, body, entity_title) VALUES (
    new.seq, new.title, new.summary,
    (SELECT group_concat(coalesce(json_extract(value, '$.action'), '') || ' ' || coalesce(json_extract(value, '$.rationale'), ''), ' ') FROM json_each(new.recommendations))
      || ' ' || (SELECT group_concat(coalesce(json_extract(value, '$.text'), ''), ' ') FROM json_each(new.factors)),
    coalesce(new.entity_title, '')
  );
END;
CREATE TRIGGER insights_fts_delete AFTER DELETE ON insights BEGIN
  DELETE FROM insights_fts WHERE rowid = old.seq;
END;

-- Everything the engine did and everyone did to an insight: completions, failures, redaction counts, lifecycle moves.
CREATE TABLE engine_audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT,
  action TEXT NOT NULL,
  insight_id TEXT,
  persona_key TEXT,
  entity_type TEXT,
  entity_id INTEGER,
  note TEXT,
  details TEXT
);
CREATE INDEX engine_audit_insight ON engine_audit(insight_id, seq) WHERE insight_id IS NOT NULL;
CREATE INDEX engine_audit_at ON engine_audit(at);

-- Workspace coaching report, cached for a day.
CREATE TABLE coaching_reports (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  report TEXT NOT NULL,
  missing_sources TEXT NOT NULL DEFAULT '[]',
  provider TEXT,
  model TEXT,
  endpoint TEXT,
  fallback_used INTEGER NOT NULL DEFAULT 0,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  latency_ms INTEGER,
  actor TEXT
);
CREATE INDEX coaching_reports_created ON coaching_reports(created_at DESC);
`,
};
