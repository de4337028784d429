/**
 * The untrusted-text step (src/main/core/prompt/untrusted.ts) on real contexts: how long building a persona context
 * takes with every line neutralised, how much of that is the step, and its throughput on a mixed injection corpus.
 * Target: the step adds at most 1 ms per context at p50 (engine overhead target: 5 ms per insight, bench/engine.ts).
 * Usage: npm run bench -- untrusted [--scale 2] [--n 400]
 */
import { performance } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { createCore } from '../src/main/core/createCore';
import { buildContext, neutralizeSections } from '../src/main/core/context/build';
import { DEFAULT_REDACTION } from '../src/main/core/context/redact';
import { getContextBuilder } from '../src/main/core/context/registry';
import { silentLogger } from '../src/main/core/logger';
import { PERSONAS } from '../src/main/core/personas/registry';
import { neutralize } from '../src/main/core/prompt/untrusted';
import { memoryCipher } from '../src/main/core/secrets/keyFile';
import { nodeWorkerLauncher } from '../src/main/core/workers/nodeLauncher';
import { tempDir } from '../test/fixtures/core';
import { BENIGN, INJECTIONS } from '../test/fixtures/injectionCorpus';
import { percentile, report, round } from './lib';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const scale = Number(arg('scale', '2'));
const n = Number(arg('n', '400'));

const dir = tempDir('idesk-bench-');
const core = createCore({ host: 'test', appVersion: 'bench', dataDir: dir, logger: silentLogger, secrets: memoryCipher, launchWorker: nodeWorkerLauncher });
try {
  const { jobId } = await core.call('workspace.create', { name: 'bench', demo: { scale, seed: 42 } });
  const job = await core.services.jobs.waitFor(jobId!);
  if (job.status !== 'completed') throw new Error(`demo generation ${job.status}`);
  const db = core.services.workspaces.open('bench');
  const targets = PERSONAS.flatMap((p) => getContextBuilder(p.contextBuilder).candidates(db, Math.ceil(n / PERSONAS.length)).map((id) => [p, id] as const));
  const build: number[] = [];
  const step: number[] = [];
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const [spec, id] = targets[i % targets.length]!;
    const builder = getContextBuilder(spec.contextBuilder);
    const t0 = performance.now();
    const ctx = buildContext(db, builder, id, { budgetChars: spec.contextBudgetChars, redaction: DEFAULT_REDACTION, hashSalt: spec.key });
    build.push(performance.now() - t0);
    chars += ctx?.chars ?? 0;
    // The step alone, on the same sections the build just neutralised.
    const sections = builder.sections(db, id)!.sections;
    const t1 = performance.now();
    neutralizeSections(sections);
    step.push(performance.now() - t1);
  }
  report({ metric: 'context.build_with_step.p50', value: round(percentile(build, 50)), unit: 'ms', n, scale });
  report({ metric: 'context.build_with_step.p95', value: round(percentile(build, 95)), unit: 'ms', n, scale });
  report({ metric: 'untrusted.step_per_context.p50', value: round(percentile(step, 50)), unit: 'ms', n, scale, target: 1, avgContextChars: Math.round(chars / n) });
  report({ metric: 'untrusted.step_per_context.p95', value: round(percentile(step, 95)), unit: 'ms', n, scale });

  const corpus = [...INJECTIONS.map((p) => p.text), ...BENIGN];
  const bytes = corpus.reduce((a, t) => a + t.length, 0);
  const rounds = 200;
  const t2 = performance.now();
  for (let r = 0; r < rounds; r++) for (const t of corpus) neutralize(t);
  const s = (performance.now() - t2) / 1000;
  report({ metric: 'untrusted.corpus_throughput', value: round((bytes * rounds) / s / 1e6, 2), unit: 'MB/s', n: corpus.length * rounds });
} finally {
  await core.dispose();
  rmSync(dir, { recursive: true, force: true });
}
