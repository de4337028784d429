import type { Migration } from '../../migrate';

/**
 * Hardening of the usage ledger (ADR 0091). `anomaly` says what was wrong with a provider's reported usage and how
 * it was corrected (negative, non-finite or inflated counts); `lease_pid` and `lease_until` let a reservation whose
 * process died, or whose call outlived its deadline, be released by the next start or reader instead of holding
 * its budget for the rest of the day.
 */
export const migration090UsageGuard: Migration = {
  version: 90,
  name: 'usage_guard',
  sql: /* sql */ `
ALTER TABLE gateway_usage ADD COLUMN anomaly TEXT;
ALTER TABLE gateway_usage ADD COLUMN lease_pid INTEGER;
ALTER TABLE gateway_usage ADD COLUMN lease_until TEXT;
`,
  postgres: {
    sql: /* sql */ `
ALTER TABLE gateway_usage ADD COLUMN anomaly text;
ALTER TABLE gateway_usage ADD COLUMN lease_pid bigint;
ALTER TABLE gateway_usage ADD COLUMN lease_until text;
`,
  },
};
