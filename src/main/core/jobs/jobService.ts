import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import { isFinished, type JobInfo, type JobStatus } from '@shared/contract';
import { AppError, type SerializedAppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { EventBus } from '../eventBus';
import type { Logger } from '../logger';
import type { TaskProgress } from '../workers/context';
import { processAlive, ShutdownAbort } from './shutdown';

export interface JobRunContext {
  jobId: string;
  workspaceId: string | null;
  signal: AbortSignal;
  progress(update: TaskProgress): void;
  /** Checkpoint saved by an interrupted earlier run of this job (resumable kinds only). */
  resumeFrom: unknown;
}

export interface JobKind<P = unknown, R = unknown> {
  /** Runs the job; resolves with a JSON-serialisable result. Throw AppError('cancelled') when the signal fires. */
  run(params: P, ctx: JobRunContext): Promise<R>;
  /** After a crash or quit: run again from its checkpoint (true), or mark it interrupted (false). */
  resumable: boolean;
  /** Called when a job that cannot resume is found interrupted at start, to clean up partial state. */
  onInterrupted?(params: P, workspaceId: string | null): void;
  /**
   * The workspace cannot be used until this job ends (demo generation). One-shot hosts (the CLI), which otherwise
   * leave resumable jobs to the app, resume these at start and wait for them.
   */
  blocksWorkspace?: boolean;
}

/** Which interrupted jobs a host takes over at start: every one (the app), or only those blocking a workspace (CLI). */
export type ResumeScope = 'all' | 'blocking';

interface JobRow {
  id: string;
  kind: string;
  workspace_id: string | null;
  workspace_name: string | null;
  status: JobStatus;
  params: string;
  progress: string | null;
  checkpoint: string | null;
  result: string | null;
  error: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  owner_pid: number | null;
}

interface Live {
  info: JobInfo;
  workspaceId: string | null;
  /** Set when the app quits: the job's row stays 'running' so the next start resumes it. */
  disposing: boolean;
  controller: AbortController;
  startedAt: number;
  lastEmit: number;
  lastPersist: number;
  done: Promise<JobInfo>;
}

const SELECT = 'SELECT j.*, w.name AS workspace_name FROM jobs j LEFT JOIN workspaces w ON w.id = j.workspace_id';

/**
 * Persisted background jobs. Each job runs off the caller's request, reports progress as `job.progress` events,
 * can be cancelled, and survives a crash: at the next start a resumable job continues from its checkpoint and
 * any other is marked interrupted.
 */
export class JobService {
  private readonly kinds = new Map<string, JobKind<never, unknown>>();
  private readonly live = new Map<string, Live>();
  private readonly queue: PQueue;

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly logger: Logger,
    private readonly now: () => Date,
    options: { concurrency?: number; pid?: number; isAlive?: (pid: number) => boolean } = {},
  ) {
    this.queue = new PQueue({ concurrency: options.concurrency ?? 2 });
    this.pid = options.pid ?? process.pid;
    this.isAlive = options.isAlive ?? processAlive;
  }

  /** This process: recorded on every job it queues or takes over, so recovery elsewhere leaves those jobs alone. */
  private readonly pid: number;
  private readonly isAlive: (pid: number) => boolean;

  register<P, R>(kind: string, spec: JobKind<P, R>): void {
    if (this.kinds.has(kind)) throw new Error(`Job kind ${kind} registered twice`);
    this.kinds.set(kind, spec as unknown as JobKind<never, unknown>);
  }

  start(kind: string, params: unknown, options: { workspaceId?: string | null; createdBy?: string | null } = {}): JobInfo {
    if (!this.kinds.has(kind)) throw new AppError('internal', `Unknown job kind "${kind}".`);
    const id = randomUUID();
    const createdAt = this.now().toISOString();
    this.db
      .prepare('INSERT INTO jobs (id, kind, workspace_id, status, params, created_by, created_at, owner_pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, kind, options.workspaceId ?? null, 'queued', JSON.stringify(params ?? null), options.createdBy ?? null, createdAt, this.pid);
    return this.enqueue(this.row(id), undefined);
  }

  get(jobId: string): JobInfo {
    const live = this.live.get(jobId);
    if (live) return { ...live.info };
    return this.toInfo(this.row(jobId));
  }

  list(options: { workspace?: string | undefined; limit: number }): JobInfo[] {
    const rows = (
      options.workspace
        ? this.db.prepare(`${SELECT} WHERE w.name = ? COLLATE NOCASE ORDER BY j.created_at DESC LIMIT ?`).all(options.workspace, options.limit)
        : this.db.prepare(`${SELECT} ORDER BY j.created_at DESC LIMIT ?`).all(options.limit)
    ) as JobRow[];
    return rows.map((r) => this.live.get(r.id)?.info ?? this.toInfo(r));
  }

  /** Jobs queued or running in this process (after start-up recovery: the ones it took over). */
  running(): JobInfo[] {
    return [...this.live.values()].filter((l) => !isFinished(l.info.status)).map((l) => ({ ...l.info }));
  }

  /** Profile id that started the job (null for system jobs). */
  ownerOf(jobId: string): string | null {
    return this.row(jobId).created_by;
  }

  /** Jobs still queued or running against a workspace (deleting it must wait for them). */
  activeFor(workspaceId: string): JobInfo[] {
    return [...this.live.values()].filter((l) => !isFinished(l.info.status) && l.workspaceId === workspaceId).map((l) => ({ ...l.info }));
  }

  cancel(jobId: string): JobInfo {
    const live = this.live.get(jobId);
    if (!live) {
      const info = this.get(jobId);
      if (isFinished(info.status)) return info;
      throw new AppError('conflict', 'That job is not running in this app instance.');
    }
    live.controller.abort();
    return { ...live.info };
  }

  /** Resolves when the job has finished, in whatever state. */
  waitFor(jobId: string): Promise<JobInfo> {
    const live = this.live.get(jobId);
    return live ? live.done : Promise.resolve(this.get(jobId));
  }

  /**
   * Called once at start: resume what can resume, mark the rest interrupted. Only jobs whose owner process is gone
   * (crash, kill, quit) are touched, and each is claimed with a compare-and-set on its owner, so two processes
   * starting together never both take one over. With scope 'blocking' (the CLI) resumable jobs that do not block a
   * workspace are left for the app. Returns the ids of the jobs resumed here.
   */
  resumeInterrupted(scope: ResumeScope = 'all'): string[] {
    const rows = this.db.prepare(`${SELECT} WHERE j.status IN ('queued', 'running')`).all() as JobRow[];
    const resumed: string[] = [];
    for (const row of rows) {
      if (this.live.has(row.id)) continue;
      if (row.owner_pid !== null && row.owner_pid !== this.pid && this.isAlive(row.owner_pid)) continue;
      const kind = this.kinds.get(row.kind);
      if (kind?.resumable && scope === 'blocking' && !kind.blocksWorkspace) continue;
      const claimed = this.db
        .prepare("UPDATE jobs SET owner_pid = ? WHERE id = ? AND status IN ('queued', 'running') AND owner_pid IS ?")
        .run(this.pid, row.id, row.owner_pid).changes;
      if (claimed !== 1) continue;
      if (kind?.resumable) {
        this.logger.info('resuming job', { jobId: row.id, kind: row.kind });
        this.enqueue(row, row.checkpoint ? JSON.parse(row.checkpoint) : undefined);
        resumed.push(row.id);
        continue;
      }
      try {
        kind?.onInterrupted?.(JSON.parse(row.params) as never, row.workspace_id);
      } catch (error) {
        this.logger.warn('cleanup of interrupted job failed', { jobId: row.id, error });
      }
      const error: SerializedAppError = {
        code: 'unavailable',
        message: 'The app stopped while this job ran. Nothing it did was kept; run it again.',
      };
      this.db.prepare("UPDATE jobs SET status = 'interrupted', error = ?, finished_at = ? WHERE id = ?").run(JSON.stringify(error), this.now().toISOString(), row.id);
    }
    return resumed;
  }

  /** Stops every running job and waits (bounded) for them to roll back. Their rows stay 'running' so they resume. */
  async dispose(timeoutMs = 15_000): Promise<void> {
    this.queue.clear();
    const pending = [...this.live.values()];
    for (const l of pending) {
      l.disposing = true;
      // A shutdown, not a cancel: job code that cleans up after an abort must keep what resuming needs (isShutdown).
      l.controller.abort(new ShutdownAbort());
    }
    await Promise.race([Promise.allSettled(pending.map((l) => l.done)), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private enqueue(row: JobRow, resumeFrom: unknown): JobInfo {
    const kind = this.kinds.get(row.kind);
    if (!kind) throw new AppError('internal', `Unknown job kind "${row.kind}".`);
    const controller = new AbortController();
    let resolveDone!: (info: JobInfo) => void;
    const live: Live = {
      info: { ...this.toInfo(row), status: 'queued', error: null, result: null, finishedAt: null },
      workspaceId: row.workspace_id,
      disposing: false,
      controller,
      startedAt: 0,
      lastEmit: 0,
      lastPersist: 0,
      done: new Promise<JobInfo>((r) => (resolveDone = r)),
    };
    this.live.set(row.id, live);
    this.emit(live, true);

    const params = JSON.parse(row.params) as never;
    void this.queue.add(async () => {
      if (controller.signal.aborted) {
        this.finish(live, 'cancelled', null, new AppError('cancelled', 'Cancelled before it started.'));
        resolveDone(live.info);
        return;
      }
      live.startedAt = Date.now();
      live.info.status = 'running';
      this.db.prepare("UPDATE jobs SET status = 'running', started_at = ? WHERE id = ?").run(this.now().toISOString(), row.id);
      this.emit(live, true);
      try {
        const result = await kind.run(params, {
          jobId: row.id,
          workspaceId: row.workspace_id,
          signal: controller.signal,
          resumeFrom,
          progress: (p) => this.onProgress(live, p),
        });
        this.finish(live, 'completed', result ?? null, null);
      } catch (error) {
        const appError = AppError.wrap(error);
        if (live.disposing) {
          // Quitting: leave the row 'running' so the next start resumes or reports it.
          this.live.delete(row.id);
        } else {
          if (appError.code === 'internal') this.logger.error('job failed', { jobId: row.id, kind: row.kind, error });
          this.finish(live, appError.code === 'cancelled' ? 'cancelled' : 'failed', null, appError);
        }
      }
      resolveDone(live.info);
    });
    return { ...live.info };
  }

  private onProgress(live: Live, p: TaskProgress): void {
    const info = live.info;
    info.phase = p.phase;
    info.done = p.done;
    info.total = p.total ?? null;
    info.message = p.message ?? null;
    const elapsed = (Date.now() - live.startedAt) / 1000;
    info.ratePerSec = p.ratePerSec !== undefined ? p.ratePerSec : elapsed > 0.2 && p.done > 0 ? p.done / elapsed : null;
    info.etaMs = p.etaMs !== undefined ? p.etaMs : info.ratePerSec && info.total ? Math.max(0, ((info.total - p.done) / info.ratePerSec) * 1000) : null;
    const now = Date.now();
    if (p.checkpoint !== undefined) {
      this.db.prepare('UPDATE jobs SET checkpoint = ?, progress = ? WHERE id = ?').run(JSON.stringify(p.checkpoint), JSON.stringify(p), info.jobId);
      live.lastPersist = now;
    } else if (now - live.lastPersist > 1000) {
      this.db.prepare('UPDATE jobs SET progress = ? WHERE id = ?').run(JSON.stringify(p), info.jobId);
      live.lastPersist = now;
    }
    this.emit(live, false);
  }

  private finish(live: Live, status: JobStatus, result: unknown, error: AppError | null): void {
    const info = live.info;
    info.status = status;
    info.result = result;
    info.error = error ? error.toJSON() : null;
    info.finishedAt = this.now().toISOString();
    info.etaMs = null;
    this.db
      .prepare('UPDATE jobs SET status = ?, result = ?, error = ?, finished_at = ?, progress = ? WHERE id = ?')
      .run(status, JSON.stringify(result ?? null), info.error ? JSON.stringify(info.error) : null, info.finishedAt, JSON.stringify({ phase: info.phase, done: info.done, total: info.total }), info.jobId);
    this.emit(live, true);
    this.live.delete(info.jobId);
  }

  private emit(live: Live, force: boolean): void {
    const now = Date.now();
    if (!force && now - live.lastEmit < 100) return;
    live.lastEmit = now;
    this.events.emit('job.progress', { ...live.info });
  }

  private row(id: string): JobRow {
    const row = this.db.prepare(`${SELECT} WHERE j.id = ?`).get(id) as JobRow | undefined;
    if (!row) throw new AppError('not_found', `There is no job with id "${id}".`);
    return row;
  }

  private toInfo(r: JobRow): JobInfo {
    const progress = r.progress ? (JSON.parse(r.progress) as Partial<TaskProgress>) : {};
    return {
      jobId: r.id,
      kind: r.kind,
      workspace: r.workspace_name,
      status: r.status,
      phase: progress.phase ?? (r.status === 'queued' ? 'queued' : ''),
      done: progress.done ?? 0,
      total: progress.total ?? null,
      ratePerSec: null,
      etaMs: null,
      message: progress.message ?? null,
      result: r.result ? (JSON.parse(r.result) as unknown) : null,
      error: r.error ? (JSON.parse(r.error) as SerializedAppError) : null,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
    };
  }
}
