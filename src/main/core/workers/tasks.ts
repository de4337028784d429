import type { TaskContext } from './context';
import { demoGenerateTask } from '../demo/task';
import { importCsvTask } from '../data/importTask';
import { detectTask } from '../engine/detectors/task';
import { prepareScanTask } from '../engine/scanTask';
import { vectorsIndexTask } from '../vectors/task';
import { llamaHostTask } from '../localModels/hostTask';
import { reportRenderTask } from '../reports/render/task';

/**
 * Work that runs inside worker threads, by name. The worker entry imports this registry; the main side refers to
 * tasks by name only (runTask.ts), so none of this code loads on the main thread.
 */
export const tasks = {
  'demo.generate': demoGenerateTask,
  'import.csv': importCsvTask,
  'engine.prepareScan': prepareScanTask,
  'engine.detect': detectTask,
  'vectors.index': vectorsIndexTask,
  /** Long-lived: hosts llama.cpp for LocalRuntime until told to shut down. */
  'llama.host': llamaHostTask,
  /** PDF, HTML preview and CSV from a report document (loads the renderer lazily). */
  'report.render': reportRenderTask,
} satisfies Record<string, (params: never, ctx: TaskContext) => unknown>;

export type Tasks = typeof tasks;
export type TaskName = keyof Tasks;
export type TaskParams<T extends TaskName> = Parameters<Tasks[T]>[0];
export type TaskResult<T extends TaskName> = Awaited<ReturnType<Tasks[T]>>;
