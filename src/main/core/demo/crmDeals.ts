import { CITIES, DEAL_SOURCES, INTEGRATIONS } from './pools';
import { weightedPicker, type Rand } from './random';
import { ACTIVITY_BODIES, ACTIVITY_SUBJECTS, DEAL_KINDS, TASK_DESCRIPTIONS, TASK_TITLES, WEEKDAYS } from './textCrm';
import { fill } from './text';
import { DAY, HOUR } from './time';
import { contactOf, past, rand, type AccountRef, type ContactRef, type World } from './world';

const STAGE_PROBABILITY: Record<string, number> = { prospecting: 0.1, qualification: 0.2, proposal: 0.45, negotiation: 0.7, closed_won: 1, closed_lost: 0 };
const CYCLE = [[20, 60], [35, 100], [60, 150]] as const;
const AMOUNT = [12000, 45000, 160000] as const;
/** Win rate of deals closing before the decline, and after it (the planted win-rate trend). */
export const WIN_RATE_BEFORE = 0.4;
export const WIN_RATE_AFTER = 0.1;
/** The win rate slides over this many days from the start of the window, then stays low. */
export const WIN_RATE_SLIDE_DAYS = 45;

/** Planted win rate of deals closing on a day. */
export function plantedWinRate(day: number, start: number): number {
  if (day < start) return WIN_RATE_BEFORE;
  return WIN_RATE_BEFORE - (WIN_RATE_BEFORE - WIN_RATE_AFTER) * Math.min(1, (day - start + 1) / WIN_RATE_SLIDE_DAYS);
}
/** New pipeline (deals created per day) falls to this share of normal by the anchor date. */
export const PIPELINE_FLOOR = 0.45;

interface Deal {
  id: number;
  tier: number;
  account: AccountRef;
  contact: ContactRef | null;
  createdSec: number;
  closeDay: number;
  stage: string;
  amount: number;
  name: string;
}

/** Deals with a consistent stage, probability and close date; activities and follow-up tasks around them. */
export function generateDeals(w: World): void {
  const r = rand(w, 'deals');
  const { cal, plan } = w;
  const A = cal.anchorDay;
  const [wrStart] = w.windows.winRate;
  const [pipeStart] = w.windows.pipeline;
  const firstCreated = A - 240;

  // Creation days by stratified sampling of the planted density: flat, then falling linearly to PIPELINE_FLOOR.
  const weightOf = (d: number): number => (d < pipeStart ? 1 : 1 - (1 - PIPELINE_FLOOR) * ((d - pipeStart + 1) / (A - pipeStart)));
  const cdf: number[] = [];
  let mass = 0;
  for (let d = firstCreated; d < A; d++) cdf.push((mass += weightOf(d)));
  const n = plan.deals;
  const deals: Deal[] = [];
  let cursor = 0;
  for (let i = 0; i < n; i++) {
    const target = ((i + r.next()) / n) * mass;
    while (cdf[cursor]! < target) cursor++;
    const createdDay = firstCreated + cursor;
    const tier = r.weighted([55, 85, 100]);
    const [lo, hi] = CYCLE[tier]!;
    let closeDay = createdDay + r.int(lo, hi);
    let stage = 'closed';
    if (closeDay >= A) {
      const f = (A - createdDay) / (closeDay - createdDay);
      stage = f < 0.25 ? 'prospecting' : f < 0.5 ? 'qualification' : f < 0.8 ? 'proposal' : 'negotiation';
    } else if (closeDay > A - 25 && r.chance(0.15)) {
      // A slipped deal: its close date has passed and it is still open.
      stage = r.chance(0.5) ? 'proposal' : 'negotiation';
      closeDay = Math.max(createdDay + 7, closeDay);
    }
    const amount = Math.max(1500, Math.round((AMOUNT[tier]! * r.jitter(0.45)) / 500) * 500);
    const createdSec = createdDay * 86400 + r.int(8 * HOUR, 18 * HOUR);
    deals.push({ id: i + 1, tier, account: w.accounts[0]!, contact: null, createdSec, closeDay, stage, amount, name: '' });
  }

  // Outcomes in close-date order with error diffusion: the wins in any stretch of closed deals equal the planted
  // rate summed over them, give or take one, so the trend is there even in a small workspace.
  const closed = deals.filter((d) => d.stage === 'closed').sort((a, b) => a.closeDay - b.closeDay || a.id - b.id);
  let acc = r.next();
  for (const d of closed) {
    const before = Math.floor(acc);
    acc += plantedWinRate(d.closeDay, wrStart);
    d.stage = Math.floor(acc) > before ? 'closed_won' : 'closed_lost';
  }

  // Accounts last, so a won deal always belongs to a customer that existed when the deal was opened.
  const customers = w.customers;
  const live = w.accounts.filter((a) => a.lifecycle !== 'churned');
  const byTier = (list: AccountRef[]): AccountRef[][] => [0, 1, 2].map((t) => list.filter((a) => a.tier === t));
  const customersByTier = byTier(customers);
  const liveByTier = byTier(live);
  for (const d of deals) {
    const day = Math.floor(d.createdSec / DAY);
    const tiered = (d.stage === 'closed_won' || r.chance(0.4) ? customersByTier : liveByTier)[d.tier]!;
    const pool = tiered.length > 0 ? tiered : customers;
    let account = r.pick(pool);
    for (let k = 0; k < 12 && account.createdDay > day; k++) account = r.pick(pool);
    if (account.createdDay > day) account = customers.reduce((a, b) => (a.createdDay < b.createdDay ? a : b));
    d.account = account;
    d.contact = contactOf(w, r, account);
    d.name = `${account.name} - ${r.pick(DEAL_KINDS)}`;
  }
  // The growing account (usage trend plant) is negotiating an expansion.
  const growth = w.accounts[w.facts.growthAccountId - 1]!;
  deals.push({ id: n + 1, tier: growth.tier, account: growth, contact: contactOf(w, r, growth), createdSec: (A - 35) * DAY + 10 * HOUR, closeDay: A + r.int(14, 30), stage: 'negotiation', amount: Math.round(growth.arr * 0.4 / 500) * 500 || 25000, name: `${growth.name} - Expansion: additional sites` });

  const ins = w.sink.insert('deals', ['id', 'name', 'account_id', 'contact_id', 'stage', 'amount', 'probability', 'close_date', 'owner_id', 'source', 'created_at', 'updated_at']);
  for (const d of deals) {
    const closedAt = d.stage.startsWith('closed') ? d.closeDay * DAY + r.int(9 * HOUR, 19 * HOUR) : Math.min(cal.now - r.int(1, 72) * HOUR, d.createdSec + r.int(1, 40) * DAY);
    ins.add(d.id, d.name, d.account.id, d.contact?.id ?? null, d.stage, d.amount, STAGE_PROBABILITY[d.stage]!, cal.date(d.closeDay), d.account.ownerId, r.pick(DEAL_SOURCES), cal.ts(d.createdSec), cal.ts(Math.max(d.createdSec, closedAt)));
  }
  w.facts.dealCount = deals.length;

  w.plants.add({
    id: 'deal_win_rate_decline', metric: 'deals.win_rate', kind: 'trend_down', entityType: 'deals',
    start: cal.date(wrStart), end: cal.date(A - 1), baseline: WIN_RATE_BEFORE, magnitude: (WIN_RATE_AFTER - WIN_RATE_BEFORE) / WIN_RATE_BEFORE,
    description: `Win rate of deals closing (closed_won / all closed, by close_date) slides from ${WIN_RATE_BEFORE * 100}% to ${WIN_RATE_AFTER * 100}% over ${WIN_RATE_SLIDE_DAYS} days and stays there: a competitor undercutting on price.`,
  });
  w.plants.add({
    id: 'pipeline_creation_decline', metric: 'deals.new_pipeline_per_day', kind: 'trend_down', entityType: 'deals',
    start: cal.date(pipeStart), end: cal.date(A - 1), baseline: Math.round((n / mass) * 1000) / 1000, magnitude: PIPELINE_FLOOR - 1,
    description: `New deals created per day (and the pipeline value they add) decline steadily to ${PIPELINE_FLOOR * 100}% of the earlier rate over the last 60 days.`,
  });

  generateActivities(w, r, deals);
  generateCrmTasks(w, r, deals);
}

const ACTIVITY_TYPE = weightedPicker([['email', 40], ['call', 30], ['meeting', 18], ['note', 12]] as const);

function generateActivities(w: World, r: Rand, deals: Deal[]): void {
  const { cal } = w;
  const ins = w.sink.insert('activities', ['id', 'type', 'subject', 'body', 'account_id', 'contact_id', 'deal_id', 'user_id', 'occurred_at']);
  const cur = { first: '', account: '', city: '', industry: '' };
  const slot = (k: string): string | undefined =>
    k === 'first' ? cur.first : k === 'account' ? cur.account : k === 'city' ? cur.city : k === 'industry' ? cur.industry : k === 'weekday' ? r.pick(WEEKDAYS) : k === 'n' ? String(r.int(2, 12)) : k === 'integration' ? r.pick(INTEGRATIONS) : undefined;
  const lo = cal.firstDay * DAY;
  for (let id = 1; id <= w.plan.activities; id++) {
    let deal = r.chance(0.65) ? r.pick(deals) : null;
    // Activity on a deal happens while it is open, inside the history window; otherwise it is an account touchpoint.
    const dealEnd = deal ? Math.min(cal.now - HOUR, deal.stage.startsWith('closed') ? deal.closeDay * DAY + 20 * HOUR : cal.now - HOUR) : 0;
    if (deal && dealEnd - Math.max(lo, deal.createdSec) < HOUR) deal = null;
    const account = deal ? deal.account : r.pick(w.customers);
    const contact = deal?.contact ?? contactOf(w, r, account);
    const start = Math.max(lo, deal ? deal.createdSec : lo, account.createdDay * DAY);
    const end = deal ? dealEnd : cal.now - HOUR;
    const at = start + Math.floor(r.next() * (end - start));
    const type = ACTIVITY_TYPE(r);
    cur.first = contact?.first ?? 'the team';
    cur.account = account.name;
    cur.city = CITIES[account.city]!.city;
    cur.industry = account.industry.toLowerCase();
    const mood = deal?.stage === 'closed_lost' ? (r.chance(0.7) ? 'negative' : 'neutral') : deal?.stage === 'closed_won' ? (r.chance(0.7) ? 'positive' : 'neutral') : r.pick(['positive', 'neutral', 'neutral', 'negative'] as const);
    const body = w.pii.maybe(fill(r.pick(ACTIVITY_BODIES[mood]), slot), contact?.first, contact?.last);
    ins.add(id, type, fill(r.pick(ACTIVITY_SUBJECTS[type]), slot), body, account.id, contact?.id ?? null, deal?.id ?? null, account.ownerId, cal.ts(at));
  }
}

const PRIORITY = weightedPicker([['low', 25], ['medium', 45], ['high', 24], ['urgent', 6]] as const);

function generateCrmTasks(w: World, r: Rand, deals: Deal[]): void {
  const { cal } = w;
  const A = cal.anchorDay;
  const ins = w.sink.insert('tasks', ['id', 'title', 'description', 'status', 'priority', 'due_date', 'assignee_id', 'account_id', 'contact_id', 'deal_id', 'created_at', 'completed_at']);
  const cur = { first: '', account: '', industry: '' };
  const slot = (k: string): string | undefined => (k === 'first' ? cur.first : k === 'account' ? cur.account : k === 'industry' ? cur.industry : undefined);
  for (let id = 1; id <= w.plan.crmTasks; id++) {
    const deal = r.chance(0.5) ? r.pick(deals) : null;
    const account = deal ? deal.account : r.pick(w.customers);
    const contact = deal?.contact ?? contactOf(w, r, account);
    cur.first = contact?.first ?? 'the buyer';
    cur.account = account.name;
    cur.industry = account.industry.toLowerCase();
    const dueDay = A + r.int(-60, 30);
    const createdSec = past(w, r, (dueDay - r.int(3, 20)) * DAY + r.int(8 * HOUR, 18 * HOUR));
    let status: string;
    let completed: number | null = null;
    if (dueDay < A) {
      const x = r.next();
      status = x < 0.74 ? 'done' : x < 0.79 ? 'cancelled' : x < 0.9 ? 'open' : 'in_progress';
    } else {
      const x = r.next();
      status = x < 0.6 ? 'open' : x < 0.94 ? 'in_progress' : 'done';
    }
    if (status === 'done') completed = Math.max(createdSec + 60, past(w, r, Math.max(createdSec + HOUR, (dueDay - r.int(0, 3)) * DAY + r.int(9 * HOUR, 17 * HOUR))));
    const description = fill(r.pick(TASK_DESCRIPTIONS), slot);
    ins.add(id, fill(r.pick(TASK_TITLES), slot), description || null, status, PRIORITY(r), cal.date(dueDay), account.ownerId, account.id, contact?.id ?? null, deal?.id ?? null, cal.ts(createdSec), completed === null ? null : cal.ts(completed));
  }
}
