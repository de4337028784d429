import type { Migration } from '../../migrate';

/**
 * Copilot conversations, their messages and the memory items the copilot recalls into prompts (ADR 0063).
 * Conversations and memories belong to one profile of the workspace; messages keep what the model said, the tool
 * calls it made (JSON), the records it cited and how many citations were dropped. `read_refs` on the conversation
 * lists every record a tool actually returned in it: a citation outside that list is dropped.
 */
export const migration065Copilot: Migration = {
  version: 65,
  name: 'copilot',
  sql: /* sql */ `
CREATE TABLE copilot_conversations (
  id TEXT PRIMARY KEY,
  profile_id TEXT NOT NULL,
  agent TEXT NOT NULL,
  title TEXT NOT NULL,
  pinned INTEGER NOT NULL DEFAULT 0,
  model TEXT,
  endpoint TEXT,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  summary TEXT,
  summary_through INTEGER NOT NULL DEFAULT 0,
  context_ref TEXT,
  read_refs TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX copilot_conversations_profile ON copilot_conversations(profile_id, pinned DESC, updated_at DESC);

CREATE TABLE copilot_messages (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES copilot_conversations(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  role TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '',
  tool_calls TEXT,
  tool_call_id TEXT,
  tool_name TEXT,
  tool_status TEXT,
  citations TEXT NOT NULL DEFAULT '[]',
  dropped_citations INTEGER NOT NULL DEFAULT 0,
  proposals TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL DEFAULT 'done',
  model TEXT,
  endpoint TEXT,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX copilot_messages_seq ON copilot_messages(conversation_id, seq);

CREATE TABLE memory_items (
  id TEXT PRIMARY KEY,
  profile_id TEXT NOT NULL,
  type TEXT NOT NULL,
  retention TEXT NOT NULL,
  content TEXT NOT NULL,
  source TEXT,
  redactions INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  expires_at TEXT
);
CREATE INDEX memory_items_profile ON memory_items(profile_id, created_at DESC);
CREATE INDEX memory_items_expiry ON memory_items(expires_at) WHERE expires_at IS NOT NULL;
`,
  postgres: {
    sql: /* sql */ `
CREATE TABLE copilot_conversations (
  id text PRIMARY KEY,
  profile_id text NOT NULL,
  agent text NOT NULL,
  title text NOT NULL,
  pinned bigint NOT NULL DEFAULT 0,
  model text,
  endpoint text,
  tokens_in bigint NOT NULL DEFAULT 0,
  tokens_out bigint NOT NULL DEFAULT 0,
  cost_usd double precision NOT NULL DEFAULT 0,
  summary text,
  summary_through bigint NOT NULL DEFAULT 0,
  context_ref text,
  read_refs text NOT NULL DEFAULT '[]',
  created_at text NOT NULL,
  updated_at text NOT NULL
);
CREATE INDEX copilot_conversations_profile ON copilot_conversations(profile_id, pinned DESC, updated_at DESC);

CREATE TABLE copilot_messages (
  id text PRIMARY KEY,
  conversation_id text NOT NULL REFERENCES copilot_conversations(id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  role text NOT NULL,
  content text NOT NULL DEFAULT '',
  tool_calls text,
  tool_call_id text,
  tool_name text,
  tool_status text,
  citations text NOT NULL DEFAULT '[]',
  dropped_citations bigint NOT NULL DEFAULT 0,
  proposals text NOT NULL DEFAULT '[]',
  status text NOT NULL DEFAULT 'done',
  model text,
  endpoint text,
  tokens_in bigint NOT NULL DEFAULT 0,
  tokens_out bigint NOT NULL DEFAULT 0,
  cost_usd double precision NOT NULL DEFAULT 0,
  created_at text NOT NULL
);
CREATE UNIQUE INDEX copilot_messages_seq ON copilot_messages(conversation_id, seq);

CREATE TABLE memory_items (
  id text PRIMARY KEY,
  profile_id text NOT NULL,
  type text NOT NULL,
  retention text NOT NULL,
  content text NOT NULL,
  source text,
  redactions bigint NOT NULL DEFAULT 0,
  created_at text NOT NULL,
  expires_at text
);
CREATE INDEX memory_items_profile ON memory_items(profile_id, created_at DESC);
CREATE INDEX memory_items_expiry ON memory_items(expires_at) WHERE expires_at IS NOT NULL;
`,
  },
};
