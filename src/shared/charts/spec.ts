import { z } from 'zod';

/**
 * The declarative chart spec shared by the Analytics page, the Dashboard, HTML previews and PDFs: one spec, drawn
 * by ECharts in the browser and by ECharts' server-side SVG renderer in Node, so a chart on screen and in a
 * report are the same picture. Specs are data (they come from query results and templates), so everything is
 * validated and bounded here.
 */

export const CHART_KINDS = ['kpi', 'line', 'bar', 'stacked-bar', 'pie', 'table'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export const TIME_GRAINS = ['day', 'week', 'month', 'quarter'] as const;
export type TimeGrain = (typeof TIME_GRAINS)[number];

const label = (max = 200) => z.string().trim().min(1).max(max);

/**
 * How a value is printed. `percent` values are ratios (0.42 prints as 42%); `duration` values are in
 * `durationUnit` (default hours) and print as the largest sensible unit; `unit` is a suffix ("tickets").
 */
export const numberFormat = z
  .object({
    style: z.enum(['number', 'currency', 'percent', 'duration']).default('number'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'Use an ISO 4217 code such as EUR.')
      .optional(),
    decimals: z.number().int().min(0).max(6).optional(),
    compact: z.boolean().optional(),
    unit: z.string().trim().max(24).optional(),
    durationUnit: z.enum(['seconds', 'minutes', 'hours', 'days']).optional(),
  })
  .refine((f) => f.style !== 'currency' || f.currency !== undefined, { message: 'A currency format needs a currency code.', path: ['currency'] });
export type NumberFormat = z.input<typeof numberFormat>;

const finite = z.number().finite();
const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #4c6ef5.');

export const categoryAxis = z.object({
  type: z.literal('category'),
  categories: z.array(z.string().max(200)).min(1).max(500),
  label: z.string().max(80).optional(),
});

/** Points are ISO dates (period starts, UTC); labels are derived from the grain (e.g. "Q2 2026"). */
export const timeAxis = z.object({
  type: z.literal('time'),
  points: z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'Use ISO dates such as 2026-03-02.'))
    .min(1)
    .max(1000),
  grain: z.enum(TIME_GRAINS),
  label: z.string().max(80).optional(),
});
export const chartAxis = z.discriminatedUnion('type', [categoryAxis, timeAxis]);
export type ChartAxis = z.infer<typeof chartAxis>;

export const chartSeries = z.object({
  name: label(120),
  data: z.array(finite.nullable()).max(1000),
  format: numberFormat.optional(),
  color: hexColor.optional(),
});
export type ChartSeries = z.infer<typeof chartSeries>;

export const TABLE_COLUMN_TYPES = ['text', 'number', 'date', 'datetime', 'boolean'] as const;
export const tableColumn = z.object({
  key: z.string().min(1).max(64),
  label: label(120),
  type: z.enum(TABLE_COLUMN_TYPES).default('text'),
  format: numberFormat.optional(),
  /** Relative width in PDFs and previews (default: by type). */
  width: z.number().min(0.2).max(10).optional(),
});
export type TableColumn = z.infer<typeof tableColumn>;

export const tableCell = z.union([z.string().max(4000), finite, z.boolean(), z.null()]);
export type TableCell = z.infer<typeof tableCell>;
export const tableRow = z.record(z.string(), tableCell);
export type TableRow = z.infer<typeof tableRow>;

/** Columns, rows and optional totals: the shape of a query result and of a report table. */
export const tableData = z
  .object({
    columns: z.array(tableColumn).min(1).max(40),
    rows: z.array(tableRow).max(50_000),
    totals: tableRow.optional(),
  })
  .superRefine((t, ctx) => {
    const keys = new Set<string>();
    for (const c of t.columns) {
      if (keys.has(c.key)) ctx.addIssue({ code: 'custom', message: `Column key "${c.key}" is used twice.`, path: ['columns'] });
      keys.add(c.key);
    }
  });
export type TableData = z.infer<typeof tableData>;

const base = {
  title: label(),
  subtitle: z.string().max(300).optional(),
  /** Default format of values (a series' own format wins). */
  format: numberFormat.optional(),
  /** BCP 47 locale for numbers and dates (default en-GB). */
  locale: z.string().max(35).optional(),
};

export const kpiSpec = z.object({
  kind: z.literal('kpi'),
  ...base,
  value: finite.nullable(),
  /** The same figure for the previous period, for the change line. */
  previous: finite.nullable().optional(),
  /** Which direction is good news (colours the change); `neutral` never colours. */
  betterWhen: z.enum(['up', 'down', 'neutral']).default('up'),
  comparisonLabel: z.string().max(60).optional(),
  /** A small sparkline under the value. */
  trend: z.array(finite.nullable()).max(400).optional(),
});

const seriesChart = <K extends 'line' | 'bar' | 'stacked-bar'>(kind: K) =>
  z.object({
    kind: z.literal(kind),
    ...base,
    axis: chartAxis,
    series: z.array(chartSeries).min(1).max(12),
    /** Bars grow sideways (long category names). */
    horizontal: z.boolean().optional(),
    valueAxisLabel: z.string().max(80).optional(),
  });

export const lineSpec = seriesChart('line');
export const barSpec = seriesChart('bar');
export const stackedBarSpec = seriesChart('stacked-bar');

export const pieSpec = z.object({
  kind: z.literal('pie'),
  ...base,
  slices: z
    .array(z.object({ label: z.string().max(200), value: finite.min(0, 'Pie slices are parts of a whole: no negative values.'), color: hexColor.optional() }))
    .min(1)
    .max(12),
});

export const tableSpec = z.object({ kind: z.literal('table'), ...base, table: tableData });

export const chartSpec = z
  .discriminatedUnion('kind', [kpiSpec, lineSpec, barSpec, stackedBarSpec, pieSpec, tableSpec])
  .superRefine((spec, ctx) => {
    if (spec.kind !== 'line' && spec.kind !== 'bar' && spec.kind !== 'stacked-bar') return;
    const length = spec.axis.type === 'category' ? spec.axis.categories.length : spec.axis.points.length;
    spec.series.forEach((s, i) => {
      if (s.data.length !== length) {
        ctx.addIssue({ code: 'custom', path: ['series', i, 'data'], message: `Series "${s.name}" has ${s.data.length} values for ${length} axis points.` });
      }
    });
  });

export type ChartSpec = z.infer<typeof chartSpec>;
export type ChartSpecInput = z.input<typeof chartSpec>;
export type KpiSpec = Extract<ChartSpec, { kind: 'kpi' }>;
export type SeriesChartSpec = Extract<ChartSpec, { kind: 'line' | 'bar' | 'stacked-bar' }>;
export type PieSpec = Extract<ChartSpec, { kind: 'pie' }>;
export type TableSpec = Extract<ChartSpec, { kind: 'table' }>;

export type ChartTheme = 'light' | 'dark';

/** What a click on a chart reports, for drill-down (category or time point, series, value). */
export interface ChartSelection {
  kind: ChartKind;
  /** The category label, time point (ISO) or pie slice label. */
  category: string;
  /** The axis label as shown (a formatted period for time axes). */
  label: string;
  index: number;
  series: string | null;
  value: number | null;
}
