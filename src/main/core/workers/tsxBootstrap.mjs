// Node hosts (CLI, web host, tests) run the core from TypeScript source. Node 20 does not apply --import loader
// hooks inside worker threads, so each worker registers tsx itself and then loads the real entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register({ tsconfig: workerData.__tsconfig });
await import(workerData.__entry);
