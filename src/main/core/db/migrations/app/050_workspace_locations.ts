import type { Migration } from '../../migrate';

/**
 * Workspaces on PostgreSQL (ADR 0050). `kind` says which engine holds the data; a PostgreSQL workspace keeps its
 * connection string encrypted by the host's SecretCipher (like provider keys) and names its schema. Its `file` is the
 * local search-index file of this machine.
 */
export const migration050WorkspaceLocations: Migration = {
  version: 50,
  name: 'workspace_locations',
  sql: /* sql */ `
ALTER TABLE workspaces ADD COLUMN pg_url_enc TEXT;
ALTER TABLE workspaces ADD COLUMN pg_schema TEXT;
`,
};
