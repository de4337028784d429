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
  // PostgreSQL: the same tables (see 001), its own full-text search instead of FTS5, and rowid columns where code
  // orders by insertion.
  postgres: {
    sql: /* sql */ `
CREATE TABLE insights (
  seq bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  type text NOT NULL,
  persona_key text,
  persona_version text,
  prompt_version text,
  domain text NOT NULL,
  entity_type text,
  entity_id bigint,
  entity_title text,
  status text NOT NULL,
  severity text,
  severity_rank bigint NOT NULL DEFAULT -1,
  title text NOT NULL DEFAULT '',
  summary text NOT NULL DEFAULT '',
  confidence double precision,
  recommendations text NOT NULL DEFAULT '[]',
  factors text NOT NULL DEFAULT '[]',
  fields text NOT NULL DEFAULT '{}',
  defaulted_fields text NOT NULL DEFAULT '[]',
  warnings text NOT NULL DEFAULT '[]',
  data_points text,
  dedup_key text,
  provider text,
  model text,
  endpoint text,
  fallback_used bigint NOT NULL DEFAULT 0,
  attempts bigint,
  tokens_in bigint NOT NULL DEFAULT 0,
  tokens_out bigint NOT NULL DEFAULT 0,
  cost_usd double precision NOT NULL DEFAULT 0,
  latency_ms bigint,
  context_hash text,
  context_chars bigint,
  redactions text,
  trigger text NOT NULL,
  actor text,
  run_id text,
  error_code text,
  error_message text,
  created_at text NOT NULL,
  completed_at text,
  expires_at text,
  status_changed_at text,
  status_changed_by text,
  status_note text
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

-- Full-text search with PostgreSQL's own text search (FTS5 is SQLite's): one tsvector per insight, kept in step by
-- a trigger like the SQLite triggers (pending rows enter when they complete), deleted with its insight. The 'simple'
-- configuration matches FTS5's unicode61 tokenizer in not stemming; it keeps diacritics (unaccent is an extension
-- a team's database may not allow).
CREATE TABLE insights_fts (
  seq bigint PRIMARY KEY REFERENCES insights(seq) ON DELETE CASCADE,
  document tsvector NOT NULL
);
CREATE INDEX insights_fts_document ON insights_fts USING gin (document);
CREATE FUNCTION insights_fts_document(title text, summary text, recommendations text, factors text, entity_title text)
RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
  SELECT setweight(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(entity_title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(summary, '')), 'B')
    || setweight(to_tsvector('simple',
         coalesce((SELECT string_agg(coalesce(r->>'action', '') || ' ' || coalesce(r->>'rationale', ''), ' ')
                   FROM jsonb_array_elements(CASE WHEN jsonb_typeof(recommendations::jsonb) = 'array' THEN recommendations::jsonb ELSE '[]'::jsonb END) r), '')
         || ' ' ||
         coalesce((SELECT string_agg(coalesce(f->>'text', ''), ' ')
                   FROM jsonb_array_elements(CASE WHEN jsonb_typeof(factors::jsonb) = 'array' THEN factors::jsonb ELSE '[]'::jsonb END) f), '')), 'C')
$$;
CREATE FUNCTION insights_fts_sync() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.status = 'pending' THEN
    RETURN NULL;
  END IF;
  INSERT INTO insights_fts (seq, document)
  VALUES (NEW.seq, insights_fts_document(NEW.title, NEW.summary, NEW.recommendations, NEW.factors, NEW.entity_title))
  ON CONFLICT (seq) DO UPDATE SET document = excluded.document;
  RETURN NULL;
END
$$;
CREATE TRIGGER insights_fts_insert AFTER INSERT ON insights FOR EACH ROW EXECUTE FUNCTION insights_fts_sync();
CREATE TRIGGER insights_fts_update AFTER UPDATE OF title, summary, recommendations, factors, entity_title ON insights
  FOR EACH ROW EXECUTE FUNCTION insights_fts_sync();

-- Everything the engine did and everyone did to an insight: completions, failures, redaction counts, lifecycle moves.
CREATE TABLE engine_audit (
  seq bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at text NOT NULL,
  actor text,
  action text NOT NULL,
  insight_id text,
  persona_key text,
  entity_type text,
  entity_id bigint,
  note text,
  details text
);
CREATE INDEX engine_audit_insight ON engine_audit(insight_id, seq) WHERE insight_id IS NOT NULL;
CREATE INDEX engine_audit_at ON engine_audit(at);

-- Workspace coaching report, cached for a day.
CREATE TABLE coaching_reports (
  id text PRIMARY KEY,
  created_at text NOT NULL,
  expires_at text NOT NULL,
  report text NOT NULL,
  missing_sources text NOT NULL DEFAULT '[]',
  provider text,
  model text,
  endpoint text,
  fallback_used bigint NOT NULL DEFAULT 0,
  tokens_in bigint NOT NULL DEFAULT 0,
  tokens_out bigint NOT NULL DEFAULT 0,
  cost_usd double precision NOT NULL DEFAULT 0,
  latency_ms bigint,
  actor text,
  -- Insertion order, which SQLite keeps in its implicit rowid (the newest report wins ties on created_at).
  rowid bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX coaching_reports_created ON coaching_reports(created_at DESC);
`,
  },
};
