import { AppError } from '@shared/errors';
import { silentLogger, type Logger } from '../../logger';
import type { EngineHealth, EngineLauncher, EngineProcess, EngineReply, EngineRequest, EngineTranscript, TranscribeJob } from './protocol';

export interface EngineHostOptions {
  launch: EngineLauncher;
  logger?: Logger;
  /** How long a fresh process may take to say it is ready (tsx compiles the entry under the Node hosts). */
  startTimeoutMs?: number;
  /** After a crash, load the model that was in use again in the background, so the next command is fast. */
  reloadAfterCrash?: boolean;
}

export interface EngineStatus {
  running: boolean;
  pid: number | null;
  /** Processes started so far (1 + restarts). */
  starts: number;
  crashes: number;
  lastCrash: { at: string; modelId: string | null; reason: string } | null;
  loadedModel: string | null;
  queued: number;
  busy: boolean;
}

type RequestBody = EngineRequest extends infer R ? (R extends { op: infer O } ? Omit<Extract<EngineRequest, { op: O }>, 'id'> : never) : never;

interface Pending {
  op: EngineRequest['op'];
  modelId: string | null;
  resolve(value: unknown): void;
  reject(error: AppError): void;
}

interface Queued {
  job: TranscribeJob;
  signal: AbortSignal | undefined;
  resolve(value: EngineTranscript): void;
  reject(error: unknown): void;
}

/**
 * The core's handle on the speech engine process: starts it on first use, sends one transcription at a time,
 * cancels a running one by ending the process (whisper.cpp cannot be interrupted mid-pass from outside), notices
 * crashes, fails only the command that was running with a clear error naming the model, and starts a fresh process
 * for the next one. The main event loop only passes messages.
 */
export class WhisperEngineHost {
  private proc: EngineProcess | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: Queued[] = [];
  private running: { job: TranscribeJob; cancelled: boolean } | null = null;
  private nextId = 1;
  private starts = 0;
  private crashes = 0;
  private lastCrash: EngineStatus['lastCrash'] = null;
  private loadedPath: string | null = null;
  private lastModel: { path: string; modelId: string } | null = null;
  private disposed = false;
  private readonly logger: Logger;

  constructor(private readonly options: EngineHostOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  status(): EngineStatus {
    return {
      running: this.proc !== null,
      pid: this.proc?.pid ?? null,
      starts: this.starts,
      crashes: this.crashes,
      lastCrash: this.lastCrash,
      loadedModel: this.loadedPath,
      queued: this.queue.length,
      busy: this.running !== null,
    };
  }

  /** Loads a model ahead of the first command (the Voice page does this when it opens). */
  async load(path: string, modelId: string): Promise<{ loadMs: number; alreadyLoaded: boolean }> {
    this.lastModel = { path, modelId };
    const r = (await this.send({ op: 'load', path, modelId }, modelId)) as { loadMs: number; alreadyLoaded: boolean };
    this.loadedPath = path;
    return r;
  }

  /** Transcribes one command. Waits in line behind the one running; cancelling either removes it at once. */
  transcribe(job: TranscribeJob, signal?: AbortSignal): Promise<EngineTranscript> {
    if (signal?.aborted) return Promise.reject(new AppError('cancelled', 'The transcription was cancelled.'));
    return new Promise((resolve, reject) => {
      const entry: Queued = { job, signal, resolve, reject };
      const onAbort = (): void => {
        const i = this.queue.indexOf(entry);
        if (i >= 0) {
          this.queue.splice(i, 1);
          reject(new AppError('cancelled', 'The transcription was cancelled.'));
        } else if (this.running?.job === job) {
          this.running.cancelled = true;
          this.logger.info('voice engine: cancelling a running transcription by restarting the engine', { modelId: job.modelId });
          this.proc?.kill();
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = <T>(fn: (v: T) => void) => (v: T): void => {
        signal?.removeEventListener('abort', onAbort);
        fn(v);
      };
      entry.resolve = done(resolve);
      entry.reject = done(reject);
      this.queue.push(entry);
      this.pump();
    });
  }

  async unload(): Promise<boolean> {
    if (!this.proc) return false;
    const r = (await this.send({ op: 'unload' }, null)) as boolean;
    this.loadedPath = null;
    return r;
  }

  async health(): Promise<EngineHealth | null> {
    if (!this.proc) return null;
    return (await this.send({ op: 'health' }, null)) as EngineHealth;
  }

  /** Ends the process (a test or a shutdown); the next request starts a new one. */
  kill(): void {
    this.proc?.kill();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const q of this.queue.splice(0)) q.reject(new AppError('unavailable', 'The speech engine is shutting down.'));
    this.proc?.kill();
    this.proc = null;
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const next = this.queue.shift()!;
    this.running = { job: next.job, cancelled: false };
    this.lastModel = { path: next.job.path, modelId: next.job.modelId };
    const run = this.running;
    this.send({ op: 'transcribe', ...next.job }, next.job.modelId).then(
      (value) => {
        this.loadedPath = next.job.path;
        next.resolve(value as EngineTranscript);
      },
      (error: AppError) => next.reject(run.cancelled ? new AppError('cancelled', 'The transcription was cancelled.') : error),
    ).finally(() => {
      this.running = null;
      this.pump();
    });
  }

  private start(): Promise<void> {
    if (this.disposed) return Promise.reject(new AppError('unavailable', 'The speech engine is shutting down.'));
    if (this.ready) return this.ready;
    this.starts++;
    const proc = this.options.launch({ name: 'voice-engine' });
    this.proc = proc;
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new AppError('unavailable', 'The speech engine did not start in time. Try again; if it keeps failing, see the log.', { reason: 'engine_start_timeout' }));
        proc.kill();
      }, this.options.startTimeoutMs ?? 30_000);
      timer.unref?.();
      proc.onMessage((m: EngineReply) => {
        if ('event' in m) {
          if (m.event === 'ready') {
            clearTimeout(timer);
            resolve();
          } else this.logger[m.level](`voice engine: ${m.message}`);
          return;
        }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else p.reject(AppError.fromJSON(m.error));
      });
      proc.onExit((info) => {
        clearTimeout(timer);
        this.onExit(proc, info);
        reject(new AppError('unavailable', `The speech engine stopped while starting (${describe(info)}).`, { reason: 'engine_crashed' }));
      });
    });
    this.ready.catch(() => undefined);
    return this.ready;
  }

  private onExit(proc: EngineProcess, info: { code: number | null; signal: string | null; detail?: string | null }): void {
    if (this.proc !== proc) return;
    this.proc = null;
    this.ready = null;
    this.loadedPath = null;
    const cancelled = this.running?.cancelled === true;
    const modelId = this.running?.job.modelId ?? [...this.pending.values()].find((p) => p.modelId)?.modelId ?? null;
    if (!cancelled && !this.disposed) {
      this.crashes++;
      this.lastCrash = { at: new Date().toISOString(), modelId, reason: describe(info) };
      this.logger.error('voice engine stopped unexpectedly', { modelId, code: info.code, signal: info.signal, detail: info.detail ?? null });
    }
    const error = new AppError(
      'unavailable',
      `The speech engine stopped while ${modelId ? `running the model "${modelId}"` : 'working'} (${describe(info)}). That command was lost; the engine restarts by itself, so try again.`,
      { reason: 'engine_crashed', modelId, code: info.code, signal: info.signal },
    );
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    // Warm a fresh process with the model that was in use, unless the model itself is what keeps crashing it.
    const again = this.lastModel;
    if (!this.disposed && this.options.reloadAfterCrash !== false && again && (cancelled || this.crashes < 3)) {
      setTimeout(() => {
        if (this.disposed || this.proc || this.running || this.queue.length) return;
        this.load(again.path, again.modelId).catch((e: unknown) => this.logger.warn('voice engine: reload after restart failed', { error: e instanceof Error ? e.message : String(e) }));
      }, 0);
    }
  }

  private async send(body: RequestBody, modelId: string | null): Promise<unknown> {
    const id = this.nextId++;
    await this.start();
    const proc = this.proc;
    if (!proc) throw new AppError('unavailable', 'The speech engine stopped before the request could be sent; try again.', { reason: 'engine_crashed', modelId });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { op: body.op, modelId, resolve, reject });
      proc.postMessage({ ...body, id } as EngineRequest);
    });
  }
}

function describe(info: { code: number | null; signal: string | null; detail?: string | null }): string {
  const how = info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
  return info.detail ? `${how}: ${info.detail}` : how;
}
