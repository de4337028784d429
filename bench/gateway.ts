/**
 * bench/gateway: the latency the gateway adds over calling the `openai` SDK directly, against the same local fake
 * server (a separate process, so its work does not share this event loop).
 *
 *   npm run bench -- gateway [--n 1000] [--warmup 100]
 *
 * Each round makes one direct SDK call and one gateway call (alternating which goes first), with a fresh prompt so
 * nothing is cached. The gateway path is the full one: policy lookup, chain resolution, token estimate, budget
 * reservation and settlement in SQLite, a usage row, price lookup. Figures:
 *   - gateway.added_p50_ms / added_p99_ms: p50/p99 of gateway latency minus the same percentile of direct latency;
 *   - gateway.overhead_p50_ms / overhead_p99_ms: per call, the gateway's total time minus the SDK call inside it
 *     (the same quantity measured without the network noise of two separate calls);
 *   - gateway.ratio_p50: gateway p50 / direct p50.
 * Targets: p50 added ≤ 1 ms, p99 added ≤ 5 ms. `--data-dir DIR` puts the bench's databases elsewhere (default: the
 * OS temp folder).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { createCore } from '../src/main/core/createCore';
import { silentLogger } from '../src/main/core/logger';
import { memoryCipher } from '../src/main/core/secrets/keyFile';
import { nodeWorkerLauncher } from '../src/main/core/workers/nodeLauncher';
import { percentile, report, round } from './lib';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('--n', 1000);
const WARMUP = arg('--warmup', 100);
const dirArg = process.argv.indexOf('--data-dir');
const baseDir = dirArg >= 0 ? process.argv[dirArg + 1]! : tmpdir();

const root = resolve(fileURLToPath(import.meta.url), '../..');

async function startServer(): Promise<{ url: string; stop(): void }> {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'test/fixtures/fakeOpenAI.ts'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) ok((JSON.parse(line) as { url: string }).url);
    });
    child.on('exit', (code) => fail(new Error(`the fake server exited with ${code}`)));
  });
  return { url, stop: () => void child.kill('SIGTERM') };
}

const server = await startServer();
const dataDir = mkdtempSync(join(baseDir, 'idesk-bench-gateway-'));
const core = createCore({ host: 'test', appVersion: 'bench', dataDir, logger: silentLogger, secrets: memoryCipher, launchWorker: nodeWorkerLauncher, resumeJobs: false });
try {
  await core.call('workspace.create', { name: 'bench' });
  await core.call('providers.add', { name: 'fake', kind: 'openai-compatible', baseUrl: server.url, model: 'fake-chat', apiKey: 'sk-bench-0000000000000000' });
  await core.call('prices.set', { yaml: 'version: 1\nmodels:\n  fake-chat: { input: 0.15, cached_input: 0.075, output: 0.6 }\n' });
  await core.call('policies.set', {
    workspace: 'bench',
    yaml: [
      'version: 1',
      'budgets:',
      '  per_request: { usd: 1 }',
      '  per_user_daily: { usd: 1000 }',
      '  workspace_daily: { usd: 1000 }',
      'use_cases:',
      '  default:',
      '    temperature: 0',
      '    max_tokens: 64',
      '    timeout_ms: 10000',
      '    retries: 0',
      "    fallback: ['@primary']",
      '    cache: { ttl_seconds: 0 }',
      '    budget: { daily: { usd: 1000 } }',
    ].join('\n'),
  });
  const gateway = core.services.gateway;
  await gateway.warm();

  // Time the SDK call inside the gateway, to measure its own work per call.
  const endpoint = gateway.endpoints.get('fake').config;
  const adapter = gateway.pool.slot(endpoint).adapter!;
  const innerChat = adapter.chat.bind(adapter);
  let inner = 0;
  adapter.chat = async (req, opts) => {
    const t0 = performance.now();
    try {
      return await innerChat(req, opts);
    } finally {
      inner = performance.now() - t0;
    }
  };

  const direct = new OpenAI({ apiKey: 'sk-bench-0000000000000000', baseURL: server.url, maxRetries: 0, timeout: 10_000, organization: null, project: null, webhookSecret: null, logLevel: 'off' });
  const prompt = (i: number): string => `Summarise ticket TCK-${100000 + i}: the customer reports a duplicate charge and asks for a refund.`;
  const meta = { workspace: 'bench', useCase: 'copilot.chat', profileId: core.activeProfile().id };

  const viaDirect = async (i: number): Promise<number> => {
    const t0 = performance.now();
    await direct.chat.completions.create({ model: 'fake-chat', messages: [{ role: 'user', content: prompt(i) }], temperature: 0, max_tokens: 64 });
    return performance.now() - t0;
  };
  const viaGateway = async (i: number): Promise<{ total: number; overhead: number }> => {
    const t0 = performance.now();
    await gateway.chat(meta, { messages: [{ role: 'user', content: prompt(i) }] });
    const total = performance.now() - t0;
    return { total, overhead: total - inner };
  };

  for (let i = 0; i < WARMUP; i++) {
    await viaDirect(-i - 1);
    await viaGateway(-i - 1 - WARMUP);
  }

  const d: number[] = [];
  const g: number[] = [];
  const overhead: number[] = [];
  const gw = async (i: number): Promise<void> => {
    const r = await viaGateway(i);
    g.push(r.total);
    overhead.push(r.overhead);
  };
  const dr = async (i: number): Promise<void> => {
    d.push(await viaDirect(i));
  };
  for (let i = 0; i < N; i++) {
    if (i % 2 === 0) {
      await dr(i);
      await gw(i + N);
    } else {
      await gw(i + N);
      await dr(i);
    }
  }

  const usage = await core.call('usage.summary', { workspace: 'bench', range: '1d' });
  const p = (xs: number[], q: number): number => round(percentile(xs, q));
  report({ metric: 'gateway.direct_p50_ms', value: p(d, 50), unit: 'ms', n: N });
  report({ metric: 'gateway.direct_p99_ms', value: p(d, 99), unit: 'ms', n: N });
  report({ metric: 'gateway.via_gateway_p50_ms', value: p(g, 50), unit: 'ms', n: N });
  report({ metric: 'gateway.via_gateway_p99_ms', value: p(g, 99), unit: 'ms', n: N });
  report({ metric: 'gateway.added_p50_ms', value: round(percentile(g, 50) - percentile(d, 50)), unit: 'ms', n: N, target: 1 });
  report({ metric: 'gateway.added_p99_ms', value: round(percentile(g, 99) - percentile(d, 99)), unit: 'ms', n: N, target: 5 });
  report({ metric: 'gateway.overhead_p50_ms', value: p(overhead, 50), unit: 'ms', n: N, target: 1 });
  report({ metric: 'gateway.overhead_p99_ms', value: p(overhead, 99), unit: 'ms', n: N, target: 5 });
  report({ metric: 'gateway.ratio_p50', value: round(percentile(g, 50) / percentile(d, 50)), unit: 'x', n: N });
  report({ metric: 'gateway.usage_rows', value: usage.totals.calls, unit: 'rows', n: N, note: 'every gateway call recorded (warm-up included)' });
  const load = (await import('node:os')).loadavg()[0]!;
  report({ metric: 'gateway.machine_load_1m', value: round(load, 2), unit: 'load', n: N, note: 'busy machines inflate every latency figure' });
} finally {
  await core.dispose();
  server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
