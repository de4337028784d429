import type { Migration } from '../../migrate';

const ddl = (t: { text: string; int: string; real: string }): string => /* sql */ `
CREATE TABLE voice_sessions (
  id ${t.text} PRIMARY KEY,
  created_at ${t.text} NOT NULL,
  updated_at ${t.text} NOT NULL,
  profile_id ${t.text},
  profile_name ${t.text},
  transcript ${t.text} NOT NULL,
  engine ${t.text},
  model ${t.text},
  audio_ms ${t.int},
  transcribe_ms ${t.real},
  understand_ms ${t.real},
  understood_by ${t.text} NOT NULL,
  intent ${t.text} NOT NULL,
  confidence ${t.real} NOT NULL,
  status ${t.text} NOT NULL,
  summary ${t.text} NOT NULL,
  entities ${t.text} NOT NULL DEFAULT '[]',
  navigate_to ${t.text},
  approval_id ${t.text},
  question ${t.text},
  result ${t.text},
  error ${t.text},
  audio_file ${t.text},
  audio_expires_at ${t.text}
);
CREATE INDEX voice_sessions_created ON voice_sessions(created_at);
`;

/**
 * Voice command history (ADR 0073): each command's transcript, engine and timings, what was understood, the
 * confirmation and the result. The audio itself is a local file (kept for the configured days), named here.
 */
export const migration073VoiceSessions: Migration = {
  version: 73,
  name: 'voice_sessions',
  sql: ddl({ text: 'TEXT', int: 'INTEGER', real: 'REAL' }),
  postgres: { sql: ddl({ text: 'text', int: 'bigint', real: 'double precision' }) },
};
