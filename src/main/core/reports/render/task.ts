import type { TaskContext } from '../../workers/context';
import type { RenderFilesParams, RenderFilesResult } from './renderDocument';

/**
 * Worker task 'report.render'. Every worker loads the task table, so the renderer (ECharts, pdfmake, fonts) is
 * imported only when a report is actually rendered.
 */
export async function reportRenderTask(params: RenderFilesParams, ctx: TaskContext): Promise<RenderFilesResult> {
  const { renderToFiles } = await import('./renderDocument');
  return renderToFiles(params, ctx);
}
