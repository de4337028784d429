/**
 * Local inference: is the main event loop free while llama.cpp generates? How fast is the local path?
 *
 * Runs the same grammar-constrained, streamed generation through LocalRuntime in both of its modes and records the
 * main thread's event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution) and event-loop utilisation
 * (the share of time the main thread was busy) during each:
 *   idle       — nothing running (this machine's floor),
 *   in-process — node-llama-cpp on the main thread, evaluation on its native threads,
 *   worker     — the app's design: the llama host worker; the main thread only relays messages.
 * Also: the stall of the first import of node-llama-cpp, model load time, tokens/s and embedding throughput.
 * The model is synthetic (test/fixtures/tinyGguf) at a size where a token costs real compute; no download needed.
 *
 *   npm run bench -- localModel [--layers 4] [--embedding 256] [--runs 3]
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance as perf, type IntervalHistogram } from 'node:perf_hooks';
import type { ChatRequest } from '../src/main/core/gateway/types';
import { createLocalAdapter } from '../src/main/core/localModels/localAdapter';
import { LocalRuntime } from '../src/main/core/localModels/runtime';
import { nodeWorkerLauncher } from '../src/main/core/workers/nodeLauncher';
import { tempDir } from '../test/fixtures/core';
import { writeTinyGguf } from '../test/fixtures/tinyGguf';
import { report, round } from './lib';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const layers = arg('layers', 4);
const embedding = arg('embedding', 256);
const runs = arg('runs', 3);
const threads = 1;

const dir = tempDir('idesk-bench-llm-');
const modelPath = join(dir, 'bench.gguf');
const embedPath = join(dir, 'bench-embed.gguf');
const info = writeTinyGguf(modelPath, { layers, embedding, heads: 8, feedForward: embedding * 3, seed: 1 });
writeTinyGguf(embedPath, { layers: 2, embedding: 128, heads: 4, feedForward: 384, variant: 'embedding', seed: 2 });

const request: ChatRequest = {
  model: 'bench',
  messages: [
    { role: 'system', content: 'You triage customer support tickets and answer in JSON.' },
    { role: 'user', content: 'Customer says the refund for order 1182 never arrived and they were charged twice. '.repeat(6) },
  ],
  responseSchema: {
    name: 'triage',
    schema: {
      type: 'object',
      properties: {
        severity: { enum: ['low', 'medium', 'high'] },
        summary: { type: 'string', minLength: 120, maxLength: 120 },
        tags: { type: 'array', items: { type: 'string', maxLength: 10 }, minItems: 3, maxItems: 3 },
      },
    },
  },
  maxTokens: 400,
};
const common = { model: `llama ${round(info.parameters / 1e6, 1)}M F32`, layers, embedding, threads };
const h = monitorEventLoopDelay({ resolution: 1 });
h.enable();
const lag = (x: IntervalHistogram): { p50: number; p99: number; max: number } => ({ p50: round(x.percentile(50) / 1e6, 2), p99: round(x.percentile(99) / 1e6, 2), max: round(x.max / 1e6, 2) });

// --- idle floor
await new Promise((r) => setTimeout(r, 1500));
report({ metric: 'loop_lag_idle_p99', value: lag(h).p99, unit: 'ms', n: 1, ...lag(h) });

async function measure(mode: 'in-process' | 'worker'): Promise<void> {
  const runtime = new LocalRuntime({ threads, idleUnloadMs: 0, launchWorker: mode === 'worker' ? nodeWorkerLauncher : undefined });
  const adapter = createLocalAdapter({ modelPath, runtime, contextSize: 2048, kind: 'chat' });
  h.reset();
  const t0 = performance.now();
  const load = await adapter.warmup();
  report({ metric: `first_load_${mode}`, value: round(performance.now() - t0, 1), unit: 'ms', n: 1, modelLoadMs: round(load.loadMs, 1), loopLagMaxMs: lag(h).max, ...common });
  await adapter.chat({ ...request, maxTokens: 8 }, {}); // warm the context
  let tokens = 0;
  let ms = 0;
  h.reset();
  const elu = perf.eventLoopUtilization();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    for await (const e of adapter.streamChat({ ...request, seed: i, temperature: 0.8 }, {})) if (e.type === 'done') tokens += e.result.usage.outputTokens;
    ms += performance.now() - t;
  }
  const busy = perf.eventLoopUtilization(elu).utilization;
  report({ metric: `loop_lag_${mode}_p99`, value: lag(h).p99, unit: 'ms', n: runs, ...lag(h), ...common });
  report({ metric: `main_thread_busy_${mode}`, value: round(busy, 3), unit: 'ELU', n: runs, ...common });
  report({ metric: `tokens_per_sec_${mode}`, value: round(tokens / (ms / 1000), 1), unit: 'tok/s', n: tokens, ...common });

  const embedder = createLocalAdapter({ modelPath: embedPath, runtime, kind: 'embedding' });
  const texts = Array.from({ length: 64 }, (_, i) => `Ticket ${i}: the customer reports a billing problem with invoice ${1000 + i}.`);
  await embedder.embed!({ model: 'e', input: texts.slice(0, 2) }, {});
  const e0 = performance.now();
  await embedder.embed!({ model: 'e', input: texts }, {});
  report({ metric: `embeddings_per_sec_${mode}`, value: round(texts.length / ((performance.now() - e0) / 1000), 1), unit: 'texts/s', n: texts.length, model: 'llama 2x128 mean-pooled', threads });
  await embedder.dispose?.();
  await adapter.dispose?.();
  await runtime.dispose();
}

// The worker first: the in-process run imports node-llama-cpp into this thread, after which the worker run would
// no longer show what the app gains by never importing it on the main thread.
await measure('worker');
await measure('in-process');
h.disable();
rmSync(dir, { recursive: true, force: true });
