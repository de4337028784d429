import { Box, Text } from '@mantine/core';
import { LineChart } from '@mantine/charts';
import { ReferenceArea, ReferenceDot } from 'recharts';
import type { DataPoint } from '@shared/insights';
import { inUnit } from './format';

/** Evenly spaced "nice" ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ) that cover [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = Math.abs(min) || 1;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const out: number[] = [];
  for (let t = lo; t <= hi + step / 1e6; t += step) out.push(Math.round(t / step) * step);
  return out.map((t) => Number(t.toPrecision(12)));
}

/** A detector's series: even ticks in the metric's unit, the baseline, and the flagged points marked. */
export function AnomalyChart({ points, label, unit, color }: { points: DataPoint[]; label: string; unit: string | undefined; color: string }) {
  const values = points.flatMap((p) => [p.value, p.baseline ?? null]).filter((v): v is number => typeof v === 'number');
  const ticks = niceTicks(Math.min(0, ...values), Math.max(...values));
  const flagged = points.filter((p) => p.flagged && typeof p.value === 'number');
  const fmt = (v: number): string => inUnit(v, unit === '%' ? '%' : undefined);
  return (
    <Box data-testid="anomaly-chart">
      <Text size="xs" c="dimmed" mb={4}>
        {label}
        {unit && unit !== '%' ? ` (${unit})` : ''}
        {flagged.length ? ` · flagged ${flagged.length === 1 ? 'point' : 'points'} marked` : ''}
      </Text>
      <LineChart
        h={170}
        data={points.map((p) => ({ date: p.date, value: p.value, baseline: p.baseline ?? null }))}
        dataKey="date"
        series={[
          { name: 'value', label, color },
          { name: 'baseline', label: 'Baseline', color: 'gray.5', strokeDasharray: '4 4' },
        ]}
        curveType="linear"
        withDots={false}
        gridAxis="y"
        tickLine="none"
        valueFormatter={fmt}
        yAxisProps={{ ticks, domain: [ticks[0]!, ticks[ticks.length - 1]!], interval: 0, tickFormatter: fmt, width: 56 }}
      >
        {flagged.length > 1 && <ReferenceArea x1={flagged[0]!.date} x2={flagged[flagged.length - 1]!.date} fill="var(--mantine-color-red-light)" fillOpacity={0.5} />}
        {flagged.map((p) => (
          <ReferenceDot key={p.date} x={p.date} y={p.value!} r={5} fill="var(--mantine-color-red-6)" stroke="var(--mantine-color-body)" strokeWidth={2} />
        ))}
      </LineChart>
    </Box>
  );
}
