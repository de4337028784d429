import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { createCore } from '../src/main/core/createCore';
import { silentLogger } from '../src/main/core/logger';
import { memoryCipher } from '../src/main/core/secrets/keyFile';
import { nodeWorkerLauncher } from '../src/main/core/workers/nodeLauncher';
import { percentile } from './lib';
const child = spawn('node_modules/.bin/tsx', ['test/fixtures/fakeOpenAI.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((ok) => { let out = ''; child.stdout.on('data', (d: Buffer) => { out += d; const l = out.split('\n').find((x) => x.startsWith('{')); if (l) ok(JSON.parse(l).url); }); });
const core = createCore({ host: 'test', appVersion: 'b', dataDir: mkdtempSync(join(tmpdir(), 'p2-')), logger: silentLogger, secrets: memoryCipher, launchWorker: nodeWorkerLauncher, resumeJobs: false });
await core.call('workspace.create', { name: 'bench' });
await core.call('providers.add', { name: 'fake', kind: 'openai-compatible', baseUrl: url, model: 'fake-chat', apiKey: 'sk-bench-0000000000000000' });
await core.call('policies.set', { workspace: 'bench', yaml: "version: 1\nuse_cases:\n  default:\n    temperature: 0\n    max_tokens: 64\n    retries: 0\n    fallback: ['@primary']\n" });
const g = core.services.gateway;
const adapter = g.pool.slot(g.endpoints.get('fake').config).adapter!;
const direct = new OpenAI({ apiKey: 'sk-bench-0000000000000000', baseURL: url, maxRetries: 0, logLevel: 'off' });
const msg = (i: number) => [{ role: 'user' as const, content: `Summarise ticket TCK-${i}: duplicate charge.` }];
const variants: Record<string, (i: number) => Promise<unknown>> = {
  A_direct: (i) => direct.chat.completions.create({ model: 'fake-chat', messages: msg(i), temperature: 0, max_tokens: 64 }),
  B_direct_signal: (i) => direct.chat.completions.create({ model: 'fake-chat', messages: msg(i), temperature: 0, max_tokens: 64 }, { signal: new AbortController().signal }),
  C_adapter: (i) => adapter.chat({ model: 'fake-chat', messages: msg(i), temperature: 0, maxTokens: 64 }, {}),
  D_adapter_signal: (i) => adapter.chat({ model: 'fake-chat', messages: msg(i), temperature: 0, maxTokens: 64 }, { signal: new AbortController().signal }),
  E_gateway: (i) => g.chat({ workspace: 'bench', useCase: 'x', profileId: 'p' }, { messages: msg(i) }),
};
const { Ledger } = await import('../src/main/core/gateway/ledger');
const sect: Record<string, number[]> = {};
for (const m of ['reserve', 'settle'] as const) {
  const orig = (Ledger.prototype as any)[m];
  (Ledger.prototype as any)[m] = function (...args: unknown[]) { const c0 = process.cpuUsage(); const t0 = performance.now(); try { return orig.apply(this, args); } finally { const c = process.cpuUsage(c0); (sect[m] ??= []).push(performance.now() - t0, (c.user + c.system) / 1000); } };
}
if (process.env.ONLY) for (const k of Object.keys(variants)) if (k !== process.env.ONLY) delete variants[k];
const res: Record<string, { wall: number[]; cpu: number[] }> = {};
for (const k of Object.keys(variants)) res[k] = { wall: [], cpu: [] };
const M = Number(process.argv[2] ?? 300);
for (let i = 0; i < M + 30; i++) for (const [k, f] of Object.entries(variants)) {
  const c0 = process.cpuUsage(); const t0 = performance.now(); await f(i * 10 + k.length); const w = performance.now() - t0; const c = process.cpuUsage(c0);
  if (i >= 30) { res[k]!.wall.push(w); res[k]!.cpu.push((c.user + c.system) / 1000); }
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(18), 'wall p50', percentile(v.wall, 50).toFixed(2), 'cpu p50', percentile(v.cpu, 50).toFixed(2), 'cpu avg', (v.cpu.reduce((a, b) => a + b, 0) / v.cpu.length).toFixed(2));
for (const [k, v] of Object.entries(sect)) { const wall = v.filter((_, i) => i % 2 === 0); const cpu = v.filter((_, i) => i % 2 === 1); console.log(k, 'wall p50', percentile(wall, 50).toFixed(3), 'p90', percentile(wall, 90).toFixed(3), 'cpu p50', percentile(cpu, 50).toFixed(3)); }
await core.dispose(); child.kill();
