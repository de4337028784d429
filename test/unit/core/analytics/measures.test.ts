import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../src/main/core/db/open';
import { MEASURES } from '../../../../src/main/core/analytics/catalog';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import type { QueryResult, QuerySpecInput } from '../../../../src/shared/analytics/spec';

/**
 * Every catalog measure against an independent, hand-written SQL computation on a pinned demo workspace (SQLite).
 * The SQL below is written from the measure descriptions, not from the compiler; :from and :to bound the range
 * (to exclusive), :ref is the reference day (the demo's anchor date).
 */
const ANCHOR = '2026-06-15';
const FROM = '2026-01-01'; // last quarter before the anchor
const TO = '2026-04-01';

const IN = (col: string): string => `${col} >= :from AND ${col} < :to`;
const EXPECTED: Record<string, string> = {
  pipeline_value: `SELECT SUM(amount) FROM deals WHERE stage NOT IN ('closed_won','closed_lost') AND ${IN('close_date')}`,
  weighted_pipeline: `SELECT SUM(amount * probability) FROM deals WHERE stage NOT IN ('closed_won','closed_lost') AND ${IN('close_date')}`,
  open_deals: `SELECT COUNT(*) FROM deals WHERE stage NOT IN ('closed_won','closed_lost') AND ${IN('close_date')}`,
  deals_won: `SELECT COUNT(*) FROM deals WHERE stage = 'closed_won' AND ${IN('close_date')}`,
  deals_lost: `SELECT COUNT(*) FROM deals WHERE stage = 'closed_lost' AND ${IN('close_date')}`,
  won_value: `SELECT SUM(amount) FROM deals WHERE stage = 'closed_won' AND ${IN('close_date')}`,
  win_rate: `SELECT 1.0 * SUM(stage = 'closed_won') / SUM(stage IN ('closed_won','closed_lost')) FROM deals WHERE ${IN('close_date')}`,
  avg_deal_size: `SELECT AVG(amount) FROM deals WHERE stage = 'closed_won' AND ${IN('close_date')}`,
  sales_cycle_days: `SELECT AVG(julianday(close_date) - julianday(created_at)) FROM deals WHERE stage = 'closed_won' AND ${IN('close_date')}`,
  ticket_volume: `SELECT COUNT(*) FROM tickets WHERE ${IN('created_at')}`,
  open_tickets: `SELECT COUNT(*) FROM tickets WHERE status NOT IN ('solved','closed') AND ${IN('created_at')}`,
  backlog_urgent: `SELECT COUNT(*) FROM tickets WHERE status NOT IN ('solved','closed') AND priority IN ('high','urgent') AND ${IN('created_at')}`,
  first_response_hours: `SELECT AVG((julianday(first_response_at) - julianday(created_at)) * 24) FROM tickets WHERE first_response_at IS NOT NULL AND ${IN('created_at')}`,
  resolution_hours: `SELECT AVG((julianday(resolved_at) - julianday(created_at)) * 24) FROM tickets WHERE resolved_at IS NOT NULL AND ${IN('created_at')}`,
  sla_breach_rate: `SELECT 1.0 * SUM(EXISTS (SELECT 1 FROM ticket_sla_events e WHERE e.ticket_id = tickets.id AND e.breached = 1)) / COUNT(*) FROM tickets WHERE ${IN('created_at')}`,
  csat: `SELECT AVG(csat) FROM tickets WHERE csat IS NOT NULL AND ${IN('created_at')}`,
  tasks_completed: `SELECT COUNT(*) FROM tasks WHERE status = 'done' AND ${IN('completed_at')}`,
  overdue_tasks: `SELECT COUNT(*) FROM tasks WHERE status IN ('open','in_progress') AND due_date < :ref AND ${IN('due_date')}`,
  activity_sla_compliance: `SELECT 1.0 * SUM(substr(completed_at, 1, 10) <= due_date) / COUNT(*) FROM tasks WHERE status = 'done' AND completed_at IS NOT NULL AND due_date IS NOT NULL AND ${IN('due_date')}`,
  activity_count: `SELECT COUNT(*) FROM activities WHERE ${IN('occurred_at')}`,
  campaign_spend: `SELECT SUM(spend) FROM campaign_metrics_daily WHERE ${IN('date')}`,
  impressions: `SELECT SUM(impressions) FROM campaign_metrics_daily WHERE ${IN('date')}`,
  ctr: `SELECT 1.0 * SUM(clicks) / SUM(impressions) FROM campaign_metrics_daily WHERE ${IN('date')}`,
  conversions: `SELECT SUM(conversions) FROM campaign_metrics_daily WHERE ${IN('date')}`,
  cpa: `SELECT 1.0 * SUM(spend) / SUM(conversions) FROM campaign_metrics_daily WHERE ${IN('date')}`,
  campaign_roas: `SELECT 1.0 * SUM(revenue) / SUM(spend) FROM campaign_metrics_daily WHERE ${IN('date')}`,
  vendor_on_time_rate: `SELECT 1.0 * SUM(on_time = 1) / COUNT(on_time) FROM deliveries WHERE ${IN('delivered_at')}`,
  deliveries: `SELECT COUNT(*) FROM deliveries WHERE ${IN('delivered_at')}`,
  quality_incidents: `SELECT COUNT(*) FROM vendor_quality_incidents WHERE ${IN('occurred_at')}`,
  jobs_completed: `SELECT COUNT(*) FROM dispatch_jobs WHERE status = 'completed' AND ${IN('completed_at')}`,
  technician_utilisation: `SELECT SUM((julianday(scheduled_end) - julianday(scheduled_start)) * 24) / COUNT(DISTINCT technician_id || '/' || date(scheduled_start)) / 8 FROM dispatch_jobs
    WHERE status <> 'cancelled' AND scheduled_start IS NOT NULL AND scheduled_end IS NOT NULL AND technician_id IS NOT NULL AND ${IN('scheduled_start')}`,
  account_health: `SELECT AVG(feature_adoption) FROM customer_usage_daily WHERE ${IN('date')}`,
  nps: `SELECT 100.0 * (SUM(score >= 9) - SUM(score <= 6)) / COUNT(*) FROM nps_responses WHERE ${IN('responded_at')}`,
  renewals_due: `SELECT COUNT(*) FROM renewals WHERE status IN ('upcoming','at_risk') AND renewal_date >= :ref AND renewal_date < date(:ref, '+91 days') AND ${IN('renewal_date')}`,
  renewal_value: `SELECT SUM(amount) FROM renewals WHERE ${IN('renewal_date')}`,
  goal_progress: `SELECT AVG(progress) FROM goals WHERE progress IS NOT NULL AND ${IN('target_date')}`,
  kpi_attainment: `SELECT AVG(CASE WHEN direction = 'down' AND current <> 0 THEN target / current WHEN direction = 'up' AND target <> 0 THEN current / target END) FROM kpis WHERE target IS NOT NULL AND ${IN('created_at')}`,
};

/** Measures whose quarter is empty in the demo are also checked over all time, so none passes as null = null. */
const ALL_TIME = (q: string): string => q.replace(/AND [a-z_]+ >= :from AND [a-z_]+ < :to/, '').replace(/WHERE [a-z_]+ >= :from AND [a-z_]+ < :to/, '');

const close = (actual: unknown, expected: unknown): void => {
  if (expected === null || expected === undefined) return expect(actual).toBeNull();
  expect(typeof actual).toBe('number');
  expect(actual as number).toBeCloseTo(Number(expected), 6);
};

describe('catalog measures against independent SQL (demo workspace, SQLite)', () => {
  let t: TestCore;
  let raw: Db;
  const q = (spec: QuerySpecInput): Promise<QueryResult> => t.core.call('analytics.query', { workspace: 'demo', spec });

  beforeAll(async () => {
    t = makeTestCore();
    const { jobId } = await t.core.call('workspace.create', { name: 'demo', demo: { scale: 0.3, seed: 11, anchorDate: ANCHOR } });
    const job = await t.core.services.jobs.waitFor(jobId!);
    expect(job.status).toBe('completed');
    const file = await t.core.services.workspaces.withWorkspace('demo', (ctx) => (ctx.location.engine === 'sqlite' ? ctx.location.file : ''));
    raw = openDatabase(file, { readonly: true, vectors: false });
  });
  afterAll(async () => {
    raw?.close();
    await t?.cleanup();
  });

  it('has an independent computation for every measure', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(MEASURES.map((m) => m.name).sort());
  });

  it.each(MEASURES.map((m) => m.name))('%s matches over last quarter and over all time', async (name) => {
    const params = { from: FROM, to: TO, ref: ANCHOR };
    const r = await q({ measures: [name], timeRange: { preset: 'last_quarter' } });
    expect(r.range).toMatchObject({ from: FROM, to: '2026-03-31' });
    const want = raw.prepare(EXPECTED[name]!).pluck().get(params);
    close(r.totals[name], want);
    const all = await q({ measures: [name] });
    const wantAll = raw.prepare(ALL_TIME(EXPECTED[name]!)).pluck().get({ ref: ANCHOR });
    expect(wantAll).not.toBeNull();
    close(all.totals[name], wantAll);
  });

  it('breaks win rate down by owner like a hand-written GROUP BY', async () => {
    const r = await q({ measures: ['win_rate', 'deals_won'], dimensions: ['owner'], timeRange: { preset: 'last_quarter' }, limit: 1000 });
    const want = raw
      .prepare(
        `SELECT u.name AS owner, 1.0 * SUM(d.stage = 'closed_won') / NULLIF(SUM(d.stage IN ('closed_won','closed_lost')), 0) AS win_rate, SUM(d.stage = 'closed_won') AS won
         FROM deals d LEFT JOIN users u ON u.id = d.owner_id WHERE d.close_date >= :from AND d.close_date < :to GROUP BY u.name`,
      )
      .all({ from: FROM, to: TO }) as { owner: string | null; win_rate: number | null; won: number }[];
    expect(r.rows.length).toBe(want.length);
    expect(want.length).toBeGreaterThan(1);
    for (const w of want) {
      const row = r.rows.find((x) => x.owner === w.owner)!;
      expect(row).toBeDefined();
      close(row.win_rate, w.win_rate);
      close(row.deals_won, w.won);
    }
    // Sorted by the first measure, largest first, nulls last.
    const rates = r.rows.map((x) => x.win_rate).filter((x): x is number => typeof x === 'number');
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
  });

  it('buckets ticket volume by month and filters by priority', async () => {
    const r = await q({ measures: ['ticket_volume', 'csat'], grain: 'month', filters: [{ field: 'priority', op: 'in', values: ['high', 'URGENT'] }], timeRange: { preset: 'last_quarter' } });
    const want = raw
      .prepare(`SELECT date(created_at, 'start of month') AS m, COUNT(*) AS n, AVG(csat) AS c FROM tickets WHERE priority IN ('high','urgent') AND created_at >= :from AND created_at < :to GROUP BY m ORDER BY m`)
      .all({ from: FROM, to: TO }) as { m: string; n: number; c: number | null }[];
    expect(r.rows.map((x) => x.period)).toEqual(want.map((w) => w.m));
    expect(r.rows.map((x) => x.ticket_volume)).toEqual(want.map((w) => w.n));
    r.rows.forEach((row, i) => close(row.csat, want[i]!.c));
    expect(r.columns.map((c) => c.key)).toEqual(['period', 'ticket_volume', 'csat']);
  });

  it('joins measures from different sources on a shared dimension and compares with the previous period', async () => {
    const r = await q({ measures: ['ticket_volume', 'pipeline_value'], dimensions: ['region'], timeRange: { preset: 'last_quarter' }, compare: true });
    expect(r.previousRange).toMatchObject({ from: '2025-10-01', to: '2025-12-31' });
    const tickets = raw
      .prepare(`SELECT a.region AS region, COUNT(*) AS n FROM tickets t LEFT JOIN accounts a ON a.id = t.account_id WHERE t.created_at >= :from AND t.created_at < :to GROUP BY a.region`)
      .all({ from: '2025-10-01', to: '2026-01-01' }) as { region: string | null; n: number }[];
    for (const w of tickets) {
      const row = r.rows.find((x) => x.region === w.region);
      if (row) expect(row.ticket_volume_previous).toBe(w.n);
    }
    const prevTotal = raw.prepare(`SELECT COUNT(*) FROM tickets WHERE created_at >= '2025-10-01' AND created_at < '2026-01-01'`).pluck().get() as number;
    expect(r.previousTotals?.ticket_volume).toBe(prevTotal);
    expect(r.totals.ticket_volume_change).toBe((r.totals.ticket_volume as number) - prevTotal);
    expect(r.timing.statements).toBeGreaterThanOrEqual(4);
  });
});
