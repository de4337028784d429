import type { Migration } from '../../migrate';

/**
 * Model provider endpoints and the app-wide price table. API keys and custom headers are stored encrypted by the
 * host's SecretCipher (safeStorage in Electron, a 0600 key file in the Node hosts) and never leave the core in clear.
 * gateway_revs lets every process notice changes another process made (the CLI adding a provider while the app runs).
 */
export const migration010Gateway: Migration = {
  version: 10,
  name: 'gateway',
  sql: /* sql */ `
CREATE TABLE gateway_endpoints (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind TEXT NOT NULL,
  base_url TEXT,
  model TEXT,
  embedding_model TEXT,
  transcription_model TEXT,
  role TEXT NOT NULL DEFAULT 'standby',
  enabled INTEGER NOT NULL DEFAULT 1,
  options TEXT NOT NULL DEFAULT '{}',
  api_key_enc TEXT,
  headers_enc TEXT,
  models TEXT,
  last_test TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE gateway_documents (
  key TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT
);
CREATE TABLE gateway_revs (key TEXT PRIMARY KEY, rev INTEGER NOT NULL);
INSERT INTO gateway_revs (key, rev) VALUES ('endpoints', 1), ('prices', 1);
`,
};
