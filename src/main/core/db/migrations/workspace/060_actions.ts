import type { Migration } from '../../migrate';

const ddl = (t: { text: string; int: string }): string => /* sql */ `
CREATE TABLE action_approvals (
  id ${t.text} PRIMARY KEY,
  action ${t.text} NOT NULL,
  risk ${t.text} NOT NULL,
  args ${t.text} NOT NULL,
  preview ${t.text} NOT NULL,
  status ${t.text} NOT NULL,
  untrusted ${t.int} NOT NULL DEFAULT 0,
  source ${t.text} NOT NULL,
  agent ${t.text},
  conversation_id ${t.text},
  proposed_by ${t.text} NOT NULL,
  proposed_by_name ${t.text} NOT NULL,
  created_at ${t.text} NOT NULL,
  updated_at ${t.text} NOT NULL,
  decided_by ${t.text},
  decided_by_name ${t.text},
  decided_at ${t.text},
  note ${t.text},
  audit_id ${t.text}
);
CREATE INDEX action_approvals_status ON action_approvals(status, created_at);

CREATE TABLE action_audit (
  id ${t.text} PRIMARY KEY,
  at ${t.text} NOT NULL,
  action ${t.text} NOT NULL,
  risk ${t.text} NOT NULL,
  profile_id ${t.text} NOT NULL,
  profile_name ${t.text} NOT NULL,
  profile_role ${t.text} NOT NULL,
  source ${t.text} NOT NULL,
  agent ${t.text},
  conversation_id ${t.text},
  approval_id ${t.text},
  untrusted ${t.int} NOT NULL DEFAULT 0,
  args ${t.text} NOT NULL,
  result ${t.text},
  touched ${t.text} NOT NULL DEFAULT '[]',
  status ${t.text} NOT NULL,
  error ${t.text}
);
CREATE INDEX action_audit_at ON action_audit(at);
CREATE INDEX action_audit_action ON action_audit(action, at);
`;

/**
 * The action layer's state (ADR 0060): approvals waiting for a person (they survive restarts), and the audit trail
 * of every executed action. Ids are time-ordered text, so the primary key orders by creation; JSON is TEXT.
 */
export const migration060Actions: Migration = {
  version: 60,
  name: 'actions',
  sql: ddl({ text: 'TEXT', int: 'INTEGER' }),
  postgres: { sql: ddl({ text: 'text', int: 'bigint' }) },
};
