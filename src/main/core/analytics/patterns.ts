import type { AnalyticsGrain, QueryFilter, QuerySpecInput, TimePreset } from '@shared/analytics/spec';
import { getMeasure, getSource, measureDimensions } from './catalog';

/**
 * Questions answered without a model (README → Analytics). A question is read as
 * keywords: one or more measures (by their phrases below), "by/per <dimension>", a period ("last quarter", "last 30
 * days", "this year" …), a grain ("by month", "weekly", "over time"), "compared with the previous period", enum
 * values as filters ("urgent tickets", "email campaigns"), and "top N". Anything else falls to the model.
 * Longer phrases win over shorter ones, so "open deals" is not read as "deals".
 */

export const MEASURE_PHRASES: Readonly<Record<string, readonly string[]>> = {
  pipeline_value: ['pipeline value', 'pipeline'],
  weighted_pipeline: ['weighted pipeline', 'forecast'],
  open_deals: ['open deals', 'open opportunities'],
  deals_won: ['deals won', 'won deals', 'wins'],
  deals_lost: ['deals lost', 'lost deals', 'losses'],
  won_value: ['won revenue', 'revenue won', 'bookings', 'closed revenue'],
  win_rate: ['win rate', 'close rate', 'conversion rate of deals'],
  avg_deal_size: ['average deal size', 'avg deal size', 'deal size'],
  sales_cycle_days: ['sales cycle', 'time to close', 'days to close'],
  ticket_volume: ['ticket volume', 'tickets created', 'new tickets', 'number of tickets', 'how many tickets', 'tickets'],
  open_tickets: ['open tickets', 'ticket backlog', 'backlog', 'unresolved tickets'],
  backlog_urgent: ['urgent backlog', 'high priority backlog'],
  first_response_hours: ['first response time', 'first response', 'response time'],
  resolution_hours: ['resolution time', 'time to resolve', 'time to resolution'],
  sla_breach_rate: ['sla breach rate', 'sla breaches', 'breach rate', 'sla'],
  csat: ['csat', 'customer satisfaction', 'satisfaction'],
  tasks_completed: ['tasks completed', 'completed tasks', 'task throughput'],
  overdue_tasks: ['overdue tasks', 'late tasks', 'overdue'],
  activity_sla_compliance: ['activity sla compliance', 'activity sla', 'on-time tasks', 'task compliance'],
  activity_count: ['activities', 'activity volume', 'calls and meetings'],
  campaign_spend: ['campaign spend', 'ad spend', 'marketing spend', 'spend'],
  impressions: ['impressions'],
  ctr: ['click-through rate', 'click through rate', 'ctr'],
  conversions: ['conversions'],
  cpa: ['cost per acquisition', 'cost per conversion', 'cpa'],
  campaign_roas: ['return on ad spend', 'roas'],
  vendor_on_time_rate: ['vendor on-time rate', 'on-time delivery', 'on time delivery', 'on-time rate', 'on time rate'],
  deliveries: ['deliveries'],
  quality_incidents: ['quality incidents', 'vendor incidents', 'incidents'],
  jobs_completed: ['jobs completed', 'completed jobs', 'dispatch jobs', 'jobs'],
  technician_utilisation: ['technician utilisation', 'technician utilization', 'utilisation', 'utilization'],
  account_health: ['account health', 'health score', 'feature adoption', 'health'],
  nps: ['net promoter score', 'nps'],
  renewals_due: ['renewals due', 'upcoming renewals', 'renewals coming up'],
  renewal_value: ['renewal value', 'renewal amount'],
  goal_progress: ['goal progress', 'goals progress', 'progress on goals'],
  kpi_attainment: ['kpi attainment', 'kpis', 'kpi'],
};

export const DIMENSION_PHRASES: Readonly<Record<string, readonly string[]>> = {
  owner: ['owner', 'rep', 'sales rep', 'salesperson', 'assignee', 'person', 'user'],
  team: ['team'],
  stage: ['stage', 'deal stage'],
  source: ['source', 'lead source'],
  priority: ['priority'],
  channel: ['channel'],
  status: ['status'],
  category: ['category'],
  agent: ['agent', 'support agent'],
  vendor: ['vendor', 'supplier'],
  campaign: ['campaign'],
  region: ['region'],
  account_tier: ['tier', 'account tier', 'segment'],
  account: ['account', 'customer'],
  industry: ['industry'],
  type: ['type', 'job type', 'activity type'],
  technician: ['technician', 'tech'],
  severity: ['severity'],
  kpi: ['kpi name'],
  goal: ['goal'],
};

const PRESET_PHRASES: readonly [string, TimePreset][] = [
  ['last 7 days', 'last_7_days'],
  ['past 7 days', 'last_7_days'],
  ['past week', 'last_7_days'],
  ['last 30 days', 'last_30_days'],
  ['past 30 days', 'last_30_days'],
  ['past month', 'last_30_days'],
  ['last 90 days', 'last_90_days'],
  ['past 90 days', 'last_90_days'],
  ['last 365 days', 'last_365_days'],
  ['past year', 'last_365_days'],
  ['last 12 months', 'last_365_days'],
  ['this week', 'this_week'],
  ['last week', 'last_week'],
  ['this month', 'this_month'],
  ['month to date', 'this_month'],
  ['last month', 'last_month'],
  ['this quarter', 'this_quarter'],
  ['quarter to date', 'this_quarter'],
  ['last quarter', 'last_quarter'],
  ['previous quarter', 'last_quarter'],
  ['this year', 'this_year'],
  ['year to date', 'this_year'],
  ['ytd', 'this_year'],
  ['last year', 'last_year'],
  ['next 30 days', 'next_30_days'],
  ['next 90 days', 'next_90_days'],
  ['next quarter', 'next_90_days'],
  ['yesterday', 'yesterday'],
  ['today', 'today'],
  ['all time', 'all_time'],
  ['ever', 'all_time'],
];

const GRAIN_PHRASES: readonly [RegExp, AnalyticsGrain][] = [
  [/\b(by|per|each) day\b|\bdaily\b/, 'day'],
  [/\b(by|per|each) week\b|\bweekly\b|\bweek over week\b/, 'week'],
  [/\b(by|per|each) month\b|\bmonthly\b|\bmonth over month\b|\bover time\b|\btrend\b/, 'month'],
  [/\b(by|per|each) quarter\b|\bquarterly\b/, 'quarter'],
];

const COMPARE = /\b(compared? (to|with)|vs\.?|versus|change|previous period|prior period|than before)\b/;

export interface PatternMatch {
  spec: QuerySpecInput;
  /** Which parts matched, for the answer's "how this was read" line. */
  pattern: string;
}

const norm = (q: string): string =>
  ` ${q
    .toLowerCase()
    .replace(/[?!.,;:()"“”]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;

/** Finds phrases, longest first, without reusing words another phrase took. */
function take<K extends string>(text: { s: string }, table: readonly [string, K][]): K[] {
  const found: K[] = [];
  for (const [phrase, key] of [...table].sort((a, b) => b[0].length - a[0].length)) {
    const p = ` ${phrase} `;
    const i = text.s.indexOf(p);
    if (i >= 0) {
      if (!found.includes(key)) found.push(key);
      text.s = `${text.s.slice(0, i)} ${'_'.repeat(phrase.length)} ${text.s.slice(i + p.length)}`;
    }
  }
  return found;
}

const flat = (rec: Readonly<Record<string, readonly string[]>>): [string, string][] => Object.entries(rec).flatMap(([k, ps]) => ps.map((p): [string, string] => [p, k]));

/** Reads a question with the patterns above; null when no measure is recognised. */
export function matchQuestion(question: string): PatternMatch | null {
  const text = { s: norm(question) };
  const parts: string[] = [];
  // "by <dimension>" / "per <dimension>" / "for each <dimension>"
  const dims: string[] = [];
  const dimTable = flat(DIMENSION_PHRASES).sort((a, b) => b[0].length - a[0].length);
  for (const m of text.s.matchAll(/\b(?:by|per|for each|across|split by|broken down by)\s+([a-z -]+?)(?=\s+(?:and|for|in|over|during|last|this|next|past|compared|vs|versus|with|from|by|per)\s|\s*$)/g)) {
    const phrase = ` ${m[1]!.trim()} `;
    for (const [p, key] of dimTable) {
      if (phrase.includes(` ${p} `) || phrase.includes(` ${p}s `)) {
        if (!dims.includes(key)) dims.push(key);
        break;
      }
    }
  }
  const grain = GRAIN_PHRASES.find(([re]) => re.test(text.s))?.[1];
  if (grain) text.s = text.s.replace(GRAIN_PHRASES.find(([, g]) => g === grain)![0], ' ');
  const presets = take(text, PRESET_PHRASES);
  const compare = COMPARE.test(text.s);
  const top = /\btop (\d{1,3})\b/.exec(text.s);
  const measures = take(text, flat(MEASURE_PHRASES));
  if (measures.length === 0) return null;
  const primary = getMeasure(measures[0]!)!;
  const supported = new Set(measureDimensions(primary));
  const dimensions = dims.filter((d) => measures.every((m) => measureDimensions(getMeasure(m)!).includes(d)));
  // Enum values in the question become filters, when the first measure's source has that dimension.
  const filters: QueryFilter[] = [];
  const source = getSource(primary.source)!;
  const enumValues: [string, string][] = [
    ['priority', 'urgent'],
    ['priority', 'high'],
    ['priority', 'low'],
    ['channel', 'email'],
    ['channel', 'chat'],
    ['channel', 'phone'],
    ['channel', 'social'],
    ['channel', 'search'],
    ['channel', 'display'],
    ['account_tier', 'enterprise'],
    ['account_tier', 'smb'],
    ['account_tier', 'mid_market'],
    ['severity', 'critical'],
    ['severity', 'major'],
  ];
  for (const [dim, value] of enumValues) {
    if (!supported.has(dim) || !source.dimensions[dim] || dimensions.includes(dim)) continue;
    const spoken = value.replace('_', ' ');
    if (new RegExp(`\\b${spoken}\\b`).test(text.s)) filters.push({ field: dim, op: 'eq', values: [value] });
  }
  parts.push(`measure: ${measures.join(', ')}`);
  if (dimensions.length) parts.push(`by: ${dimensions.join(', ')}`);
  if (grain) parts.push(`grain: ${grain}`);
  if (presets[0]) parts.push(`period: ${presets[0]}`);
  if (filters.length) parts.push(`filter: ${filters.map((f) => `${f.field}=${f.values[0]}`).join(', ')}`);
  const preset = presets[0] ?? (compare ? 'last_30_days' : 'all_time');
  const spec: QuerySpecInput = {
    measures: measures.slice(0, 6),
    dimensions: dimensions.slice(0, 2),
    filters,
    timeRange: { preset },
    ...(grain ? { grain } : {}),
    ...(compare && preset !== 'all_time' ? { compare: true } : {}),
    ...(top ? { limit: Math.max(1, Math.min(1000, Number(top[1]))) } : {}),
  };
  if (compare && preset !== 'all_time') parts.push('compare: previous period');
  return { spec, pattern: parts.join('; ') };
}
