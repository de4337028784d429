/**
 * Demo workspace generation throughput: `npm run bench -- demo-generate [--scale N] [--seed S]` (default scale 100).
 * Runs the same task the worker runs (demoGenerateTask) in-process, into a temporary file.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoGenerateTask } from '../src/main/core/demo/task';
import { inlineContext } from '../src/main/core/workers/context';
import { report, round } from './lib';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
};

const scale = arg('scale', 100);
const seed = arg('seed', 42);
const dir = mkdtempSync(join(tmpdir(), 'idesk-bench-demo-'));
const file = join(dir, 'demo.sqlite');
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
try {
  const ctx = inlineContext({ onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)) });
  const started = performance.now();
  const result = await demoGenerateTask({ file, scale, seed, anchorDate: '2026-03-31', workspaceName: 'bench', backupDir: join(dir, 'backups') }, ctx);
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const n = result.rows;
  report({ metric: 'demo_generate_rows_per_sec', value: Math.round(n / seconds), unit: 'rows/s', n, scale });
  report({ metric: 'demo_generate_rows', value: n, unit: 'rows', n, scale });
  report({ metric: 'demo_generate_seconds', value: round(seconds, 2), unit: 's', n, scale });
  report({ metric: 'demo_generate_peak_rss', value: round(peakRss / 1024 / 1024, 1), unit: 'MiB', n, scale });
  report({ metric: 'demo_generate_file_size', value: round(statSync(file).size / 1024 / 1024, 1), unit: 'MiB', n, scale });
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}
