import type { Migration } from '../../migrate';

/**
 * The local vector store (docs/vectors.md). The tables here are shared by every index version; each version also
 * gets its own vec0, FTS5 and rescoring tables, created at build time by src/main/core/vectors/schema.ts because
 * their shape depends on the embedder's dimensions.
 */
export const migration030Vectors: Migration = {
  version: 30,
  name: 'vectors',
  // sqlite-vec and FTS5 exist only in SQLite: a PostgreSQL workspace keeps this index in a local file per machine.
  store: 'index',
  sql: /* sql */ `
CREATE TABLE vec_versions (
  -- AUTOINCREMENT: a deleted version's number is never given to a new one (history and evaluations name them).
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  embedder_id TEXT NOT NULL,
  embedder_kind TEXT NOT NULL,
  embedder_label TEXT NOT NULL,
  model TEXT NOT NULL,
  dimensions INTEGER NOT NULL,
  lexical INTEGER NOT NULL DEFAULT 0,
  chunking TEXT NOT NULL,
  config_key TEXT NOT NULL,
  binary_prefilter INTEGER NOT NULL DEFAULT 1,
  -- Mean vector the prefilter's bit codes are centered on (float32 blob), fixed once the build starts.
  centroid BLOB,
  status TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 0,
  cursor TEXT,
  lease TEXT,
  quality TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT,
  built_at TEXT,
  updated_at TEXT,
  activated_at TEXT
);
CREATE UNIQUE INDEX vec_versions_one_active ON vec_versions(active) WHERE active = 1;
CREATE INDEX vec_versions_config ON vec_versions(config_key, status);

CREATE TABLE vec_activations (
  id INTEGER PRIMARY KEY,
  version_id INTEGER NOT NULL,
  previous_id INTEGER,
  reason TEXT NOT NULL,
  at TEXT NOT NULL,
  by TEXT
);

CREATE TABLE vec_documents (
  version_id INTEGER NOT NULL REFERENCES vec_versions(id) ON DELETE CASCADE,
  source_type TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  title TEXT NOT NULL,
  doc_hash TEXT NOT NULL,
  chunk_count INTEGER NOT NULL,
  indexed_at TEXT NOT NULL,
  PRIMARY KEY (version_id, source_type, entity_id)
) WITHOUT ROWID;

CREATE TABLE vec_chunks (
  id INTEGER PRIMARY KEY,
  version_id INTEGER NOT NULL REFERENCES vec_versions(id) ON DELETE CASCADE,
  source_type TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  field TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  text TEXT NOT NULL,
  hash TEXT NOT NULL,
  access TEXT NOT NULL,
  ts INTEGER NOT NULL DEFAULT 0,
  prev_id INTEGER,
  next_id INTEGER
);
CREATE UNIQUE INDEX vec_chunks_position ON vec_chunks(version_id, source_type, entity_id, ordinal);
CREATE INDEX vec_chunks_hash ON vec_chunks(version_id, hash);

CREATE TABLE vec_evaluations (
  id INTEGER PRIMARY KEY,
  version_id INTEGER REFERENCES vec_versions(id) ON DELETE SET NULL,
  embedder_id TEXT NOT NULL,
  embedder_label TEXT NOT NULL,
  mode TEXT NOT NULL,
  k INTEGER NOT NULL,
  queries INTEGER NOT NULL,
  recall REAL NOT NULL,
  ndcg REAL NOT NULL,
  by_kind TEXT NOT NULL,
  query_set TEXT NOT NULL,
  ms INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX vec_evaluations_created ON vec_evaluations(created_at);
`,
};
