import { sql, type Kysely, type RawBuilder } from 'kysely';
import { AppError } from '@shared/errors';
import type { Severity, InsightStatus } from '@shared/insights';
import { REPORT_DIMENSIONS, reportMeasure, type ReportEntity, type ReportMeasure } from '@shared/reports/measures';
import type { Dialect } from '../db/dialect';
import type { WorkspaceDatabase } from '../db/schema/workspace';

/**
 * The figures report templates ask for: measures over one entity, grouped by a dimension or not, within a date range
 * and the run's filters; and insight lists (ADR 0084): a small compiler of the measures in `@shared/reports/measures`,
 * for the queries the shared metrics layer (issue 12 §1) does not define the same way. Every value is a bound parameter;
 * the SQL text is built only from the names in this file. Runs on SQLite and PostgreSQL.
 */

export interface FigureScope {
  /** First day, inclusive (YYYY-MM-DD). */
  from: string;
  /** Last day, inclusive. */
  to: string;
  owner?: string | undefined;
  team?: string | undefined;
  pipeline?: string | undefined;
  /** "Now" for snapshot measures (open past due), ISO. */
  now: string;
}

export interface FigureRow {
  /** The dimension value (a name, or a period start YYYY-MM-DD); null for the ungrouped total. */
  key: string | null;
  values: Record<string, number | null>;
}

export interface InsightListQuery {
  from: string;
  to: string;
  severities: readonly Severity[];
  window: 'created' | 'actioned';
  statuses?: readonly InsightStatus[] | undefined;
  domains?: readonly string[] | undefined;
  limit: number;
}

export interface InsightListItem {
  id: string;
  severity: Severity | null;
  title: string;
  summary: string;
  status: InsightStatus;
  entityType: string | null;
  entityId: number | null;
  entityTitle: string | null;
  createdAt: string;
}

export interface ReportFigureRepo {
  /** One row per dimension value (or one total row when `dimension` is null). */
  figures(measures: readonly string[], dimension: string | null, scope: FigureScope): Promise<FigureRow[]>;
  insights(query: InsightListQuery): Promise<InsightListItem[]>;
}

interface EntitySql {
  table: string;
  /** The joined person table (alias u) for owner / team. */
  join: RawBuilder<unknown>;
  ownerName: RawBuilder<unknown>;
  team: RawBuilder<unknown> | null;
  pipeline: RawBuilder<unknown> | null;
  dims: Record<string, RawBuilder<unknown>>;
}

const col = (name: string): RawBuilder<unknown> => sql.ref(`t.${name}`);

const ENTITIES: Record<ReportEntity, EntitySql> = {
  deals: {
    table: 'deals',
    join: sql`LEFT JOIN users u ON u.id = t.owner_id`,
    ownerName: sql.ref('u.name'),
    team: sql.ref('u.team'),
    pipeline: col('source'),
    dims: { deal: col('name'), owner: sql.ref('u.name'), team: sql.ref('u.team'), stage: col('stage'), source: col('source') },
  },
  tickets: {
    table: 'tickets',
    join: sql`LEFT JOIN agents u ON u.id = t.agent_id`,
    ownerName: sql.ref('u.name'),
    team: sql.ref('u.team'),
    pipeline: null,
    dims: { agent: sql.ref('u.name'), team: sql.ref('u.team'), priority: col('priority'), channel: col('channel'), category: col('category') },
  },
  tasks: {
    table: 'tasks',
    join: sql`LEFT JOIN users u ON u.id = t.assignee_id`,
    ownerName: sql.ref('u.name'),
    team: sql.ref('u.team'),
    pipeline: null,
    dims: { owner: sql.ref('u.name'), team: sql.ref('u.team'), priority: col('priority') },
  },
  activities: {
    table: 'activities',
    join: sql`LEFT JOIN users u ON u.id = t.user_id`,
    ownerName: sql.ref('u.name'),
    team: sql.ref('u.team'),
    pipeline: null,
    dims: { owner: sql.ref('u.name'), team: sql.ref('u.team'), type: col('type') },
  },
  dispatch: {
    table: 'dispatch_jobs',
    join: sql`LEFT JOIN technicians u ON u.id = t.technician_id`,
    ownerName: sql.ref('u.name'),
    team: null,
    pipeline: null,
    dims: { technician: sql.ref('u.name'), job_type: col('job_type'), priority: col('priority') },
  },
};

type Agg = 'count' | 'sum' | 'avg';
interface MeasureSql {
  agg: Agg;
  /** Row condition (besides the date range). */
  where: (d: Dialect, s: FigureScope) => RawBuilder<unknown>;
  /** The value aggregated (count ignores it). */
  value?: (d: Dialect, s: FigureScope) => RawBuilder<unknown>;
}

const OPEN_DEAL = sql`t.stage NOT IN ('closed_won', 'closed_lost')`;
const WON = sql`t.stage = 'closed_won'`;
const yes = sql`1 = 1`;

const MEASURE_SQL: Record<string, MeasureSql> = {
  pipeline_value: { agg: 'sum', where: () => OPEN_DEAL, value: () => col('amount') },
  open_deals: { agg: 'count', where: () => OPEN_DEAL },
  forecast_value: { agg: 'sum', where: () => OPEN_DEAL, value: () => col('amount') },
  weighted_forecast: { agg: 'sum', where: () => OPEN_DEAL, value: () => sql`(t.amount * t.probability)` },
  deals_won: { agg: 'count', where: () => WON },
  deals_lost: { agg: 'count', where: () => sql`t.stage = 'closed_lost'` },
  won_value: { agg: 'sum', where: () => WON, value: () => col('amount') },
  win_rate: { agg: 'avg', where: () => sql`t.stage IN ('closed_won', 'closed_lost')`, value: () => sql`(CASE WHEN t.stage = 'closed_won' THEN 1.0 ELSE 0.0 END)` },
  avg_deal_size: { agg: 'avg', where: () => sql`${WON} AND t.amount IS NOT NULL`, value: () => col('amount') },
  deals_created: { agg: 'count', where: () => yes },
  tickets_created: { agg: 'count', where: () => yes },
  tickets_resolved: { agg: 'count', where: () => sql`t.resolved_at IS NOT NULL` },
  backlog: { agg: 'count', where: () => sql`t.status NOT IN ('solved', 'closed')` },
  avg_first_response_hours: { agg: 'avg', where: () => sql`t.first_response_at IS NOT NULL`, value: (d) => sql`(${d.secondsBetween(col('first_response_at'), col('created_at'))} / 3600.0)` },
  avg_resolution_hours: { agg: 'avg', where: () => sql`t.resolved_at IS NOT NULL`, value: (d) => sql`(${d.secondsBetween(col('resolved_at'), col('created_at'))} / 3600.0)` },
  sla_breach_rate: { agg: 'avg', where: () => sql`t.sla_due_at IS NOT NULL`, value: (_d, s) => sql`(CASE WHEN coalesce(t.resolved_at, ${s.now}) > t.sla_due_at THEN 1.0 ELSE 0.0 END)` },
  csat: { agg: 'avg', where: () => sql`t.csat IS NOT NULL AND t.resolved_at IS NOT NULL`, value: () => col('csat') },
  tasks_completed: { agg: 'count', where: () => sql`t.status = 'done' AND t.completed_at IS NOT NULL` },
  tasks_on_time_rate: {
    agg: 'avg',
    where: () => sql`t.status = 'done' AND t.completed_at IS NOT NULL AND t.due_date IS NOT NULL`,
    value: (d) => sql`(CASE WHEN ${d.toDate(col('completed_at'))} <= t.due_date THEN 1.0 ELSE 0.0 END)`,
  },
  tasks_overdue: { agg: 'count', where: (_d, s) => sql`t.status IN ('open', 'in_progress') AND t.due_date < ${s.now.slice(0, 10)}` },
  activities_logged: { agg: 'count', where: () => yes },
  jobs_completed: { agg: 'count', where: () => sql`t.status = 'completed' AND t.completed_at IS NOT NULL` },
  jobs_on_time_rate: {
    agg: 'avg',
    where: () => sql`t.status = 'completed' AND t.completed_at IS NOT NULL AND t.sla_due_at IS NOT NULL`,
    value: () => sql`(CASE WHEN t.completed_at <= t.sla_due_at THEN 1.0 ELSE 0.0 END)`,
  },
};

/** The day after an inclusive last day, for `< next` comparisons that work on dates and timestamps alike. */
export function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const GRAINS = new Set(['day', 'week', 'month', 'quarter']);

export class KyselyReportFigureRepo implements ReportFigureRepo {
  constructor(
    private readonly db: Kysely<WorkspaceDatabase>,
    private readonly dialect: Dialect,
  ) {}

  /** Exposed for tests: every measure must have SQL (and nothing else may). */
  static readonly measureKeys = Object.keys(MEASURE_SQL);

  async figures(measureKeys: readonly string[], dimension: string | null, scope: FigureScope): Promise<FigureRow[]> {
    const measures = measureKeys.map((k) => {
      const def = reportMeasure(k);
      const q = MEASURE_SQL[k];
      if (!def || !q) throw new AppError('validation', `Unknown measure "${k}".`);
      return { def, q };
    });
    const entity = measures[0]!.def.entity;
    if (measures.some((m) => m.def.entity !== entity)) throw new AppError('validation', `One query reads one kind of record; ${measureKeys.join(', ')} mix several.`);
    const e = ENTITIES[entity];
    const d = this.dialect;
    const next = dayAfter(scope.to);
    const inRange = (m: ReportMeasure): RawBuilder<unknown> => (m.time === null ? yes : sql`${col(m.time)} >= ${scope.from} AND ${col(m.time)} < ${next}`);

    let dimExpr: RawBuilder<unknown> | null = null;
    if (dimension?.startsWith('time:')) {
      const grain = dimension.slice(5);
      const times = new Set(measures.map((m) => m.def.time));
      const time = [...times][0];
      if (!GRAINS.has(grain) || times.size !== 1 || !time) throw new AppError('validation', `"${dimension}" needs measures that share one time column.`);
      dimExpr = d.truncateDate(col(time), grain as 'day');
    } else if (dimension) {
      const expr = e.dims[dimension];
      if (!expr) throw new AppError('validation', `${entity} cannot be grouped by "${dimension}"; use one of ${REPORT_DIMENSIONS[entity].map((x) => x.key).join(', ')}.`);
      dimExpr = expr;
    }

    const filters: RawBuilder<unknown>[] = [];
    if (scope.owner) filters.push(d.equalsIgnoreCase(e.ownerName, scope.owner));
    if (scope.team && e.team) filters.push(d.equalsIgnoreCase(e.team, scope.team));
    if (scope.pipeline && e.pipeline) filters.push(d.equalsIgnoreCase(e.pipeline, scope.pipeline));
    // Rows that no measure could count are left out early (each measure still checks its own range).
    filters.push(sql`(${sql.join(measures.map((m) => sql`(${m.q.where(d, scope)} AND ${inRange(m.def)})`), sql` OR `)})`);

    const selects = measures.map((m, i) => {
      const cond = sql`${m.q.where(d, scope)} AND ${inRange(m.def)}`;
      const alias = sql.raw(`m${i}`);
      if (m.q.agg === 'count') return sql`count(CASE WHEN ${cond} THEN 1 END) AS ${alias}`;
      const value = m.q.value!(d, scope);
      return m.q.agg === 'sum' ? sql`coalesce(sum(CASE WHEN ${cond} THEN ${value} END), 0) AS ${alias}` : sql`avg(CASE WHEN ${cond} THEN ${value} END) AS ${alias}`;
    });
    const where = sql.join(filters, sql` AND `);
    const query = dimExpr
      ? sql<Record<string, unknown>>`SELECT ${dimExpr} AS dim, ${sql.join(selects)} FROM ${sql.table(e.table)} t ${e.join} WHERE ${where} GROUP BY ${dimExpr}`
      : sql<Record<string, unknown>>`SELECT ${sql.join(selects)} FROM ${sql.table(e.table)} t ${e.join} WHERE ${where}`;
    const { rows } = await query.execute(this.db);
    const out = rows.map((r) => ({
      key: dimExpr ? (r.dim === null || r.dim === undefined ? null : String(r.dim)) : null,
      values: Object.fromEntries(measures.map((m, i) => [m.def.key, num(r[`m${i}`])])),
    }));
    // An ungrouped query over no rows still has its zeros (counts and sums) and no averages.
    if (!dimExpr && out.length === 0) out.push({ key: null, values: Object.fromEntries(measures.map((m) => [m.def.key, m.q.agg === 'avg' ? null : 0])) });
    return out;
  }

  async insights(q: InsightListQuery): Promise<InsightListItem[]> {
    const next = dayAfter(q.to);
    let query = this.db
      .selectFrom('insights')
      .select(['id', 'severity', 'title', 'summary', 'status', 'entity_type', 'entity_id', 'entity_title', 'created_at'])
      .where('severity', 'in', [...q.severities]);
    query =
      q.window === 'created'
        ? query.where('created_at', '>=', q.from).where('created_at', '<', next).where('status', 'not in', ['pending', 'failed'])
        : query.where('status_changed_at', '>=', q.from).where('status_changed_at', '<', next);
    if (q.statuses?.length) query = query.where('status', 'in', [...q.statuses]);
    if (q.domains?.length) query = query.where('domain', 'in', [...q.domains]);
    const rows = await query.orderBy('severity_rank', 'desc').orderBy('created_at', 'desc').orderBy('id').limit(q.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      severity: (r.severity ?? null) as Severity | null,
      title: r.title,
      summary: r.summary,
      status: r.status as InsightStatus,
      entityType: r.entity_type ?? null,
      entityId: r.entity_id === null || r.entity_id === undefined ? null : Number(r.entity_id),
      entityTitle: r.entity_title ?? null,
      createdAt: r.created_at,
    }));
  }
}

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}
