/** Small, dependency-free robust statistics for the detectors. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median absolute deviation. */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

export const mean = (values: readonly number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN);

/**
 * Robust z-score of x against a baseline (Iglewicz–Hoaglin: 0.6745·(x − median)/MAD). When more than half the
 * baseline is identical (MAD 0), the mean absolute deviation stands in, scaled to the same units; a flat baseline
 * gives 0 for an equal value and ±∞ otherwise.
 */
export function robustZ(x: number, baseline: readonly number[]): { z: number; center: number } {
  const center = median(baseline);
  const m = mad(baseline, center);
  if (m > 0) return { z: (0.6745 * (x - center)) / m, center };
  const meanAbs = mean(baseline.map((v) => Math.abs(v - center)));
  if (meanAbs > 0) return { z: (x - center) / (1.2533 * meanAbs), center };
  return { z: x === center ? 0 : x > center ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY, center };
}

/** Theil–Sen slope: the median of pairwise slopes, robust to outliers. x defaults to 0..n-1. */
export function theilSen(values: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < values.length; i++) for (let j = i + 1; j < values.length; j++) slopes.push((values[j]! - values[i]!) / (j - i));
  return slopes.length ? median(slopes) : 0;
}

/** Mann–Kendall trend statistic as Kendall's tau against time: +1 strictly rising, −1 strictly falling. */
export function kendallTau(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(values[j]! - values[i]!);
  return s / ((n * (n - 1)) / 2);
}

/**
 * Mann–Kendall trend test as a z-score (no ties correction): |z| ≥ 1.645 is a monotonic trend at the 5 % level
 * (one-sided). With 4 points only a strictly monotonic run gets there.
 */
export function mannKendallZ(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(values[j]! - values[i]!);
  const variance = (n * (n - 1) * (2 * n + 5)) / 18;
  return s === 0 ? 0 : (s - Math.sign(s)) / Math.sqrt(variance);
}
