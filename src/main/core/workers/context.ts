import { AppError } from '@shared/errors';

export interface TaskProgress {
  phase: string;
  done: number;
  total?: number | null;
  message?: string | null;
  /** Opaque resume point, persisted with the job so a rerun after a crash can continue from it. */
  checkpoint?: unknown;
  /**
   * The task's own rate and ETA, when it knows better than done/elapsed (a resumed download starts with most of
   * its bytes already done; its rate is the recent transfer speed).
   */
  ratePerSec?: number | null;
  etaMs?: number | null;
}

/** What a task running inside a worker thread gets from its host. */
export interface TaskContext {
  /** Reports progress; throttled, so call it as often as convenient. */
  progress(update: TaskProgress): void;
  /** True once the job was cancelled. Tasks check it between batches; a synchronous loop can see it too. */
  readonly cancelled: boolean;
  /** Throws `cancelled` if the job was cancelled; call between batches so partial work rolls back. */
  throwIfCancelled(): void;
  /** Checkpoint saved by an earlier, interrupted run of the same job, if any. */
  readonly resumeFrom: unknown;
  /**
   * Asks the host (main thread) to do something only it can, e.g. call a model through the gateway. Only the names
   * the caller of runTask passed in `hostCalls` exist; anything else rejects.
   */
  callHost(name: string, payload: unknown): Promise<unknown>;
}

/** Handlers a task may call on the main thread, by name. */
export type HostCalls = Record<string, (payload: unknown) => Promise<unknown>>;

export async function callHostWith(calls: HostCalls | undefined, name: string, payload: unknown): Promise<unknown> {
  const fn = calls?.[name];
  if (!fn) throw new AppError('internal', `The host offers no "${name}" call to this task.`);
  return fn(payload);
}

/**
 * Cancellation is a flag in shared memory rather than a message: a task busy in a synchronous better-sqlite3 loop
 * never yields to the event loop, but it can read an Int32Array.
 */
export class CancelFlag {
  readonly buffer: SharedArrayBuffer;
  private readonly view: Int32Array;

  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(4);
    this.view = new Int32Array(this.buffer);
  }

  cancel(): void {
    Atomics.store(this.view, 0, 1);
  }

  get cancelled(): boolean {
    return Atomics.load(this.view, 0) === 1;
  }

  throwIfCancelled(): void {
    if (this.cancelled) throw new AppError('cancelled', 'The operation was cancelled; nothing was changed.');
  }
}

/** Builds a TaskContext that does not need a worker; used by in-process runs and tests. */
export function inlineContext(options: { onProgress?: (p: TaskProgress) => void; flag?: CancelFlag; resumeFrom?: unknown; hostCalls?: HostCalls } = {}): TaskContext {
  const flag = options.flag ?? new CancelFlag();
  return {
    progress: (p) => options.onProgress?.(p),
    get cancelled() {
      return flag.cancelled;
    },
    throwIfCancelled: () => flag.throwIfCancelled(),
    resumeFrom: options.resumeFrom,
    callHost: (name, payload) => callHostWith(options.hostCalls, name, payload),
  };
}
