import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { WorkerLauncher } from '../ports';

const bootstrap = new URL('./tsxBootstrap.mjs', import.meta.url);
const entry = new URL('./entry.ts', import.meta.url).href;
const tsconfig = fileURLToPath(new URL('../../../../tsconfig.json', import.meta.url));

/** Starts the worker entry from TypeScript source (CLI, web host, tests). Electron uses the bundled worker.js. */
export const nodeWorkerLauncher: WorkerLauncher = (options) =>
  new Worker(bootstrap, { ...options, workerData: { ...(options.workerData as object), __entry: entry, __tsconfig: tsconfig } });
