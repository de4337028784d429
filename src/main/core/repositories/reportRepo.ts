import type { Kysely, Selectable } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { ReportRunsTable, ReportSchedulesTable, WorkspaceDatabase } from '../db/schema/workspace';

/** Report runs (the history) and report schedules of one workspace (ADR 0084). Rows as stored; the service maps them. */

export type ReportRunRow = Selectable<ReportRunsTable>;
export type ReportScheduleRow = Selectable<ReportSchedulesTable>;

export interface NewReportRun {
  id: string;
  template: string;
  title: string;
  params: string;
  format: string;
  file: string | null;
  csvDir: string | null;
  scheduleId: string | null;
  trigger: string;
  createdBy: string | null;
  startedAt: string;
}

export interface ReportRunOutcome {
  status: 'ok' | 'failed' | 'cancelled';
  failure: string | null;
  fingerprint: string | null;
  figures: string | null;
  flagged: number;
  bytes: number | null;
  pages: number | null;
  durationMs: number;
  finishedAt: string;
}

export interface NewReportSchedule {
  id: string;
  template: string;
  params: string;
  cron: string;
  timezone: string;
  outDir: string;
  nextRunAt: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface ReportRepo {
  insertRun(run: NewReportRun): Promise<void>;
  setRunJob(id: string, jobId: string): Promise<void>;
  finishRun(id: string, outcome: ReportRunOutcome): Promise<void>;
  run(id: string): Promise<ReportRunRow | undefined>;
  runs(options: { template?: string | undefined; limit: number }): Promise<ReportRunRow[]>;
  /** The newest successful run of a template (a forecast compares with the previous forecast). */
  lastOkRun(template: string, excludeId?: string): Promise<ReportRunRow | undefined>;
  deleteRun(id: string): Promise<boolean>;
  /** Runs still marked running (left by a crash); the service marks them failed at start. */
  runningRuns(): Promise<ReportRunRow[]>;

  insertSchedule(s: NewReportSchedule): Promise<void>;
  schedule(id: string): Promise<ReportScheduleRow | undefined>;
  schedules(): Promise<ReportScheduleRow[]>;
  dueSchedules(nowIso: string): Promise<ReportScheduleRow[]>;
  deleteSchedule(id: string): Promise<boolean>;
  /** Moves a schedule on after starting it; true only for the caller that moved it (one claim per slot). */
  claimSchedule(id: string, expectedNext: string | null, next: string | null, runId: string, at: string): Promise<boolean>;
  recordScheduleOutcome(id: string, runId: string, status: string, error: string | null): Promise<void>;
}

export class KyselyReportRepo implements ReportRepo {
  constructor(
    private readonly db: Kysely<WorkspaceDatabase>,
    _dialect: Dialect,
  ) {}

  async insertRun(r: NewReportRun): Promise<void> {
    await this.db
      .insertInto('report_runs')
      .values({
        id: r.id,
        template: r.template,
        title: r.title,
        params: r.params,
        status: 'running',
        format: r.format,
        file: r.file,
        csv_dir: r.csvDir,
        schedule_id: r.scheduleId,
        trigger: r.trigger,
        created_by: r.createdBy,
        started_at: r.startedAt,
        flagged: 0,
      })
      .execute();
  }

  async setRunJob(id: string, jobId: string): Promise<void> {
    await this.db.updateTable('report_runs').set({ job_id: jobId }).where('id', '=', id).execute();
  }

  async finishRun(id: string, o: ReportRunOutcome): Promise<void> {
    await this.db
      .updateTable('report_runs')
      .set({
        status: o.status,
        failure: o.failure,
        fingerprint: o.fingerprint,
        figures: o.figures,
        flagged: o.flagged,
        bytes: o.bytes,
        pages: o.pages,
        duration_ms: Math.round(o.durationMs),
        finished_at: o.finishedAt,
      })
      .where('id', '=', id)
      .execute();
  }

  run(id: string): Promise<ReportRunRow | undefined> {
    return this.db.selectFrom('report_runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  runs(options: { template?: string | undefined; limit: number }): Promise<ReportRunRow[]> {
    let q = this.db.selectFrom('report_runs').selectAll();
    if (options.template) q = q.where('template', '=', options.template);
    return q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  }

  lastOkRun(template: string, excludeId?: string): Promise<ReportRunRow | undefined> {
    let q = this.db.selectFrom('report_runs').selectAll().where('template', '=', template).where('status', '=', 'ok');
    if (excludeId) q = q.where('id', '<>', excludeId);
    return q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  }

  async deleteRun(id: string): Promise<boolean> {
    const res = await this.db.deleteFrom('report_runs').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  runningRuns(): Promise<ReportRunRow[]> {
    return this.db.selectFrom('report_runs').selectAll().where('status', '=', 'running').execute();
  }

  async insertSchedule(s: NewReportSchedule): Promise<void> {
    await this.db
      .insertInto('report_schedules')
      .values({ id: s.id, template: s.template, params: s.params, cron: s.cron, timezone: s.timezone, out_dir: s.outDir, enabled: 1, next_run_at: s.nextRunAt, created_by: s.createdBy, created_at: s.createdAt })
      .execute();
  }

  schedule(id: string): Promise<ReportScheduleRow | undefined> {
    return this.db.selectFrom('report_schedules').selectAll().where('id', '=', id).executeTakeFirst();
  }

  schedules(): Promise<ReportScheduleRow[]> {
    return this.db.selectFrom('report_schedules').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  dueSchedules(nowIso: string): Promise<ReportScheduleRow[]> {
    return this.db.selectFrom('report_schedules').selectAll().where('enabled', '=', 1).where('next_run_at', 'is not', null).where('next_run_at', '<=', nowIso).orderBy('next_run_at').orderBy('id').execute();
  }

  async deleteSchedule(id: string): Promise<boolean> {
    const res = await this.db.deleteFrom('report_schedules').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async claimSchedule(id: string, expectedNext: string | null, next: string | null, runId: string, at: string): Promise<boolean> {
    let q = this.db.updateTable('report_schedules').set({ next_run_at: next, last_run_at: at, last_run_id: runId, last_status: 'running', last_error: null }).where('id', '=', id);
    q = expectedNext === null ? q.where('next_run_at', 'is', null) : q.where('next_run_at', '=', expectedNext);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async recordScheduleOutcome(id: string, runId: string, status: string, error: string | null): Promise<void> {
    await this.db.updateTable('report_schedules').set({ last_status: status, last_error: error }).where('id', '=', id).where('last_run_id', '=', runId).execute();
  }
}
