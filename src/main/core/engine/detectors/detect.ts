import { kendallTau, mean, median, robustZ, theilSen } from './stats';

export interface Point {
  date: string;
  value: number | null;
}

export interface AnomalyOptions {
  /** Trailing points the baseline is drawn from. */
  baseline: number;
  /** Fewest usable baseline points before a point is judged. */
  minBaseline: number;
  /** Robust z-score beyond which a point is anomalous. */
  zThreshold: number;
  /** Relative change against the baseline median that also must be exceeded (filters tiny wobbles). */
  minChange: number;
  /** A drop of this share against the baseline median flags on its own, whatever the spread (the "% drop" rule). */
  dropShare: number;
  /** Absolute change that must be exceeded too (low-volume counts). */
  minAbsolute: number;
}

export const DEFAULT_ANOMALY: AnomalyOptions = { baseline: 28, minBaseline: 14, zThreshold: 3.5, minChange: 0.25, dropShare: 0.5, minAbsolute: 0 };

export interface AnomalyFinding {
  kind: 'spike' | 'drop';
  start: string;
  end: string;
  /** Most extreme relative change against the baseline median in the run (+1.5 = +150 %). */
  magnitude: number;
  /** Most extreme robust z-score (capped at ±99). */
  z: number;
  baseline: number;
  peak: number;
  /** Indices into the series of the flagged points. */
  indices: number[];
  /** Baseline median at each flagged point. */
  baselines: number[];
}

const cap = (z: number): number => Math.max(-99, Math.min(99, z));

/**
 * Flags points far from a trailing baseline: by robust z-score, or by the percent drop rule. Flagged points are left
 * out of later baselines so a long anomaly does not become its own baseline; consecutive flagged points in the same
 * direction form one finding.
 */
export function detectAnomalies(series: readonly Point[], o: AnomalyOptions = DEFAULT_ANOMALY): AnomalyFinding[] {
  const findings: AnomalyFinding[] = [];
  const clean: number[] = [];
  let current: AnomalyFinding | null = null;
  for (let i = 0; i < series.length; i++) {
    const x = series[i]!.value;
    if (x === null || !Number.isFinite(x)) continue;
    const base = clean.slice(-o.baseline);
    let flagged: 'spike' | 'drop' | null = null;
    if (base.length >= o.minBaseline) {
      const { z, center } = robustZ(x, base);
      const change = center !== 0 ? (x - center) / Math.abs(center) : x === 0 ? 0 : Math.sign(x) * Number.POSITIVE_INFINITY;
      const big = Math.abs(x - center) > o.minAbsolute && Math.abs(change) >= o.minChange;
      if (big && Math.abs(z) >= o.zThreshold) flagged = z > 0 ? 'spike' : 'drop';
      else if (center > 0 && x <= center * (1 - o.dropShare) && Math.abs(x - center) > o.minAbsolute) flagged = 'drop';
      if (flagged) {
        const magnitude = center !== 0 ? (x - center) / Math.abs(center) : flagged === 'spike' ? 99 : -1;
        if (current && current.kind === flagged && current.indices.at(-1) === lastIndex(series, i)) {
          current.end = series[i]!.date;
          current.indices.push(i);
          current.baselines.push(center);
          if (Math.abs(magnitude) > Math.abs(current.magnitude)) {
            current.magnitude = magnitude;
            current.peak = x;
          }
          if (Math.abs(cap(z)) > Math.abs(current.z)) current.z = cap(z);
        } else {
          current = { kind: flagged, start: series[i]!.date, end: series[i]!.date, magnitude, z: cap(z), baseline: center, peak: x, indices: [i], baselines: [center] };
          findings.push(current);
        }
        continue;
      }
    }
    current = null;
    clean.push(x);
  }
  return findings;
}

/** Index of the previous point with a value (gaps do not break a run). */
function lastIndex(series: readonly Point[], i: number): number {
  for (let j = i - 1; j >= 0; j--) if (series[j]!.value !== null) return j;
  return -1;
}

export interface TrendOptions {
  /** Window lengths to test, in points of the aggregated series (weeks for daily data). */
  windows: readonly number[];
  /** Points per aggregation bucket (7 turns days into weeks). */
  bucket: number;
  /** Kendall's tau needed to call it a trend. */
  minTau: number;
  /** Relative change over the window needed to call it a trend. */
  minChange: number;
}

export const DEFAULT_TREND: TrendOptions = { windows: [4, 8, 12], bucket: 7, minTau: 0.6, minChange: 0.2 };

export interface TrendFinding {
  kind: 'trend_up' | 'trend_down';
  start: string;
  end: string;
  /** Relative change over the window, from the fitted line (+0.3 = +30 %). */
  magnitude: number;
  tau: number;
  /** Fitted change per bucket (per week for daily data). */
  slope: number;
  windowBuckets: number;
  first: number;
  last: number;
}

/** Bucketed means ending at the last point, oldest first. */
export function buckets(series: readonly Point[], size: number): { start: string; end: string; value: number }[] {
  const out: { start: string; end: string; value: number }[] = [];
  for (let end = series.length; end - size >= 0; end -= size) {
    const slice = series.slice(end - size, end);
    const values = slice.map((p) => p.value).filter((v): v is number => v !== null && Number.isFinite(v));
    if (values.length < Math.ceil(size / 2)) break;
    out.unshift({ start: slice[0]!.date, end: slice.at(-1)!.date, value: mean(values) });
  }
  return out;
}

/**
 * The slope over windows ending at the latest data: each window's bucketed series is fitted with Theil–Sen and
 * tested with Kendall's tau; the strongest significant window wins.
 */
export function detectTrend(series: readonly Point[], o: TrendOptions = DEFAULT_TREND): TrendFinding | null {
  const b = buckets(series, o.bucket);
  let best: TrendFinding | null = null;
  for (const w of o.windows) {
    if (b.length < w) continue;
    const win = b.slice(-w);
    const values = win.map((x) => x.value);
    const tau = kendallTau(values);
    const slope = theilSen(values);
    const level = Math.abs(median(values));
    if (level === 0) continue;
    const mid = median(values.map((v, i) => v - slope * i));
    const first = mid;
    const last = mid + slope * (w - 1);
    const change = first !== 0 ? (last - first) / Math.abs(first) : (slope * (w - 1)) / level;
    if (Math.abs(tau) < o.minTau || Math.abs(change) < o.minChange || Math.sign(tau) !== Math.sign(change)) continue;
    const f: TrendFinding = { kind: change > 0 ? 'trend_up' : 'trend_down', start: win[0]!.start, end: win.at(-1)!.end, magnitude: change, tau, slope, windowBuckets: w, first, last };
    if (!best || Math.abs(f.tau) * Math.abs(f.magnitude) > Math.abs(best.tau) * Math.abs(best.magnitude)) best = f;
  }
  return best;
}
