import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isFinished, type ReportRunInfo, type ReportScheduleInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import { reportStatus } from '@shared/reports/document';
import { REPORT_TEMPLATES, reportParams, reportTemplateByKey, type ReportParams, type ReportParamsInput, type ReportTemplate } from '@shared/reports/templates';
import type { Gateway } from '../gateway/types';
import type { JobRunContext, JobService } from '../jobs/jobService';
import type { Logger } from '../logger';
import { runModelStep } from '../model/modelStep';
import type { ReportRunRow, ReportScheduleRow } from '../repositories';
import type { WorkspaceContext } from '../workspaces/workspaceContext';
import type { WorkspaceService } from '../workspaces/workspaceService';
import { buildReport, type NarrativeWriter } from './build';
import { narrativeMessages } from './narrative';
import type { ReportRenderService } from './render/reportRenderService';
import { reportFigureSource } from './figureSource';
import type { AnalyticsQueries } from '../analytics/analyticsService';
import { nextRuns } from './schedule';

export const REPORT_GENERATE_JOB = 'reports.generate';

/** Opens files with the system (Electron's shell); absent on hosts without a desktop (CLI, web host, tests). */
export interface ShellPort {
  openPath(path: string): Promise<string>;
  showItemInFolder(path: string): void;
}

interface GenerateParams {
  runId: string;
  workspace: string;
  template: string;
  params: ReportParams;
  format: 'pdf' | 'html';
  out: string;
  csvDir: string | null;
  scheduleId: string | null;
}

export interface RunOptions {
  out?: string | undefined;
  format?: 'pdf' | 'html' | undefined;
  csvDir?: string | undefined;
  trigger?: 'manual' | 'schedule' | 'cli';
  scheduleId?: string | null;
  createdBy?: string | null;
  /** The run's id, when the caller claimed a slot under it (schedules). */
  id?: string | undefined;
}

const newId = (prefix: string): string => `${prefix}_${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'report';

/**
 * Report runs, history and schedules (ADR 0084). A run is a job: compute the figures (workspace repositories),
 * write the narrative (model step, use case report.narrative), render in the worker (ADR 0080), and record the
 * outcome in the history. A report with a failed section is rendered as a failed report and its run is marked
 * failed with the reasons.
 */
export class ReportService {
  constructor(
    private readonly deps: {
      workspaces: WorkspaceService;
      jobs: JobService;
      renderer: ReportRenderService;
      gateway: () => Gateway;
      /** Whether any model can write narratives (an enabled endpoint, or a scripted test gateway). */
      narrativeAvailable: () => boolean;
      /** Folder for runs that name no output file. */
      reportsDir: string;
      shell?: ShellPort | undefined;
      /** The metrics layer (issue 12 §1); report queries it defines run through it. */
      analytics?: (() => AnalyticsQueries | null) | undefined;
      logger: Logger;
      now: () => Date;
    },
  ) {
    deps.jobs.register<GenerateParams, { runId: string; status: string }>(REPORT_GENERATE_JOB, {
      resumable: false,
      run: (p, ctx) => this.generate(p, ctx),
    });
  }

  templates(): ReportTemplate[] {
    return [...REPORT_TEMPLATES];
  }

  template(key: string): ReportTemplate {
    const t = reportTemplateByKey(key);
    if (!t) throw new AppError('not_found', `There is no report template "${key}". Templates: ${REPORT_TEMPLATES.map((x) => x.key).join(', ')}.`);
    return t;
  }

  /** Records a run and starts it as a job; the run's row is in the history from the start. */
  async run(ws: WorkspaceContext, templateKey: string, paramsInput: ReportParamsInput, options: RunOptions = {}): Promise<{ run: ReportRunInfo; jobId: string }> {
    const template = this.template(templateKey);
    const params = reportParams.parse(paramsInput);
    const format = options.format ?? 'pdf';
    const now = this.deps.now();
    const id = options.id ?? newId('rpt');
    const out = options.out ?? join(this.deps.reportsDir, safeName(ws.name), `${template.key}-${now.toISOString().slice(0, 10)}-${id.slice(-8)}.${format}`);
    if (!options.out) await mkdir(dirname(out), { recursive: true });
    if (!existsSync(dirname(out))) throw new AppError('validation', `The folder ${dirname(out)} does not exist; choose an existing folder for the report.`);
    await ws.repos.reports.insertRun({
      id,
      template: template.key,
      title: template.name,
      params: JSON.stringify(params),
      format,
      file: out,
      csvDir: options.csvDir ?? null,
      scheduleId: options.scheduleId ?? null,
      trigger: options.trigger ?? 'manual',
      createdBy: options.createdBy ?? null,
      startedAt: now.toISOString(),
    });
    const job = this.deps.jobs.start(REPORT_GENERATE_JOB, { runId: id, workspace: ws.name, template: template.key, params, format, out, csvDir: options.csvDir ?? null, scheduleId: options.scheduleId ?? null } satisfies GenerateParams, {
      workspaceId: ws.id,
      createdBy: options.createdBy ?? null,
    });
    await ws.repos.reports.setRunJob(id, job.jobId);
    return { run: this.info((await ws.repos.reports.run(id))!), jobId: job.jobId };
  }

  async rerun(ws: WorkspaceContext, id: string, createdBy: string | null): Promise<{ run: ReportRunInfo; jobId: string }> {
    const row = await this.row(ws, id);
    const params = reportParams.parse(JSON.parse(row.params));
    // A re-run writes a new file beside the old one, so the history keeps both.
    const out = row.file ? join(dirname(row.file), `${basename(row.file).replace(/\.(pdf|html)$/i, '')}-rerun-${Date.now().toString(36)}.${row.format}`) : undefined;
    return this.run(ws, row.template, params, { out: out && existsSync(dirname(out)) ? out : undefined, format: row.format === 'html' ? 'html' : 'pdf', csvDir: row.csv_dir ?? undefined, createdBy });
  }

  private async generate(p: GenerateParams, ctx: JobRunContext): Promise<{ runId: string; status: string }> {
    const started = Date.now();
    return this.deps.workspaces.withWorkspace(p.workspace, async (ws) => {
      const repo = ws.repos.reports;
      try {
        ctx.progress({ phase: 'figures', done: 0, total: 3, message: 'Computing the figures' });
        const template = this.template(p.template);
        const previous = template.compareWith === 'previous_run' ? await repo.lastOkRun(template.key, p.runId) : undefined;
        const built = await buildReport({
          template,
          params: p.params,
          workspace: ws.name,
          now: this.deps.now(),
          figures: reportFigureSource(ws, this.deps.analytics?.() ?? null),
          narrative: this.narrativeWriter(ws.name),
          previousRun: previous?.figures ? { values: JSON.parse(previous.figures) as Record<string, number | null>, startedAt: previous.started_at } : undefined,
          signal: ctx.signal,
        });
        ctx.progress({ phase: 'render', done: 1, total: 3, message: 'Rendering' });
        const rendered = await this.deps.renderer.render(built.document, { format: p.format, out: p.out, signal: ctx.signal, onProgress: (x) => ctx.progress({ ...x, phase: `render: ${x.phase ?? ''}` }) });
        if (p.csvDir) await this.deps.renderer.render(built.document, { format: 'csv', out: p.csvDir, signal: ctx.signal });
        const failure = rendered.failures.length ? rendered.failures.map((f) => `${f.title}: ${f.reason}`).join('; ') : null;
        await repo.finishRun(p.runId, {
          status: rendered.status,
          failure,
          fingerprint: built.fingerprint,
          figures: JSON.stringify(built.kpiValues),
          flagged: rendered.flaggedNumbers,
          bytes: rendered.files[0]?.bytes ?? null,
          pages: rendered.pages,
          durationMs: Date.now() - started,
          finishedAt: this.deps.now().toISOString(),
        });
        if (p.scheduleId) await repo.recordScheduleOutcome(p.scheduleId, p.runId, rendered.status, failure);
        ctx.progress({ phase: 'done', done: 3, total: 3 });
        return { runId: p.runId, status: rendered.status };
      } catch (error) {
        const e = AppError.wrap(error);
        const cancelled = e.code === 'cancelled';
        if (p.scheduleId) await repo.recordScheduleOutcome(p.scheduleId, p.runId, cancelled ? 'cancelled' : 'failed', e.message);
        await repo.finishRun(p.runId, { status: cancelled ? 'cancelled' : 'failed', failure: e.message, fingerprint: null, figures: null, flagged: 0, bytes: null, pages: null, durationMs: Date.now() - started, finishedAt: this.deps.now().toISOString() });
        throw e;
      }
    });
  }

  private narrativeWriter(workspace: string): NarrativeWriter | undefined {
    if (!this.deps.narrativeAvailable()) return async () => null;
    return async ({ title, period, focus, figures, signal }) => {
      const step = await runModelStep(this.deps.gateway(), {
        meta: { workspace, useCase: 'report.narrative', profileId: null, subject: title },
        messages: narrativeMessages({ title, period, focus, figures }),
        output: { kind: 'text', validate: (text) => (text.trim().length >= 20 ? { ok: true, value: text.trim() } : { ok: false, problem: 'the narrative is empty or too short' }) },
        retries: 1,
        signal,
      });
      return { text: step.value, attribution: `Written by ${step.tally.model ?? 'a model'} from the figures above; numbers checked against them.` };
    };
  }

  /** The report as HTML, without a file in the history (the page's preview). No narrative is written for a preview. */
  async preview(ws: WorkspaceContext, templateKey: string, paramsInput: ReportParamsInput, theme: 'light' | 'dark', signal?: AbortSignal): Promise<{ html: string; status: 'ok' | 'failed'; failures: { sectionId: string; title: string; reason: string }[]; flagged: number; fingerprint: string }> {
    const template = this.template(templateKey);
    const params = reportParams.parse(paramsInput);
    const previous = template.compareWith === 'previous_run' ? await ws.repos.reports.lastOkRun(template.key) : undefined;
    const built = await buildReport({
      template,
      params,
      workspace: ws.name,
      now: this.deps.now(),
      figures: reportFigureSource(ws, this.deps.analytics?.() ?? null),
      narrative: async () => ({ text: 'The narrative is written by the model when the report is generated.', attribution: 'Preview' }),
      previousRun: previous?.figures ? { values: JSON.parse(previous.figures) as Record<string, number | null>, startedAt: previous.started_at } : undefined,
      signal,
    });
    const dir = await mkdtemp(join(tmpdir(), 'idesk-preview-'));
    try {
      const file = join(dir, 'preview.html');
      await this.deps.renderer.render(built.document, { format: 'html', out: file, theme, signal });
      const html = await readFile(file, 'utf8');
      const st = reportStatus(JSON.parse(JSON.stringify(built.document)));
      return { html, status: st.status, failures: st.failures, flagged: st.flaggedNumbers, fingerprint: built.fingerprint };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async history(ws: WorkspaceContext, options: { template?: string | undefined; limit: number }): Promise<ReportRunInfo[]> {
    const rows = await ws.repos.reports.runs(options);
    // A run left "running" by a crash or quit (its job is gone or finished) is failed, with that reason.
    for (const r of rows) {
      if (r.status === 'running' && !this.jobActive(r.job_id)) {
        // Cancelled before it started (the job never ran), or cut off by a quit or crash.
        const cancelled = this.jobStatus(r.job_id) === 'cancelled';
        const failure = cancelled ? 'The report was cancelled before it was generated.' : 'The run was interrupted (the app closed or crashed while it ran).';
        const status = cancelled ? 'cancelled' : 'failed';
        await ws.repos.reports.finishRun(r.id, { status, failure, fingerprint: null, figures: null, flagged: 0, bytes: null, pages: null, durationMs: 0, finishedAt: this.deps.now().toISOString() });
        Object.assign(r, { status, failure });
      }
    }
    return rows.map((r) => this.info(r));
  }

  async get(ws: WorkspaceContext, id: string): Promise<ReportRunInfo> {
    const row = await this.row(ws, id);
    if (row.status === 'running' && !this.jobActive(row.job_id)) return (await this.history(ws, { limit: 500 })).find((r) => r.id === id) ?? this.info(row);
    return this.info(row);
  }

  async delete(ws: WorkspaceContext, id: string, keepFiles: boolean): Promise<{ deleted: boolean; filesRemoved: number }> {
    const row = await this.row(ws, id);
    if (row.status === 'running' && this.jobActive(row.job_id)) throw new AppError('conflict', 'This report is still being generated; cancel it first (Jobs), then delete it.');
    let filesRemoved = 0;
    if (!keepFiles && row.file && existsSync(row.file)) {
      await rm(row.file, { force: true });
      filesRemoved += 1;
    }
    return { deleted: await ws.repos.reports.deleteRun(id), filesRemoved };
  }

  async open(ws: WorkspaceContext, id: string, reveal: boolean): Promise<{ opened: boolean; path: string; reason: string | null }> {
    const row = await this.row(ws, id);
    const path = row.file ?? '';
    if (!row.file || !existsSync(row.file)) return { opened: false, path, reason: 'The file is no longer there: it was moved or deleted. Generate the report again.' };
    const shell = this.deps.shell;
    if (!shell) return { opened: false, path, reason: 'This host cannot open files; download the report instead.' };
    if (reveal) {
      shell.showItemInFolder(row.file);
      return { opened: true, path, reason: null };
    }
    const problem = await shell.openPath(row.file);
    return { opened: problem === '', path, reason: problem || null };
  }

  async download(ws: WorkspaceContext, id: string): Promise<{ name: string; mime: string; base64: string }> {
    const row = await this.row(ws, id);
    if (!row.file || !existsSync(row.file)) throw new AppError('not_found', 'The report file is no longer there: it was moved or deleted. Generate the report again.');
    if (statSync(row.file).size > 50 * 1024 * 1024) throw new AppError('validation', 'The report file is larger than 50 MB; open it from its folder instead.');
    const bytes = await readFile(row.file);
    return { name: basename(row.file), mime: row.format === 'html' ? 'text/html' : 'application/pdf', base64: bytes.toString('base64') };
  }

  // ---- schedules

  async addSchedule(ws: WorkspaceContext, input: { template: string; params: ReportParamsInput; cron: string; timezone: string; outDir: string; createdBy: string | null }): Promise<ReportScheduleInfo> {
    const template = this.template(input.template);
    const params = reportParams.parse(input.params);
    if (!existsSync(input.outDir) || !statSync(input.outDir).isDirectory()) throw new AppError('validation', `The output folder ${input.outDir} does not exist; create it first.`);
    const now = this.deps.now();
    const [next] = nextRuns(input.cron, input.timezone, now, 1);
    const id = newId('rsch');
    await ws.repos.reports.insertSchedule({ id, template: template.key, params: JSON.stringify(params), cron: input.cron, timezone: input.timezone, outDir: input.outDir, nextRunAt: next ?? null, createdBy: input.createdBy, createdAt: now.toISOString() });
    return this.scheduleInfo((await ws.repos.reports.schedule(id))!);
  }

  async schedules(ws: WorkspaceContext): Promise<ReportScheduleInfo[]> {
    return (await ws.repos.reports.schedules()).map((s) => this.scheduleInfo(s));
  }

  async removeSchedule(ws: WorkspaceContext, id: string): Promise<boolean> {
    const removed = await ws.repos.reports.deleteSchedule(id);
    if (!removed) throw new AppError('not_found', `There is no report schedule "${id}". List them with: report schedule list --workspace ${ws.name}`);
    return removed;
  }

  /**
   * Starts every schedule whose time has come, in every ready workspace (or one). A schedule that missed several
   * runs (the app was closed) runs once, and its next run is computed from now: missed runs collapse into one
   * catch-up. The claim moves next_run_at only if nobody moved it first, so a slot starts once.
   */
  async runDue(options: { workspace?: string | undefined } = {}): Promise<{ started: { scheduleId: string; runId: string; jobId: string }[]; failed: { scheduleId: string; reason: string }[] }> {
    const started: { scheduleId: string; runId: string; jobId: string }[] = [];
    const failed: { scheduleId: string; reason: string }[] = [];
    const names = this.deps.workspaces
      .list()
      .filter((w) => w.status === 'ready' && (!options.workspace || w.name.toLowerCase() === options.workspace.toLowerCase()))
      .map((w) => w.name);
    for (const name of names) {
      await this.deps.workspaces.withWorkspace(name, async (ws) => {
        const now = this.deps.now();
        for (const s of await ws.repos.reports.dueSchedules(now.toISOString())) {
          const [next] = nextRuns(s.cron, s.timezone, now, 1);
          const runId = newId('rpt');
          if (!(await ws.repos.reports.claimSchedule(s.id, s.next_run_at, next ?? null, runId, now.toISOString()))) continue;
          try {
            const day = new Intl.DateTimeFormat('en-CA', { timeZone: s.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
            const out = join(s.out_dir, `${s.template}-${day}-${runId.slice(-6)}.pdf`);
            const res = await this.run(ws, s.template, JSON.parse(s.params) as ReportParamsInput, { out, trigger: 'schedule', scheduleId: s.id, id: runId });
            started.push({ scheduleId: s.id, runId: res.run.id, jobId: res.jobId });
          } catch (error) {
            const e = AppError.wrap(error);
            failed.push({ scheduleId: s.id, reason: e.message });
            await ws.repos.reports.recordScheduleOutcome(s.id, runId, 'failed', e.message);
          }
        }
      });
    }
    return { started, failed };
  }

  private jobStatus(jobId: string | null): string | null {
    if (!jobId) return null;
    try {
      return this.deps.jobs.get(jobId).status;
    } catch {
      return null;
    }
  }

  private jobActive(jobId: string | null): boolean {
    if (!jobId) return false;
    try {
      return !isFinished(this.deps.jobs.get(jobId).status);
    } catch {
      return false;
    }
  }

  private async row(ws: WorkspaceContext, id: string): Promise<ReportRunRow> {
    const row = await ws.repos.reports.run(id);
    if (!row) throw new AppError('not_found', `There is no report run "${id}" in workspace "${ws.name}". List them with: report history --workspace ${ws.name}`);
    return row;
  }

  private info(r: ReportRunRow): ReportRunInfo {
    const params = JSON.parse(r.params) as Record<string, unknown>;
    return {
      id: r.id,
      template: r.template,
      title: r.title,
      params: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)])),
      status: r.status as ReportRunInfo['status'],
      failure: r.failure ?? null,
      fingerprint: r.fingerprint ?? null,
      flagged: Number(r.flagged),
      format: r.format === 'html' ? 'html' : 'pdf',
      file: r.file ?? null,
      csvDir: r.csv_dir ?? null,
      bytes: r.bytes === null || r.bytes === undefined ? null : Number(r.bytes),
      pages: r.pages === null || r.pages === undefined ? null : Number(r.pages),
      durationMs: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
      jobId: r.job_id ?? null,
      scheduleId: r.schedule_id ?? null,
      trigger: (['manual', 'schedule', 'cli'].includes(r.trigger) ? r.trigger : 'manual') as ReportRunInfo['trigger'],
      createdBy: r.created_by ?? null,
      startedAt: r.started_at,
      finishedAt: r.finished_at ?? null,
      fileExists: Boolean(r.file && existsSync(r.file)),
    };
  }

  private scheduleInfo(s: ReportScheduleRow): ReportScheduleInfo {
    const params = JSON.parse(s.params) as Record<string, unknown>;
    return {
      id: s.id,
      template: s.template,
      params: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)])),
      cron: s.cron,
      timezone: s.timezone,
      outDir: s.out_dir,
      enabled: Number(s.enabled) === 1,
      nextRunAt: s.next_run_at ?? null,
      upcoming: nextRuns(s.cron, s.timezone, this.deps.now(), 5),
      lastRunAt: s.last_run_at ?? null,
      lastStatus: s.last_status ?? null,
      lastRunId: s.last_run_id ?? null,
      lastError: s.last_error ?? null,
      createdAt: s.created_at,
    };
  }
}
