/**
 * Copilot per-turn overhead (ADR 0063): `npm run bench -- copilot [--scale 10] [--n 200]`.
 * One turn = prompt assembly (system prompt, recalled memory, history), a model call that asks for get_record, the
 * tool dispatched through the action layer (audited), a second model call answering with a citation, the citation
 * check, and persistence (messages, totals, an interaction memory) in one transaction. The model is an in-process
 * double answering at once, and the time spent inside it is subtracted, so the figure is the app's own overhead.
 * Conversations run ten turns each; the profile holds 100 memories. Target: p50 ≤ 10 ms, p99 ≤ 40 ms at scale 10.
 */
import { rmSync } from 'node:fs';
import { createCore } from '../src/main/core/createCore';
import type { Gateway, GatewayStreamEvent } from '../src/main/core/gateway/types';
import { silentLogger } from '../src/main/core/logger';
import { memoryCipher } from '../src/main/core/secrets/keyFile';
import { nodeWorkerLauncher } from '../src/main/core/workers/nodeLauncher';
import { tempDir } from '../test/fixtures/core';
import { percentile, report, round } from './lib';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const scale = Number(arg('scale', '10'));
const n = Number(arg('n', '200'));

let ticketId = 1;
const meta = { endpoint: 'double', providerKind: 'openai-compatible' as const, model: 'double', fallbackUsed: false, attempts: 1, cached: false, costUsd: 0, latencyMs: 0, usage: { inputTokens: 900, outputTokens: 40, cachedTokens: 0 }, usageId: 'u' };
/** Answers at once: first a get_record call, then (after the tool result) a short answer citing the ticket. */
const gateway: Gateway = {
  // Summaries of long conversations (one model step).
  chat: () => Promise.resolve({ ...meta, text: 'Summary: the person follows up on tickets [tickets:1].', toolCalls: [], finishReason: 'stop' as const }),
  embed: () => Promise.reject(new Error('not used')),
  transcribe: () => Promise.reject(new Error('not used')),
  async *streamChat(_m, req): AsyncIterable<GatewayStreamEvent> {
    const toolTurn = req.tools?.length && req.messages.at(-1)?.role === 'user';
    if (toolTurn) {
      const call = { id: 'c1', name: 'get_record', arguments: JSON.stringify({ entity: 'tickets', id: ticketId }) };
      yield { type: 'tool_call', call };
      yield { type: 'done', result: { text: '', toolCalls: [call], finishReason: 'tool_calls', usage: meta.usage, model: 'double' } };
    } else {
      const text = `The ticket is waiting on the customer [tickets:${ticketId}].`;
      yield { type: 'delta', text };
      yield { type: 'done', result: { text, toolCalls: [], finishReason: 'stop', usage: meta.usage, model: 'double' } };
    }
    yield { type: 'meta', meta };
  },
};

const dir = tempDir('idesk-bench-copilot-');
const core = createCore({ host: 'test', appVersion: 'bench', dataDir: dir, logger: silentLogger, secrets: memoryCipher, launchWorker: nodeWorkerLauncher, resumeJobs: false, gateway });
try {
  const created = await core.call('workspace.create', { name: 'bench', demo: { scale, seed: 42, anchorDate: '2026-06-15' } });
  const job = await core.services.jobs.waitFor(created.jobId!);
  if (job.status !== 'completed') throw new Error(`demo generation ${job.status}: ${job.error?.message}`);
  const lease = await core.services.workspaces.acquire('bench');
  const ws = lease.context;
  const tickets = (await ws.db.selectFrom('tickets').select('id').orderBy('id').limit(500).execute()).map((r) => r.id);
  const profile = core.activeProfile();
  for (let i = 0; i < 100; i++) {
    await core.call('memory.add', { workspace: 'bench', type: 'chat_fact', retention: 'permanent', content: `Fact ${i}: account ${i % 17} prefers ${i % 2 ? 'calls' : 'email'} about ticket backlog and renewals` });
  }
  const overhead: number[] = [];
  const totals: number[] = [];
  // CPU time of the process per turn (the double model costs next to nothing): less sensitive to a busy machine.
  const cpuMs: number[] = [];
  let conversationId: string | undefined;
  const turn = async (i: number): Promise<void> => {
    ticketId = tickets[Math.abs(i) % tickets.length]!;
    if (i % 10 === 0) conversationId = undefined;
    const cpu0 = process.cpuUsage();
    const r = await core.services.copilot.send(ws, profile, { workspace: 'bench', agent: 'success', message: `What is happening with ticket ${ticketId} and its renewal?`, conversationId, regenerate: false });
    if (r.message.citations.length !== 1) throw new Error(`the answer lost its citation: ${JSON.stringify(r.message)}`);
    conversationId = r.conversationId;
    const cpu = process.cpuUsage(cpu0);
    cpuMs.push((cpu.user + cpu.system) / 1000);
    overhead.push(r.timings.totalMs - r.timings.modelMs);
    totals.push(r.timings.totalMs);
  };
  for (let i = 0; i < 10; i++) await turn(-1 - i); // warm up: statement caches, JIT
  overhead.length = 0;
  totals.length = 0;
  cpuMs.length = 0;
  for (let i = 0; i < n; i++) await turn(i);
  const [load1] = (await import('node:os')).loadavg();
  const extra = { scale, tools: 1, modelCalls: 2, memories: 100, cpus: (await import('node:os')).cpus().length, load1: round(load1 ?? 0, 1) };
  report({ metric: 'copilot_turn_overhead_p50', value: round(percentile(overhead, 50), 2), unit: 'ms', n, target: 10, ...extra });
  report({ metric: 'copilot_turn_overhead_p99', value: round(percentile(overhead, 99), 2), unit: 'ms', n, target: 40, ...extra });
  report({ metric: 'copilot_turn_cpu_p50', value: round(percentile(cpuMs, 50), 2), unit: 'ms', n, ...extra });
  report({ metric: 'copilot_turn_cpu_p99', value: round(percentile(cpuMs, 99), 2), unit: 'ms', n, ...extra });
  report({ metric: 'copilot_turn_total_p50', value: round(percentile(totals, 50), 2), unit: 'ms', n, ...extra });
  lease.release();
} finally {
  await core.dispose();
  rmSync(dir, { recursive: true, force: true });
}
