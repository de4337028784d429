import { kendallTau, mannKendallZ, mean, median, robustZ, theilSen } from './stats';

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
  /** Absolute change that must be exceeded too (low-volume counts). */
  minAbsolute: number;
}

export const DEFAULT_ANOMALY: AnomalyOptions = { baseline: 28, minBaseline: 14, zThreshold: 3.5, minChange: 0.25, minAbsolute: 0 };

const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * Day-of-week factors of a daily series (median of each weekday over the overall median), or all ones when the
 * series has no clear weekly pattern. Dividing by them lets a Monday be compared with a Sunday.
 */
export function weekdayFactors(series: readonly Point[]): number[] {
  const ones = [1, 1, 1, 1, 1, 1, 1];
  const values = series.filter((p): p is Point & { value: number } => p.value !== null && Number.isFinite(p.value));
  const overall = median(values.map((p) => p.value));
  if (!(overall > 0)) return ones;
  const factors: number[] = [];
  for (let d = 0; d < 7; d++) {
    const day = values.filter((p) => weekday(p.date) === d).map((p) => p.value);
    if (day.length < 3) return ones;
    factors.push(median(day) / overall);
  }
  if (Math.min(...factors) <= 0 || Math.max(...factors) / Math.min(...factors) < 1.2) return ones;
  return factors;
}

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
 * Flags points far from a trailing baseline by robust z-score. Flagged points are left out of later baselines so a
 * long anomaly does not become its own baseline; consecutive flagged points in the same direction form one finding.
 * (Sustained shifts in series too thin for this are the rate- and count-shift tests' job.)
 */
export function detectAnomalies(series: readonly Point[], o: AnomalyOptions = DEFAULT_ANOMALY, seasonal = false): AnomalyFinding[] {
  const findings: AnomalyFinding[] = [];
  const clean: number[] = [];
  const factors = seasonal ? weekdayFactors(series) : [1, 1, 1, 1, 1, 1, 1];
  let current: AnomalyFinding | null = null;
  for (let i = 0; i < series.length; i++) {
    const raw = series[i]!.value;
    if (raw === null || !Number.isFinite(raw)) continue;
    // Seasonal series are judged on weekday-adjusted values; peaks and baselines are reported in real units.
    const f = factors[weekday(series[i]!.date)]!;
    const x = raw / f;
    const base = clean.slice(-o.baseline);
    let flagged: 'spike' | 'drop' | null = null;
    if (base.length >= o.minBaseline) {
      const { z, center } = robustZ(x, base);
      const change = center !== 0 ? (x - center) / Math.abs(center) : x === 0 ? 0 : Math.sign(x) * Number.POSITIVE_INFINITY;
      const big = Math.abs(x - center) > o.minAbsolute && Math.abs(change) >= o.minChange;
      if (big && Math.abs(z) >= o.zThreshold) flagged = z > 0 ? 'spike' : 'drop';
      if (flagged) {
        const magnitude = center !== 0 ? (x - center) / Math.abs(center) : flagged === 'spike' ? 99 : -1;
        if (current && current.kind === flagged && current.indices.at(-1) === lastIndex(series, i)) {
          current.end = series[i]!.date;
          current.indices.push(i);
          current.baselines.push(center * f);
          if (Math.abs(magnitude) > Math.abs(current.magnitude)) {
            current.magnitude = magnitude;
            current.peak = raw;
            current.baseline = center * f;
          }
          if (Math.abs(cap(z)) > Math.abs(current.z)) current.z = cap(z);
        } else {
          current = { kind: flagged, start: series[i]!.date, end: series[i]!.date, magnitude, z: cap(z), baseline: center * f, peak: raw, indices: [i], baselines: [center * f] };
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
  /** Mann–Kendall z-score needed to call it a trend (1.645: the 5 % level, one-sided). */
  minZ: number;
  /** Relative change over the window needed to call it a trend. */
  minChange: number;
}

export const DEFAULT_TREND: TrendOptions = { windows: [4, 8, 12], bucket: 7, minZ: 1.645, minChange: 0.2 };

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
 * tested with the Mann–Kendall test (reported as Kendall's tau); the strongest significant window wins.
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
    if (Math.abs(mannKendallZ(values)) < o.minZ || Math.abs(change) < o.minChange || Math.sign(tau) !== Math.sign(change)) continue;
    const f: TrendFinding = { kind: change > 0 ? 'trend_up' : 'trend_down', start: win[0]!.start, end: win.at(-1)!.end, magnitude: change, tau, slope, windowBuckets: w, first, last };
    if (!best || Math.abs(f.tau) * Math.abs(f.magnitude) > Math.abs(best.tau) * Math.abs(best.magnitude)) best = f;
  }
  return best;
}

export interface RateShiftOptions {
  /** Recent windows to test, in days, each ending at the latest data. */
  windows: readonly number[];
  /** Days before a window that form its baseline. */
  baselineDays: number;
  minRecent: number;
  minBaseline: number;
  /** Two-proportion z-score needed. */
  minZ: number;
  minChange: number;
}

export const DEFAULT_RATE_SHIFT: RateShiftOptions = { windows: [28, 42, 56, 70, 84], baselineDays: 180, minRecent: 5, minBaseline: 10, minZ: 2, minChange: 0.3 };

export interface RateShiftFinding {
  kind: 'spike' | 'drop';
  start: string;
  end: string;
  magnitude: number;
  z: number;
  before: number;
  after: number;
}

const DAY_MS = 86_400_000;
const shift = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The percent change of a share (on-time deliveries, won deals, breached tickets) in a recent window against the
 * months before it, tested with a two-proportion z-test. It finds sustained shifts in series too thin for daily
 * scores: a vendor with one delivery a week.
 */
export function detectRateShift(daily: readonly { date: string; num: number; den: number }[], o: RateShiftOptions = DEFAULT_RATE_SHIFT): RateShiftFinding | null {
  if (daily.length === 0) return null;
  const end = daily.reduce((a, d) => (d.date > a ? d.date : a), daily[0]!.date);
  let best: RateShiftFinding | null = null;
  for (const w of o.windows) {
    const from = shift(end, -w + 1);
    const baseFrom = shift(from, -o.baselineDays);
    let n1 = 0;
    let k1 = 0;
    let n0 = 0;
    let k0 = 0;
    let first: string | null = null;
    for (const d of daily) {
      if (d.date >= from && d.date <= end) {
        n1 += d.den;
        k1 += d.num;
        if (d.den > 0 && (first === null || d.date < first)) first = d.date;
      } else if (d.date >= baseFrom && d.date < from) {
        n0 += d.den;
        k0 += d.num;
      }
    }
    if (n1 < o.minRecent || n0 < o.minBaseline || first === null) continue;
    const p1 = k1 / n1;
    const p0 = k0 / n0;
    if (p0 === 0) continue;
    const p = (k0 + k1) / (n0 + n1);
    const se = Math.sqrt(p * (1 - p) * (1 / n0 + 1 / n1));
    if (se === 0) continue;
    const z = (p1 - p0) / se;
    const change = (p1 - p0) / p0;
    if (Math.abs(z) < o.minZ || Math.abs(change) < o.minChange) continue;
    if (!best || Math.abs(z) > Math.abs(best.z)) best = { kind: z > 0 ? 'spike' : 'drop', start: first, end, magnitude: change, z, before: p0, after: p1 };
  }
  return best;
}

/**
 * The same test for counts (new deals a day): the recent window's count against what the baseline's daily rate
 * predicts, as a Poisson z-score. Days without events must be present as zeros in `daily`.
 */
export function detectCountShift(daily: readonly { date: string; num: number }[], o: RateShiftOptions = DEFAULT_RATE_SHIFT): RateShiftFinding | null {
  if (daily.length === 0) return null;
  const end = daily.reduce((a, d) => (d.date > a ? d.date : a), daily[0]!.date);
  let best: RateShiftFinding | null = null;
  for (const w of o.windows) {
    const from = shift(end, -w + 1);
    const baseFrom = shift(from, -o.baselineDays);
    let k1 = 0;
    let t1 = 0;
    let k0 = 0;
    let t0 = 0;
    for (const d of daily) {
      if (d.date >= from && d.date <= end) {
        k1 += d.num;
        t1++;
      } else if (d.date >= baseFrom && d.date < from) {
        k0 += d.num;
        t0++;
      }
    }
    if (t1 < w / 2 || t0 < 28 || k0 < o.minBaseline) continue;
    const expected = (k0 / t0) * t1;
    const z = (k1 - expected) / Math.sqrt(expected);
    const change = (k1 - expected) / expected;
    if (Math.abs(z) < o.minZ || Math.abs(change) < o.minChange) continue;
    if (!best || Math.abs(z) > Math.abs(best.z)) best = { kind: z > 0 ? 'spike' : 'drop', start: from, end, magnitude: change, z, before: k0 / t0, after: k1 / t1 };
  }
  return best;
}
