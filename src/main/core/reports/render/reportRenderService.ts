import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { JobInfo } from '@shared/contract';
import type { ChartTheme } from '@shared/charts/spec';
import { AppError } from '@shared/errors';
import { reportDocument, tablesOf, type ReportDocument, type ReportDocumentInput } from '@shared/reports/document';
import type { JobService } from '../../jobs/jobService';
import type { Logger } from '../../logger';
import type { WorkerLauncher } from '../../ports';
import type { TaskProgress } from '../../workers/context';
import { runTask } from '../../workers/runTask';
import type { RenderFilesResult, RenderFormat, RenderTarget } from './renderDocument';

export interface RenderReportOptions {
  format: RenderFormat;
  /** PDF and HTML: the file to write. CSV: a folder, created if needed; one `<section id>.csv` per table. */
  out: string;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: TaskProgress) => void) | undefined;
  /** Theme of the HTML preview (PDFs are always light: they are printed). */
  theme?: ChartTheme | undefined;
}

export interface RenderReportResult extends Omit<RenderFilesResult, 'files'> {
  files: { key: string; path: string; bytes: number }[];
  durationMs: number;
}

export const REPORT_RENDER_JOB = 'report.render';
export interface RenderJobParams {
  document: ReportDocumentInput;
  format: RenderFormat;
  out: string;
  theme?: ChartTheme;
}

/** Partial files are hidden siblings of their destination, so the final rename stays on one file system. */
const partialName = (final: string): string => join(dirname(final), `.${basename(final)}.${randomBytes(4).toString('hex')}.partial`);
const isPartialOf = (final: string, name: string): boolean => name.startsWith(`.${basename(final)}.`) && name.endsWith('.partial');

/** Validates a document, naming the first bad field, so callers get an error a person can act on. */
export function parseReportDocument(input: unknown): ReportDocument {
  const parsed = reportDocument.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'document';
  throw new AppError('validation', `The report document is not valid at ${where}: ${issue?.message ?? 'unknown problem'}.`, { issues: parsed.error.issues.slice(0, 20) });
}

/**
 * Turns report documents into PDF, HTML preview or CSV files. The work runs in a worker thread (the main event
 * loop only relays progress), writes to hidden partial files, and renames them into place only when the whole
 * render succeeded: a cancelled or failed render leaves no file, and never a half-written one.
 */
export class ReportRenderService {
  constructor(
    private readonly deps: {
      launchWorker: WorkerLauncher;
      resourcesDir?: string | undefined;
      jobs?: JobService | undefined;
      logger: Logger;
    },
  ) {
    deps.jobs?.register<RenderJobParams, RenderReportResult>(REPORT_RENDER_JOB, {
      resumable: false,
      run: (p, ctx) => this.render(p.document, { format: p.format, out: p.out, theme: p.theme, signal: ctx.signal, onProgress: ctx.progress }),
      onInterrupted: (p) => this.removePartials(p),
    });
  }

  /** Renders in a worker and resolves once the files are in place. */
  async render(input: unknown, options: RenderReportOptions): Promise<RenderReportResult> {
    const started = Date.now();
    const doc = parseReportDocument(input);
    if (options.signal?.aborted) throw new AppError('cancelled', 'The render was cancelled before it started.');
    const finals = await this.destinations(doc, options);
    const targets: (RenderTarget & { final: string })[] = finals.map((f) => ({ ...f, tmp: partialName(f.final) }));
    let result: RenderFilesResult;
    try {
      result = await runTask(
        this.deps.launchWorker,
        'report.render',
        { document: doc, format: options.format, targets: targets.map(({ key, tmp }) => ({ key, tmp })), theme: options.theme, resourcesDir: this.deps.resourcesDir },
        { signal: options.signal, onProgress: options.onProgress, cancelGraceMs: 5000 },
      );
      if (options.signal?.aborted) throw new AppError('cancelled', 'The render was cancelled; no file was written.');
      for (const t of targets) await rename(t.tmp, t.final);
    } catch (error) {
      // The worker removes its own partial files, but not if it was terminated mid-write.
      await Promise.all(targets.map((t) => rm(t.tmp, { force: true })));
      if (AppError.is(error, 'cancelled')) throw new AppError('cancelled', 'The render was cancelled; no file was written.');
      throw error;
    }
    const bytes = new Map(result.files.map((f) => [f.key, f.bytes]));
    return { ...result, files: targets.map((t) => ({ key: t.key, path: t.final, bytes: bytes.get(t.key) ?? 0 })), durationMs: Date.now() - started };
  }

  /** Starts a render as a background job (job.progress events, jobs.cancel). */
  startJob(params: RenderJobParams, options: { workspaceId?: string | null; createdBy?: string | null } = {}): JobInfo {
    if (!this.deps.jobs) throw new AppError('internal', 'Report jobs need the job service.');
    parseReportDocument(params.document);
    return this.deps.jobs.start(REPORT_RENDER_JOB, params, options);
  }

  private async destinations(doc: ReportDocument, options: RenderReportOptions): Promise<{ key: string; final: string }[]> {
    const out = resolve(options.out);
    if (options.format === 'csv') {
      const tables = tablesOf(doc);
      if (tables.length === 0) throw new AppError('validation', 'This report has no tables to export as CSV.');
      if (existsSync(out) && !statSync(out).isDirectory()) throw new AppError('validation', `CSV export writes one file per table into a folder, and ${out} is a file.`);
      await mkdir(out, { recursive: true });
      return tables.map((t) => ({ key: t.id, final: join(out, `${t.id}.csv`) }));
    }
    const dir = dirname(out);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AppError('validation', `The folder ${dir} does not exist; choose an existing folder for the report.`);
    if (existsSync(out) && statSync(out).isDirectory()) throw new AppError('validation', `${out} is a folder; give a file name such as report.${options.format}.`);
    return [{ key: 'report', final: out }];
  }

  /** After a crash mid-render: delete the partial files the run left next to its destination. */
  private removePartials(p: RenderJobParams): void {
    const out = resolve(p.out);
    let finals: string[] = [out];
    if (p.format === 'csv') {
      try {
        finals = tablesOf(parseReportDocument(p.document)).map((t) => join(out, `${t.id}.csv`));
      } catch {
        return;
      }
    }
    for (const final of finals) {
      const dir = dirname(final);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) if (isPartialOf(final, name)) rmSync(join(dir, name), { force: true });
    }
  }
}
