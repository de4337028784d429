/**
 * The speech engine process: owns whisper.cpp and serves one request at a time. It runs as Electron's
 * utilityProcess in the app and as a forked Node process elsewhere; a crash in native code ends only this process
 * (the host reports it and starts a new one). Requests arrive one by one, so a blocking transcription is fine here.
 */
import { AppError } from '@shared/errors';
import { napiWhisper, type WhisperBinding, type WhisperModel } from './binding';
import type { EngineReply, EngineRequest, EngineTranscript } from './protocol';

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const electronPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;

function send(message: EngineReply): void {
  if (electronPort) electronPort.postMessage(message);
  else process.send?.(message);
}

function onRequest(listener: (request: EngineRequest) => void): void {
  if (electronPort) electronPort.on('message', (event) => listener(event.data as EngineRequest));
  else process.on('message', (m) => listener(m as EngineRequest));
}

let binding: WhisperBinding | null = null;
let loaded: { path: string; model: WhisperModel } | null = null;
let served = 0;

async function model(path: string, modelId: string): Promise<{ model: WhisperModel; loadMs: number; alreadyLoaded: boolean }> {
  if (loaded?.path === path) return { model: loaded.model, loadMs: 0, alreadyLoaded: true };
  binding ??= await napiWhisper();
  // One model at a time: a second whisper context would double the memory for no gain (one command at a time).
  loaded = null;
  const t0 = performance.now();
  let m: WhisperModel;
  try {
    m = binding.load(path);
  } catch (error) {
    throw new AppError('validation', `The speech model "${modelId}" could not be loaded (${error instanceof Error ? error.message : String(error)}). Is ${path} a whisper.cpp GGML model file?`, { reason: 'model_load_failed', modelId });
  }
  loaded = { path, model: m };
  return { model: m, loadMs: performance.now() - t0, alreadyLoaded: false };
}

async function handle(request: EngineRequest): Promise<unknown> {
  switch (request.op) {
    case 'load': {
      const { loadMs, alreadyLoaded } = await model(request.path, request.modelId);
      return { loadMs, alreadyLoaded };
    }
    case 'transcribe': {
      const { model: m, loadMs, alreadyLoaded } = await model(request.path, request.modelId);
      const t0 = performance.now();
      const r = m.transcribe(request);
      const out: EngineTranscript = { text: r.text, language: r.language, loadMs, alreadyLoaded, inferenceMs: performance.now() - t0, segments: r.segments };
      return out;
    }
    case 'unload': {
      const had = loaded !== null;
      loaded = null;
      // Let the GC release the native context now rather than at some later allocation.
      (globalThis as { gc?: () => void }).gc?.();
      return had;
    }
    case 'health':
      return { pid: process.pid, rssBytes: process.memoryUsage().rss, loadedModel: loaded?.path ?? null, served, binding: binding?.name ?? '@napi-rs/whisper (not loaded yet)' };
  }
}

let chain = Promise.resolve();
onRequest((request) => {
  chain = chain.then(async () => {
    served++;
    try {
      send({ id: request.id, ok: true, value: await handle(request) });
    } catch (error) {
      const e = error instanceof AppError ? error : new AppError('provider_error', error instanceof Error ? error.message : String(error));
      send({ id: request.id, ok: false, error: e.toJSON() });
    }
  });
});
// The parent owns our lifetime: when it goes away, so do we (no orphaned engine holding hundreds of MB).
process.on('disconnect', () => process.exit(0));
send({ event: 'ready', pid: process.pid });
