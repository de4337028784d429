import { querySpec, type CatalogInfo, type QueryResult, type QuerySpec, type QuerySpecInput, type TimeRange } from '@shared/analytics/spec';
import { isoDay } from '@shared/analytics/timeRange';
import type { ChartSpec } from '@shared/charts/spec';
import { DEFAULT_DASHBOARD_TILES, type AskResult, type KpiTile, type QuestionHistoryEntry } from '@shared/contract/analytics';
import { AppError } from '@shared/errors';
import type { Settings } from '../app/appDb';
import type { Gateway } from '../gateway/types';
import type { Logger } from '../logger';
import { ModelStepError } from '../model/modelStep';
import type { WorkspaceContext } from '../workspaces/workspaceContext';
import { askModel } from './askModel';
import { getMeasure, MEASURES } from './catalog';
import { catalogInfo } from './catalogInfo';
import { matchQuestion } from './patterns';
import { chooseChart, defaultTitle, summarize } from './present';
import { runQuery } from './runQuery';
import { nearestFirst } from './suggest';

/** The part of the analytics service reports and the copilot use; its signature and QueryResult stay stable. */
export interface AnalyticsQueries {
  query(ctx: WorkspaceContext, spec: QuerySpecInput): Promise<QueryResult>;
}

export interface AnalyticsServiceDeps {
  now: () => Date;
  gateway: () => Gateway;
  settings: Settings;
  logger: Logger;
}

const TILES_KEY = 'analytics.dashboardTiles';
const HISTORY_KEEP = 200;

/**
 * Catalog, queries, questions and Dashboard tiles over a workspace (through its repositories, so on SQLite and
 * PostgreSQL alike). Relative periods resolve against the workspace's reference day: a demo workspace's anchor date
 * (so a pinned demo answers the same on any day), otherwise today in UTC.
 */
export class AnalyticsService implements AnalyticsQueries {
  private readonly catalogCache = catalogInfo();

  constructor(private readonly deps: AnalyticsServiceDeps) {}

  catalog(): CatalogInfo {
    return this.catalogCache;
  }

  async referenceDay(ctx: WorkspaceContext): Promise<string> {
    const anchor = await ctx.repos.meta.get('anchor_date');
    return anchor && /^\d{4}-\d{2}-\d{2}$/.test(anchor) ? anchor : isoDay(this.deps.now());
  }

  async query(ctx: WorkspaceContext, spec: QuerySpecInput): Promise<QueryResult> {
    return runQuery({ repo: ctx.repos.analytics, referenceDay: await this.referenceDay(ctx) }, spec);
  }

  async chart(ctx: WorkspaceContext, spec: QuerySpecInput, title?: string): Promise<{ result: QueryResult; chart: ChartSpec; summary: string }> {
    const result = await this.query(ctx, spec);
    return { result, chart: chooseChart(result, title), summary: summarize(result) };
  }

  /**
   * A question → spec (the model through `analytics.ask`, or the built-in patterns) → result, chart, summary.
   * `auto` asks the model and falls back to the patterns when no model can answer (none configured, provider down);
   * `patterns` never calls a model; `model` never falls back.
   */
  async ask(ctx: WorkspaceContext, args: { question: string; mode: 'auto' | 'model' | 'patterns'; profileId: string; record: boolean; signal?: AbortSignal | undefined }): Promise<AskResult> {
    const referenceDay = await this.referenceDay(ctx);
    const warnings: string[] = [];
    let spec: QuerySpec | null = null;
    let method: AskResult['method'] = 'patterns';
    let pattern: string | null = null;
    let model: AskResult['model'] = null;
    if (args.mode !== 'patterns') {
      try {
        const step = await askModel(this.deps.gateway(), { workspace: ctx.name, question: args.question, referenceDay, profileId: args.profileId, signal: args.signal });
        spec = step.value;
        method = 'model';
        warnings.push(...step.warnings);
        const t = step.tally;
        model = { provider: t.provider, model: t.model, endpoint: t.endpoint, attempts: t.calls.length, tokensIn: t.tokensIn, tokensOut: t.tokensOut, costUsd: t.costUsd, latencyMs: t.latencyMs };
      } catch (error) {
        const e = AppError.wrap(error);
        if (args.mode === 'model' || e.code === 'cancelled' || e.code === 'budget_exceeded') {
          if (error instanceof ModelStepError && error.failure === 'invalid_output') {
            throw new AppError('provider_error', `The model could not turn the question into a valid query (${error.problem ?? 'no usable answer'}). Rephrase it, or pick another model for the "analytics.ask" policy.`, error.details);
          }
          throw e;
        }
        warnings.push(e.code === 'unavailable' ? 'No model is configured for analytics questions; the built-in question patterns answered.' : `The model could not answer (${e.message}); the built-in question patterns answered.`);
      }
    }
    if (!spec) {
      const match = matchQuestion(args.question);
      if (!match) {
        const examples = ['win rate by owner last quarter', 'open tickets by priority', 'ticket volume by week last 90 days', 'pipeline value by stage'];
        throw new AppError('validation', `That question matches none of the built-in patterns, and no model answered. Name a measure (for example ${MEASURES.slice(0, 6).map((m) => m.label.toLowerCase()).join(', ')}) and optionally "by <dimension>" and a period. Examples: ${examples.join('; ')}.`, { reason: 'no_pattern' });
      }
      spec = querySpec.parse(match.spec);
      pattern = match.pattern;
    }
    const result = await runQuery({ repo: ctx.repos.analytics, referenceDay }, spec);
    const answer: AskResult = { question: args.question, spec: result.spec, result, chart: chooseChart(result, defaultTitle(result)), summary: summarize(result), method, pattern, warnings, model };
    if (args.record) {
      try {
        const repo = ctx.repos.analyticsQuestions;
        await repo.add(args.profileId, { question: args.question, spec: JSON.stringify(result.spec), method, askedAt: this.deps.now().toISOString() });
        await repo.prune(args.profileId, HISTORY_KEEP);
      } catch (error) {
        // The answer matters more than its history entry.
        this.deps.logger.warn('analytics question not recorded', { workspace: ctx.name, error });
      }
    }
    return answer;
  }

  async history(ctx: WorkspaceContext, profileId: string, limit: number): Promise<QuestionHistoryEntry[]> {
    const rows = await ctx.repos.analyticsQuestions.list(profileId, limit);
    const out: QuestionHistoryEntry[] = [];
    for (const r of rows) {
      const spec = querySpec.safeParse(safeJson(r.spec));
      if (spec.success) out.push({ id: r.id, question: r.question, spec: spec.data, method: r.method === 'model' ? 'model' : 'patterns', askedAt: r.askedAt });
    }
    return out;
  }

  clearHistory(ctx: WorkspaceContext, profileId: string): Promise<number> {
    return ctx.repos.analyticsQuestions.clear(profileId);
  }

  /** The admin's choice of Dashboard tiles (app settings: the same tiles for every workspace of this installation). */
  tileMeasures(): string[] {
    const stored = this.deps.settings.get<string[]>(TILES_KEY);
    const valid = Array.isArray(stored) ? stored.filter((m) => typeof m === 'string' && getMeasure(m)) : [];
    return valid.length ? valid : [...DEFAULT_DASHBOARD_TILES];
  }

  async setTileMeasures(measures: string[]): Promise<string[]> {
    const all = MEASURES.map((m) => m.name);
    for (const m of measures) {
      if (!getMeasure(m)) throw new AppError('validation', `Unknown measure "${m}". Valid names, nearest first: ${nearestFirst(m, all).slice(0, 8).join(', ')}.`, { reason: 'unknown_measure', name: m, valid: nearestFirst(m, all) });
    }
    const unique = [...new Set(measures)];
    await this.deps.settings.set(TILES_KEY, unique);
    return unique;
  }

  /** Each tile: the measure over the period (default last 30 days) against the period before. */
  async tiles(ctx: WorkspaceContext, timeRange: TimeRange = { preset: 'last_30_days' }): Promise<{ measures: string[]; tiles: KpiTile[] }> {
    const measures = this.tileMeasures();
    const tiles = await Promise.all(
      measures.map(async (name): Promise<KpiTile> => {
        const m = getMeasure(name)!;
        const all = 'preset' in timeRange && timeRange.preset === 'all_time';
        const spec = querySpec.parse({ measures: [name], timeRange, compare: !all });
        const result = await this.query(ctx, spec);
        const value = typeof result.totals[name] === 'number' ? (result.totals[name] as number) : null;
        const previous = result.previousTotals && typeof result.previousTotals[name] === 'number' ? (result.previousTotals[name] as number) : null;
        return { measure: name, label: m.label, spec: result.spec, value, previous, chart: chooseChart(result, m.label) };
      }),
    );
    return { measures, tiles };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
