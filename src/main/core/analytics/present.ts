import { PERIOD_KEY, type QueryResult } from '@shared/analytics/spec';
import { computeChange, formatPeriod, formatValue } from '@shared/charts/format';
import type { ChartSeries, ChartSpec } from '@shared/charts/spec';
import { getDimension, getMeasure } from './catalog';
import type { MeasureDef } from './catalogTypes';

/**
 * A result → the chart that suits its shape, and a summary whose every number is read from the result (the
 * sentences are templates; nothing here computes a figure the database did not return, except the change
 * between two returned figures). Rules, in order:
 * - no breakdown, one measure: a KPI tile (with the previous period when compared);
 * - a time series: lines (stacked bars when one additive measure is split by a dimension);
 * - one dimension: bars (a pie only for an additive measure in at most five non-negative parts of a whole);
 * - two dimensions, one additive measure: stacked bars; anything else: a table.
 */

const MAX_SERIES = 8;
const MAX_CATEGORIES = 40;

type Format = Exclude<ChartSeries['format'], undefined>;
const fmt = (m: MeasureDef): Format => ({ ...m.format, style: m.format.style ?? 'number' });
/** Counts and sums add up across parts; rates, averages and ratios do not. */
export const isAdditive = (m: MeasureDef): boolean => 'agg' in m.value && (m.value.agg.fn === 'count' || m.value.agg.fn === 'sum');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const label = (v: unknown): string => (v === null || v === undefined || v === '' ? '(none)' : String(v));

export function chooseChart(result: QueryResult, title?: string): ChartSpec {
  const { spec, rows, totals } = result;
  const measures = spec.measures.map((n) => getMeasure(n)!);
  const first = measures[0]!;
  const rangeLabel = result.range?.label ?? 'All time';
  const heading = title ?? defaultTitle(result);
  const base = { title: heading.slice(0, 200), subtitle: rangeLabel.slice(0, 300) };
  const dims = spec.dimensions;
  if (dims.length === 0 && !spec.grain) {
    if (measures.length === 1) {
      return {
        kind: 'kpi',
        ...base,
        format: fmt(first),
        value: num(totals[first.name]),
        ...(result.previousTotals ? { previous: num(result.previousTotals[first.name]), comparisonLabel: 'vs previous period' } : {}),
        betterWhen: first.betterWhen,
      };
    }
    return table(result, base);
  }
  if (spec.grain) {
    const points = [...new Set(rows.map((r) => String(r[PERIOD_KEY] ?? '')).filter(Boolean))].sort();
    if (points.length === 0 || dims.length > 1) return table(result, base);
    if (dims.length === 0) {
      const series = measures.slice(0, MAX_SERIES).map((m) => ({ name: m.label, format: fmt(m), data: points.map((p) => num(rows.find((r) => r[PERIOD_KEY] === p)?.[m.name])) }));
      return { kind: 'line', ...base, format: fmt(first), axis: { type: 'time', points, grain: spec.grain }, series };
    }
    const dim = dims[0]!;
    const parts = topParts(result, dim, first.name);
    const series = parts.map((part) => ({ name: label(part).slice(0, 120), format: fmt(first), data: points.map((p) => num(rows.find((r) => r[PERIOD_KEY] === p && label(r[dim]) === part)?.[first.name])) }));
    return { kind: isAdditive(first) && measures.length === 1 ? 'stacked-bar' : 'line', ...base, format: fmt(first), axis: { type: 'time', points, grain: spec.grain }, series };
  }
  if (dims.length === 1) {
    const dim = dims[0]!;
    const cats = rows.slice(0, MAX_CATEGORIES);
    const values = cats.map((r) => num(r[first.name]));
    const fewParts = measures.length === 1 && isAdditive(first) && cats.length >= 2 && cats.length <= 5 && !result.truncated && values.every((v) => v !== null && v >= 0);
    if (fewParts) return { kind: 'pie', ...base, format: fmt(first), slices: cats.map((r) => ({ label: label(r[dim]).slice(0, 200), value: num(r[first.name]) ?? 0 })) };
    if (cats.length === 0) return table(result, base);
    const sameUnit = measures.filter((m) => m.unit === first.unit).slice(0, MAX_SERIES);
    const categories = cats.map((r) => label(r[dim]).slice(0, 200));
    return {
      kind: 'bar',
      ...base,
      format: fmt(first),
      axis: { type: 'category', categories, label: getDimension(dim)?.label ?? dim },
      series: sameUnit.map((m) => ({ name: m.label, format: fmt(m), data: cats.map((r) => num(r[m.name])) })),
      ...(categories.length > 8 || categories.some((c) => c.length > 14) ? { horizontal: true } : {}),
    };
  }
  if (dims.length === 2 && measures.length === 1 && isAdditive(first)) {
    const [d1, d2] = dims as [string, string];
    const categories = [...new Set(rows.map((r) => label(r[d1])))].slice(0, MAX_CATEGORIES);
    const parts = topParts(result, d2, first.name);
    if (categories.length === 0) return table(result, base);
    const series = parts.map((part) => ({ name: part.slice(0, 120), format: fmt(first), data: categories.map((c) => num(rows.find((r) => label(r[d1]) === c && label(r[d2]) === part)?.[first.name])) }));
    return { kind: 'stacked-bar', ...base, format: fmt(first), axis: { type: 'category', categories, label: getDimension(d1)?.label ?? d1 }, series };
  }
  return table(result, base);
}

/** The dimension values with the largest sums of the measure (at most eight series). */
function topParts(result: QueryResult, dim: string, measure: string): string[] {
  const sums = new Map<string, number>();
  for (const r of result.rows) sums.set(label(r[dim]), (sums.get(label(r[dim])) ?? 0) + (num(r[measure]) ?? 0));
  return [...sums.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_SERIES)
    .map(([k]) => k);
}

function table(result: QueryResult, base: { title: string; subtitle: string }): ChartSpec {
  const columns = result.columns.slice(0, 40).map(({ key, label: l, type, format }) => ({ key, label: l, type, ...(format ? { format } : {}) }));
  const keys = new Set(columns.map((c) => c.key));
  const pick = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => keys.has(k))) as Record<string, string | number | null>;
  return { kind: 'table', ...base, table: { columns, rows: result.rows.map(pick), totals: pick(result.totals) } };
}

export function defaultTitle(result: QueryResult): string {
  const { spec } = result;
  const names = spec.measures.map((n) => getMeasure(n)?.label ?? n).join(', ');
  const by = [...spec.dimensions.map((d) => getDimension(d)?.label.toLowerCase() ?? d), ...(spec.grain ? [spec.grain] : [])];
  return by.length ? `${names} by ${by.join(' and ')}` : names;
}

/** Template sentences from the result's own figures. */
export function summarize(result: QueryResult): string {
  const { spec, rows, totals } = result;
  const m = getMeasure(spec.measures[0]!)!;
  const f = fmt(m);
  const v = (x: unknown): string => formatValue(num(x), f);
  const period = result.range ? `${result.range.from} to ${result.range.to}` : 'all time';
  const sentences: string[] = [];
  const total = num(totals[m.name]);
  sentences.push(`${m.label} ${spec.dimensions.length || spec.grain ? 'overall ' : ''}was ${v(total)} (${period}).`);
  if (result.previousTotals) {
    const prev = num(result.previousTotals[m.name]);
    if (prev !== null && total !== null) sentences.push(`The previous period had ${v(prev)} (${computeChange(total, prev, f, m.betterWhen).text}).`);
    else sentences.push('The previous period has no figure to compare with.');
  }
  if (spec.grain && spec.dimensions.length === 0 && rows.length > 0) {
    const withValues = rows.filter((r) => num(r[m.name]) !== null);
    if (withValues.length > 0) {
      const a = withValues[0]!;
      const b = withValues[withValues.length - 1]!;
      const peak = withValues.reduce((x, y) => ((num(y[m.name]) ?? -Infinity) > (num(x[m.name]) ?? -Infinity) ? y : x));
      const p = (r: Record<string, unknown>): string => formatPeriod(String(r[PERIOD_KEY]), spec.grain!);
      sentences.push(`It went from ${v(a[m.name])} in ${p(a)} to ${v(b[m.name])} in ${p(b)}; the highest was ${v(peak[m.name])} in ${p(peak)}.`);
    }
  } else if (spec.dimensions.length > 0 && rows.length > 0) {
    const dim = spec.dimensions[0]!;
    const dimLabel = getDimension(dim)?.label.toLowerCase() ?? dim;
    const valued = rows.filter((r) => num(r[m.name]) !== null);
    if (valued.length > 0) {
      const hi = valued.reduce((x, y) => (num(y[m.name])! > num(x[m.name])! ? y : x));
      const lo = valued.reduce((x, y) => (num(y[m.name])! < num(x[m.name])! ? y : x));
      sentences.push(
        valued.length === 1
          ? `Only ${label(hi[dim])} has a figure: ${v(hi[m.name])}.`
          : `Highest ${dimLabel}: ${label(hi[dim])} with ${v(hi[m.name])}; lowest: ${label(lo[dim])} with ${v(lo[m.name])} (${rows.length}${result.truncated ? '+' : ''} ${rows.length === 1 ? 'group' : 'groups'}).`,
      );
    }
  }
  if (rows.length === 0 && (spec.dimensions.length > 0 || spec.grain)) sentences.push('No records matched.');
  return sentences.join(' ');
}
