/**
 * analytics.query at size (ADR 0081): `npm run bench -- analytics [--scale 100] [--n 30]`. Ten representative specs
 * (a KPI, breakdowns through joins, time series, an EXISTS-based rate, a multi-source join, a comparison) over a demo
 * workspace, each run n times after one warm-up; prints p50/p95 per spec and over all runs. Target: p95 ≤ 150 ms
 * at scale 100.
 */
import { performance } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { createCore } from '../src/main/core/createCore';
import { silentLogger } from '../src/main/core/logger';
import { memoryCipher } from '../src/main/core/secrets/keyFile';
import { nodeWorkerLauncher } from '../src/main/core/workers/nodeLauncher';
import type { QuerySpecInput } from '../src/shared/analytics/spec';
import { tempDir } from '../test/fixtures/core';
import { percentile, report, round } from './lib';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const scale = Number(arg('scale', '100'));
const n = Number(arg('n', '30'));

const SPECS: [string, QuerySpecInput][] = [
  ['kpi_open_tickets', { measures: ['open_tickets'], timeRange: { preset: 'last_30_days' }, compare: true }],
  ['win_rate_by_owner', { measures: ['win_rate'], dimensions: ['owner'], timeRange: { preset: 'last_quarter' } }],
  ['pipeline_by_stage', { measures: ['pipeline_value', 'open_deals'], dimensions: ['stage'] }],
  ['tickets_by_week', { measures: ['ticket_volume', 'csat'], grain: 'week', timeRange: { preset: 'last_90_days' } }],
  ['sla_breach_by_team', { measures: ['sla_breach_rate'], dimensions: ['team'], timeRange: { preset: 'last_90_days' } }],
  ['first_response_by_agent', { measures: ['first_response_hours'], dimensions: ['agent'], timeRange: { preset: 'last_30_days' } }],
  ['spend_ctr_by_channel_month', { measures: ['campaign_spend', 'ctr'], dimensions: ['channel'], grain: 'month', timeRange: { preset: 'this_year' } }],
  ['on_time_by_vendor', { measures: ['vendor_on_time_rate'], dimensions: ['vendor'], timeRange: { preset: 'last_quarter' } }],
  ['tickets_and_pipeline_by_region', { measures: ['ticket_volume', 'pipeline_value'], dimensions: ['region'], timeRange: { preset: 'last_quarter' }, compare: true }],
  ['utilisation_by_technician', { measures: ['technician_utilisation', 'jobs_completed'], dimensions: ['technician'], timeRange: { preset: 'last_30_days' } }],
];

const dir = tempDir('idesk-bench-analytics-');
const core = createCore({ host: 'test', appVersion: 'bench', dataDir: dir, logger: silentLogger, secrets: memoryCipher, launchWorker: nodeWorkerLauncher, resumeJobs: false });
try {
  const t0 = performance.now();
  const { jobId } = await core.call('workspace.create', { name: 'bench', demo: { scale, seed: 42, anchorDate: '2026-06-15' } });
  const job = await core.services.jobs.waitFor(jobId!);
  if (job.status !== 'completed') throw new Error(`demo generation ${job.status}: ${job.error?.message}`);
  report({ metric: 'analytics_bench_setup', value: round((performance.now() - t0) / 1000, 1), unit: 's', n: 1, scale });
  const all: number[] = [];
  for (const [name, spec] of SPECS) {
    await core.call('analytics.query', { workspace: 'bench', spec });
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      const r = await core.call('analytics.query', { workspace: 'bench', spec });
      times.push(performance.now() - s);
      rows = r.rows.length;
    }
    all.push(...times);
    report({ metric: `analytics_query_${name}_p50`, value: round(percentile(times, 50), 2), unit: 'ms', n, scale, rows });
    report({ metric: `analytics_query_${name}_p95`, value: round(percentile(times, 95), 2), unit: 'ms', n, scale, rows });
  }
  report({ metric: 'analytics_query_p50', value: round(percentile(all, 50), 2), unit: 'ms', n: all.length, scale });
  report({ metric: 'analytics_query_p95', value: round(percentile(all, 95), 2), unit: 'ms', n: all.length, scale, target: 150 });
} finally {
  await core.dispose();
  rmSync(dir, { recursive: true, force: true });
}
