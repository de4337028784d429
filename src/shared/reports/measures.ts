import type { NumberFormat } from '../charts/spec';

/**
 * The measures and dimensions report templates may name, as data (ADR 0084). Where the analytics catalog defines a
 * measure the same way, report queries run through the metrics layer (`src/main/core/reports/figureSource.ts`);
 * the others (snapshots such as open pipeline and backlog, per-deal lists) through the reports' own compiler
 * (`src/main/core/repositories/reportFigureRepo.ts`). Templates name these keys, never SQL.
 */

export const REPORT_ENTITIES = ['deals', 'tickets', 'tasks', 'activities', 'dispatch'] as const;
export type ReportEntity = (typeof REPORT_ENTITIES)[number];

export interface ReportMeasure {
  key: string;
  label: string;
  description: string;
  entity: ReportEntity;
  format: NumberFormat;
  betterWhen: 'up' | 'down' | 'neutral';
  /**
   * What the report's date range applies to: a time column of the entity, or null for a snapshot measure (open
   * deals, backlog) that is read as of now and has no previous-period figure.
   */
  time: string | null;
}

const count = (unit?: string): NumberFormat => ({ style: 'number', decimals: 0, ...(unit ? { unit } : {}) });
const usd: NumberFormat = { style: 'currency', currency: 'USD', decimals: 0 };
const pct: NumberFormat = { style: 'percent', decimals: 1 };
const hours: NumberFormat = { style: 'duration', durationUnit: 'hours', decimals: 1 };

export const REPORT_MEASURES: readonly ReportMeasure[] = [
  { key: 'pipeline_value', label: 'Pipeline value', description: 'Sum of the amounts of open deals (not closed won or lost), now.', entity: 'deals', format: usd, betterWhen: 'up', time: null },
  { key: 'open_deals', label: 'Open deals', description: 'Deals not closed won or lost, now.', entity: 'deals', format: count('deals'), betterWhen: 'up', time: null },
  { key: 'forecast_value', label: 'Forecast (unweighted)', description: 'Amounts of open deals whose close date falls in the period.', entity: 'deals', format: usd, betterWhen: 'up', time: 'close_date' },
  { key: 'weighted_forecast', label: 'Weighted forecast', description: 'Amount × probability of open deals whose close date falls in the period.', entity: 'deals', format: usd, betterWhen: 'up', time: 'close_date' },
  { key: 'deals_won', label: 'Deals won', description: 'Deals closed won with a close date in the period.', entity: 'deals', format: count('deals'), betterWhen: 'up', time: 'close_date' },
  { key: 'deals_lost', label: 'Deals lost', description: 'Deals closed lost with a close date in the period.', entity: 'deals', format: count('deals'), betterWhen: 'down', time: 'close_date' },
  { key: 'won_value', label: 'Won value', description: 'Amounts of deals closed won in the period.', entity: 'deals', format: usd, betterWhen: 'up', time: 'close_date' },
  { key: 'win_rate', label: 'Win rate', description: 'Won ÷ (won + lost) among deals closed in the period.', entity: 'deals', format: pct, betterWhen: 'up', time: 'close_date' },
  { key: 'avg_deal_size', label: 'Average deal size', description: 'Mean amount of deals closed won in the period.', entity: 'deals', format: usd, betterWhen: 'up', time: 'close_date' },
  { key: 'deals_created', label: 'New deals', description: 'Deals created in the period.', entity: 'deals', format: count('deals'), betterWhen: 'up', time: 'created_at' },
  { key: 'tickets_created', label: 'Tickets opened', description: 'Tickets created in the period.', entity: 'tickets', format: count('tickets'), betterWhen: 'neutral', time: 'created_at' },
  { key: 'tickets_resolved', label: 'Tickets resolved', description: 'Tickets resolved in the period.', entity: 'tickets', format: count('tickets'), betterWhen: 'up', time: 'resolved_at' },
  { key: 'backlog', label: 'Ticket backlog', description: 'Tickets not solved or closed, now.', entity: 'tickets', format: count('tickets'), betterWhen: 'down', time: null },
  { key: 'avg_first_response_hours', label: 'First response time', description: 'Mean hours from creation to first response, tickets created in the period.', entity: 'tickets', format: hours, betterWhen: 'down', time: 'created_at' },
  { key: 'avg_resolution_hours', label: 'Resolution time', description: 'Mean hours from creation to resolution, tickets resolved in the period.', entity: 'tickets', format: hours, betterWhen: 'down', time: 'resolved_at' },
  { key: 'sla_breach_rate', label: 'SLA breach rate', description: 'Share of tickets created in the period with an SLA due time that were resolved after it (or are still open past it).', entity: 'tickets', format: pct, betterWhen: 'down', time: 'created_at' },
  { key: 'csat', label: 'CSAT', description: 'Mean satisfaction score (1–5) of tickets resolved in the period.', entity: 'tickets', format: { style: 'number', decimals: 2 }, betterWhen: 'up', time: 'resolved_at' },
  { key: 'tasks_completed', label: 'Tasks completed', description: 'Tasks marked done in the period.', entity: 'tasks', format: count('tasks'), betterWhen: 'up', time: 'completed_at' },
  { key: 'tasks_on_time_rate', label: 'Tasks done on time', description: 'Share of tasks completed in the period on or before their due date (activity SLA).', entity: 'tasks', format: pct, betterWhen: 'up', time: 'completed_at' },
  { key: 'tasks_overdue', label: 'Overdue tasks', description: 'Open tasks whose due date has passed, now.', entity: 'tasks', format: count('tasks'), betterWhen: 'down', time: null },
  { key: 'activities_logged', label: 'Activities logged', description: 'Calls, meetings, emails and notes logged in the period.', entity: 'activities', format: count('activities'), betterWhen: 'up', time: 'occurred_at' },
  { key: 'jobs_completed', label: 'Field jobs completed', description: 'Dispatch jobs completed in the period.', entity: 'dispatch', format: count('jobs'), betterWhen: 'up', time: 'completed_at' },
  { key: 'jobs_on_time_rate', label: 'Field jobs on time', description: 'Share of dispatch jobs completed in the period before their SLA due time.', entity: 'dispatch', format: pct, betterWhen: 'up', time: 'completed_at' },
];

/** Dimensions per entity (time grains are dimensions too: `time:week` etc., on the measure's time column). */
export const REPORT_DIMENSIONS: Readonly<Record<ReportEntity, readonly { key: string; label: string }[]>> = {
  deals: [
    { key: 'deal', label: 'Deal' },
    { key: 'owner', label: 'Owner' },
    { key: 'team', label: 'Team' },
    { key: 'stage', label: 'Stage' },
    { key: 'source', label: 'Source' },
  ],
  tickets: [
    { key: 'agent', label: 'Agent' },
    { key: 'team', label: 'Team' },
    { key: 'priority', label: 'Priority' },
    { key: 'channel', label: 'Channel' },
    { key: 'category', label: 'Category' },
  ],
  tasks: [
    { key: 'owner', label: 'Assignee' },
    { key: 'team', label: 'Team' },
    { key: 'priority', label: 'Priority' },
  ],
  activities: [
    { key: 'owner', label: 'Owner' },
    { key: 'team', label: 'Team' },
    { key: 'type', label: 'Type' },
  ],
  dispatch: [
    { key: 'technician', label: 'Technician' },
    { key: 'job_type', label: 'Job type' },
    { key: 'priority', label: 'Priority' },
  ],
};

const byKey = new Map(REPORT_MEASURES.map((m) => [m.key, m]));
export const reportMeasure = (key: string): ReportMeasure | undefined => byKey.get(key);
