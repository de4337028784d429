import { z } from 'zod';
import { numberFormat, tableColumn, tableRow, TIME_GRAINS, type NumberFormat } from '../charts/spec';

/**
 * The analytics query spec: the one validated description of a question over the workspace's metrics. The
 * Analytics page, report sections, Dashboard tiles and the copilot all send one of these; the core compiles it to
 * parameterised, read-only SQL through the catalog (src/main/core/analytics). Names here are only checked for
 * shape; whether a measure or dimension exists (and which dimensions a measure supports) is the catalog's call,
 * which refuses unknown names with the valid ones listed, nearest first.
 *
 * Keep this stable: reports and the copilot store specs.
 */

export const ANALYTICS_GRAINS = TIME_GRAINS;
export type AnalyticsGrain = (typeof ANALYTICS_GRAINS)[number];

const catalogName = z
  .string()
  .trim()
  .min(1, 'Name a measure or dimension.')
  .max(48, 'Catalog names are at most 48 characters.')
  .regex(/^[a-z][a-z0-9_]*$/, 'Catalog names are lowercase words joined by underscores, such as win_rate.');

export const FILTER_OPS = ['eq', 'neq', 'in', 'not_in', 'contains', 'gt', 'gte', 'lt', 'lte', 'is_null', 'not_null'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const filterValue = z.union([z.string().max(200), z.number().finite()]);
export type FilterValue = z.infer<typeof filterValue>;

/** A condition on a dimension's value (owner = "Ana Silva", priority in [high, urgent], status is null). */
export const queryFilter = z
  .object({
    field: catalogName,
    op: z.enum(FILTER_OPS),
    values: z.array(filterValue).max(50).default([]),
  })
  .superRefine((f, ctx) => {
    const n = f.values.length;
    const need = f.op === 'is_null' || f.op === 'not_null' ? 0 : f.op === 'in' || f.op === 'not_in' ? -1 : 1;
    if (need === 0 && n > 0) ctx.addIssue({ code: 'custom', path: ['values'], message: `"${f.op}" takes no values.` });
    if (need === 1 && n !== 1) ctx.addIssue({ code: 'custom', path: ['values'], message: `"${f.op}" takes exactly one value (got ${n}).` });
    if (need === -1 && n === 0) ctx.addIssue({ code: 'custom', path: ['values'], message: `"${f.op}" needs at least one value.` });
  });
export type QueryFilter = z.infer<typeof queryFilter>;

/**
 * Periods relative to the workspace's reference day: a demo workspace's anchor date, otherwise today (UTC).
 * Weeks start on Monday. "last_*_days" end with the reference day, "this_*" run from the period start to it.
 */
export const TIME_PRESETS = [
  'today',
  'yesterday',
  'last_7_days',
  'last_30_days',
  'last_90_days',
  'last_365_days',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
  'this_quarter',
  'last_quarter',
  'this_year',
  'last_year',
  'next_30_days',
  'next_90_days',
  'all_time',
] as const;
export type TimePreset = (typeof TIME_PRESETS)[number];

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.')
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'That is not a real day.');

/** Either a preset, or explicit days (both inclusive). */
export const timeRange = z.union([
  z.object({ preset: z.enum(TIME_PRESETS) }),
  z
    .object({ from: isoDay, to: isoDay })
    .refine((r) => r.from <= r.to, { message: 'The range starts after it ends.', path: ['to'] }),
]);
export type TimeRange = z.infer<typeof timeRange>;

export const querySort = z.object({
  /** A measure name, a dimension name, or "period" (the time bucket). */
  by: catalogName,
  desc: z.boolean().default(true),
});

export const QUERY_MAX_ROWS = 1000;

export const querySpec = z.object({
  measures: z.array(catalogName).min(1, 'Ask for at least one measure.').max(6, 'At most six measures per query.'),
  dimensions: z.array(catalogName).max(3, 'Break down by at most three dimensions.').default([]),
  filters: z.array(queryFilter).max(12).default([]),
  timeRange: timeRange.default({ preset: 'all_time' }),
  /** Buckets the measure's time column at this grain (a time series); absent: one row per dimension combination. */
  grain: z.enum(ANALYTICS_GRAINS).optional(),
  /** Also compute every figure for the period of the same length just before (not for all_time). */
  compare: z.boolean().default(false),
  sort: querySort.optional(),
  limit: z.number().int().min(1).max(QUERY_MAX_ROWS).default(100),
});
/** A spec as callers write it (defaults optional). */
export type QuerySpecInput = z.input<typeof querySpec>;
/** A spec with its defaults applied. */
export type QuerySpec = z.output<typeof querySpec>;

/** The time column bucket in results and sorts. */
export const PERIOD_KEY = 'period';

export const COLUMN_ROLES = ['dimension', 'period', 'measure', 'previous', 'change'] as const;

/** A result column: a report table column (charts/spec) plus where it came from. */
export const resultColumn = tableColumn.extend({
  role: z.enum(COLUMN_ROLES),
  /** The catalog name behind it (measure, dimension, or "period"). */
  name: z.string(),
});
export type ResultColumn = z.infer<typeof resultColumn>;

export const resolvedRange = z.object({
  /** First day, inclusive. */
  from: z.string(),
  /** Last day, inclusive. */
  to: z.string(),
  label: z.string(),
});
export type ResolvedRange = z.infer<typeof resolvedRange>;

export const queryResult = z.object({
  spec: querySpec,
  /** The days the query covered (null for all_time), and the previous period's when compare was asked for. */
  range: resolvedRange.nullable(),
  previousRange: resolvedRange.nullable(),
  /** The workspace's reference day presets were resolved against. */
  referenceDate: z.string(),
  columns: z.array(resultColumn),
  rows: z.array(tableRow),
  /** Every measure over all rows (computed by the database, so ratios are not sums of ratios). */
  totals: tableRow,
  /** The same for the previous period, when compare was asked for. */
  previousTotals: tableRow.nullable(),
  /** More groups existed than `limit`. */
  truncated: z.boolean(),
  timing: z.object({
    /** Time spent in the database, summed over the statements. */
    sqlMs: z.number(),
    totalMs: z.number(),
    statements: z.number().int(),
  }),
});
export type QueryResult = z.infer<typeof queryResult>;

// The catalog as the contract shows it (analytics.catalog).

export const MEASURE_DOMAINS = ['sales', 'support', 'work', 'marketing', 'vendors', 'dispatch', 'success', 'goals'] as const;
export type MeasureDomain = (typeof MEASURE_DOMAINS)[number];

export const measureInfo = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string(),
  domain: z.enum(MEASURE_DOMAINS),
  /** What the number counts or measures ("deals", "USD", "hours", "ratio"). */
  unit: z.string(),
  format: numberFormat,
  betterWhen: z.enum(['up', 'down', 'neutral']),
  /** Tables the measure reads (for people and for the data-fingerprint of reports). */
  tables: z.array(z.string()),
  /** The column a time range and grain apply to ("deals.close_date"). */
  timeColumn: z.string(),
  dimensions: z.array(z.string()),
  /** Entity the rows behind a figure live in (drill-down opens the Data page on it). */
  entity: z.string(),
  /** Dimensions that are a reference column of that entity (drill-down filters the Data page by the record). */
  drill: z.record(z.string(), z.object({ column: z.string(), entity: z.string() })),
});
export type MeasureInfo = z.infer<typeof measureInfo>;

export const dimensionInfo = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string(),
  /** Known values, when the dimension is an enumeration. */
  values: z.array(z.string()).optional(),
});
export type DimensionInfo = z.infer<typeof dimensionInfo>;

export const catalogInfo = z.object({
  measures: z.array(measureInfo),
  dimensions: z.array(dimensionInfo),
  grains: z.array(z.enum(ANALYTICS_GRAINS)),
  presets: z.array(z.enum(TIME_PRESETS)),
  filterOps: z.array(z.enum(FILTER_OPS)),
});
export type CatalogInfo = z.infer<typeof catalogInfo>;

export type { NumberFormat };
