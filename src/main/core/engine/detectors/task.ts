import type { DataPoint } from '@shared/insights';
import { openDatabase } from '../../db/open';
import type { TaskContext } from '../../workers/context';
import { DEFAULT_ANOMALY, DEFAULT_TREND, detectAnomalies, detectTrend, type AnomalyOptions, type TrendOptions } from './detect';
import { METRICS, type MetricDef } from './metrics';

export interface DetectorFinding {
  metric: string;
  kind: 'spike' | 'drop' | 'trend_up' | 'trend_down';
  entityType: string | null;
  entityId: number | null;
  entityTitle: string | null;
  start: string;
  end: string;
  magnitude: number;
  /** Robust z-score for anomalies, Kendall's tau for trends. */
  score: number;
  baseline: number;
  peak: number;
  /** Trends: the fitted change per week. */
  slope: number | null;
  points: DataPoint[];
}

export interface DetectResult {
  findings: DetectorFinding[];
  series: number;
  metrics: Record<string, { series: number; findings: number; error?: string }>;
}

const round = (v: number): number => Math.round(v * 1_000) / 1_000;

function options(m: MetricDef): { anomaly: AnomalyOptions; trend: TrendOptions } {
  return m.granularity === 'week'
    ? { anomaly: { ...DEFAULT_ANOMALY, baseline: 12, minBaseline: 6, minAbsolute: m.minAbsolute }, trend: { ...DEFAULT_TREND, bucket: 1, windows: [4, 8, 12] } }
    : { anomaly: { ...DEFAULT_ANOMALY, minAbsolute: m.minAbsolute }, trend: DEFAULT_TREND };
}

/** Runs every detector over every metric series. Pure computation on a read-only connection. */
export function detectAll(db: Parameters<MetricDef['series']>[0], ctx?: TaskContext): DetectResult {
  const result: DetectResult = { findings: [], series: 0, metrics: {} };
  METRICS.forEach((m, mi) => {
    ctx?.throwIfCancelled();
    ctx?.progress({ phase: `reading ${m.label.toLowerCase()}`, done: mi, total: METRICS.length });
    const stat = { series: 0, findings: 0 } as { series: number; findings: number; error?: string };
    result.metrics[m.key] = stat;
    let all;
    try {
      all = m.series(db);
    } catch (error) {
      // One broken metric (a table missing in an imported workspace) must not stop the others.
      stat.error = error instanceof Error ? error.message : String(error);
      return;
    }
    const o = options(m);
    for (const s of all) {
      stat.series++;
      result.series++;
      const pts = s.points;
      for (const a of detectAnomalies(pts, o.anomaly)) {
        const from = Math.max(0, a.indices[0]! - 28);
        const to = Math.min(pts.length, a.indices.at(-1)! + 8);
        const flagged = new Map(a.indices.map((idx, k) => [idx, a.baselines[k]!]));
        const points = pts.slice(from, to).map((p, k) => {
          const b = flagged.get(from + k);
          return b === undefined ? { date: p.date, value: p.value } : { date: p.date, value: p.value, baseline: round(b), flagged: true };
        });
        result.findings.push({ metric: m.key, kind: a.kind, entityType: s.entityType, entityId: s.entityId, entityTitle: s.entityTitle, start: a.start, end: a.end, magnitude: round(a.magnitude), score: round(a.z), baseline: round(a.baseline), peak: round(a.peak), slope: null, points });
        stat.findings++;
      }
      const t = detectTrend(pts, o.trend);
      if (t) {
        const points = pts.filter((p) => p.date >= t.start && p.date <= t.end).slice(-120).map((p) => ({ date: p.date, value: p.value }));
        result.findings.push({ metric: m.key, kind: t.kind, entityType: s.entityType, entityId: s.entityId, entityTitle: s.entityTitle, start: t.start, end: t.end, magnitude: round(t.magnitude), score: round(t.tau), baseline: round(t.first), peak: round(t.last), slope: round(t.slope), points });
        stat.findings++;
      }
    }
  });
  return result;
}

/** Worker task: the detectors over a workspace file. */
export function detectTask(params: { dbFile: string }, ctx: TaskContext): DetectResult {
  const db = openDatabase(params.dbFile, { vectors: false });
  try {
    db.pragma('query_only = ON');
    return detectAll(db, ctx);
  } finally {
    db.close();
  }
}
