import { z } from 'zod';
import { SEVERITIES, INSIGHT_STATUSES } from '../insights';
import { REPORT_DIMENSIONS, reportMeasure } from './measures';

/**
 * Report templates as data (ADR 0084): parameters a person fills in, and sections that say what to compute — KPI
 * tiles, charts and tables (each a query over the measures of `measures.ts`), insight lists, and an optional
 * narrative the model writes from the computed figures only. A template holds no SQL and no text for the model
 * beyond its focus line; `src/main/core/reports/build.ts` turns (template, parameters) into a report document.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date such as 2026-06-15.');
const filterText = z.string().trim().min(1).max(120);

export const COMPARE_MODES = ['previous_period', 'none'] as const;

/** What a run is asked for. Dates are inclusive days (UTC); missing ones come from the template's default range. */
export const reportParams = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** A person's name: deal owner, task assignee, activity owner or ticket agent. */
    owner: filterText.optional(),
    /** A team name (users' and agents' team). */
    team: filterText.optional(),
    /** A sales pipeline: the demo data has one per lead source, so this filters deals by source. */
    pipeline: filterText.optional(),
    compare: z.enum(COMPARE_MODES).default('previous_period'),
  })
  .strict()
  .refine((p) => !p.from || !p.to || p.from <= p.to, { message: 'The start date must be on or before the end date.', path: ['from'] });
export type ReportParams = z.infer<typeof reportParams>;
export type ReportParamsInput = z.input<typeof reportParams>;
export const PARAM_KEYS = ['from', 'to', 'owner', 'team', 'pipeline', 'compare'] as const;
export type ParamKey = (typeof PARAM_KEYS)[number];

const sectionId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/);
const title = z.string().trim().min(1).max(200);

/** A query over one entity's measures, grouped by one dimension (`owner`, `stage`, … or `time:day|week|month|quarter`). */
export const reportQuery = z.object({
  measures: z.array(z.string()).min(1).max(6),
  dimension: z.string().min(1).max(40),
  sort: z.enum(['value_desc', 'value_asc', 'dimension']).default('value_desc'),
  limit: z.number().int().min(1).max(500).default(20),
});
export type ReportQuery = z.infer<typeof reportQuery>;

export const kpiSectionDef = z.object({ kind: z.literal('kpis'), id: sectionId, title, measures: z.array(z.string()).min(1).max(12) });
export const chartSectionDef = z.object({
  kind: z.literal('chart'),
  id: sectionId,
  title,
  chart: z.enum(['line', 'bar', 'stacked-bar', 'pie']),
  query: reportQuery,
  horizontal: z.boolean().optional(),
  caption: z.string().max(500).optional(),
});
export const tableSectionDef = z.object({ kind: z.literal('table'), id: sectionId, title, query: reportQuery, caption: z.string().max(500).optional() });
export const insightSectionDef = z.object({
  kind: z.literal('insights'),
  id: sectionId,
  title,
  severities: z.array(z.enum(SEVERITIES)).min(1),
  /** 'created': insights created in the period; 'actioned': insights whose status changed to actioned in the period. */
  window: z.enum(['created', 'actioned']),
  statuses: z.array(z.enum(INSIGHT_STATUSES)).optional(),
  /** Insight domains (sales, support, …); all when absent. */
  domains: z.array(z.string().min(1).max(40)).optional(),
  limit: z.number().int().min(1).max(200).default(25),
  emptyText: z.string().max(300),
});
export const narrativeSectionDef = z.object({
  kind: z.literal('narrative'),
  id: sectionId,
  title,
  /** What the summary should be about, in one line (the figures come from the other sections). */
  focus: z.string().min(1).max(300),
});

export const templateSection = z.discriminatedUnion('kind', [kpiSectionDef, chartSectionDef, tableSectionDef, insightSectionDef, narrativeSectionDef]);
export type TemplateSection = z.infer<typeof templateSection>;

export const reportTemplate = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{2,40}$/),
  name: z.string().min(1).max(80),
  description: z.string().min(1).max(400),
  /** Which parameters the form shows (dates and compare always apply). */
  parameters: z.array(z.enum(['owner', 'team', 'pipeline'])),
  /** The range used when a run gives no dates: `days` up to today (past) or from today (future). */
  defaultRange: z.object({ days: z.number().int().min(1).max(366), direction: z.enum(['past', 'future']) }),
  /** 'previous_run': KPI tiles compare with the last successful run of this template (a forecast against the previous forecast). */
  compareWith: z.enum(['previous_period', 'previous_run']).default('previous_period'),
  sections: z.array(templateSection).min(1).max(40),
});
export type ReportTemplate = z.infer<typeof reportTemplate>;

const q = (measures: string[], dimension: string, extra: Partial<ReportQuery> = {}): ReportQuery => ({ measures, dimension, sort: 'value_desc', limit: 20, ...extra });

export const REPORT_TEMPLATES: readonly ReportTemplate[] = [
  {
    key: 'weekly_sales',
    name: 'Weekly sales summary',
    description: 'Won business, win rate and pipeline for the week, by owner and source, with the new deals and activity behind them.',
    parameters: ['owner', 'team', 'pipeline'],
    defaultRange: { days: 7, direction: 'past' },
    compareWith: 'previous_period',
    sections: [
      { kind: 'kpis', id: 'headline', title: 'Headline figures', measures: ['won_value', 'deals_won', 'win_rate', 'avg_deal_size', 'deals_created', 'pipeline_value'] },
      { kind: 'narrative', id: 'summary', title: 'Summary', focus: 'How the period went for sales: won business, win rate and the pipeline, and who drove it.' },
      { kind: 'chart', id: 'won-by-day', title: 'Won value by day', chart: 'line', query: q(['won_value'], 'time:day', { sort: 'dimension', limit: 400 }) },
      { kind: 'chart', id: 'won-by-owner', title: 'Won value by owner', chart: 'bar', horizontal: true, query: q(['won_value'], 'owner', { limit: 15 }) },
      { kind: 'chart', id: 'win-rate-by-owner', title: 'Win rate by owner', chart: 'bar', horizontal: true, query: q(['win_rate'], 'owner', { limit: 15 }) },
      { kind: 'chart', id: 'pipeline-by-stage', title: 'Open pipeline by stage', chart: 'bar', query: q(['pipeline_value'], 'stage', { sort: 'dimension' }) },
      { kind: 'chart', id: 'new-deals-by-source', title: 'New deals by source', chart: 'pie', query: q(['deals_created'], 'source', { limit: 8 }) },
      { kind: 'chart', id: 'activities-by-type', title: 'Activities by type', chart: 'bar', query: q(['activities_logged'], 'type') },
      { kind: 'table', id: 'owners', title: 'Owners', query: q(['won_value', 'deals_won', 'deals_lost', 'win_rate', 'avg_deal_size'], 'owner', { limit: 100 }) },
      { kind: 'table', id: 'sources', title: 'Lead sources', query: q(['deals_created', 'deals_won', 'won_value'], 'source', { limit: 50 }) },
      { kind: 'table', id: 'won-deals', title: 'Deals won', query: q(['won_value'], 'deal', { limit: 500 }) },
    ],
  },
  {
    key: 'pipeline_forecast',
    name: 'Pipeline forecast',
    description: 'Open deals by close month, weighted by probability, against the previous forecast run.',
    parameters: ['owner', 'team', 'pipeline'],
    defaultRange: { days: 120, direction: 'future' },
    compareWith: 'previous_run',
    sections: [
      { kind: 'kpis', id: 'forecast', title: 'Forecast', measures: ['weighted_forecast', 'forecast_value', 'pipeline_value', 'open_deals'] },
      { kind: 'narrative', id: 'summary', title: 'Summary', focus: 'What the forecast says about the coming months and how it moved since the previous forecast.' },
      { kind: 'chart', id: 'by-close-month', title: 'Forecast by close month', chart: 'bar', query: q(['weighted_forecast', 'forecast_value'], 'time:month', { sort: 'dimension', limit: 24 }) },
      { kind: 'chart', id: 'by-stage', title: 'Weighted forecast by stage', chart: 'bar', query: q(['weighted_forecast'], 'stage', { sort: 'dimension' }) },
      { kind: 'table', id: 'months', title: 'Close months', query: q(['forecast_value', 'weighted_forecast'], 'time:month', { sort: 'dimension', limit: 24 }) },
      { kind: 'table', id: 'owners', title: 'Forecast by owner', query: q(['weighted_forecast', 'forecast_value'], 'owner', { limit: 100 }) },
    ],
  },
  {
    key: 'operations_throughput',
    name: 'Operations throughput',
    description: 'Tickets in and out, backlog, resolution time, field jobs and tasks completed.',
    parameters: ['owner', 'team'],
    defaultRange: { days: 7, direction: 'past' },
    compareWith: 'previous_period',
    sections: [
      { kind: 'kpis', id: 'throughput', title: 'Throughput', measures: ['tickets_created', 'tickets_resolved', 'backlog', 'avg_resolution_hours', 'jobs_completed', 'tasks_completed'] },
      { kind: 'narrative', id: 'summary', title: 'Summary', focus: 'Whether operations kept up with demand: tickets in versus out, the backlog, resolution time and field work.' },
      { kind: 'chart', id: 'tickets-by-day', title: 'Tickets opened by day', chart: 'line', query: q(['tickets_created'], 'time:day', { sort: 'dimension', limit: 400 }) },
      { kind: 'chart', id: 'resolved-by-priority', title: 'Tickets resolved by priority', chart: 'bar', query: q(['tickets_resolved'], 'priority') },
      { kind: 'chart', id: 'jobs-by-type', title: 'Field jobs completed by type', chart: 'bar', query: q(['jobs_completed'], 'job_type') },
      { kind: 'table', id: 'agents', title: 'Agents', query: q(['tickets_resolved', 'avg_resolution_hours', 'csat'], 'agent', { limit: 100 }) },
    ],
  },
  {
    key: 'activity_sla',
    name: 'Activity SLA',
    description: 'Tasks done on time, overdue work, ticket first response and SLA breaches, by person and priority.',
    parameters: ['owner', 'team'],
    defaultRange: { days: 30, direction: 'past' },
    compareWith: 'previous_period',
    sections: [
      { kind: 'kpis', id: 'sla', title: 'Service levels', measures: ['tasks_on_time_rate', 'tasks_completed', 'tasks_overdue', 'sla_breach_rate', 'avg_first_response_hours'] },
      { kind: 'chart', id: 'on-time-by-owner', title: 'Tasks done on time by assignee', chart: 'bar', horizontal: true, query: q(['tasks_on_time_rate'], 'owner', { limit: 15 }) },
      { kind: 'chart', id: 'breach-by-priority', title: 'SLA breach rate by priority', chart: 'bar', query: q(['sla_breach_rate'], 'priority') },
      { kind: 'table', id: 'assignees', title: 'Assignees', query: q(['tasks_completed', 'tasks_on_time_rate'], 'owner', { limit: 100 }) },
      { kind: 'table', id: 'agents', title: 'Support agents', query: q(['tickets_created', 'avg_first_response_hours', 'sla_breach_rate'], 'agent', { limit: 100 }) },
    ],
  },
  {
    key: 'insights_digest',
    name: 'Insights digest',
    description: 'New critical and high insights of the period, and what was actioned.',
    parameters: [],
    defaultRange: { days: 7, direction: 'past' },
    compareWith: 'previous_period',
    sections: [
      { kind: 'insights', id: 'new-critical-high', title: 'New critical and high insights', severities: ['critical', 'high'], window: 'created', limit: 50, emptyText: 'No new critical or high insights in this period.' },
      { kind: 'insights', id: 'actioned', title: 'Actioned', severities: ['critical', 'high', 'medium', 'low', 'info'], window: 'actioned', statuses: ['actioned'], limit: 50, emptyText: 'Nothing was actioned in this period.' },
    ],
  },
  {
    key: 'coaching_brief',
    name: 'Coaching brief',
    description: 'One person or team: results, activity and follow-through, with the insights worth a conversation.',
    parameters: ['owner', 'team'],
    defaultRange: { days: 30, direction: 'past' },
    compareWith: 'previous_period',
    sections: [
      { kind: 'kpis', id: 'results', title: 'Results', measures: ['won_value', 'deals_won', 'win_rate', 'activities_logged', 'tasks_on_time_rate', 'tasks_overdue'] },
      { kind: 'narrative', id: 'brief', title: 'Brief', focus: 'Strengths and one or two things to work on, for a coaching conversation.' },
      { kind: 'chart', id: 'activities-by-type', title: 'Activities by type', chart: 'bar', query: q(['activities_logged'], 'type') },
      { kind: 'table', id: 'owners', title: 'Results by owner', query: q(['won_value', 'deals_won', 'win_rate'], 'owner', { limit: 100 }) },
      { kind: 'insights', id: 'sales-insights', title: 'Insights to discuss', severities: ['critical', 'high', 'medium'], window: 'created', domains: ['crm', 'performance'], limit: 15, emptyText: 'No sales or performance insights in this period.' },
    ],
  },
];

export const TIME_DIMENSIONS = ['time:day', 'time:week', 'time:month', 'time:quarter'] as const;

/** Problems with a template (unknown measures, mixed entities, dimensions a measure lacks); empty when it is sound. */
export function templateProblems(t: ReportTemplate): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const checkQuery = (sectionIdValue: string, query: ReportQuery): void => {
    const measures = query.measures.map((m) => ({ key: m, def: reportMeasure(m) }));
    for (const m of measures) if (!m.def) problems.push(`${sectionIdValue}: unknown measure "${m.key}"`);
    const entities = new Set(measures.flatMap((m) => (m.def ? [m.def.entity] : [])));
    if (entities.size > 1) problems.push(`${sectionIdValue}: measures of different entities (${[...entities].join(', ')})`);
    const entity = [...entities][0];
    if (!entity) return;
    if ((TIME_DIMENSIONS as readonly string[]).includes(query.dimension)) {
      if (measures.some((m) => m.def && m.def.time === null)) problems.push(`${sectionIdValue}: a snapshot measure cannot be grouped by time`);
      if (new Set(measures.map((m) => m.def?.time)).size > 1) problems.push(`${sectionIdValue}: measures on different time columns cannot share a time axis`);
    } else if (!REPORT_DIMENSIONS[entity].some((d) => d.key === query.dimension)) {
      problems.push(`${sectionIdValue}: ${entity} has no dimension "${query.dimension}"`);
    }
  };
  for (const s of t.sections) {
    if (ids.has(s.id)) problems.push(`section id "${s.id}" is used twice`);
    ids.add(s.id);
    if (s.kind === 'kpis') for (const m of s.measures) if (!reportMeasure(m)) problems.push(`${s.id}: unknown measure "${m}"`);
    if (s.kind === 'chart' || s.kind === 'table') checkQuery(s.id, s.query);
    if (s.kind === 'chart' && s.chart === 'pie' && s.query.measures.length !== 1) problems.push(`${s.id}: a pie shows one measure`);
  }
  if (t.sections.filter((s) => s.kind === 'narrative').length > 1) problems.push('at most one narrative section');
  return problems;
}

export const reportTemplateByKey = (key: string): ReportTemplate | undefined => REPORT_TEMPLATES.find((t) => t.key === key);
