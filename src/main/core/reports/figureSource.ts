import type { QuerySpecInput } from '@shared/analytics/spec';
import { reportMeasure, type ReportEntity } from '@shared/reports/measures';
import type { AnalyticsQueries } from '../analytics/analyticsService';
import { validateSpec } from '../analytics/validate';
import type { FigureRow, FigureScope, ReportFigureRepo } from '../repositories';
import type { WorkspaceContext } from '../workspaces/workspaceContext';

/**
 * Where report figures come from (ADR 0084): the shared metrics layer (`AnalyticsService.query`, issue 12 §1) for
 * every query whose measures and dimension it defines the same way, so a chart in a PDF and an answer on the
 * Analytics page are the same validated query; the reports' own compiler (`ReportFigureRepo`) for the rest
 * (snapshot measures such as open pipeline and backlog, per-deal lists, and the measures whose time column differs).
 * Which queries took which path is recorded (`routes`), and tests pin it.
 */
export type FigureSource = Pick<ReportFigureRepo, 'figures' | 'insights'>;

/** Report measure → analytics catalog measure, where both count the same rows on the same time column. */
export const ANALYTICS_MEASURES: Readonly<Record<string, string>> = {
  deals_won: 'deals_won',
  deals_lost: 'deals_lost',
  won_value: 'won_value',
  win_rate: 'win_rate',
  avg_deal_size: 'avg_deal_size',
  forecast_value: 'pipeline_value',
  weighted_forecast: 'weighted_pipeline',
  tickets_created: 'ticket_volume',
  avg_first_response_hours: 'first_response_hours',
  tasks_completed: 'tasks_completed',
  activities_logged: 'activity_count',
  jobs_completed: 'jobs_completed',
};

const DIMENSIONS: Readonly<Record<ReportEntity, Readonly<Record<string, string>>>> = {
  deals: { owner: 'owner', team: 'team', stage: 'stage', source: 'source' },
  tickets: { agent: 'agent', team: 'team', priority: 'priority', channel: 'channel', category: 'category' },
  tasks: { owner: 'owner', team: 'team', priority: 'priority' },
  activities: { owner: 'owner', team: 'team', type: 'type' },
  dispatch: { technician: 'technician', job_type: 'type', priority: 'priority' },
};

/** The person a report's owner parameter names, per entity. */
const OWNER_FIELD: Record<ReportEntity, string> = { deals: 'owner', tickets: 'agent', tasks: 'owner', activities: 'owner', dispatch: 'technician' };

const additive = (m: string): boolean => {
  const d = reportMeasure(m);
  return !!d && d.format.style !== 'percent' && d.format.style !== 'duration' && !m.startsWith('avg_') && m !== 'csat';
};

/** The analytics spec for a report query, or null when the metrics layer does not define it the same way. */
export function toQuerySpec(measures: readonly string[], dimension: string | null, scope: FigureScope): QuerySpecInput | null {
  const defs = measures.map((m) => reportMeasure(m));
  if (defs.some((d) => !d || !ANALYTICS_MEASURES[d.key])) return null;
  const entity = defs[0]!.entity;
  const spec: QuerySpecInput = { measures: measures.map((m) => ANALYTICS_MEASURES[m]!), timeRange: { from: scope.from, to: scope.to }, limit: 1000 };
  if (dimension?.startsWith('time:')) spec.grain = dimension.slice(5) as 'day';
  else if (dimension) {
    const d = DIMENSIONS[entity][dimension];
    if (!d) return null;
    spec.dimensions = [d];
  }
  const filters: NonNullable<QuerySpecInput['filters']> = [];
  if (scope.owner) filters.push({ field: OWNER_FIELD[entity], op: 'eq', values: [scope.owner] });
  if (scope.team && entity !== 'dispatch') filters.push({ field: 'team', op: 'eq', values: [scope.team] });
  if (scope.pipeline && entity === 'deals') filters.push({ field: 'source', op: 'eq', values: [scope.pipeline] });
  if (filters.length) spec.filters = filters;
  try {
    validateSpec(spec);
  } catch {
    return null;
  }
  return spec;
}

export interface RoutedFigureSource extends FigureSource {
  /** One entry per query: "analytics" or "reports", with the measures and dimension asked for. */
  readonly routes: { via: 'analytics' | 'reports'; measures: string[]; dimension: string | null }[];
}

export function reportFigureSource(ctx: WorkspaceContext, analytics: AnalyticsQueries | null): RoutedFigureSource {
  const own = ctx.repos.reportFigures;
  const routes: RoutedFigureSource['routes'] = [];
  return {
    routes,
    insights: (q) => own.insights(q),
    async figures(measures, dimension, scope): Promise<FigureRow[]> {
      // A query mixing measures the metrics layer defines with ones it does not is split in two and merged by key.
      const mapped = analytics ? measures.filter((m) => toQuerySpec([m], dimension, scope) !== null) : [];
      if (mapped.length > 0 && mapped.length < measures.length) {
        const rest = measures.filter((m) => !mapped.includes(m));
        const [a, b] = [await this.figures(mapped, dimension, scope), await this.figures(rest, dimension, scope)];
        const byKey = new Map<string | null, FigureRow>();
        for (const r of [...a, ...b]) byKey.set(r.key, { key: r.key, values: { ...byKey.get(r.key)?.values, ...r.values } });
        // A key only one half has gets the other half's "nothing" (0 for counts and sums, no value for rates).
        return [...byKey.values()].map((r) => ({ key: r.key, values: Object.fromEntries(measures.map((m) => [m, r.values[m] ?? (additive(m) ? 0 : null)])) }));
      }
      const spec = analytics ? toQuerySpec(measures, dimension, scope) : null;
      if (!spec || !analytics) {
        routes.push({ via: 'reports', measures: [...measures], dimension });
        return own.figures(measures, dimension, scope);
      }
      routes.push({ via: 'analytics', measures: [...measures], dimension });
      const result = await analytics.query(ctx, spec);
      const value = (row: Record<string, unknown>, m: string): number | null => {
        const v = row[ANALYTICS_MEASURES[m]!];
        return typeof v === 'number' && Number.isFinite(v) ? v : null;
      };
      // Over no rows a count or a sum is 0 (as the reports' compiler says), an average or a rate has no value.
      const values = (row: Record<string, unknown>): Record<string, number | null> => Object.fromEntries(measures.map((m) => [m, value(row, m) ?? (additive(m) ? 0 : null)]));
      if (!dimension) return [{ key: null, values: values(result.totals) }];
      const keyField = dimension.startsWith('time:') ? 'period' : spec.dimensions![0]!;
      return result.rows.map((r) => {
        const k = r[keyField];
        return { key: k === null || k === undefined ? null : String(k).slice(0, dimension.startsWith('time:') ? 10 : undefined), values: values(r) };
      });
    },
  };
}
