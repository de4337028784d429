import type { Migration } from '../../migrate';

/**
 * Local GGUF models known to the app: downloaded into the data folder's models/ directory, or registered in place
 * from anywhere on disk (source 'file'; the app never deletes those). Metadata comes from the GGUF header.
 */
export const migration040LocalModels: Migration = {
  version: 40,
  name: 'local_models',
  sql: /* sql */ `
CREATE TABLE local_models (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  file TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL CHECK (source IN ('download', 'file')),
  catalog_id TEXT,
  url TEXT,
  status TEXT NOT NULL CHECK (status IN ('downloading', 'ready', 'failed')),
  job_id TEXT,
  -- The one download attempt allowed to write the file; a stale job (left by a crash) that wakes up stops itself.
  attempt TEXT,
  error TEXT,
  size_bytes INTEGER,
  sha256 TEXT,
  verification TEXT CHECK (verification IN ('catalog', 'server', 'none')),
  kind TEXT NOT NULL DEFAULT 'unknown' CHECK (kind IN ('chat', 'embedding', 'unknown')),
  architecture TEXT,
  parameters INTEGER,
  context_length INTEGER,
  embedding_length INTEGER,
  quantization TEXT,
  license TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT
);
CREATE INDEX local_models_catalog ON local_models(catalog_id);
`,
};
