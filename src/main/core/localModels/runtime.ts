import type { Worker } from 'node:worker_threads';
import { AppError } from '@shared/errors';
import type { ChatMessage, ChatRequest, ChatResult, EmbedRequest, EmbedResult } from '../gateway/types';
import { silentLogger, type Logger } from '../logger';
import type { WorkerLauncher } from '../ports';
import { CancelFlag } from '../workers/context';
import type { WorkerInput, WorkerMessage } from '../workers/entry';
import { LlamaEngine, type ContextRequest, type LoadedModelInfo } from './engine';
import { engineChat, engineCountTokens, engineEmbed } from './engineOps';
import { checkGgufHeader, inspectGguf, type GgufSummary, type LocalModelKind } from './ggufInfo';
import type { HostMessage, HostParams, HostRequest } from './protocol';

export { defaultThreads, type ContextRequest, type LoadedModelInfo } from './engine';

export interface LocalRuntimeOptions {
  logger?: Logger | undefined;
  threads?: number | undefined;
  /** Unload a model idle for this long (default 10 minutes; 0 keeps it until disposed). */
  idleUnloadMs?: number | undefined;
  /**
   * Hosts llama.cpp in a long-lived worker thread (the app's design, ADR 0040). Without a launcher the engine runs
   * in this thread: fine for scripts and benchmarks, not for the app's main process.
   */
  launchWorker?: WorkerLauncher | undefined;
  /** After an abort, how long to wait for the worker to confirm before giving up on it. */
  abortGraceMs?: number;
}

export interface RunOptions {
  modelId: string;
  signal: AbortSignal;
  onText?: ((text: string) => void) | undefined;
}

type HostOpRequest = HostRequest extends infer R ? (R extends { op: infer O } ? Omit<Extract<HostRequest, { op: O }>, 'kind' | 'id'> : never) : never;

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  onDelta?: ((text: string) => void) | undefined;
}

/**
 * The main thread's handle on local inference: chat, embed, count tokens, load and unload, by GGUF path. Requests go
 * to the llama host worker; the loaded-model state it broadcasts is mirrored here so isLoaded/inUse answer
 * synchronously. If the worker dies, pending calls fail with a clear error and the next call starts a new one.
 */
export class LocalRuntime {
  readonly mode: 'worker' | 'in-process';
  private readonly logger: Logger;
  private readonly params: HostParams;
  private state = new Map<string, LoadedModelInfo>();
  private engine: LlamaEngine | null = null;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  /** Adapter holds by path, replayed to every new host (the first, or one started after a crash). */
  private readonly holds = new Map<string, number>();
  private nextId = 1;
  private disposed = false;

  constructor(private readonly options: LocalRuntimeOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.params = { threads: options.threads, idleUnloadMs: options.idleUnloadMs };
    this.mode = options.launchWorker ? 'worker' : 'in-process';
  }

  chat(path: string, ctx: ContextRequest, req: ChatRequest, o: RunOptions): Promise<ChatResult> {
    if (this.mode === 'in-process') return engineChat(this.local(), path, ctx, req, { ...o, logger: this.logger });
    return this.call({ op: 'chat', path, ctx, req, modelId: o.modelId, stream: !!o.onText }, o.signal, o.onText) as Promise<ChatResult>;
  }

  embed(path: string, ctx: ContextRequest, req: EmbedRequest, o: RunOptions): Promise<EmbedResult> {
    if (this.mode === 'in-process') return engineEmbed(this.local(), path, ctx, req, { ...o, logger: this.logger });
    return this.call({ op: 'embed', path, ctx, req, modelId: o.modelId }, o.signal) as Promise<EmbedResult>;
  }

  /** Exact prompt tokens of a conversation with this model's tokenizer and chat template. */
  countTokens(path: string, messages: ChatMessage[]): Promise<number> {
    if (this.mode === 'in-process') return engineCountTokens(this.local(), path, messages);
    return this.call({ op: 'count', path, messages }) as Promise<number>;
  }

  /**
   * Validates a GGUF file and reads its metadata. The header check runs here (no dependency); the metadata is read
   * by node-llama-cpp in the host, so the main thread never imports it (a multi-second stall on a busy machine).
   */
  async inspect(path: string): Promise<GgufSummary> {
    await checkGgufHeader(path);
    if (this.mode === 'in-process') return inspectGguf(path);
    return (await this.call({ op: 'inspect', path })) as GgufSummary;
  }

  load(path: string): Promise<{ loadMs: number; alreadyLoaded: boolean }> {
    if (this.mode === 'in-process') return this.local().load(path);
    return this.call({ op: 'load', path }) as Promise<{ loadMs: number; alreadyLoaded: boolean }>;
  }

  /** Unloads a model; refused ('conflict') while it answers a request. */
  unload(path: string): Promise<boolean> {
    if (this.mode === 'in-process') return this.local().unload(path);
    if (!this.worker) return Promise.resolve(false);
    return this.call({ op: 'unload', path }) as Promise<boolean>;
  }

  /** An adapter keeps its model loaded until it releases it. Creating an adapter does not start the host. */
  hold(path: string): void {
    if (this.mode === 'in-process') return this.local().hold(path);
    this.holds.set(path, (this.holds.get(path) ?? 0) + 1);
    if (this.worker) this.sendHold(path);
  }

  async release(path: string): Promise<void> {
    if (this.mode === 'in-process') return this.engine?.release(path);
    const n = (this.holds.get(path) ?? 0) - 1;
    if (n > 0) this.holds.set(path, n);
    else this.holds.delete(path);
    if (this.worker) await this.call({ op: 'release', path });
  }

  private sendHold(path: string): void {
    void this.call({ op: 'hold', path }).catch((error: unknown) => this.logger.warn('llama host: hold failed', { error }));
  }

  isLoaded(path: string): boolean {
    return this.state.has(path);
  }

  /** Requests queued or running on this model. */
  inUse(path: string): number {
    return this.state.get(path)?.active ?? 0;
  }

  kindOf(path: string): LocalModelKind | null {
    return this.state.get(path)?.kind ?? null;
  }

  loaded(): LoadedModelInfo[] {
    return [...this.state.values()];
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.engine) await this.engine.dispose();
    const worker = this.worker;
    if (worker) {
      await Promise.race([this.call({ op: 'shutdown' }).catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
      this.worker = null;
      await worker.terminate();
    }
    this.state.clear();
  }

  private local(): LlamaEngine {
    if (this.disposed) throw new AppError('unavailable', 'The local model runtime is shutting down.');
    this.engine ??= new LlamaEngine({ ...this.params, logger: this.logger, onState: (s) => this.mirror(s) });
    return this.engine;
  }

  private mirror(state: LoadedModelInfo[]): void {
    this.state = new Map(state.map((s) => [s.path, s]));
  }

  private host(): Worker {
    if (this.disposed) throw new AppError('unavailable', 'The local model runtime is shutting down.');
    if (this.worker) return this.worker;
    const input: WorkerInput = { task: 'llama.host', params: this.params, cancel: new CancelFlag().buffer };
    const worker = this.options.launchWorker!({ workerData: input, name: 'llama-host' });
    worker.on('message', (m: HostMessage | WorkerMessage) => this.onMessage(m));
    const lost = (why: string): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.state.clear();
      const error = new AppError('provider_error', `The local model host stopped (${why}). The next request starts it again.`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      if (!this.disposed) this.logger.error('llama host stopped', { why });
    };
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    for (const [path, n] of this.holds) for (let i = 0; i < n; i++) this.sendHold(path);
    return worker;
  }

  private onMessage(m: HostMessage | WorkerMessage): void {
    if (!('kind' in m) || m.kind !== 'llama') {
      // The host task itself ended (shutdown) or failed to start.
      if ('type' in m && m.type === 'error') this.logger.error('llama host failed', { error: m.error });
      return;
    }
    if ('state' in m) return this.mirror(m.state);
    if ('log' in m) return void this.logger[m.log.level](m.log.message, m.log.fields);
    const p = this.pending.get(m.id);
    if (!p) return;
    if ('delta' in m) return p.onDelta?.(m.delta);
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (m.ok) p.resolve(m.value);
    else p.reject(AppError.fromJSON(m.error));
  }

  private call(request: HostOpRequest, signal?: AbortSignal, onDelta?: (text: string) => void): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(new AppError('cancelled', 'The request was cancelled before it started.'));
    let worker: Worker;
    try {
      worker = this.host();
    } catch (error) {
      return Promise.reject(error);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      let grace: NodeJS.Timeout | null = null;
      const onAbort = (): void => {
        // Ask the host to stop and wait for it to confirm, so the model is free when this call settles.
        worker.postMessage({ kind: 'llama', id: this.nextId++, op: 'abort', target: id } satisfies HostRequest);
        grace = setTimeout(() => {
          this.pending.delete(id);
          reject(new AppError('cancelled', 'The request was cancelled.'));
        }, this.options.abortGraceMs ?? 5000);
      };
      const settle = (fn: () => void): void => {
        if (grace) clearTimeout(grace);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      this.pending.set(id, { resolve: (v) => settle(() => resolve(v)), reject: (e) => settle(() => reject(e)), onDelta });
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.ref();
      worker.postMessage({ ...request, kind: 'llama', id } as HostRequest);
    });
  }
}

let shared: LocalRuntime | null = null;
/** The process-wide in-process runtime for adapters created without one (createCore passes its own, worker-hosted). */
export const sharedLocalRuntime = (): LocalRuntime => (shared ??= new LocalRuntime());
