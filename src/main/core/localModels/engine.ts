import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import PQueue from 'p-queue';
import type { ChatWrapper, Llama, LlamaChat, LlamaContext, LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import { AppError } from '@shared/errors';
import { silentLogger, type Logger } from '../logger';
import { nodeLlamaCpp, type NodeLlamaCpp } from './binding';
import { kindFromMetadata, type LocalModelKind } from './ggufInfo';


/**
 * Threads for CPU inference: leave one core to the UI and the main event loop, and stop at 8 (llama.cpp gains
 * little beyond the physical cores, and oversubscribed threads spin: on a busy 2-core machine 4 threads made each
 * token ~6x slower than 1).
 */
export const defaultThreads = (): number => Math.max(1, Math.min(8, availableParallelism() - 1));

export interface ContextRequest {
  /** Tokens the context holds; capped at what the model was trained for. */
  contextSize: number;
  /** CPU threads for this model's contexts (default: the runtime's). */
  threads?: number | undefined;
}

export interface ChatState {
  context: LlamaContext;
  chat: LlamaChat;
  contextSize: number;
}

export interface LoadedHandle {
  module: NodeLlamaCpp;
  llama: Llama;
  model: LlamaModel;
  chatWrapper: ChatWrapper;
  kind: LocalModelKind;
}

interface Slot {
  path: string;
  model: Promise<LoadedHandle> | null;
  /** Set once the model promise resolved (state reports, unloading). */
  ready: LoadedHandle | null;
  chat: ChatState | null;
  embedding: { context: LlamaEmbeddingContext; contextSize: number } | null;
  /** One evaluation at a time per model: CPU inference gains nothing from interleaving, and the KV cache is shared. */
  queue: PQueue;
  /** Calls queued or running. */
  active: number;
  /** Adapters holding this model. */
  holders: number;
  loadMs: number;
  idleTimer: NodeJS.Timeout | null;
}

export interface EngineOptions {
  logger?: Logger | undefined;
  threads?: number | undefined;
  /** Unload a model nobody used for this long (default 10 minutes; 0 keeps models loaded until disposed). */
  idleUnloadMs?: number | undefined;
  /** Called whenever the set of loaded models or their activity changes. */
  onState?: ((state: LoadedModelInfo[]) => void) | undefined;
}

export interface LoadedModelInfo {
  path: string;
  kind: LocalModelKind;
  active: number;
  holders: number;
  loadMs: number;
  ramBytes: number;
  contextLength: number;
}

/**
 * Owns the llama.cpp binding and the models loaded from it: at most one loaded copy per file, loaded on first use,
 * shared by every adapter for that file, unloaded when idle or disposed. It runs inside the llama host worker
 * (hostTask.ts), or in-process where no worker launcher exists; see docs/decisions/0040-local-inference.md.
 */
export class LlamaEngine {
  readonly threads: number;
  private readonly logger: Logger;
  private readonly idleUnloadMs: number;
  private llamaPromise: Promise<Llama> | null = null;
  private readonly slots = new Map<string, Slot>();
  private disposed = false;

  private readonly onState: ((state: LoadedModelInfo[]) => void) | undefined;

  constructor(options: EngineOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.threads = Math.max(1, options.threads ?? defaultThreads());
    this.idleUnloadMs = options.idleUnloadMs ?? 10 * 60_000;
    this.onState = options.onState;
  }

  private changed(): void {
    this.onState?.(this.loaded());
  }

  /** The llama.cpp binding, CPU only. Never compiles from source on a user's machine: prebuilt binaries or a clear error. */
  private getLlama(): Promise<Llama> {
    this.llamaPromise ??= (async () => {
      const m = await nodeLlamaCpp();
      try {
        return await m.getLlama({
          gpu: false,
          build: 'never',
          // Each context sets its own thread count; this is only the ceiling.
          maxThreads: Math.max(this.threads, availableParallelism()),
          logLevel: m.LlamaLogLevel.warn,
          logger: (level, message) => {
            const text = message.trim();
            if (!text) return;
            if (level === m.LlamaLogLevel.error || level === m.LlamaLogLevel.fatal) this.logger.error('llama.cpp', { message: text });
            else if (level === m.LlamaLogLevel.warn) this.logger.warn('llama.cpp', { message: text });
            else this.logger.debug('llama.cpp', { message: text });
          },
        });
      } catch (error) {
        this.llamaPromise = null;
        throw new AppError('unavailable', `The local inference engine (llama.cpp) cannot start on this machine: ${(error as Error).message}`, undefined, { cause: error });
      }
    })();
    return this.llamaPromise;
  }

  /** Loads the model (if it is not loaded yet) and reports how long that took. */
  async load(path: string): Promise<{ loadMs: number; alreadyLoaded: boolean }> {
    const existing = this.slots.get(path);
    if (existing?.ready) return { loadMs: existing.loadMs, alreadyLoaded: true };
    const slot = this.slot(path);
    await this.handle(slot);
    return { loadMs: slot.loadMs, alreadyLoaded: false };
  }

  isLoaded(path: string): boolean {
    return this.slots.get(path)?.ready != null;
  }

  inUse(path: string): number {
    return this.slots.get(path)?.active ?? 0;
  }

  loaded(): LoadedModelInfo[] {
    return [...this.slots.values()]
      .filter((s) => s.ready)
      .map((s) => ({
        path: s.path,
        kind: s.ready!.kind,
        active: s.active,
        holders: s.holders,
        loadMs: s.loadMs,
        ramBytes: s.ready!.model.size,
        contextLength: s.ready!.model.trainContextSize,
      }));
  }

  /** An adapter keeps the model it serves; releasing the last hold of an idle model unloads it. */
  hold(path: string): void {
    this.slot(path, false).holders++;
  }

  /** The loaded model, loading it if needed (no queueing: for tokenizing, which does not touch the context). */
  async handleFor(path: string): Promise<LoadedHandle> {
    return this.handle(this.slot(path));
  }

  async release(path: string): Promise<void> {
    const slot = this.slots.get(path);
    if (!slot) return;
    slot.holders = Math.max(0, slot.holders - 1);
    if (slot.holders === 0 && slot.active === 0) await this.unloadSlot(slot);
  }

  /** Runs `fn` with the model's chat context, after any earlier call on the same model finished. */
  withChat<T>(path: string, ctx: ContextRequest, signal: AbortSignal | undefined, fn: (h: LoadedHandle, s: ChatState) => Promise<T>): Promise<T> {
    return this.run(path, signal, async (slot, h) => fn(h, await this.ensureChat(slot, h, ctx)));
  }

  /** Runs `fn` with the model's embedding context. */
  withEmbedding<T>(path: string, ctx: ContextRequest, signal: AbortSignal | undefined, fn: (h: LoadedHandle, c: LlamaEmbeddingContext, size: number) => Promise<T>): Promise<T> {
    return this.run(path, signal, async (slot, h) => {
      const e = await this.ensureEmbedding(slot, h, ctx);
      return fn(h, e.context, e.contextSize);
    });
  }

  /** Unloads a model. Refuses while a call is queued or running on it. */
  async unload(path: string): Promise<boolean> {
    const slot = this.slots.get(path);
    if (!slot || (!slot.ready && !slot.model)) return false; // held by an adapter but never loaded: nothing to free
    if (slot.active > 0) {
      throw new AppError('conflict', `${basename(path)} is answering ${slot.active} request(s) right now; try again when they finish.`, { active: slot.active });
    }
    await this.unloadSlot(slot);
    return true;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const slot of [...this.slots.values()]) {
      slot.queue.clear();
      await slot.queue.onIdle().catch(() => undefined);
      await this.unloadSlot(slot);
    }
    const llama = this.llamaPromise;
    this.llamaPromise = null;
    if (llama) await llama.then((l) => l.dispose()).catch(() => undefined);
  }

  private slot(path: string, startLoading = true): Slot {
    if (this.disposed) throw new AppError('unavailable', 'The local model runtime is shutting down.');
    let slot = this.slots.get(path);
    if (!slot) {
      const created: Slot = {
        path,
        model: null,
        ready: null,
        chat: null,
        embedding: null,
        queue: new PQueue({ concurrency: 1 }),
        active: 0,
        holders: 0,
        loadMs: 0,
        idleTimer: null,
      };
      slot = created;
      this.slots.set(path, slot);
    }
    if (startLoading && !slot.model) slot.model = this.loadModel(slot);
    return slot;
  }

  private async loadModel(slot: Slot): Promise<LoadedHandle> {
    const started = performance.now();
    try {
      if (!existsSync(slot.path)) throw new AppError('not_found', `The model file ${slot.path} does not exist any more. Add it again or download it.`);
      const llama = await this.getLlama();
      const m = await nodeLlamaCpp();
      let model: LlamaModel;
      try {
        model = await llama.loadModel({ modelPath: slot.path, gpuLayers: 0 });
      } catch (error) {
        if (error instanceof m.InsufficientMemoryError) {
          throw new AppError('unavailable', `There is not enough free memory to load ${basename(slot.path)}. Close other apps or pick a smaller (more quantized) model.`);
        }
        throw new AppError('provider_error', `llama.cpp could not load ${basename(slot.path)}: ${(error as Error).message}. The file may be damaged, or its architecture is not supported by this version.`, undefined, { cause: error });
      }
      const fileInfo = model.fileInfo;
      const kind = kindFromMetadata(model.architecture, fileInfo.architectureMetadata as unknown as Record<string, unknown>);
      const handle: LoadedHandle = { module: m, llama, model, chatWrapper: m.resolveChatWrapper(model), kind };
      slot.loadMs = performance.now() - started;
      slot.ready = handle;
      this.changed();
      this.logger.info('local model loaded', { file: basename(slot.path), ms: Math.round(slot.loadMs), threads: this.threads });
      return handle;
    } catch (error) {
      // Forget the failed slot so the next call tries again (the file may have been fixed or memory freed).
      if (this.slots.get(slot.path) === slot && slot.active === 0) this.slots.delete(slot.path);
      else slot.model = null;
      throw error;
    }
  }

  private handle(slot: Slot): Promise<LoadedHandle> {
    slot.model ??= this.loadModel(slot);
    return slot.model;
  }

  private async run<T>(path: string, signal: AbortSignal | undefined, fn: (slot: Slot, h: LoadedHandle) => Promise<T>): Promise<T> {
    if (signal?.aborted) throw new AppError('cancelled', 'The request was cancelled before it started.');
    const slot = this.slot(path);
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    slot.active++;
    if (slot.ready) this.changed();
    try {
      const handle = await this.handle(slot);
      return await slot.queue.add(() => fn(slot, handle), { signal });
    } catch (error) {
      if (signal?.aborted && !(error instanceof AppError)) throw new AppError('cancelled', 'The request was cancelled.');
      throw error;
    } finally {
      slot.active--;
      this.scheduleIdle(slot);
      if (slot.ready) this.changed();
    }
  }

  private async ensureChat(slot: Slot, h: LoadedHandle, req: ContextRequest): Promise<ChatState> {
    const size = Math.max(256, Math.min(req.contextSize, h.model.trainContextSize || req.contextSize));
    if (slot.chat && slot.chat.contextSize >= size) return slot.chat;
    if (slot.chat) {
      slot.chat.chat.dispose();
      await slot.chat.context.dispose();
      slot.chat = null;
    }
    const context = await this.createContext(() => h.model.createContext({ contextSize: size, threads: req.threads ?? this.threads, sequences: 1 }), slot.path);
    const chat = new h.module.LlamaChat({ contextSequence: context.getSequence(), chatWrapper: h.chatWrapper });
    slot.chat = { context, chat, contextSize: context.contextSize };
    return slot.chat;
  }

  private async ensureEmbedding(slot: Slot, h: LoadedHandle, req: ContextRequest): Promise<{ context: LlamaEmbeddingContext; contextSize: number }> {
    const size = Math.max(64, Math.min(req.contextSize, h.model.trainContextSize || req.contextSize));
    if (slot.embedding && slot.embedding.contextSize >= size) return slot.embedding;
    if (slot.embedding) await slot.embedding.context.dispose();
    slot.embedding = null;
    // Encoder models (BERT family) must see the whole input in one batch, so the batch is as large as the context.
    const context = await this.createContext(() => h.model.createEmbeddingContext({ contextSize: size, batchSize: size, threads: req.threads ?? this.threads }), slot.path);
    slot.embedding = { context, contextSize: size };
    return slot.embedding;
  }

  private async createContext<C>(create: () => Promise<C>, path: string): Promise<C> {
    try {
      return await create();
    } catch (error) {
      const m = await nodeLlamaCpp();
      if (error instanceof m.InsufficientMemoryError) {
        throw new AppError('unavailable', `Not enough free memory for the context of ${basename(path)}. Lower the context size or close other apps.`);
      }
      throw new AppError('provider_error', `llama.cpp could not create a context for ${basename(path)}: ${(error as Error).message}`, undefined, { cause: error });
    }
  }

  private scheduleIdle(slot: Slot): void {
    if (slot.active > 0 || this.idleUnloadMs <= 0 || this.disposed) return;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = null;
      if (slot.active === 0) void this.unloadSlot(slot).catch((error: unknown) => this.logger.warn('unloading an idle model failed', { error }));
    }, this.idleUnloadMs);
    slot.idleTimer.unref();
  }

  private async unloadSlot(slot: Slot): Promise<void> {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    if (this.slots.get(slot.path) === slot) this.slots.delete(slot.path);
    const handle = slot.ready ?? (slot.model ? await slot.model.catch(() => null) : null);
    slot.ready = null;
    try {
      slot.chat?.chat.dispose();
      await slot.chat?.context.dispose();
      await slot.embedding?.context.dispose();
      await handle?.model.dispose();
    } finally {
      slot.chat = null;
      slot.embedding = null;
    }
    if (handle) {
      this.logger.info('local model unloaded', { file: basename(slot.path) });
      this.changed();
    }
  }
}
