import PQueue from 'p-queue';
import { AppError } from '@shared/errors';
import type { Trigger } from '@shared/insights';
import { getSqliteNativeBinding } from '../db/open';
import type { EventBus } from '../eventBus';
import type { JobRunContext, JobService } from '../jobs/jobService';
import type { Logger } from '../logger';
import type { WorkerLauncher } from '../ports';
import { getContextBuilder } from '../context/registry';
import { getPersona } from '../personas/registry';
import { runTask } from '../workers/runTask';
import type { WorkspaceService } from '../workspaces/workspaceService';
import type { InsightEngine } from './engine';
import { getRow, iso } from './insightStore';
import { failStalePending } from './lifecycle';
import type { BuiltContext } from '../context/build';
import { prepareScan, type PrepareScanParams } from './prepareScan';
import type { EngineSettingsService } from './settings';

interface AnalyzeJob {
  workspaceId: string;
  persona: string;
  entityId: number;
  trigger: Trigger;
  actor: string | null;
  /** "Analyze again": run even if nothing changed; the new insight supersedes the open one. */
  force?: boolean;
  /** A failed insight this run retries (superseded by the new outcome). */
  retryOf?: string | null;
}

export interface ScanJob {
  workspaceId: string;
  persona: string;
  limit: number;
  force: boolean;
  trigger: Trigger;
  actor: string | null;
}

export interface AnalyzeJobResult {
  /** The insight written, or for 'unchanged' the open insight that still holds. */
  insightId: string;
  status: 'completed' | 'failed' | 'unchanged';
  errorCode: string | null;
}

export interface ScanResult {
  persona: string;
  candidates: number;
  skippedUnchanged: number;
  analyzed: number;
  completed: number;
  failed: number;
  tokens: number;
  /** Why the scan ended before its list: a budget, repeated provider failures, or nothing. */
  stoppedBy: 'budget' | 'errors' | null;
  insightIds: string[];
}

/** Limits a scan must respect beyond its own: the scheduler's daily token budget. */
export interface TokenBudget {
  remaining(): number;
  spend(tokens: number): void;
}

/** Scans bigger than this build their contexts in a worker thread. */
const WORKER_THRESHOLD = 40;
/** In a big scan, contexts built inline per concurrency slot before the worker's batch arrives. */
const HEAD_PER_SLOT = 4;
/** After this many failures in a row that point at the provider, a scan stops instead of failing every record. */
const MAX_CONSECUTIVE_PROVIDER_FAILURES = 3;
const STOP_AT_ONCE = new Set(['budget_exceeded']);
const PROVIDER_FAILURES = new Set(['unavailable', 'provider_error', 'budget_exceeded']);

/**
 * Runs personas as jobs: one record on demand, or a scan over the records that need it, with a concurrency limit,
 * progress, cancel, and a cap. Contexts for big scans are built in a worker so the main thread stays responsive.
 */
export class ScanService {
  constructor(
    private readonly deps: {
      jobs: JobService;
      workspaces: WorkspaceService;
      engine: InsightEngine;
      settings: EngineSettingsService;
      events: EventBus;
      logger: Logger;
      now: () => Date;
      launchWorker: WorkerLauncher;
    },
  ) {
    deps.jobs.register<AnalyzeJob, AnalyzeJobResult>('engine.analyze', {
      resumable: false,
      run: (p, ctx) => this.runAnalyze(p, ctx),
      onInterrupted: (_p, workspaceId) => this.sweepInterrupted(workspaceId),
    });
    deps.jobs.register<ScanJob, ScanResult>('engine.scan', {
      resumable: false,
      run: (p, ctx) => this.runScan(p, ctx),
      onInterrupted: (_p, workspaceId) => this.sweepInterrupted(workspaceId),
    });
  }

  /** Checks everything that can be checked up front, then starts the analysis as a job. */
  startAnalyze(workspace: string, persona: string, entityId: number, actor: string | null, options: { force?: boolean; retryOf?: string | null } = {}): string {
    const spec = getPersona(persona);
    this.deps.engine.checkGates(spec);
    const row = this.deps.workspaces.resolve(workspace);
    const db = this.deps.engine.db(row.name);
    this.deps.engine.buildContext(db, spec, entityId);
    const job: AnalyzeJob = { workspaceId: row.id, persona, entityId, trigger: 'on_demand', actor, force: options.force === true, retryOf: options.retryOf ?? null };
    return this.deps.jobs.start('engine.analyze', job, { workspaceId: row.id, createdBy: actor }).jobId;
  }

  /** Runs a failed insight's analysis again; the new outcome supersedes the failed one. */
  startRetry(workspace: string, id: string, actor: string | null): string {
    const row = getRow(this.deps.engine.db(this.deps.workspaces.resolve(workspace).name), id);
    if (!row) throw new AppError('not_found', `There is no insight with id "${id}" in workspace "${workspace}".`, { id });
    if (row.status !== 'failed') throw new AppError('conflict', `This insight is ${row.status}; only failed analyses can be retried. Use Analyze again to re-run a finished one.`, { id, status: row.status });
    if (!row.persona_key || row.entity_id === null) throw new AppError('conflict', 'Only persona analyses can be retried; run the detectors again instead.', { id });
    return this.startAnalyze(workspace, row.persona_key, row.entity_id, actor, { force: true, retryOf: id });
  }

  startScan(workspace: string, persona: string, options: { limit: number; force: boolean; trigger: Trigger; actor: string | null }): string {
    const spec = getPersona(persona);
    this.deps.engine.checkGates(spec);
    const row = this.deps.workspaces.resolve(workspace);
    this.deps.engine.db(row.name);
    const params: ScanJob = { workspaceId: row.id, persona, ...options };
    return this.deps.jobs.start('engine.scan', params, { workspaceId: row.id, createdBy: options.actor }).jobId;
  }

  private workspaceName(workspaceId: string): string {
    const row = this.deps.workspaces.byId(workspaceId);
    if (!row) throw new AppError('not_found', 'The workspace of this analysis no longer exists.');
    return row.name;
  }

  private sweepInterrupted(workspaceId: string | null): void {
    const row = workspaceId ? this.deps.workspaces.byId(workspaceId) : undefined;
    if (!row || row.status !== 'ready') return;
    failStalePending(this.deps.workspaces.openRow(row), iso(this.deps.now()), { before: iso(this.deps.now()) });
  }

  private async runAnalyze(p: AnalyzeJob, ctx: JobRunContext): Promise<AnalyzeJobResult> {
    const workspace = this.workspaceName(p.workspaceId);
    ctx.progress({ phase: 'asking the model', done: 0, total: 1 });
    const out = await this.deps.engine.analyze(workspace, p.persona, p.entityId, { trigger: p.trigger, actor: p.actor, runId: ctx.jobId, signal: ctx.signal, force: p.force === true, supersedes: p.retryOf ? [p.retryOf] : [] });
    ctx.progress({ phase: out.status, done: 1, total: 1, ...(out.status === 'unchanged' ? { message: 'Nothing changed since the last analysis; its insight still holds.' } : {}) });
    if (out.status === 'cancelled' || out.insightId === null) throw new AppError('cancelled', 'The analysis was cancelled; nothing was kept.');
    return { insightId: out.insightId, status: out.status, errorCode: out.errorCode };
  }

  /**
   * A scan; scheduled runs pass the daily token budget. Contexts for the first few records are built inline so model
   * calls start at once; for a big scan a worker builds the rest meanwhile, and they join the queue when ready.
   */
  async runScan(p: ScanJob, ctx: JobRunContext, budget?: TokenBudget): Promise<ScanResult> {
    const { engine, settings, events, now } = this.deps;
    const workspace = this.workspaceName(p.workspaceId);
    const spec = getPersona(p.persona);
    engine.checkGates(spec);
    const db = engine.db(workspace);
    const builder = getContextBuilder(spec.contextBuilder);
    const ids = builder.candidates(db, p.force ? p.limit : Math.min(p.limit * 4 + 50, 20_000));
    const concurrency = settings.get().scan.concurrency;
    const prepParams: PrepareScanParams = { personaKey: spec.key, ids, limit: p.limit, force: p.force, redaction: settings.get().redaction, nowIso: iso(now()) };
    const big = ids.length > WORKER_THRESHOLD;
    ctx.progress({ phase: 'building context', done: 0, total: Math.min(p.limit, ids.length) });
    const head = prepareScan(db, big ? { ...prepParams, limit: Math.min(p.limit, concurrency * HEAD_PER_SLOT) } : prepParams);

    const result: ScanResult = { persona: spec.key, candidates: ids.length, skippedUnchanged: head.skippedUnchanged, analyzed: 0, completed: 0, failed: 0, tokens: 0, stoppedBy: null, insightIds: [] };
    let total = big ? Math.min(p.limit, ids.length - head.consumed + head.contexts.length) : head.contexts.length;
    const queue = new PQueue({ concurrency });
    // Stopping (budget, provider failures) starts no new calls but lets the ones in flight finish; cancelling aborts them.
    const stop = new AbortController();
    let consecutive = 0;
    let stopError: AppError | undefined;
    let pendingIds: string[] = [];
    let lastFlush = Date.now();
    const flush = (force: boolean): void => {
      if (pendingIds.length === 0 || (!force && Date.now() - lastFlush < 500)) return;
      events.emit('insights.changed', { workspace, reason: 'created', ids: pendingIds.slice(0, 100), count: pendingIds.length });
      pendingIds = [];
      lastFlush = Date.now();
    };
    const report = (): void => ctx.progress({ phase: 'analysing', done: result.analyzed, total, message: `${result.completed} done, ${result.failed} failed, ${result.skippedUnchanged} unchanged` });

    const step = async (context: BuiltContext): Promise<void> => {
      if (budget && budget.remaining() <= 0) {
        result.stoppedBy = 'budget';
        stop.abort();
        return;
      }
      const out = await engine.analyze(workspace, spec.key, context.entityId, { trigger: p.trigger, actor: p.actor, runId: ctx.jobId, signal: ctx.signal, context, quiet: true, force: p.force });
      budget?.spend(out.tokens);
      result.tokens += out.tokens;
      // A record the scan did not finish (cancelled) is neither analysed nor failed: it simply was not reached.
      if (out.status === 'cancelled' || out.insightId === null) return;
      if (out.status === 'unchanged') {
        result.skippedUnchanged++;
        report();
        return;
      }
      result.analyzed++;
      if (result.insightIds.length < 200) result.insightIds.push(out.insightId);
      pendingIds.push(out.insightId);
      if (out.status === 'completed') {
        result.completed++;
        consecutive = 0;
      } else {
        result.failed++;
        if (out.errorCode && STOP_AT_ONCE.has(out.errorCode)) {
          result.stoppedBy = 'budget';
          stop.abort();
        } else if (out.errorCode && PROVIDER_FAILURES.has(out.errorCode) && ++consecutive >= MAX_CONSECUTIVE_PROVIDER_FAILURES) {
          result.stoppedBy ??= 'errors';
          stop.abort();
        }
      }
      flush(false);
      report();
    };
    const enqueue = (contexts: readonly BuiltContext[]): void => {
      for (const context of contexts) {
        void queue.add(async () => {
          if (stop.signal.aborted || ctx.signal.aborted) return;
          try {
            await step(context);
          } catch (error) {
            // A gate closed mid-scan (AI or the persona switched off): stop, and report it if nothing ran.
            stopError ??= AppError.wrap(error);
            stop.abort();
          }
        });
      }
    };

    report();
    enqueue(head.contexts);
    if (big && head.consumed < ids.length && head.contexts.length < p.limit) {
      const row = this.deps.workspaces.byId(p.workspaceId)!;
      try {
        const rest = await runTask(
          this.deps.launchWorker,
          'engine.prepareScan',
          { ...prepParams, ids: ids.slice(head.consumed), limit: p.limit - head.contexts.length, dbFile: this.deps.workspaces.fileOf(row) },
          { signal: ctx.signal, nativeBinding: getSqliteNativeBinding() },
        );
        result.skippedUnchanged += rest.skippedUnchanged;
        total = head.contexts.length + rest.contexts.length;
        enqueue(rest.contexts);
      } catch (error) {
        if (!ctx.signal.aborted) throw error;
      }
    }
    await queue.onIdle();
    flush(true);
    if (stopError && result.analyzed === 0) throw stopError;
    if (ctx.signal.aborted) throw new AppError('cancelled', `The scan was cancelled after ${result.analyzed} of ${total} records; the insights it finished are kept.`, { ...result });
    report();
    this.deps.logger.info('scan finished', { workspace, persona: spec.key, analyzed: result.analyzed, failed: result.failed, skipped: result.skippedUnchanged, stoppedBy: result.stoppedBy });
    return result;
  }
}
