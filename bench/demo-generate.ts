/**
 * Demo workspace generation throughput: `npm run bench -- demo-generate [--scale N] [--seed S]` (default scale 100).
 * Runs the same task the worker runs (demoGenerateTask) in-process, into a temporary file.
 *
 * `--engine postgres [--url postgres://…]` (default URL: INTELLIGENCE_DESK_TEST_PG_URL) generates into a fresh
 * schema on that server instead, the way a team workspace's demo runs (local staging file, then one transaction of
 * batched inserts), and drops the schema afterwards. Target: scale 100 in under two minutes.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { PostgresLocation } from '../src/main/core/db/location';
import { createPostgresSchema, dropPostgresSchema, openPostgresStore } from '../src/main/core/db/workspaceStore';
import { demoGenerateTask } from '../src/main/core/demo/task';
import { inlineContext } from '../src/main/core/workers/context';
import { report, round } from './lib';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
};

const text = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const scale = arg('scale', 100);
const engine = text('engine') ?? 'sqlite';
if (engine !== 'sqlite' && engine !== 'postgres') throw new Error('--engine is sqlite or postgres');
const url = text('url') ?? process.env.INTELLIGENCE_DESK_TEST_PG_URL;
if (engine === 'postgres' && !url) throw new Error('--engine postgres needs --url or INTELLIGENCE_DESK_TEST_PG_URL (node scripts/pg-test-cluster.mjs start)');
const target: PostgresLocation | undefined = engine === 'postgres' ? { engine: 'postgres', url: url!, schema: `bench_${randomBytes(4).toString('hex')}` } : undefined;
const seed = arg('seed', 42);
const dir = mkdtempSync(join(tmpdir(), 'idesk-bench-demo-'));
const file = join(dir, 'demo.sqlite');
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
try {
  let copyStarted = 0;
  const ctx = inlineContext({
    onProgress: (p) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (p.phase === 'writing to PostgreSQL' && !copyStarted) copyStarted = performance.now();
    },
  });
  if (target) {
    // As creating a team workspace does: an empty, migrated schema first (not timed).
    await createPostgresSchema(target, { label: 'bench' });
    await (await openPostgresStore(target, { label: 'bench', backupDir: join(dir, 'backups'), appVersion: 'bench' })).close();
  }
  const started = performance.now();
  const result = await demoGenerateTask({ file, scale, seed, anchorDate: '2026-03-31', workspaceName: 'bench', backupDir: join(dir, 'backups'), target }, ctx);
  const ended = performance.now();
  const seconds = (ended - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const n = result.rows;
  report({ metric: 'demo_generate_rows_per_sec', value: Math.round(n / seconds), unit: 'rows/s', n, scale, engine });
  report({ metric: 'demo_generate_rows', value: n, unit: 'rows', n, scale, engine });
  report({ metric: 'demo_generate_seconds', value: round(seconds, 2), unit: 's', n, scale, engine, ...(target ? { target: 120 } : {}) });
  if (target && copyStarted) report({ metric: 'demo_generate_postgres_copy_seconds', value: round((ended - copyStarted) / 1000, 2), unit: 's', n, scale, engine });
  report({ metric: 'demo_generate_peak_rss', value: round(peakRss / 1024 / 1024, 1), unit: 'MiB', n, scale, engine });
  if (!target) report({ metric: 'demo_generate_file_size', value: round(statSync(file).size / 1024 / 1024, 1), unit: 'MiB', n, scale });
} finally {
  clearInterval(sampler);
  if (target) await dropPostgresSchema(target, { label: 'bench' });
  rmSync(dir, { recursive: true, force: true });
}
