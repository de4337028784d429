import type { DataPoint } from '@shared/insights';
import { openDatabase, type Db } from '../../db/open';
import type { TaskContext } from '../../workers/context';
import { DEFAULT_ANOMALY, DEFAULT_TREND, detectAnomalies, detectCountShift, detectRateShift, detectTrend, type AnomalyOptions, type TrendOptions } from './detect';
import { METRICS, readSeries, type MetricDef } from './metrics';

export interface DetectorFinding {
  metric: string;
  kind: 'spike' | 'drop' | 'trend_up' | 'trend_down';
  /** zscore: points against a trailing baseline; rate_shift: a share's recent window against the months before; trend. */
  method: 'zscore' | 'rate_shift' | 'trend';
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
const shiftDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function options(m: MetricDef): { anomaly: AnomalyOptions; trend: TrendOptions } {
  const tuned = { minAbsolute: m.minAbsolute, minChange: m.minChange ?? DEFAULT_ANOMALY.minChange };
  return m.granularity === 'week'
    ? { anomaly: { ...DEFAULT_ANOMALY, baseline: 12, minBaseline: 6, ...tuned }, trend: { ...DEFAULT_TREND, bucket: 1, windows: [4, 8, 12] } }
    : { anomaly: { ...DEFAULT_ANOMALY, ...tuned }, trend: DEFAULT_TREND };
}

/** Runs every detector over every metric series. Pure computation on a read-only connection. */
export function detectAll(db: Db, ctx?: TaskContext): DetectResult {
  const result: DetectResult = { findings: [], series: 0, metrics: {} };
  METRICS.forEach((m, mi) => {
    ctx?.throwIfCancelled();
    ctx?.progress({ phase: `reading ${m.label.toLowerCase()}`, done: mi, total: METRICS.length });
    const stat = { series: 0, findings: 0 } as { series: number; findings: number; error?: string };
    result.metrics[m.key] = stat;
    let all;
    try {
      all = readSeries(db, m);
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
      for (const a of detectAnomalies(pts, o.anomaly, m.weekly)) {
        const from = Math.max(0, a.indices[0]! - 28);
        const to = Math.min(pts.length, a.indices.at(-1)! + 8);
        const flagged = new Map(a.indices.map((idx, k) => [idx, a.baselines[k]!]));
        const points = pts.slice(from, to).map((p, k) => {
          const b = flagged.get(from + k);
          return b === undefined ? { date: p.date, value: p.value } : { date: p.date, value: p.value, baseline: round(b), flagged: true };
        });
        result.findings.push({ metric: m.key, kind: a.kind, method: 'zscore', entityType: s.entityType, entityId: s.entityId, entityTitle: s.entityTitle, start: a.start, end: a.end, magnitude: round(a.magnitude), score: round(a.z), baseline: round(a.baseline), peak: round(a.peak), slope: null, points });
        stat.findings++;
      }
      const zscored = result.findings.length;
      if (m.proportion || m.countRate) {
        const r = m.proportion ? detectRateShift(s.daily) : detectCountShift(s.daily);
        // A shift the daily scores already caught in the same direction adds nothing.
        const known = result.findings.slice(zscored - stat.findings).some((f) => f.metric === m.key && f.entityId === s.entityId && f.kind === r?.kind && f.end >= (r?.start ?? ''));
        if (r && !known) {
          const points = pts.filter((p) => p.date >= shiftDays(r.start, -84)).map((p) => ({ date: p.date, value: p.value, ...(p.date >= r.start ? { baseline: round(r.before * m.scale), flagged: true } : {}) }));
          result.findings.push({ metric: m.key, kind: r.kind, method: 'rate_shift', entityType: s.entityType, entityId: s.entityId, entityTitle: s.entityTitle, start: r.start, end: r.end, magnitude: round(r.magnitude), score: round(r.z), baseline: round(r.before * m.scale), peak: round(r.after * m.scale), slope: null, points });
          stat.findings++;
        }
      }
      const t = detectTrend(pts, o.trend);
      if (t) {
        const points = pts.filter((p) => p.date >= t.start && p.date <= t.end).slice(-120).map((p) => ({ date: p.date, value: p.value }));
        result.findings.push({ metric: m.key, kind: t.kind, method: 'trend', entityType: s.entityType, entityId: s.entityId, entityTitle: s.entityTitle, start: t.start, end: t.end, magnitude: round(t.magnitude), score: round(t.tau), baseline: round(t.first), peak: round(t.last), slope: round(t.slope), points });
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
