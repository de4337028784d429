/**
 * Engine benchmarks (issue 4, section 11):
 *  - engine overhead per insight with the model's time excluded, at demo scale 10 (target p50 ≤ 5 ms);
 *  - a 1,000-record scan through the gateway to the fake OpenAI server with a fixed 200 ms latency at concurrency 8
 *    (target ≤ 1.3 × 25 s);
 *  - the insights-browser query on 100k insights (core query time; painting is measured in the renderer).
 * Usage: npm run bench -- engine [--scale 10] [--overhead-n 300] [--scan-n 1000] [--insights 100000] [--only overhead|scan|filter] [--scripted]
 */
import { performance } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { createCore, type Core } from '../src/main/core/createCore';
import { silentLogger } from '../src/main/core/logger';
import { memoryCipher } from '../src/main/core/secrets/keyFile';
import { nodeWorkerLauncher } from '../src/main/core/workers/nodeLauncher';
import { insertFinding } from '../src/main/core/engine/insightStore';
import { listInsights } from '../src/main/core/engine/insightQuery';
import { getPersona, PERSONAS } from '../src/main/core/personas/registry';
import { getContextBuilder } from '../src/main/core/context/registry';
import { SEVERITIES, INSIGHT_STATUSES } from '../src/shared/insights';
import { ScriptedGateway, entityIdOf, sampleAnswer } from '../test/fixtures/scriptedGateway';
import { tempDir } from '../test/fixtures/core';
import { startFakeOpenAI } from '../test/fixtures/fakeOpenAI';
import { testPolicy } from '../test/fixtures/gateway';
import { percentile, report, round } from './lib';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const scale = Number(arg('scale', '10'));
const overheadN = Number(arg('overhead-n', '300'));
const scanN = Number(arg('scan-n', '1000'));
const insightsN = Number(arg('insights', '100000'));
const only = arg('only', '');

function makeCore(gateway: ScriptedGateway | undefined): { core: Core; dir: string } {
  const dir = tempDir('idesk-bench-');
  const core = createCore({ host: 'test', appVersion: 'bench', dataDir: dir, logger: silentLogger, secrets: memoryCipher, launchWorker: nodeWorkerLauncher, ...(gateway ? { gateway } : {}) });
  return { core, dir };
}

async function demo(core: Core, name: string): Promise<void> {
  const { jobId } = await core.call('workspace.create', { name, demo: { scale, seed: 42 } });
  const job = await core.services.jobs.waitFor(jobId!);
  if (job.status !== 'completed') throw new Error(`demo generation ${job.status}: ${job.error?.message}`);
}

/** Answers instantly with a valid answer for whichever persona asks. */
const instant = new ScriptedGateway((meta, req) => ({ text: JSON.stringify(sampleAnswer(getPersona(meta.useCase.replace('persona.', '')), entityIdOf(req))) }));

async function overhead(): Promise<void> {
  const { core, dir } = makeCore(instant);
  try {
    await demo(core, 'bench');
    const db = core.services.workspaces.open('bench');
    const samples: number[] = [];
    const byPersona: Record<string, number[]> = {};
    const targets = PERSONAS.flatMap((p) => getContextBuilder(p.contextBuilder).candidates(db, Math.ceil(overheadN / PERSONAS.length)).map((id) => [p.key, id] as const));
    if (targets.length === 0) throw new Error('the demo workspace has no records to analyse');
    for (let i = 0; i < 20; i++) await core.services.engine.analyze('bench', targets[i % targets.length]![0], targets[i % targets.length]![1], { trigger: 'on_demand', actor: null, quiet: true });
    for (let i = 0; i < overheadN; i++) {
      const [persona, id] = targets[i % targets.length]!;
      const t0 = performance.now();
      const out = await core.services.engine.analyze('bench', persona, id, { trigger: 'on_demand', actor: null, quiet: true });
      const ms = performance.now() - t0 - out.modelMs;
      samples.push(ms);
      (byPersona[persona] ??= []).push(ms);
    }
    report({ metric: 'engine.overhead_per_insight.p50', value: round(percentile(samples, 50)), unit: 'ms', n: samples.length, scale, target: 5, personas: Object.keys(byPersona).length });
    report({ metric: 'engine.overhead_per_insight.p95', value: round(percentile(samples, 95)), unit: 'ms', n: samples.length, scale });
    for (const [p, s] of Object.entries(byPersona)) report({ metric: `engine.overhead_per_insight.p50.${p}`, value: round(percentile(s, 50)), unit: 'ms', n: s.length, scale });
  } finally {
    await core.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The scan runs through the real gateway, over HTTP to the fake OpenAI-compatible server with a fixed 200 ms
 * latency (--scripted: the in-memory test double instead).
 */
async function scan(): Promise<void> {
  const scripted = process.argv.includes('--scripted');
  const slow = new ScriptedGateway((meta, req) => ({ text: JSON.stringify(sampleAnswer(getPersona(meta.useCase.replace('persona.', '')), entityIdOf(req))), delayMs: 200 }));
  const fake = scripted ? null : await startFakeOpenAI({ latencyMs: 200 });
  const { core, dir } = scripted ? makeCore(slow) : makeCore(undefined);
  let maxInFlight = 0;
  try {
    await demo(core, 'bench');
    if (fake) {
      let inFlight = 0;
      fake.handle('chat', async (req) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => inFlight--, 200);
        const messages = req.body.messages as { role: string; content: string }[];
        const id = Number(/\(tickets#(\d+)\)/.exec(messages.find((m) => m.role === 'user')!.content)![1]);
        return { text: JSON.stringify(sampleAnswer(getPersona('ticket_analyst'), id)), usage: { prompt_tokens: 1500, completion_tokens: 300 } };
      });
      await core.call('providers.add', { name: 'fake', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', role: 'primary' });
      await core.call('policies.set', { workspace: 'bench', yaml: testPolicy({ fallback: ['@primary'], retries: 0, timeoutMs: 10_000, cacheTtl: 0 }) });
    }
    const persona = 'ticket_analyst';
    const db = core.services.workspaces.open('bench');
    // A realistic backlog has far fewer open tickets than the scan needs: reopen the newest closed ones.
    const open = getContextBuilder('ticket').candidates(db, scanN).length;
    if (open < scanN) db.prepare("UPDATE tickets SET status = 'open' WHERE id IN (SELECT id FROM tickets WHERE status IN ('solved', 'closed') ORDER BY id DESC LIMIT ?)").run(scanN - open);
    if (getContextBuilder('ticket').candidates(db, scanN).length < scanN) throw new Error(`fewer than ${scanN} tickets at scale ${scale}; raise --scale`);
    await core.call('engine.configure', { scan: { concurrency: 8 } });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { jobId } = await core.call('insights.scan', { workspace: 'bench', persona, limit: scanN, force: true });
    const job = await core.services.jobs.waitFor(jobId);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (job.status !== 'completed') throw new Error(`scan ${job.status}: ${job.error?.message}`);
    const ideal = (scanN * 0.2) / 8;
    const r = job.result as { analyzed: number; completed: number };
    report({
      metric: 'engine.scan_1000_at_200ms_c8',
      value: round(seconds, 2),
      unit: 's',
      n: r.analyzed,
      completed: r.completed,
      via: scripted ? 'scripted gateway' : 'gateway + fake OpenAI server over HTTP',
      ideal,
      ratio: round(seconds / ideal, 3),
      target: round(ideal * 1.3, 1),
      maxInFlight: scripted ? slow.maxInFlight : maxInFlight,
      processCpuS: round((cpu.user + cpu.system) / 1e6, 2),
    });
  } finally {
    await core.dispose();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function filter(): Promise<void> {
  const { core, dir } = makeCore(instant);
  try {
    await core.call('workspace.create', { name: 'big' });
    const db = core.services.workspaces.open('big');
    const t0 = performance.now();
    db.transaction(() => {
      for (let i = 0; i < insightsN; i++) {
        const p = PERSONAS[i % PERSONAS.length]!;
        const created = new Date(Date.UTC(2026, 0, 1) + (i % 120) * 86_400_000 + (i % 86_400) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        insertFinding(db, {
          id: `ins_${i.toString(16).padStart(16, '0')}`,
          type: i % 10 === 0 ? 'anomaly' : 'persona',
          domain: p.domain,
          entityType: p.entityType,
          entityId: Math.floor(i / PERSONAS.length) % 5_000,
          entityTitle: `${p.entityType} ${Math.floor(i / PERSONAS.length) % 5_000}`,
          dedupKey: `bench:${i}`,
          trigger: 'scheduled',
          actor: null,
          runId: null,
          createdAt: created,
          fields: {
            severity: SEVERITIES[i % 5]!,
            title: `${p.name}: finding ${i} about ${['refund', 'outage', 'churn', 'delay', 'budget'][i % 5]}`,
            summary: `Summary ${i}: the ${['customer', 'vendor', 'campaign', 'agent'][i % 4]} shows a ${['rising', 'falling', 'steady'][i % 3]} pattern.`,
            confidence: (i % 100) / 100,
            recommendations: [{ action: 'Review it', rationale: 'because' }],
            factors: [{ direction: '-', text: 'reason', evidence: [] }],
            fields: {},
            defaultedFields: [],
            warnings: [],
            completedAt: created,
            expiresAt: null,
          },
        });
      }
      // Persona insights belong to the persona of their domain (one persona per domain).
      db.prepare(`UPDATE insights SET persona_key = CASE domain ${PERSONAS.map((p) => `WHEN '${p.domain}' THEN '${p.key}'`).join(' ')} END WHERE type = 'persona'`).run();
      db.prepare("UPDATE insights SET status = CASE seq % 7 WHEN 0 THEN 'acknowledged' WHEN 1 THEN 'dismissed' WHEN 2 THEN 'expired' ELSE 'completed' END").run();
    })();
    db.pragma('optimize');
    report({ metric: 'engine.insights_fill', value: round((performance.now() - t0) / 1000, 2), unit: 's', n: insightsN });
    const queries: [string, Parameters<typeof listInsights>[1]][] = [
      ['newest page', { offset: 0, limit: 100 }],
      ['open, high+critical', { statuses: ['completed', 'acknowledged'], severities: ['high', 'critical'], offset: 0, limit: 100 }],
      ['domain + persona + status', { domains: ['support'], personas: ['ticket_analyst'], statuses: ['completed'], offset: 0, limit: 100 }],
      ['rare combination', { domains: ['vendors'], severities: ['critical'], statuses: ['acknowledged'], types: ['anomaly'], offset: 0, limit: 100 }],
      ['date range, by severity', { from: '2026-02-01', to: '2026-02-28', sort: { column: 'severity', desc: true }, offset: 0, limit: 100 }],
      ['one entity', { entityType: 'tickets', entityId: 42, offset: 0, limit: 100 }],
      ['full-text search', { search: 'refund customer', offset: 0, limit: 100 }],
      ['search + filters, deep page', { search: 'outage', statuses: [...INSIGHT_STATUSES], severities: ['critical'], offset: 2_000, limit: 100 }],
      ['sort by confidence', { sort: { column: 'confidence', desc: true }, offset: 0, limit: 100 }],
    ];
    for (const [name, q] of queries) {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < 25; i++) {
        const s = performance.now();
        total = listInsights(db, q).total;
        times.push(performance.now() - s);
      }
      report({ metric: `engine.insights_query.${name.replace(/[^a-z0-9]+/gi, '_')}`, value: round(percentile(times, 50)), unit: 'ms', n: times.length, p95: round(percentile(times, 95)), rows: insightsN, matched: total, target: 100 });
    }
  } finally {
    await core.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!only || only === 'overhead') await overhead();
if (!only || only === 'scan') await scan();
if (!only || only === 'filter') await filter();
