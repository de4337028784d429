/**
 * Worker-thread entry. Electron bundles this file as out/main/worker.js; the Node hosts start the TypeScript source
 * through tsxBootstrap.mjs. Messages to the parent: progress, result, error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '@shared/errors';
import { configureSqlite } from '../db/open';
import { CancelFlag, type TaskContext, type TaskProgress } from './context';
import { tasks, type TaskName } from './tasks';

export interface WorkerInput {
  task: TaskName;
  params: unknown;
  cancel: SharedArrayBuffer;
  nativeBinding?: string | undefined;
  resumeFrom?: unknown;
}

export type WorkerMessage =
  | { type: 'progress'; progress: TaskProgress }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: ReturnType<AppError['toJSON']> }
  | { type: 'hostCall'; id: number; name: string; payload: unknown };

/** Main → worker: the answer to a hostCall. */
export type HostReply = { type: 'hostReply'; id: number; result?: unknown; error?: ReturnType<AppError['toJSON']> };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('entry.ts must run in a worker thread');
  const input = workerData as WorkerInput;
  configureSqlite({ nativeBinding: input.nativeBinding });
  const flag = new CancelFlag(input.cancel);
  let lastSent = 0;
  let pending: TaskProgress | null = null;
  const send = (p: TaskProgress): void => port.postMessage({ type: 'progress', progress: p } satisfies WorkerMessage);
  const pendingCalls = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let nextCall = 1;
  port.on('message', (m: HostReply) => {
    if (m?.type !== 'hostReply') return;
    const call = pendingCalls.get(m.id);
    pendingCalls.delete(m.id);
    if (m.error) call?.reject(AppError.fromJSON(m.error));
    else call?.resolve(m.result);
  });
  const ctx: TaskContext = {
    progress(p) {
      // Throttle to ~10 messages a second, but never drop a checkpoint.
      const now = Date.now();
      if (now - lastSent >= 100 || p.checkpoint !== undefined) {
        lastSent = now;
        pending = null;
        send(p);
      } else pending = p;
    },
    get cancelled() {
      return flag.cancelled;
    },
    throwIfCancelled: () => flag.throwIfCancelled(),
    resumeFrom: input.resumeFrom,
    callHost(name, payload) {
      const id = nextCall++;
      return new Promise((resolve, reject) => {
        pendingCalls.set(id, { resolve, reject });
        port.postMessage({ type: 'hostCall', id, name, payload } satisfies WorkerMessage);
      });
    },
  };
  const run = tasks[input.task] as (params: unknown, ctx: TaskContext) => unknown;
  if (!run) throw new AppError('internal', `Unknown worker task "${String(input.task)}".`);
  try {
    const result = await run(input.params, ctx);
    port.removeAllListeners('message');
    if (pending) send(pending);
    port.postMessage({ type: 'result', result } satisfies WorkerMessage);
  } catch (error) {
    const appError = AppError.wrap(error, error instanceof Error ? `${input.task} failed: ${error.message}` : undefined);
    port.postMessage({ type: 'error', error: appError.toJSON() } satisfies WorkerMessage);
  }
}

void main();
