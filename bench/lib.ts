/**
 * Benchmarks print one JSON line per figure: {"metric","value","unit","n"} plus any extra context fields.
 * They are measurements, not tests: run them with `npm run bench -- NAME` and read the numbers.
 */
export interface Figure {
  metric: string;
  value: number;
  unit: string;
  n: number;
  [extra: string]: unknown;
}

export function report(figure: Figure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** Percentile of a sample (nearest-rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;
