import type { Severity } from '@shared/insights';
import type { CompletedFields } from '../insightStore';
import type { MetricDef } from './metrics';
import type { DetectorFinding } from './task';

const ANOMALY_TTL_HOURS = 7 * 24;
const TREND_TTL_HOURS = 14 * 24;

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%`;
/** A change's size without its sign, where a word (drop, spike, up, down) already says the direction. */
const size = (x: number): string => `${Math.round(Math.abs(x) * 100)}%`;
const num = (x: number, unit: string): string => `${Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : Math.round(x * 100) / 100}${unit === '%' ? '%' : ` ${unit}`}`;
const span = (f: DetectorFinding): string => (f.start === f.end ? f.start : `${f.start} to ${f.end}`);

/** Whether a finding is bad news, given which way the metric is good. */
export function isBad(metric: MetricDef, kind: DetectorFinding['kind']): boolean | null {
  if (metric.better === 'none') return null;
  const rising = kind === 'spike' || kind === 'trend_up';
  return metric.better === 'up' ? !rising : rising;
}

export function findingSeverity(metric: MetricDef, f: DetectorFinding): Severity {
  const bad = isBad(metric, f.kind);
  const anomaly = f.kind === 'spike' || f.kind === 'drop';
  if (bad === false) return anomaly ? 'low' : 'info';
  // Strong means big in practice, not only improbable: a flat baseline makes any change infinitely improbable.
  const strong = anomaly ? Math.abs(f.magnitude) >= 1 || (Math.abs(f.score) >= 8 && Math.abs(f.magnitude) >= 0.5) : Math.abs(f.magnitude) >= 0.5;
  if (bad === null) return strong ? 'medium' : 'low';
  return strong ? 'high' : 'medium';
}

/**
 * Same finding, same key: point anomalies by start date (raised once); trends and rate shifts, whose windows move with
 * the data, by metric, record and direction (raised again only after the last one expired).
 */
export const dedupKey = (f: DetectorFinding): string =>
  `${f.metric}:${f.entityType ?? 'workspace'}:${f.entityId ?? 0}:${f.kind}${f.method === 'zscore' ? `:${f.start}` : `:${f.method}`}`;

/** The insight a detector finding becomes: title, summary, a factor citing the record, advice, and the series. */
export function findingFields(metric: MetricDef, f: DetectorFinding, nowIso: string): CompletedFields {
  const anomaly = f.kind === 'spike' || f.kind === 'drop';
  const subject = `${metric.label}${f.entityTitle ? ` for ${f.entityTitle}` : ''}`;
  const title = anomaly
    ? `${subject}: ${f.kind} of ${size(f.magnitude)} (${span(f)})`
    : `${subject}: trending ${f.kind === 'trend_up' ? 'up' : 'down'} ${size(f.magnitude)} over ${Math.max(1, Math.round((Date.parse(f.end) - Date.parse(f.start)) / 604_800_000))} weeks`;
  const summary = anomaly
    ? `${subject} reached ${num(f.peak, metric.unit)} (${span(f)}) against a typical ${num(f.baseline, metric.unit)} over the preceding weeks: ${pct(f.magnitude)}, robust z-score ${f.score}.`
    : `${subject} moved from about ${num(f.baseline, metric.unit)} to ${num(f.peak, metric.unit)} between ${f.start} and ${f.end} (${pct(f.magnitude)}, Kendall's tau ${f.score}).`;
  const bad = isBad(metric, f.kind);
  const evidence = f.entityType && f.entityId !== null ? [{ entityType: f.entityType, entityId: f.entityId }] : [];
  const confidence = anomaly ? Math.min(0.99, 0.5 + Math.min(Math.abs(f.score), 20) / 40) : Math.min(0.99, Math.abs(f.score));
  const ttl = anomaly ? ANOMALY_TTL_HOURS : TREND_TTL_HOURS;
  return {
    severity: findingSeverity(metric, f),
    title,
    summary,
    confidence: Math.round(confidence * 100) / 100,
    recommendations: bad === false ? [] : [{ action: metric.advice, rationale: `${metric.label} ${anomaly ? `had a ${f.kind}` : `is trending ${f.kind === 'trend_up' ? 'up' : 'down'}`} of ${size(f.magnitude)}.` }],
    factors: [{ direction: bad === false ? '+' : '-', text: summary, evidence }],
    fields: {
      metric: f.metric,
      metricLabel: metric.label,
      unit: metric.unit,
      kind: f.kind,
      start: f.start,
      end: f.end,
      magnitude: f.magnitude,
      [anomaly ? 'zScore' : 'tau']: f.score,
      baseline: f.baseline,
      [anomaly ? 'peak' : 'latest']: f.peak,
      ...(f.slope !== null ? { slopePerWeek: f.slope } : {}),
    },
    defaultedFields: [],
    warnings: [],
    dataPoints: f.points,
    completedAt: nowIso,
    expiresAt: new Date(Date.parse(nowIso) + ttl * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
