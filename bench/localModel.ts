/**
 * Local inference: is the main event loop free while llama.cpp generates? And how fast is the in-process path?
 *
 * Runs the same grammar-constrained generation three ways and records the main thread's event-loop delay
 * (perf_hooks.monitorEventLoopDelay, 1 ms resolution) during each:
 *   idle      — nothing running (the floor on this machine),
 *   inProcess — the LocalAdapter: node-llama-cpp in the main thread, evaluation on its native threads,
 *   worker    — the same generation hosted in a worker_thread, streaming chunks back by postMessage.
 * Also: model load time, tokens/s, embedding throughput. The model is synthetic (written by test/fixtures/tinyGguf)
 * at a size where a token costs real compute; it needs no download.
 *
 *   npm run bench -- localModel [--layers 4] [--embedding 256] [--runs 3]
 */
import { monitorEventLoopDelay, performance as perf, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createLocalAdapter } from '../src/main/core/localModels/localAdapter';
import { LocalRuntime } from '../src/main/core/localModels/runtime';
import type { ChatRequest } from '../src/main/core/gateway/types';
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

const schema = {
  type: 'object',
  properties: {
    severity: { enum: ['low', 'medium', 'high'] },
    summary: { type: 'string', minLength: 120, maxLength: 120 },
    tags: { type: 'array', items: { type: 'string', maxLength: 10 }, minItems: 3, maxItems: 3 },
  },
};
const request: ChatRequest = {
  model: 'bench',
  messages: [
    { role: 'system', content: 'You triage customer support tickets and answer in JSON.' },
    { role: 'user', content: 'Customer says the refund for order 1182 never arrived and they were charged twice. '.repeat(6) },
  ],
  responseSchema: { name: 'triage', schema },
  maxTokens: 400,
};

function lag(h: IntervalHistogram): { p50: number; p99: number; max: number } {
  return { p50: round(h.percentile(50) / 1e6, 2), p99: round(h.percentile(99) / 1e6, 2), max: round(h.max / 1e6, 2) };
}
const common = { model: `llama ${round(info.parameters / 1e6, 1)}M F32`, layers, embedding, threads };

// --- idle floor
const h = monitorEventLoopDelay({ resolution: 1 });
h.enable();
await new Promise((r) => setTimeout(r, 1500));
report({ metric: 'loop_lag_idle_p99', value: lag(h).p99, unit: 'ms', n: 1, ...lag(h), ...common });

// --- in process (the shipped design)
h.reset();
let t0 = performance.now();
await import('node-llama-cpp');
report({ metric: 'first_import_stall_max', value: lag(h).max, unit: 'ms', n: 1, importMs: round(performance.now() - t0, 1) });
const runtime = new LocalRuntime({ threads, idleUnloadMs: 0 });
const adapter = createLocalAdapter({ modelPath, runtime, contextSize: 2048, kind: 'chat' });
h.reset();
const load = await adapter.warmup();
report({ metric: 'model_load', value: round(load.loadMs, 1), unit: 'ms', n: 1, loopLagMaxMs: lag(h).max, fileMB: round(info.bytes / 1e6, 1), ...common });
await adapter.chat({ ...request, maxTokens: 8 }, {}); // warm the context
let tokens = 0;
let ms = 0;
h.reset();
let elu: EventLoopUtilization = perf.eventLoopUtilization();
for (let i = 0; i < runs; i++) {
  t0 = performance.now();
  let chunks = 0;
  for await (const e of adapter.streamChat({ ...request, seed: i, temperature: 0.8 }, {})) {
    if (e.type === 'delta') chunks++;
    if (e.type === 'done') tokens += e.result.usage.outputTokens;
  }
  ms += performance.now() - t0;
  if (chunks === 0) throw new Error('no stream');
}
const inProcess = lag(h);
const eluInProcess = perf.eventLoopUtilization(elu).utilization;
report({ metric: 'loop_lag_in_process_p99', value: inProcess.p99, unit: 'ms', n: runs, ...inProcess, ...common });
report({ metric: 'main_thread_busy_in_process', value: round(eluInProcess, 3), unit: 'ELU', n: runs, ...common });
report({ metric: 'tokens_per_sec_in_process', value: round(tokens / (ms / 1000), 1), unit: 'tok/s', n: tokens, ...common });

// --- embeddings
const embedder = createLocalAdapter({ modelPath: embedPath, runtime, kind: 'embedding' });
const texts = Array.from({ length: 64 }, (_, i) => `Ticket ${i}: the customer reports a billing problem with invoice ${1000 + i}.`);
await embedder.embed!({ model: 'e', input: texts.slice(0, 2) }, {});
const e0 = performance.now();
await embedder.embed!({ model: 'e', input: texts }, {});
report({ metric: 'embeddings_per_sec', value: round(texts.length / ((performance.now() - e0) / 1000), 1), unit: 'texts/s', n: texts.length, model: 'llama 2x128 mean-pooled', threads });
await embedder.dispose?.();
await adapter.dispose?.();
await runtime.dispose();

// --- worker thread (the alternative considered in ADR 0040)
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const m = await import(workerData.moduleUrl);
  const llama = await m.getLlama({ gpu: false, build: 'never', logLevel: m.LlamaLogLevel.warn });
  const model = await llama.loadModel({ modelPath: workerData.modelPath });
  const context = await model.createContext({ contextSize: 2048, threads: workerData.threads });
  const chat = new m.LlamaChat({ contextSequence: context.getSequence() });
  const grammar = await llama.createGrammarForJsonSchema(workerData.schema);
  const history = () => [{ type: 'system', text: workerData.system }, { type: 'user', text: workerData.user }, { type: 'model', response: [] }];
  await chat.generateResponse(history(), { grammar, maxTokens: 8 });
  parentPort.postMessage({ type: 'ready' });
  parentPort.on('message', async (msg) => {
    if (msg.type === 'quit') { await llama.dispose(); process.exit(0); }
    const res = await chat.generateResponse(history(), { grammar, maxTokens: 400, temperature: 0.8, seed: msg.seed, onTextChunk: (text) => parentPort.postMessage({ type: 'delta', text }) });
    parentPort.postMessage({ type: 'done', length: res.response.length });
  });
})();
`;
const worker = new Worker(workerSource, {
  eval: true,
  workerData: { moduleUrl: import.meta.resolve('node-llama-cpp'), modelPath, threads, schema, system: request.messages[0]!.content, user: request.messages[1]!.content },
});
await new Promise<void>((resolve, reject) => {
  worker.once('error', reject);
  worker.on('message', (m: { type: string }) => m.type === 'ready' && resolve());
});
h.reset();
elu = perf.eventLoopUtilization();
for (let i = 0; i < runs; i++) {
  worker.postMessage({ type: 'go', seed: i });
  await new Promise<void>((resolve) => {
    const onMessage = (m: { type: string }): void => {
      if (m.type === 'done') {
        worker.off('message', onMessage);
        resolve();
      }
    };
    worker.on('message', onMessage);
  });
}
const inWorker = lag(h);
const eluWorker = perf.eventLoopUtilization(elu).utilization;
report({ metric: 'loop_lag_worker_p99', value: inWorker.p99, unit: 'ms', n: runs, ...inWorker, ...common });
report({ metric: 'main_thread_busy_worker', value: round(eluWorker, 3), unit: 'ELU', n: runs, ...common });
worker.postMessage({ type: 'quit' });
await new Promise((r) => worker.once('exit', r));
h.disable();
rmSync(dir, { recursive: true, force: true });
