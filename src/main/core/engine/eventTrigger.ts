import { AppError } from '@shared/errors';
import type { JobRunContext, JobService } from '../jobs/jobService';
import type { Logger } from '../logger';
import { PERSONAS } from '../personas/registry';
import type { WorkspaceService } from '../workspaces/workspaceService';
import type { InsightEngine } from './engine';
import { iso } from './insightStore';
import type { TokenBudget } from './scanService';
import type { EngineSettingsService } from './settings';

/** Who changed the records: a CSV import, or a write by the copilot or a voice command through the action layer. */
export type RecordsChangedSource = 'import' | 'copilot' | 'voice' | 'action';

interface EventJob {
  workspaceId: string;
  entity: string;
  ids: number[];
  personas: string[];
  source: RecordsChangedSource;
}

export interface EventRunResult {
  source: RecordsChangedSource;
  entity: string;
  analyzed: number;
  completed: number;
  failed: number;
  unchanged: number;
  /** Records left out because the persona reached its hourly cap. */
  overCap: number;
  tokens: number;
  stoppedBy: 'budget' | null;
  insightIds: string[];
}

export interface RecordsChangedOutcome {
  /** The job analysing the records, or null when no persona is set to react (the usual case). */
  jobId: string | null;
  personas: string[];
  reason: string | null;
}

const HOUR_MS = 3_600_000;
/** One change never queues more than this many records per persona (the hourly cap is usually lower). */
const MAX_IDS = 1_000;

/**
 * The `event` trigger (ADR 0098): `onRecordsChanged` is the one hook the import and the action layer call after they
 * write records. The personas switched on for events whose entity was touched analyse the new or changed records as
 * a background job: trigger `event`, no actor, at most `events.maxPerHour` analyses per persona and workspace, inside
 * the scheduler's daily token budget. Records whose context did not change are skipped by the engine (no call).
 */
export class EventTriggerService {
  constructor(
    private readonly deps: {
      jobs: JobService;
      workspaces: WorkspaceService;
      engine: InsightEngine;
      settings: EngineSettingsService;
      /** The daily token budget for background work, per workspace id (shared with the scheduler). */
      budget: (workspaceId: string) => TokenBudget;
      logger: Logger;
      now: () => Date;
    },
  ) {
    deps.jobs.register<EventJob, EventRunResult>('engine.onRecordsChanged', { resumable: false, run: (p, ctx) => this.run(p, ctx) });
  }

  /** Call after records of `entity` were created or changed. Never throws for a normal write: reacting is optional. */
  onRecordsChanged(workspace: string, entity: string, ids: readonly number[], source: RecordsChangedSource): RecordsChangedOutcome {
    const s = this.deps.settings.get();
    const none = (reason: string): RecordsChangedOutcome => ({ jobId: null, personas: [], reason });
    if (ids.length === 0) return none('No records changed.');
    if (!s.aiEnabled) return none('AI analysis is switched off.');
    const personas = PERSONAS.filter((p) => p.entityType === entity && s.events.personas.includes(p.key) && this.deps.settings.personaEnabled(p)).map((p) => p.key);
    if (personas.length === 0) return none(`No persona is set to analyse changed ${entity}.`);
    const row = this.deps.workspaces.resolve(workspace);
    const unique = [...new Set(ids.filter((id) => Number.isInteger(id) && id > 0))].slice(0, MAX_IDS);
    const job: EventJob = { workspaceId: row.id, entity, ids: unique, personas, source };
    const { jobId } = this.deps.jobs.start('engine.onRecordsChanged', job, { workspaceId: row.id, createdBy: null });
    this.deps.logger.info('records changed: event analysis started', { workspace: row.name, entity, records: unique.length, personas, source });
    return { jobId, personas, reason: null };
  }

  private async run(p: EventJob, ctx: JobRunContext): Promise<EventRunResult> {
    const { engine, settings, now } = this.deps;
    const row = this.deps.workspaces.byId(p.workspaceId);
    if (!row) throw new AppError('not_found', 'The workspace of these changed records no longer exists.');
    const budget = this.deps.budget(p.workspaceId);
    const result: EventRunResult = { source: p.source, entity: p.entity, analyzed: 0, completed: 0, failed: 0, unchanged: 0, overCap: 0, tokens: 0, stoppedBy: null, insightIds: [] };
    const total = p.ids.length * p.personas.length;
    let done = 0;
    for (const key of p.personas) {
      const cap = settings.get().events.maxPerHour;
      let used = engine.countSince(row.name, key, 'event', iso(new Date(now().getTime() - HOUR_MS)));
      for (const id of p.ids) {
        if (ctx.signal.aborted) throw new AppError('cancelled', 'The analysis of changed records was cancelled; the insights it finished are kept.', { ...result });
        done++;
        if (used >= cap) {
          result.overCap++;
          continue;
        }
        if (budget.remaining() <= 0) {
          result.stoppedBy = 'budget';
          break;
        }
        let out;
        try {
          out = await engine.analyze(row.name, key, id, { trigger: 'event', actor: null, runId: ctx.jobId, signal: ctx.signal });
        } catch (error) {
          // A record deleted meanwhile, or a gate closed: not this change's failure.
          if (AppError.is(error, 'not_found')) continue;
          throw error;
        }
        budget.spend(out.tokens);
        result.tokens += out.tokens;
        if (out.status === 'unchanged') result.unchanged++;
        else if (out.status === 'completed' || out.status === 'failed') {
          used++;
          result.analyzed++;
          if (out.status === 'completed') result.completed++;
          else result.failed++;
          if (out.insightId && result.insightIds.length < 200) result.insightIds.push(out.insightId);
        }
        ctx.progress({ phase: 'analysing changed records', done, total, message: `${result.completed} done, ${result.unchanged} unchanged, ${result.overCap} over the hourly cap` });
      }
      if (result.stoppedBy) break;
    }
    return result;
  }
}
