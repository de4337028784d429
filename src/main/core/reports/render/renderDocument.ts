import { createWriteStream } from 'node:fs';
import { rm, stat, writeFile } from 'node:fs/promises';
import pdfmake from 'pdfmake';
import type { ChartTheme } from '@shared/charts/spec';
import { reportStatus, tablesOf, type ReportDocument, type ReportStatus } from '@shared/reports/document';
import type { TaskContext } from '../../workers/context';
import { chartToSvg } from './chartToSvg';
import { tableToCsv } from './csv';
import { reportFontFiles } from './fonts';
import { documentToHtml } from './html';
import { buildPdfDefinition, CONTENT_WIDTH } from './pdfLayout';

export const RENDER_FORMATS = ['pdf', 'html', 'csv'] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];

export interface RenderTarget {
  /** 'report' for PDF and HTML; the table's section id for CSV. */
  key: string;
  /** Temporary path to write; the caller renames it once the whole render succeeded. */
  tmp: string;
}

export interface RenderFilesParams {
  document: ReportDocument;
  format: RenderFormat;
  targets: RenderTarget[];
  theme?: ChartTheme;
  resourcesDir?: string | undefined;
}

export interface RenderFilesResult {
  format: RenderFormat;
  status: ReportStatus['status'];
  failures: ReportStatus['failures'];
  flaggedNumbers: number;
  pages: number | null;
  files: { key: string; bytes: number }[];
  charts: number;
}

/** Picture height for a chart kind at report width; horizontal bars grow with their categories. */
export function chartHeight(doc: ReportDocument['sections'][number]): number {
  if (doc.kind !== 'chart') return 0;
  const c = doc.chart;
  if (c.kind === 'pie') return 220;
  if ((c.kind === 'bar' || c.kind === 'stacked-bar') && c.horizontal) {
    const n = c.axis.type === 'category' ? c.axis.categories.length : c.axis.points.length;
    return Math.min(560, Math.max(200, n * 18 + 70 + (c.series.length > 1 ? 28 : 0)));
  }
  return c.kind !== 'kpi' && c.kind !== 'table' && c.series.length > 1 ? 260 : 240;
}

function drawCharts(doc: ReportDocument, width: number, theme: ChartTheme, ctx: TaskContext, resourcesDir: string | undefined): Map<string, { svg: string; height: number }> {
  const charts = doc.sections.filter((s) => s.kind === 'chart' && s.chart.kind !== 'kpi' && s.chart.kind !== 'table');
  const out = new Map<string, { svg: string; height: number }>();
  charts.forEach((s, i) => {
    ctx.throwIfCancelled();
    if (s.kind !== 'chart') return;
    const height = chartHeight(s);
    out.set(s.id, { svg: chartToSvg(s.chart, { width, height, theme, withTitle: false, resourcesDir }), height });
    ctx.progress({ phase: 'charts', done: i + 1, total: charts.length, message: `Drew chart ${i + 1} of ${charts.length}` });
  });
  return out;
}

// pdfmake is a module-level singleton (fonts, access policies, progress callback). That is safe because each render
// runs in its own worker thread; an in-process caller (tests, the bench) must not run two PDF renders at once.
let fontsSetFor: string | null = null;
function configurePdfmake(resourcesDir: string | undefined): void {
  if (fontsSetFor === (resourcesDir ?? '')) return;
  const files = reportFontFiles(resourcesDir);
  pdfmake.setFonts({ Roboto: files });
  // Documents hold data from records: never let them make pdfmake fetch a URL or read a file besides the fonts.
  const allowed = new Set(Object.values(files));
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => allowed.has(path));
  fontsSetFor = resourcesDir ?? '';
}

async function writePdf(doc: ReportDocument, svgs: Map<string, { svg: string; height: number }>, tmp: string, ctx: TaskContext, resourcesDir: string | undefined): Promise<number> {
  configurePdfmake(resourcesDir);
  let pageCount = 0;
  const definition = buildPdfDefinition(doc, svgs, {
    onPage: (_page, count) => {
      pageCount = Math.max(pageCount, count);
      ctx.throwIfCancelled();
    },
  });
  ctx.progress({ phase: 'layout', done: 0, total: null, message: 'Laying out pages' });
  let lastPage = -1;
  pdfmake.setProgressCallback((fraction: number) => {
    const done = Math.min(pageCount, Math.floor(fraction * pageCount));
    if (done === lastPage) return;
    lastPage = done;
    ctx.throwIfCancelled();
    ctx.progress({ phase: 'pages', done, total: pageCount, message: `Rendered page ${done} of ${pageCount}` });
  });
  const pdf = pdfmake.createPdf(definition);
  const stream = (await pdf.getStream()) as unknown as NodeJS.ReadableStream & { end(): void };
  ctx.throwIfCancelled();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(tmp, { flags: 'wx' });
    out.on('error', reject);
    stream.on('error', reject);
    out.on('close', () => resolve());
    stream.pipe(out);
    stream.end();
  });
  return pageCount;
}

/**
 * Renders a validated document to its temporary files. Runs inside the report worker (or inline in tests); checks
 * the cancel flag between charts, per laid-out page and per rendered page, and removes what it wrote if anything
 * goes wrong, so a failed or cancelled render leaves nothing behind.
 */
export async function renderToFiles(params: RenderFilesParams, ctx: TaskContext): Promise<RenderFilesResult> {
  const { document: doc, format, targets } = params;
  const theme = params.theme ?? 'light';
  const status = reportStatus(doc);
  try {
    let pages: number | null = null;
    let charts = 0;
    if (format === 'pdf' || format === 'html') {
      const target = targets.find((t) => t.key === 'report');
      if (!target) throw new Error('A PDF or HTML render needs a "report" target.');
      const svgs = drawCharts(doc, format === 'pdf' ? CONTENT_WIDTH : 824, format === 'pdf' ? 'light' : theme, ctx, params.resourcesDir);
      charts = svgs.size;
      if (format === 'pdf') pages = await writePdf(doc, svgs, target.tmp, ctx, params.resourcesDir);
      else {
        const html = documentToHtml(doc, svgs, theme, (done, total) => {
          ctx.throwIfCancelled();
          ctx.progress({ phase: 'sections', done, total });
        });
        await writeFile(target.tmp, html, { encoding: 'utf8', flag: 'wx' });
      }
    } else {
      const tables = tablesOf(doc);
      for (const [i, t] of tables.entries()) {
        ctx.throwIfCancelled();
        const target = targets.find((x) => x.key === t.id);
        if (!target) throw new Error(`No CSV target for table ${t.id}.`);
        await writeFile(target.tmp, tableToCsv(t.columns, t.rows, t.totals), { encoding: 'utf8', flag: 'wx' });
        ctx.progress({ phase: 'tables', done: i + 1, total: tables.length });
      }
    }
    ctx.throwIfCancelled();
    const files = await Promise.all(targets.map(async (t) => ({ key: t.key, bytes: (await stat(t.tmp)).size })));
    return { format, status: status.status, failures: status.failures, flaggedNumbers: status.flaggedNumbers, pages, files, charts };
  } catch (error) {
    await Promise.all(targets.map((t) => rm(t.tmp, { force: true })));
    throw error;
  }
}
