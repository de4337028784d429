import { describe, expect, it } from 'vitest';
import { detectAnomalies, detectTrend, type Point } from '../../../../src/main/core/engine/detectors/detect';
import { kendallTau, mad, median, robustZ, theilSen } from '../../../../src/main/core/engine/detectors/stats';
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

  it('finds a planted drop with the percent-drop rule even on a noisy series', () => {
    const s = series(90, 100, 0.35, 2, (i, v) => (i >= 75 && i < 80 ? v * 0.3 : v));
    const found = detectAnomalies(s);
    expect(found.map((f) => f.kind)).toContain('drop');
    const drop = found.find((f) => f.kind === 'drop')!;
    expect(drop.start >= day(74) && drop.start <= day(76)).toBe(true);
    expect(drop.magnitude).toBeLessThan(-0.5);
  });

  it('stays quiet on noise alone and on tiny absolute moves of low counts', () => {
    expect(detectAnomalies(series(120, 50, 0.2, 3))).toEqual([]);
    const low = series(60, 1, 0, 4, (i) => (i === 50 ? 3 : i % 7 === 0 ? 0 : 1));
    expect(detectAnomalies(low, { baseline: 28, minBaseline: 14, zThreshold: 3.5, minChange: 0.25, dropShare: 0.5, minAbsolute: 3 })).toEqual([]);
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
