import { AppError } from '@shared/errors';
import type { WorkerLauncher } from '../ports';
import { callHostWith, CancelFlag, type HostCalls, type TaskProgress } from './context';
import type { HostReply, WorkerInput, WorkerMessage } from './entry';
import type { TaskName, TaskParams, TaskResult } from './tasks';

export interface RunTaskOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((p: TaskProgress) => void) | undefined;
  nativeBinding?: string | undefined;
  resumeFrom?: unknown;
  /** After a cancel, how long the task may take to roll back before the thread is terminated. */
  cancelGraceMs?: number;
  /** Main-thread services the task may call through ctx.callHost (e.g. model calls through the gateway). */
  hostCalls?: HostCalls;
}

/** Runs a named task in a fresh worker thread and resolves with its result. */
export function runTask<T extends TaskName>(
  launch: WorkerLauncher,
  task: T,
  params: TaskParams<T>,
  options: RunTaskOptions = {},
): Promise<TaskResult<T>> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new AppError('cancelled', 'The operation was cancelled before it started.'));
      return;
    }
    const flag = new CancelFlag();
    const input: WorkerInput = { task, params, cancel: flag.buffer, nativeBinding: options.nativeBinding, resumeFrom: options.resumeFrom };
    const worker = launch({ workerData: input });
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = (): void => {
      flag.cancel();
      killTimer = setTimeout(() => {
        finish(() => reject(new AppError('cancelled', 'The operation was cancelled.')));
      }, options.cancelGraceMs ?? 10_000);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') options.onProgress?.(m.progress);
      else if (m.type === 'result') finish(() => resolve(m.result as TaskResult<T>));
      else if (m.type === 'error') finish(() => reject(AppError.fromJSON(m.error)));
      else if (m.type === 'hostCall') {
        callHostWith(options.hostCalls, m.name, m.payload).then(
          (result) => !settled && worker.postMessage({ type: 'hostReply', id: m.id, result } satisfies HostReply),
          (error: unknown) => !settled && worker.postMessage({ type: 'hostReply', id: m.id, error: AppError.wrap(error).toJSON() } satisfies HostReply),
        );
      }
    });
    worker.on('error', (error) => finish(() => reject(AppError.wrap(error, `The ${task} worker crashed: ${error.message}`))));
    worker.on('exit', (code) => {
      finish(() => reject(new AppError('internal', `The ${task} worker stopped (exit code ${code}) before finishing.`)));
    });
  });
}
