import type { Migration } from '../../migrate';

/**
 * What started each model call: on_demand (a person asked), scheduled (the scheduler) or event (a record changed).
 * NULL for rows written before this column and for calls that do not say (copilot turns, reports). Usage & Costs
 * shows scheduled and event calls as such, so background spend is never a surprise (ADR 0098).
 */
export const migration098UsageTrigger: Migration = {
  version: 98,
  name: 'usage_trigger',
  sql: /* sql */ `ALTER TABLE gateway_usage ADD COLUMN trigger TEXT;`,
  postgres: { sql: /* sql */ `ALTER TABLE gateway_usage ADD COLUMN trigger TEXT;` },
};
