import type { Migration } from '../../migrate';

/**
 * Whisper speech models join the local model registry as kind 'whisper' (one registry for every local model file,
 * ADR 0071). SQLite cannot change a CHECK constraint in place, so the table is rebuilt with the wider one; rows and
 * the index are kept as they were.
 */
export const migration070VoiceModels: Migration = {
  version: 70,
  name: 'voice_models',
  sql: /* sql */ `
CREATE TABLE local_models_v70 (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  file TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL CHECK (source IN ('download', 'file')),
  catalog_id TEXT,
  url TEXT,
  status TEXT NOT NULL CHECK (status IN ('downloading', 'ready', 'failed')),
  job_id TEXT,
  attempt TEXT,
  error TEXT,
  size_bytes INTEGER,
  sha256 TEXT,
  verification TEXT CHECK (verification IN ('catalog', 'server', 'none')),
  kind TEXT NOT NULL DEFAULT 'unknown' CHECK (kind IN ('chat', 'embedding', 'whisper', 'unknown')),
  architecture TEXT,
  parameters INTEGER,
  context_length INTEGER,
  embedding_length INTEGER,
  quantization TEXT,
  license TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT
);
INSERT INTO local_models_v70 SELECT id, name, file, source, catalog_id, url, status, job_id, attempt, error, size_bytes, sha256,
  verification, kind, architecture, parameters, context_length, embedding_length, quantization, license, created_at, created_by FROM local_models;
DROP TABLE local_models;
ALTER TABLE local_models_v70 RENAME TO local_models;
CREATE INDEX local_models_catalog ON local_models(catalog_id);
`,
};
