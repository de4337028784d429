import { Cron } from 'croner';
import { isFinished, type ScheduleInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { EventBus } from '../eventBus';
import type { JobService } from '../jobs/jobService';
import type { Logger } from '../logger';
import type { CoachingService } from '../engine/coaching';
import type { DetectorService } from '../engine/detectors/service';
import { iso } from '../engine/insightStore';
import type { InsightService } from '../engine/insightService';
import type { ScanJob, ScanService } from '../engine/scanService';
import type { EngineSettingsService } from '../engine/settings';
import { AI_OFF_MESSAGE } from '../engine/settings';
import { PERSONAS } from '../personas/registry';
import type { WorkspaceService } from '../workspaces/workspaceService';
import type { BackupService } from '../workspaces/backupService';
import { DailyTokenBudget } from './tokenBudget';

type Kind = ScheduleInfo['kind'];

interface ScheduleRow {
  id: string;
  workspace_id: string;
  workspace_name: string;
  kind: Kind;
  target: string | null;
  cron: string;
  enabled: number;
  next_run_at: string | null;
  last_run_at: string | null;
  last_status: string | null;
  last_job_id: string | null;
  last_error: string | null;
  running_job_id: string | null;
}

/** Workspace-wide tasks and their default schedules (UTC). Persona scans take their cron from the persona spec. */
const SYSTEM_TASKS: readonly { kind: Kind; cron: string; enabled?: boolean }[] = [
  { kind: 'expiry_sweep', cron: '5 * * * *' },
  { kind: 'detectors', cron: '40 * * * *' },
  { kind: 'coaching_refresh', cron: '0 6 * * *' },
  // Daily backups are the person's choice: the task exists for every SQLite workspace, switched off (ADR 0097).
  { kind: 'workspace_backup', cron: '30 2 * * *', enabled: false },
];

const SELECT = 'SELECT s.*, w.name AS workspace_name FROM schedules s JOIN workspaces w ON w.id = s.workspace_id';
const TICK_MS = 60_000;

export const nextRun = (cron: string, after: Date): Date | null => new Cron(cron, { paused: true, timezone: 'UTC', mode: '5-part' }).nextRun(after);

/**
 * Persisted schedules per workspace: persona scans, the expiry sweep, the detectors and the coaching refresh. Due
 * tasks start as jobs; a task never overlaps its own previous run; runs missed while the app was closed collapse into
 * one catch-up run at start; scheduled scans respect a per-run cap and a daily token budget.
 */
export class SchedulerService {
  private timer: NodeJS.Timeout | null = null;
  private readonly ticks: (() => Promise<unknown>)[] = [];
  private readonly unsubscribe: () => void;
  private disposed = false;

  constructor(
    private readonly deps: {
      appDb: Db;
      jobs: JobService;
      workspaces: WorkspaceService;
      settings: EngineSettingsService;
      scans: ScanService;
      detectors: DetectorService;
      coaching: CoachingService;
      insights: InsightService;
      backups: BackupService;
      events: EventBus;
      logger: Logger;
      now: () => Date;
    },
  ) {
    deps.jobs.register<ScanJob & { scheduleId: string }, unknown>('engine.scheduledScan', {
      resumable: false,
      run: (p, ctx) => {
        const budget = new DailyTokenBudget(deps.appDb, p.workspaceId, () => deps.settings.get().scheduler.dailyTokenBudget, deps.now);
        if (budget.remaining() <= 0) throw new AppError('budget_exceeded', 'The daily token budget for scheduled work is used up; scans resume tomorrow, or raise scheduler.dailyTokenBudget.');
        return deps.scans.runScan(p, ctx, budget);
      },
    });
    deps.jobs.register<{ workspaceId: string }, { expired: number }>('engine.sweep', {
      resumable: false,
      run: async (p) => {
        const row = deps.workspaces.byId(p.workspaceId);
        if (!row) throw new AppError('not_found', 'The workspace of this sweep no longer exists.');
        return { expired: deps.insights.expire(row.name, null) };
      },
    });
    this.unsubscribe = deps.events.on('workspace.changed', (e) => {
      if (e.reason === 'ready' || e.reason === 'created') this.sync();
    });
  }

  /** Creates the schedules every ready workspace should have, updates changed crons, drops unknown personas. */
  sync(): void {
    const { appDb, workspaces, now } = this.deps;
    const at = now();
    const wanted: { kind: Kind; target: string | null; cron: string; enabled?: boolean }[] = [
      ...PERSONAS.map((p) => ({ kind: 'persona_scan' as Kind, target: p.key as string | null, cron: p.schedule })),
      ...SYSTEM_TASKS.map((t) => ({ ...t, target: null })),
    ];
    appDb.transaction(() => {
      for (const ws of workspaces.list().filter((w) => w.status === 'ready')) {
        for (const w of wanted) {
          if (w.kind === 'workspace_backup' && ws.kind !== 'sqlite') continue;
          const id = `${ws.id}:${w.kind}${w.target ? `:${w.target}` : ''}`;
          const existing = appDb.prepare('SELECT cron FROM schedules WHERE id = ?').pluck().get(id) as string | undefined;
          if (existing === w.cron) continue;
          const next = nextRun(w.cron, at);
          if (existing === undefined) {
            // Background spend never surprises: a new workspace's persona scans (model calls) start switched off; the
            // sweep, the detectors (no model) and the coaching refresh start on; the daily backup starts off too.
            const on = w.enabled !== false && w.kind !== 'persona_scan';
            appDb
              .prepare('INSERT INTO schedules (id, workspace_id, kind, target, cron, enabled, next_run_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
              .run(id, ws.id, w.kind, w.target, w.cron, on ? 1 : 0, on && next ? iso(next) : null, iso(at));
          } else {
            appDb.prepare('UPDATE schedules SET cron = ?, next_run_at = ? WHERE id = ?').run(w.cron, next ? iso(next) : null, id);
          }
        }
      }
      const known = PERSONAS.map((p) => p.key);
      appDb.prepare(`DELETE FROM schedules WHERE kind = 'persona_scan' AND target NOT IN (${known.map(() => '?').join(', ')})`).run(...known);
    })();
  }

  list(workspace?: string): ScheduleInfo[] {
    this.sync();
    const rows = (workspace ? this.deps.appDb.prepare(`${SELECT} WHERE w.name = ? COLLATE NOCASE ORDER BY w.name, s.kind, s.target`).all(workspace) : this.deps.appDb.prepare(`${SELECT} ORDER BY w.name, s.kind, s.target`).all()) as ScheduleRow[];
    return rows.map((r) => this.info(r));
  }

  setEnabled(id: string, enabled: boolean): ScheduleInfo {
    const row = this.row(id);
    const next = enabled ? nextRun(row.cron, this.deps.now()) : null;
    this.deps.appDb.prepare('UPDATE schedules SET enabled = ?, next_run_at = ? WHERE id = ?').run(enabled ? 1 : 0, next ? iso(next) : null, id);
    return this.info(this.row(id));
  }

  /**
   * Starts every enabled task whose time has come. A task still running from before is skipped (no overlap); a task
   * that missed several runs runs once, and its next run is computed from now.
   */
  runDue(options: { workspace?: string | undefined } = {}): { started: { scheduleId: string; jobId: string }[]; skipped: { scheduleId: string; reason: string }[] } {
    this.sync();
    const now = this.deps.now();
    const nowIso = iso(now);
    const params: unknown[] = [nowIso];
    let sql = `${SELECT} WHERE s.enabled = 1 AND s.next_run_at IS NOT NULL AND s.next_run_at <= ?`;
    if (options.workspace) {
      sql += ' AND w.name = ? COLLATE NOCASE';
      params.push(options.workspace);
    }
    const due = this.deps.appDb.prepare(`${sql} ORDER BY s.next_run_at, s.id`).all(...params) as ScheduleRow[];
    const started: { scheduleId: string; jobId: string }[] = [];
    const skipped: { scheduleId: string; reason: string }[] = [];
    const settings = this.deps.settings.get();
    for (const row of due) {
      const next = nextRun(row.cron, now);
      const advance = (): void => void this.deps.appDb.prepare('UPDATE schedules SET next_run_at = ? WHERE id = ?').run(next ? iso(next) : null, row.id);
      if (!settings.scheduler.enabled) {
        skipped.push({ scheduleId: row.id, reason: 'The scheduler is switched off in the engine settings.' });
        continue;
      }
      if (row.running_job_id && this.isActive(row.running_job_id)) {
        skipped.push({ scheduleId: row.id, reason: 'Its previous run is still going; runs never overlap.' });
        this.record(row.id, { last_status: 'skipped', last_error: 'previous run still going' });
        advance();
        continue;
      }
      let jobId: string;
      try {
        jobId = this.startJob(row);
      } catch (error) {
        const e = AppError.wrap(error);
        skipped.push({ scheduleId: row.id, reason: e.message });
        this.record(row.id, { last_status: 'skipped', last_error: e.message, last_run_at: nowIso });
        advance();
        continue;
      }
      this.deps.appDb.prepare('UPDATE schedules SET running_job_id = ?, last_job_id = ?, last_run_at = ?, next_run_at = ? WHERE id = ?').run(jobId, jobId, nowIso, next ? iso(next) : null, row.id);
      started.push({ scheduleId: row.id, jobId });
      void this.deps.jobs.waitFor(jobId).then((info) => {
        this.deps.appDb
          .prepare('UPDATE schedules SET running_job_id = NULL, last_status = ?, last_error = ?, last_result = ? WHERE id = ? AND running_job_id = ?')
          .run(info.status, info.error?.message ?? null, info.result === null ? null : JSON.stringify(info.result), row.id, jobId);
      });
    }
    return { started, skipped };
  }

  /** More work to check on every tick (report schedules), run after the built-in tasks; failures are logged. */
  addTick(fn: () => Promise<unknown>): void {
    this.ticks.push(fn);
  }

  /** Catches up on missed runs, then checks for due tasks every minute. */
  start(): void {
    if (this.timer || this.disposed) return;
    const tick = (): void => {
      try {
        const res = this.runDue();
        if (res.started.length) this.deps.logger.info('scheduled tasks started', { count: res.started.length });
      } catch (error) {
        this.deps.logger.error('scheduler tick failed', { error });
      }
      for (const fn of this.ticks) void fn().catch((error: unknown) => this.deps.logger.error('scheduler tick failed', { error }));
      if (!this.disposed) this.timer = setTimeout(tick, TICK_MS).unref();
    };
    tick();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribe();
  }

  private startJob(row: ScheduleRow): string {
    const { jobs, settings, scans: _s, detectors, coaching } = this.deps;
    const opts = { workspaceId: row.workspace_id, createdBy: null };
    switch (row.kind) {
      case 'persona_scan': {
        const s = settings.get();
        if (!s.aiEnabled) throw new AppError('unavailable', AI_OFF_MESSAGE);
        const spec = PERSONAS.find((p) => p.key === row.target);
        if (!spec) throw new AppError('not_found', `Unknown persona ${String(row.target)}.`);
        if (!settings.personaEnabled(spec)) throw new AppError('unavailable', `The ${spec.name} persona is switched off.`);
        const params: ScanJob & { scheduleId: string } = { workspaceId: row.workspace_id, persona: spec.key, limit: s.scheduler.maxInsightsPerRun, force: false, trigger: 'scheduled', actor: null, scheduleId: row.id };
        return jobs.start('engine.scheduledScan', params, opts).jobId;
      }
      case 'expiry_sweep':
        return jobs.start('engine.sweep', { workspaceId: row.workspace_id }, opts).jobId;
      case 'detectors':
        return detectors.start(row.workspace_name, 'scheduled', null);
      case 'coaching_refresh':
        return coaching.startRefresh(row.workspace_name, null, 'scheduled');
      case 'workspace_backup':
        return this.deps.backups.daily(row.workspace_name);
    }
  }

  private isActive(jobId: string): boolean {
    try {
      return !isFinished(this.deps.jobs.get(jobId).status);
    } catch {
      return false;
    }
  }

  private record(id: string, fields: { last_status: string; last_error: string | null; last_run_at?: string }): void {
    this.deps.appDb.prepare('UPDATE schedules SET last_status = ?, last_error = ?, last_run_at = coalesce(?, last_run_at) WHERE id = ?').run(fields.last_status, fields.last_error, fields.last_run_at ?? null, id);
  }

  private row(id: string): ScheduleRow {
    const row = this.deps.appDb.prepare(`${SELECT} WHERE s.id = ?`).get(id) as ScheduleRow | undefined;
    if (!row) throw new AppError('not_found', `There is no scheduled task "${id}". List them with: schedule list`);
    return row;
  }

  private info(r: ScheduleRow): ScheduleInfo {
    return {
      id: r.id,
      workspace: r.workspace_name,
      kind: r.kind,
      target: r.target,
      cron: r.cron,
      enabled: r.enabled === 1,
      nextRunAt: r.next_run_at,
      lastRunAt: r.last_run_at,
      lastStatus: r.last_status,
      lastJobId: r.last_job_id,
      lastError: r.last_error,
      running: r.running_job_id !== null && this.isActive(r.running_job_id),
    };
  }
}
