import { describe, expect, it } from 'vitest';
import { DEFAULT_ANOMALY, detectAnomalies, detectCountShift, detectRateShift, detectTrend, weekdayFactors, type Point } from '../../../../src/main/core/engine/detectors/detect';
import { kendallTau, mad, mannKendallZ, median, robustZ, theilSen } from '../../../../src/main/core/engine/detectors/stats';
import { rng } from '../../../../src/main/core/demo/generate';

const day = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

/** A noisy daily series around `level` (± `noise` share), with optional edits. */
function series(n: number, level: number, noise: number, seed: number, edit: (i: number, v: number) => number = (_i, v) => v): Point[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => ({ date: day(i), value: Math.round(edit(i, level * (1 + (r() * 2 - 1) * noise)) * 100) / 100 }));
}

describe('robust statistics', () => {
  it('median, MAD and the robust z-score', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
    expect(robustZ(10, [1, 2, 3, 4, 5]).z).toBeCloseTo((0.6745 * 7) / 1, 5);
    expect(robustZ(3, [3, 3, 3, 3]).z).toBe(0);
    expect(robustZ(4, [3, 3, 3, 3]).z).toBe(Number.POSITIVE_INFINITY);
    // One outlier does not move the baseline.
    expect(robustZ(12, [10, 11, 9, 10, 1_000]).center).toBe(10);
  });

  it('Theil–Sen slope and Kendall tau', () => {
    expect(theilSen([1, 2, 3, 4, 100])).toBe(1);
    expect(kendallTau([1, 2, 3, 4])).toBe(1);
    expect(kendallTau([4, 3, 2, 1])).toBe(-1);
    expect(Math.abs(kendallTau([1, 3, 2, 4, 3, 2]))).toBeLessThan(0.5);
    expect(mannKendallZ([1, 2, 3, 4])).toBeGreaterThan(1.645);
    expect(mannKendallZ([1, 2, 4, 3])).toBeLessThan(1.645);
    expect(mannKendallZ([5, 4, 3, 2, 1, 0, -1, -2])).toBeLessThan(-3);
  });

  it('weekday factors appear only for a clear weekly pattern', () => {
    const flat = Array.from({ length: 56 }, (_, i) => ({ date: day(i), value: 10 + (i % 3) }));
    expect(weekdayFactors(flat)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const weekly = Array.from({ length: 56 }, (_, i) => ({ date: day(i), value: new Date(day(i)).getUTCDay() === 0 ? 2 : 10 }));
    const f = weekdayFactors(weekly);
    expect(f[0]).toBeCloseTo(0.2, 5);
    expect(f[3]).toBeCloseTo(1, 5);
  });
});

describe('anomaly detection', () => {
  it('finds a planted spike and reports its span, size and score', () => {
    const s = series(90, 40, 0.15, 1, (i, v) => (i >= 60 && i <= 62 ? v * 3 : v));
    const found = detectAnomalies(s);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'spike', start: day(60), end: day(62) });
    expect(found[0]!.magnitude).toBeGreaterThan(1.5);
    expect(found[0]!.z).toBeGreaterThan(3.5);
  });

  it('finds a planted drop and reports it in real units on a series with a weekly pattern', () => {
    // Weekends at 40 % of weekdays; a 60 % drop from day 70.
    const s = series(100, 100, 0.05, 2, (i, v) => (new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).getUTCDay() % 6 === 0 ? v * 0.4 : v) * (i >= 70 ? 0.4 : 1));
    const found = detectAnomalies(s, DEFAULT_ANOMALY, true);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'drop', start: day(70), end: day(99) });
    expect(found[0]!.magnitude).toBeCloseTo(-0.6, 1);
    // Without the weekday adjustment every weekend looks like a drop.
    expect(detectAnomalies(s.slice(0, 70), DEFAULT_ANOMALY, false).length).toBeGreaterThan(3);
    expect(detectAnomalies(s.slice(0, 70), DEFAULT_ANOMALY, true)).toEqual([]);
  });

  it('stays quiet on noise alone and on tiny absolute moves of low counts', () => {
    expect(detectAnomalies(series(120, 50, 0.2, 3))).toEqual([]);
    const low = series(60, 1, 0, 4, (i) => (i === 50 ? 3 : i % 7 === 0 ? 0 : 1));
    expect(detectAnomalies(low, { ...DEFAULT_ANOMALY, minAbsolute: 3 })).toEqual([]);
  });

  it('does not let a long anomaly become its own baseline', () => {
    const s = series(100, 20, 0.1, 5, (i, v) => (i >= 60 ? v * 4 : v));
    const found = detectAnomalies(s);
    expect(found).toHaveLength(1);
    expect(found[0]!.end).toBe(day(99));
  });
});

describe('trend detection', () => {
  it('finds a planted upward trend over recent weeks', () => {
    const s = series(120, 100, 0.1, 6, (i, v) => (i >= 64 ? v * (1 + ((i - 64) / 56) * 0.6) : v));
    const t = detectTrend(s);
    expect(t?.kind).toBe('trend_up');
    expect(t!.magnitude).toBeGreaterThan(0.3);
    expect(t!.tau).toBeGreaterThan(0.6);
  });

  it('finds a downward trend and ignores a flat noisy series', () => {
    const down = series(84, 200, 0.1, 7, (i, v) => v * (1 - (i / 84) * 0.5));
    expect(detectTrend(down)?.kind).toBe('trend_down');
    expect(detectTrend(series(120, 100, 0.25, 8))).toBeNull();
  });
});

describe('rate and count shifts (thin series)', () => {
  it('finds a share that fell in recent weeks from a handful of events, and not one that held', () => {
    // One delivery every 5 days: on time 11 of 12 before, then 2 of 8.
    const daily = Array.from({ length: 20 }, (_, k) => ({ date: day(k * 5), num: k < 12 ? (k === 4 ? 0 : 1) : k % 4 === 0 ? 1 : 0, den: 1 }));
    const shift = detectRateShift(daily);
    expect(shift?.kind).toBe('drop');
    expect(shift!.before).toBeGreaterThan(0.8);
    expect(shift!.after).toBeLessThan(0.4);
    expect(shift!.z).toBeLessThan(-2);
    const steady = Array.from({ length: 20 }, (_, k) => ({ date: day(k * 5), num: k % 6 === 0 ? 0 : 1, den: 1 }));
    expect(detectRateShift(steady)).toBeNull();
  });

  it('finds a count rate that fell, judged against what the baseline rate predicts', () => {
    const r = rng(9);
    const daily = Array.from({ length: 200 }, (_, i) => ({ date: day(i), num: r() < (i >= 150 ? 0.25 : 0.8) ? 1 : 0 }));
    expect(detectCountShift(daily)?.kind).toBe('drop');
    const flat = Array.from({ length: 200 }, (_, i) => ({ date: day(i), num: r() < 0.8 ? 1 : 0 }));
    expect(detectCountShift(flat)).toBeNull();
  });
});
