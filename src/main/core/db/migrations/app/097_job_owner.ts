import type { Migration } from '../../migrate';

/**
 * Jobs record the process that runs them (ADR 0097). Start-up recovery only takes over a queued or running job whose
 * owner process is gone, so the CLI can run the same recovery as the app without touching jobs the app (or another
 * CLI) is running right now. Rows from before this migration have no owner and count as abandoned.
 */
export const migration097JobOwner: Migration = {
  version: 97,
  name: 'job_owner',
  sql: /* sql */ `
ALTER TABLE jobs ADD COLUMN owner_pid INTEGER;
`,
};
