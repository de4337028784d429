import { ENUMS } from '@shared/entities';
import type { Cond, DimensionDef, DimensionRef, MeasureDef, SourceDef } from './catalogTypes';

/**
 * The metrics catalog: sources (fact tables and the dimensions reachable from them), dimensions and measures, as
 * data. The compiler reads it and never switches on a measure's name; invariant tests (test/unit/core/analytics)
 * check every entry against the schema. Definitions follow the demo generator's planted patterns where one exists
 * (e.g. SLA breach rate = share of tickets with a breached ticket_sla_events row), so an insight and an analytics
 * answer about the same thing agree. Adding a measure: one entry below, plus its independent SQL in the tests.
 */

const usd: MeasureDef['format'] = { style: 'currency', currency: 'USD', compact: true };
const pct: MeasureDef['format'] = { style: 'percent', decimals: 1 };
const count = (unit: string): MeasureDef['format'] => ({ style: 'number', decimals: 0, unit });
const hours: MeasureDef['format'] = { style: 'duration', durationUnit: 'hours' };
const days: MeasureDef['format'] = { style: 'number', decimals: 1, unit: 'days' };

// Dimensions reached through the usual foreign keys.
const person = (fk: `${string}.${string}`): DimensionRef => ({ column: 'name', joins: [{ table: 'users', from: fk }] });
const team = (fk: `${string}.${string}`): DimensionRef => ({ column: 'team', joins: [{ table: 'users', from: fk }] });
const accountDims = (fk: `${string}.${string}`): Record<string, DimensionRef> => ({
  account: { column: 'name', joins: [{ table: 'accounts', from: fk }] },
  region: { column: 'region', joins: [{ table: 'accounts', from: fk }] },
  account_tier: { column: 'tier', joins: [{ table: 'accounts', from: fk }] },
  industry: { column: 'industry', joins: [{ table: 'accounts', from: fk }] },
});

export const SOURCES: readonly SourceDef[] = [
  {
    key: 'deals',
    table: 'deals',
    entity: 'deals',
    dimensions: { owner: person('t.owner_id'), team: team('t.owner_id'), stage: { column: 't.stage' }, source: { column: 't.source' }, ...accountDims('t.account_id') },
  },
  {
    key: 'tickets',
    table: 'tickets',
    entity: 'tickets',
    dimensions: {
      priority: { column: 't.priority' },
      channel: { column: 't.channel' },
      status: { column: 't.status' },
      category: { column: 't.category' },
      agent: { column: 'name', joins: [{ table: 'agents', from: 't.agent_id' }] },
      team: { column: 'team', joins: [{ table: 'agents', from: 't.agent_id' }] },
      ...accountDims('t.account_id'),
    },
  },
  {
    key: 'tasks',
    table: 'tasks',
    entity: 'tasks',
    dimensions: { owner: person('t.assignee_id'), team: team('t.assignee_id'), status: { column: 't.status' }, priority: { column: 't.priority' }, ...accountDims('t.account_id') },
  },
  {
    key: 'activities',
    table: 'activities',
    entity: 'activities',
    dimensions: { owner: person('t.user_id'), team: team('t.user_id'), type: { column: 't.type' }, ...accountDims('t.account_id') },
  },
  {
    key: 'campaign_days',
    table: 'campaign_metrics_daily',
    entity: 'campaigns',
    baseJoins: [{ alias: 'c', table: 'campaigns', from: 't.campaign_id' }],
    dimensions: { campaign: { column: 'c.name' }, channel: { column: 'c.channel' }, status: { column: 'c.status' }, owner: person('c.owner_id'), team: team('c.owner_id') },
  },
  {
    key: 'deliveries',
    table: 'deliveries',
    entity: 'deliveries',
    baseJoins: [{ alias: 'po', table: 'purchase_orders', from: 't.purchase_order_id' }],
    dimensions: {
      vendor: { column: 'name', joins: [{ table: 'vendors', from: 'po.vendor_id' }] },
      category: { column: 'category', joins: [{ table: 'vendors', from: 'po.vendor_id' }] },
      status: { column: 'po.status' },
    },
  },
  {
    key: 'quality_incidents',
    table: 'vendor_quality_incidents',
    entity: 'vendor_quality_incidents',
    dimensions: {
      vendor: { column: 'name', joins: [{ table: 'vendors', from: 't.vendor_id' }] },
      category: { column: 'category', joins: [{ table: 'vendors', from: 't.vendor_id' }] },
      severity: { column: 't.severity' },
    },
  },
  {
    key: 'dispatch_jobs',
    table: 'dispatch_jobs',
    entity: 'dispatch_jobs',
    dimensions: {
      technician: { column: 'name', joins: [{ table: 'technicians', from: 't.technician_id' }] },
      region: { column: 'region', joins: [{ table: 'technicians', from: 't.technician_id' }] },
      status: { column: 't.status' },
      priority: { column: 't.priority' },
      type: { column: 't.job_type' },
      account: { column: 'name', joins: [{ table: 'accounts', from: 't.account_id' }] },
    },
  },
  { key: 'usage_days', table: 'customer_usage_daily', entity: 'accounts', dimensions: accountDims('t.account_id') },
  { key: 'nps', table: 'nps_responses', entity: 'nps_responses', dimensions: accountDims('t.account_id') },
  { key: 'renewals', table: 'renewals', entity: 'renewals', dimensions: { status: { column: 't.status' }, owner: person('a.owner_id'), ...accountDims('t.account_id') }, baseJoins: [{ alias: 'a', table: 'accounts', from: 't.account_id' }] },
  { key: 'goals', table: 'goals', entity: 'goals', dimensions: { owner: person('t.owner_id'), team: team('t.owner_id'), status: { column: 't.status' }, category: { column: 't.category' } } },
  { key: 'kpis', table: 'kpis', entity: 'kpis', where: [{ col: 't.target', op: 'not_null' }], dimensions: { kpi: { column: 't.name' }, goal: { column: 'title', joins: [{ table: 'goals', from: 't.goal_id' }] } } },
];

export const DIMENSIONS: readonly DimensionDef[] = [
  { name: 'owner', label: 'Owner', description: 'The person who owns the record (deal owner, task assignee, activity author, campaign or account owner).' },
  { name: 'team', label: 'Team', description: "The owner's or agent's team." },
  { name: 'stage', label: 'Stage', description: 'Deal stage.', values: ENUMS.dealStage },
  { name: 'source', label: 'Source', description: 'Where a deal came from (lead source).' },
  { name: 'priority', label: 'Priority', description: 'Ticket, task or job priority.', values: [...new Set([...ENUMS.ticketPriority, ...ENUMS.priority4])] },
  { name: 'channel', label: 'Channel', description: 'Ticket channel, or campaign channel.', values: [...new Set([...ENUMS.ticketChannel, ...ENUMS.campaignChannel])] },
  { name: 'status', label: 'Status', description: 'The record status (ticket, task, campaign, purchase order, job, renewal, goal).' },
  { name: 'category', label: 'Category', description: 'Ticket category, vendor category or goal category.' },
  { name: 'agent', label: 'Agent', description: 'Support agent handling the ticket.' },
  { name: 'vendor', label: 'Vendor', description: 'Supplier.' },
  { name: 'campaign', label: 'Campaign', description: 'Marketing campaign.' },
  { name: 'region', label: 'Region', description: "The account's region (the technician's for dispatch jobs)." },
  { name: 'account_tier', label: 'Account tier', description: 'Account tier.', values: ENUMS.tier },
  { name: 'account', label: 'Account', description: 'Customer account.' },
  { name: 'industry', label: 'Industry', description: "The account's industry." },
  { name: 'type', label: 'Type', description: 'Activity type or dispatch job type.' },
  { name: 'technician', label: 'Technician', description: 'Field technician assigned to the job.' },
  { name: 'severity', label: 'Severity', description: 'Quality incident severity.', values: ENUMS.incidentSeverity },
  { name: 'kpi', label: 'KPI', description: 'Key performance indicator by name.' },
  { name: 'goal', label: 'Goal', description: 'The goal a KPI belongs to.' },
];

const OPEN_DEAL = { col: 't.stage', op: 'not_in', values: ['closed_won', 'closed_lost'] } as const;
const WON = { col: 't.stage', op: 'eq', value: 'closed_won' } as const;
const LOST = { col: 't.stage', op: 'eq', value: 'closed_lost' } as const;
const TICKET_OPEN = { col: 't.status', op: 'not_in', values: ['solved', 'closed'] } as const;
const TASK_DONE = { col: 't.status', op: 'eq', value: 'done' } as const;

export const MEASURES: readonly MeasureDef[] = [
  // Sales (deals by expected or actual close date)
  { name: 'pipeline_value', label: 'Pipeline value', description: 'Total amount of open deals (not closed won or lost), by expected close date.', domain: 'sales', source: 'deals', unit: 'USD', format: usd, betterWhen: 'up', time: 't.close_date', value: { agg: { fn: 'sum', expr: { col: 't.amount' }, filter: [OPEN_DEAL] } } },
  { name: 'weighted_pipeline', label: 'Weighted pipeline', description: 'Open deal amounts weighted by their probability.', domain: 'sales', source: 'deals', unit: 'USD', format: usd, betterWhen: 'up', time: 't.close_date', value: { agg: { fn: 'sum', expr: { mul: [{ col: 't.amount' }, { col: 't.probability' }] }, filter: [OPEN_DEAL] } } },
  { name: 'open_deals', label: 'Open deals', description: 'Number of deals not yet closed won or lost, by expected close date.', domain: 'sales', source: 'deals', unit: 'deals', format: count('deals'), betterWhen: 'up', time: 't.close_date', value: { agg: { fn: 'count', filter: [OPEN_DEAL] } } },
  { name: 'deals_won', label: 'Deals won', description: 'Deals closed won, by close date.', domain: 'sales', source: 'deals', unit: 'deals', format: count('deals'), betterWhen: 'up', time: 't.close_date', value: { agg: { fn: 'count', filter: [WON] } } },
  { name: 'deals_lost', label: 'Deals lost', description: 'Deals closed lost, by close date.', domain: 'sales', source: 'deals', unit: 'deals', format: count('deals'), betterWhen: 'down', time: 't.close_date', value: { agg: { fn: 'count', filter: [LOST] } } },
  { name: 'won_value', label: 'Won revenue', description: 'Total amount of deals closed won, by close date.', domain: 'sales', source: 'deals', unit: 'USD', format: usd, betterWhen: 'up', time: 't.close_date', value: { agg: { fn: 'sum', expr: { col: 't.amount' }, filter: [WON] } } },
  { name: 'win_rate', label: 'Win rate', description: 'Deals won as a share of deals closed (won + lost), by close date.', domain: 'sales', source: 'deals', unit: 'ratio', format: pct, betterWhen: 'up', time: 't.close_date', value: { ratio: [{ fn: 'count', filter: [WON] }, { fn: 'count', filter: [{ col: 't.stage', op: 'in', values: ['closed_won', 'closed_lost'] }] }] } },
  { name: 'avg_deal_size', label: 'Average deal size', description: 'Average amount of deals closed won, by close date.', domain: 'sales', source: 'deals', unit: 'USD', format: usd, betterWhen: 'up', time: 't.close_date', value: { agg: { fn: 'avg', expr: { col: 't.amount' }, filter: [WON] } } },
  { name: 'sales_cycle_days', label: 'Sales cycle', description: 'Average days from a deal being created to its close date, for deals closed won.', domain: 'sales', source: 'deals', unit: 'days', format: days, betterWhen: 'down', time: 't.close_date', value: { agg: { fn: 'avg', expr: { days: ['t.close_date', 't.created_at'] }, filter: [WON, { col: 't.close_date', op: 'not_null' }] } } },

  // Support (tickets by creation time)
  { name: 'ticket_volume', label: 'Ticket volume', description: 'Tickets created.', domain: 'support', source: 'tickets', unit: 'tickets', format: count('tickets'), betterWhen: 'neutral', time: 't.created_at', value: { agg: { fn: 'count' } } },
  { name: 'open_tickets', label: 'Open tickets', description: 'Tickets not solved or closed (the backlog), of those created in the period.', domain: 'support', source: 'tickets', unit: 'tickets', format: count('tickets'), betterWhen: 'down', time: 't.created_at', value: { agg: { fn: 'count', filter: [TICKET_OPEN] } } },
  { name: 'backlog_urgent', label: 'Urgent backlog', description: 'Open tickets of high or urgent priority.', domain: 'support', source: 'tickets', unit: 'tickets', format: count('tickets'), betterWhen: 'down', time: 't.created_at', value: { agg: { fn: 'count', filter: [TICKET_OPEN, { col: 't.priority', op: 'in', values: ['high', 'urgent'] }] } } },
  { name: 'first_response_hours', label: 'First response time', description: 'Average hours from a ticket being created to its first response.', domain: 'support', source: 'tickets', unit: 'hours', format: hours, betterWhen: 'down', time: 't.created_at', value: { agg: { fn: 'avg', expr: { hours: ['t.first_response_at', 't.created_at'] }, filter: [{ col: 't.first_response_at', op: 'not_null' }] } } },
  { name: 'resolution_hours', label: 'Resolution time', description: 'Average hours from a ticket being created to its resolution, for resolved tickets.', domain: 'support', source: 'tickets', unit: 'hours', format: hours, betterWhen: 'down', time: 't.created_at', value: { agg: { fn: 'avg', expr: { hours: ['t.resolved_at', 't.created_at'] }, filter: [{ col: 't.resolved_at', op: 'not_null' }] } } },
  { name: 'sla_breach_rate', label: 'SLA breach rate', description: 'Share of tickets with at least one breached SLA target (first response or resolution).', domain: 'support', source: 'tickets', unit: 'ratio', format: pct, betterWhen: 'down', time: 't.created_at', value: { ratio: [{ fn: 'count', filter: [{ exists: { table: 'ticket_sla_events', fk: 'ticket_id', where: [{ col: 'x.breached', op: 'set' }] } }] }, { fn: 'count' }] } },
  { name: 'csat', label: 'CSAT', description: 'Average customer satisfaction score (1–5) of rated tickets.', domain: 'support', source: 'tickets', unit: 'score', format: { style: 'number', decimals: 2, unit: '/ 5' }, betterWhen: 'up', time: 't.created_at', value: { agg: { fn: 'avg', expr: { col: 't.csat' }, filter: [{ col: 't.csat', op: 'not_null' }] } } },

  // Work (tasks and activities)
  { name: 'tasks_completed', label: 'Tasks completed', description: 'Tasks marked done, by completion time.', domain: 'work', source: 'tasks', unit: 'tasks', format: count('tasks'), betterWhen: 'up', time: 't.completed_at', value: { agg: { fn: 'count', filter: [TASK_DONE] } } },
  { name: 'overdue_tasks', label: 'Overdue tasks', description: 'Open or in-progress tasks whose due date is before the reference day, by due date.', domain: 'work', source: 'tasks', unit: 'tasks', format: count('tasks'), betterWhen: 'down', time: 't.due_date', value: { agg: { fn: 'count', filter: [{ col: 't.status', op: 'in', values: ['open', 'in_progress'] }, { col: 't.due_date', op: 'before_ref' }] } } },
  { name: 'activity_sla_compliance', label: 'Activity SLA compliance', description: 'Share of completed tasks with a due date that were done on or before it, by due date.', domain: 'work', source: 'tasks', unit: 'ratio', format: pct, betterWhen: 'up', time: 't.due_date', value: { ratio: [{ fn: 'count', filter: [TASK_DONE, { col: 't.completed_at', op: 'not_null' }, { col: 't.completed_at', op: 'day_on_or_before_col', other: 't.due_date' }] }, { fn: 'count', filter: [TASK_DONE, { col: 't.completed_at', op: 'not_null' }, { col: 't.due_date', op: 'not_null' }] }] } },
  { name: 'activity_count', label: 'Activities', description: 'Calls, emails, meetings and notes logged, by when they happened.', domain: 'work', source: 'activities', unit: 'activities', format: count('activities'), betterWhen: 'up', time: 't.occurred_at', value: { agg: { fn: 'count' } } },

  // Marketing (campaign days)
  { name: 'campaign_spend', label: 'Campaign spend', description: 'Money spent on campaigns.', domain: 'marketing', source: 'campaign_days', unit: 'USD', format: usd, betterWhen: 'neutral', time: 't.date', value: { agg: { fn: 'sum', expr: { col: 't.spend' } } } },
  { name: 'impressions', label: 'Impressions', description: 'Campaign impressions.', domain: 'marketing', source: 'campaign_days', unit: 'impressions', format: { style: 'number', compact: true }, betterWhen: 'up', time: 't.date', value: { agg: { fn: 'sum', expr: { col: 't.impressions' } } } },
  { name: 'ctr', label: 'Click-through rate', description: 'Clicks over impressions.', domain: 'marketing', source: 'campaign_days', unit: 'ratio', format: { style: 'percent', decimals: 2 }, betterWhen: 'up', time: 't.date', value: { ratio: [{ fn: 'sum', expr: { col: 't.clicks' } }, { fn: 'sum', expr: { col: 't.impressions' } }] } },
  { name: 'conversions', label: 'Conversions', description: 'Campaign conversions.', domain: 'marketing', source: 'campaign_days', unit: 'conversions', format: count('conversions'), betterWhen: 'up', time: 't.date', value: { agg: { fn: 'sum', expr: { col: 't.conversions' } } } },
  { name: 'cpa', label: 'Cost per acquisition', description: 'Spend over conversions.', domain: 'marketing', source: 'campaign_days', unit: 'USD', format: { style: 'currency', currency: 'USD', decimals: 2 }, betterWhen: 'down', time: 't.date', value: { ratio: [{ fn: 'sum', expr: { col: 't.spend' } }, { fn: 'sum', expr: { col: 't.conversions' } }] } },
  { name: 'campaign_roas', label: 'Return on ad spend', description: 'Attributed revenue over spend.', domain: 'marketing', source: 'campaign_days', unit: 'ratio', format: { style: 'number', decimals: 2, unit: '×' }, betterWhen: 'up', time: 't.date', value: { ratio: [{ fn: 'sum', expr: { col: 't.revenue' } }, { fn: 'sum', expr: { col: 't.spend' } }] } },

  // Vendors
  { name: 'vendor_on_time_rate', label: 'Vendor on-time rate', description: 'Share of deliveries that arrived on time.', domain: 'vendors', source: 'deliveries', unit: 'ratio', format: pct, betterWhen: 'up', time: 't.delivered_at', value: { ratio: [{ fn: 'count', filter: [{ col: 't.on_time', op: 'set' }] }, { fn: 'count', filter: [{ col: 't.on_time', op: 'not_null' }] }] } },
  { name: 'deliveries', label: 'Deliveries', description: 'Deliveries received.', domain: 'vendors', source: 'deliveries', unit: 'deliveries', format: count('deliveries'), betterWhen: 'neutral', time: 't.delivered_at', value: { agg: { fn: 'count' } } },
  { name: 'quality_incidents', label: 'Quality incidents', description: 'Vendor quality incidents, by when they occurred.', domain: 'vendors', source: 'quality_incidents', unit: 'incidents', format: count('incidents'), betterWhen: 'down', time: 't.occurred_at', value: { agg: { fn: 'count' } } },

  // Dispatch
  { name: 'jobs_completed', label: 'Jobs completed', description: 'Dispatch jobs completed, by completion time.', domain: 'dispatch', source: 'dispatch_jobs', unit: 'jobs', format: count('jobs'), betterWhen: 'up', time: 't.completed_at', value: { agg: { fn: 'count', filter: [{ col: 't.status', op: 'eq', value: 'completed' }] } } },
  { name: 'technician_utilisation', label: 'Technician utilisation', description: 'Scheduled job hours over an 8-hour day, per technician per day with at least one job (not cancelled), by scheduled start.', domain: 'dispatch', source: 'dispatch_jobs', unit: 'ratio', format: pct, betterWhen: 'up', time: 't.scheduled_start', value: { ratio: [{ fn: 'sum', expr: { hours: ['t.scheduled_end', 't.scheduled_start'] }, filter: [{ col: 't.status', op: 'neq', value: 'cancelled' }, { col: 't.scheduled_start', op: 'not_null' }, { col: 't.scheduled_end', op: 'not_null' }, { col: 't.technician_id', op: 'not_null' }] }, { fn: 'count_distinct', expr: { key: ['t.technician_id', { day: 't.scheduled_start' }] }, filter: [{ col: 't.status', op: 'neq', value: 'cancelled' }, { col: 't.scheduled_start', op: 'not_null' }, { col: 't.scheduled_end', op: 'not_null' }, { col: 't.technician_id', op: 'not_null' }] }], scale: 1 / 8 }, excludeDimensions: ['status'] },

  // Customer success
  { name: 'account_health', label: 'Account health', description: 'Average feature adoption (0–100%) over the daily usage records, the health signal the workspace keeps.', domain: 'success', source: 'usage_days', unit: 'ratio', format: pct, betterWhen: 'up', time: 't.date', value: { agg: { fn: 'avg', expr: { col: 't.feature_adoption' } } } },
  { name: 'nps', label: 'NPS', description: 'Net promoter score: % promoters (9–10) minus % detractors (0–6), from −100 to 100.', domain: 'success', source: 'nps', unit: 'score', format: { style: 'number', decimals: 0 }, betterWhen: 'up', time: 't.responded_at', value: { ratio: [{ fn: 'sum', expr: { when: [{ if: [{ col: 't.score', op: 'gte', value: 9 }], then: { num: 1 } }, { if: [{ col: 't.score', op: 'lte', value: 6 }], then: { num: -1 } }], else: { num: 0 } } }, { fn: 'count' }], scale: 100 } },
  { name: 'renewals_due', label: 'Renewals due', description: 'Upcoming or at-risk renewals dated from the reference day to 90 days after it.', domain: 'success', source: 'renewals', unit: 'renewals', format: count('renewals'), betterWhen: 'neutral', time: 't.renewal_date', value: { agg: { fn: 'count', filter: [{ col: 't.status', op: 'in', values: ['upcoming', 'at_risk'] }, { col: 't.renewal_date', op: 'within_days_after_ref', days: 90 }] } } },
  { name: 'renewal_value', label: 'Renewal value', description: 'Amount of renewals, by renewal date.', domain: 'success', source: 'renewals', unit: 'USD', format: usd, betterWhen: 'up', time: 't.renewal_date', value: { agg: { fn: 'sum', expr: { col: 't.amount' } } } },

  // Goals
  { name: 'goal_progress', label: 'Goal progress', description: 'Average progress of goals (0–100%), by target date.', domain: 'goals', source: 'goals', unit: 'ratio', format: pct, betterWhen: 'up', time: 't.target_date', value: { agg: { fn: 'avg', expr: { col: 't.progress' }, filter: [{ col: 't.progress', op: 'not_null' }] } } },
  { name: 'kpi_attainment', label: 'KPI attainment', description: 'Average of current over target (target over current when lower is better) across KPIs with a target.', domain: 'goals', source: 'kpis', unit: 'ratio', format: pct, betterWhen: 'up', time: 't.created_at', value: { agg: { fn: 'avg', expr: { when: [{ if: [{ col: 't.direction', op: 'eq', value: 'down' }, { col: 't.current', op: 'not_null' }, { col: 't.current', op: 'neq', value: 0 }], then: { div: [{ col: 't.target' }, { col: 't.current' }] } }, { if: [{ col: 't.direction', op: 'eq', value: 'up' }, { col: 't.target', op: 'neq', value: 0 }], then: { div: [{ col: 't.current' }, { col: 't.target' }] } }] } } } },
];

const measureIndex = new Map(MEASURES.map((m) => [m.name, m]));
const sourceIndex = new Map(SOURCES.map((s) => [s.key, s]));
const dimensionIndex = new Map(DIMENSIONS.map((d) => [d.name, d]));

export const getMeasure = (name: string): MeasureDef | undefined => measureIndex.get(name);
export const getSource = (key: string): SourceDef | undefined => sourceIndex.get(key);
export const getDimension = (name: string): DimensionDef | undefined => dimensionIndex.get(name);

/** The dimensions a measure supports: its source's, minus the ones it excludes. */
export function measureDimensions(m: MeasureDef): string[] {
  const source = sourceIndex.get(m.source);
  if (!source) return [];
  return Object.keys(source.dimensions).filter((d) => !m.excludeDimensions?.includes(d));
}

/** Tables a measure reads: its fact table, base joins, dimension joins and EXISTS subqueries. */
export function measureTables(m: MeasureDef): string[] {
  const source = sourceIndex.get(m.source);
  if (!source) return [];
  const tables = new Set<string>([source.table, ...(source.baseJoins ?? []).map((j) => j.table)]);
  const walk = (conds: readonly Cond[] | undefined): void => {
    for (const c of conds ?? []) {
      if ('exists' in c) tables.add(c.exists.table);
      else if ('any' in c) walk(c.any);
      else if ('all' in c) walk(c.all);
    }
  };
  const aggs = 'agg' in m.value ? [m.value.agg] : m.value.ratio;
  for (const a of aggs) walk(a.filter);
  return [...tables];
}
