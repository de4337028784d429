import type { QuerySpecInput } from '@shared/analytics/spec';

/**
 * The evaluation set: questions over the demo workspace with the spec that answers each. `analytics eval` asks
 * every question, runs both specs and counts a question right when the two results are identical (same columns,
 * rows and totals), whatever the spec's wording. Results come from the demo data, so the set works for any seed.
 */
export interface EvalQuestion {
  question: string;
  expected: QuerySpecInput;
}

const lq = { preset: 'last_quarter' } as const;
const l30 = { preset: 'last_30_days' } as const;
const l90 = { preset: 'last_90_days' } as const;
const ty = { preset: 'this_year' } as const;
const ly = { preset: 'last_year' } as const;
const lm = { preset: 'last_month' } as const;

export const EVAL_QUESTIONS: readonly EvalQuestion[] = [
  // Sales
  { question: 'win rate by owner last quarter', expected: { measures: ['win_rate'], dimensions: ['owner'], timeRange: lq } },
  { question: 'What is our win rate this year?', expected: { measures: ['win_rate'], timeRange: ty } },
  { question: 'pipeline value by stage', expected: { measures: ['pipeline_value'], dimensions: ['stage'] } },
  { question: 'pipeline value by owner', expected: { measures: ['pipeline_value'], dimensions: ['owner'] } },
  { question: 'open deals by source', expected: { measures: ['open_deals'], dimensions: ['source'] } },
  { question: 'deals won by month this year', expected: { measures: ['deals_won'], grain: 'month', timeRange: ty } },
  { question: 'deals lost last quarter', expected: { measures: ['deals_lost'], timeRange: lq } },
  { question: 'won revenue by region last year', expected: { measures: ['won_value'], dimensions: ['region'], timeRange: ly } },
  { question: 'average deal size by account tier', expected: { measures: ['avg_deal_size'], dimensions: ['account_tier'] } },
  { question: 'sales cycle by owner last year', expected: { measures: ['sales_cycle_days'], dimensions: ['owner'], timeRange: ly } },
  { question: 'win rate by source', expected: { measures: ['win_rate'], dimensions: ['source'] } },
  { question: 'weighted pipeline by owner', expected: { measures: ['weighted_pipeline'], dimensions: ['owner'] } },
  { question: 'win rate by quarter last year', expected: { measures: ['win_rate'], grain: 'quarter', timeRange: ly } },
  { question: 'win rate last quarter compared with the previous period', expected: { measures: ['win_rate'], timeRange: lq, compare: true } },
  // Support
  { question: 'open tickets by priority', expected: { measures: ['open_tickets'], dimensions: ['priority'] } },
  { question: 'ticket volume by week last 90 days', expected: { measures: ['ticket_volume'], grain: 'week', timeRange: l90 } },
  { question: 'ticket volume by channel last month', expected: { measures: ['ticket_volume'], dimensions: ['channel'], timeRange: lm } },
  { question: 'How many urgent tickets in the last 30 days?', expected: { measures: ['ticket_volume'], filters: [{ field: 'priority', op: 'eq', values: ['urgent'] }], timeRange: l30 } },
  { question: 'first response time by agent last 30 days', expected: { measures: ['first_response_hours'], dimensions: ['agent'], timeRange: l30 } },
  { question: 'resolution time by priority', expected: { measures: ['resolution_hours'], dimensions: ['priority'] } },
  { question: 'SLA breach rate by week last 90 days', expected: { measures: ['sla_breach_rate'], grain: 'week', timeRange: l90 } },
  { question: 'sla breach rate by team', expected: { measures: ['sla_breach_rate'], dimensions: ['team'] } },
  { question: 'CSAT by agent last quarter', expected: { measures: ['csat'], dimensions: ['agent'], timeRange: lq } },
  { question: 'csat by month this year', expected: { measures: ['csat'], grain: 'month', timeRange: ty } },
  { question: 'CSAT last 30 days compared with the previous period', expected: { measures: ['csat'], timeRange: l30, compare: true } },
  { question: 'backlog by category', expected: { measures: ['open_tickets'], dimensions: ['category'] } },
  { question: 'urgent backlog by team', expected: { measures: ['backlog_urgent'], dimensions: ['team'] } },
  { question: 'ticket volume by account tier last quarter', expected: { measures: ['ticket_volume'], dimensions: ['account_tier'], timeRange: lq } },
  { question: 'enterprise ticket volume by month this year', expected: { measures: ['ticket_volume'], grain: 'month', filters: [{ field: 'account_tier', op: 'eq', values: ['enterprise'] }], timeRange: ty } },
  { question: 'first response time by channel', expected: { measures: ['first_response_hours'], dimensions: ['channel'] } },
  // Work
  { question: 'tasks completed by owner last 30 days', expected: { measures: ['tasks_completed'], dimensions: ['owner'], timeRange: l30 } },
  { question: 'overdue tasks by owner', expected: { measures: ['overdue_tasks'], dimensions: ['owner'] } },
  { question: 'overdue tasks by priority', expected: { measures: ['overdue_tasks'], dimensions: ['priority'] } },
  { question: 'activity sla compliance by team last quarter', expected: { measures: ['activity_sla_compliance'], dimensions: ['team'], timeRange: lq } },
  { question: 'activities by type last 30 days', expected: { measures: ['activity_count'], dimensions: ['type'], timeRange: l30 } },
  { question: 'activities by week last 90 days', expected: { measures: ['activity_count'], grain: 'week', timeRange: l90 } },
  { question: 'tasks completed by month this year', expected: { measures: ['tasks_completed'], grain: 'month', timeRange: ty } },
  // Marketing
  { question: 'campaign spend by channel last quarter', expected: { measures: ['campaign_spend'], dimensions: ['channel'], timeRange: lq } },
  { question: 'CTR by campaign last 30 days', expected: { measures: ['ctr'], dimensions: ['campaign'], timeRange: l30 } },
  { question: 'cost per acquisition by channel', expected: { measures: ['cpa'], dimensions: ['channel'] } },
  { question: 'conversions by month this year', expected: { measures: ['conversions'], grain: 'month', timeRange: ty } },
  { question: 'roas by campaign last quarter', expected: { measures: ['campaign_roas'], dimensions: ['campaign'], timeRange: lq } },
  { question: 'impressions by channel last month', expected: { measures: ['impressions'], dimensions: ['channel'], timeRange: lm } },
  { question: 'email campaign spend by month last 90 days', expected: { measures: ['campaign_spend'], grain: 'month', filters: [{ field: 'channel', op: 'eq', values: ['email'] }], timeRange: l90 } },
  // Vendors
  { question: 'vendor on-time rate by vendor last quarter', expected: { measures: ['vendor_on_time_rate'], dimensions: ['vendor'], timeRange: lq } },
  { question: 'on-time delivery by month this year', expected: { measures: ['vendor_on_time_rate'], grain: 'month', timeRange: ty } },
  { question: 'quality incidents by vendor', expected: { measures: ['quality_incidents'], dimensions: ['vendor'] } },
  { question: 'quality incidents by severity last year', expected: { measures: ['quality_incidents'], dimensions: ['severity'], timeRange: ly } },
  { question: 'deliveries by vendor last 90 days', expected: { measures: ['deliveries'], dimensions: ['vendor'], timeRange: l90 } },
  // Dispatch
  { question: 'jobs completed by technician last 30 days', expected: { measures: ['jobs_completed'], dimensions: ['technician'], timeRange: l30 } },
  { question: 'technician utilisation by technician last 30 days', expected: { measures: ['technician_utilisation'], dimensions: ['technician'], timeRange: l30 } },
  { question: 'jobs completed by week last 90 days', expected: { measures: ['jobs_completed'], grain: 'week', timeRange: l90 } },
  { question: 'technician utilisation by region', expected: { measures: ['technician_utilisation'], dimensions: ['region'] } },
  // Customer success
  { question: 'account health by tier', expected: { measures: ['account_health'], dimensions: ['account_tier'] } },
  { question: 'NPS by region last year', expected: { measures: ['nps'], dimensions: ['region'], timeRange: ly } },
  { question: 'nps by quarter last year', expected: { measures: ['nps'], grain: 'quarter', timeRange: ly } },
  { question: 'renewals due by owner', expected: { measures: ['renewals_due'], dimensions: ['owner'] } },
  { question: 'renewals due by account tier', expected: { measures: ['renewals_due'], dimensions: ['account_tier'] } },
  { question: 'renewal value by month next 90 days', expected: { measures: ['renewal_value'], grain: 'month', timeRange: { preset: 'next_90_days' } } },
  // Goals
  { question: 'goal progress by owner', expected: { measures: ['goal_progress'], dimensions: ['owner'] } },
  { question: 'goal progress by category', expected: { measures: ['goal_progress'], dimensions: ['category'] } },
  { question: 'kpi attainment by goal', expected: { measures: ['kpi_attainment'], dimensions: ['goal'] } },
];
