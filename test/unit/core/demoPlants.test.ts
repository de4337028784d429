import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/main/core/db/open';
import { addDays, ANCHOR, generateDemoDb, mean, median, plant, type GeneratedDemo } from '../../fixtures/demoDb';

/**
 * Every planted anomaly must be visible in the rows themselves, measured the way a detector would (a ratio or a
 * robust comparison against a trailing baseline), and the series around them must stay quiet enough that the same
 * check does not fire on the unplanted ones.
 */
const daily = (db: Db, sql: string, ...params: unknown[]): Map<string, number> =>
  new Map((db.prepare(sql).raw().all(...params) as [string, number][]).map(([k, v]) => [k, v]));

const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

/** 7-day rolling means of a daily series (missing days count as absent, not zero). */
function rolling7(series: Map<string, number>, from: string, to: string): [string, number][] {
  const out: [string, number][] = [];
  for (const d of days(from, to)) {
    const window = days(addDays(d, -6), d).map((x) => series.get(x)).filter((v): v is number => v !== undefined);
    if (window.length >= 4) out.push([d, mean(window)]);
  }
  return out;
}

describe.each([42, 1001])('planted anomalies are visible at scale 1 (seed %i)', (seed) => {
  let d: GeneratedDemo;
  beforeAll(async () => {
    d = await generateDemoDb(1, seed);
  });
  afterAll(() => d.close());
  const q = (sql: string, ...params: unknown[]): number => d.db.prepare(sql).pluck().get(...params) as number;

  it('ticket volume spike: each outage day is at least 2.5x the trailing 28-day median, driven by login tickets', () => {
    const p = plant(d, 'ticket_volume_spike');
    const counts = daily(d.db, 'SELECT substr(created_at, 1, 10), count(*) FROM tickets GROUP BY 1');
    const base = median(days(addDays(p.start, -28), addDays(p.start, -1)).map((x) => counts.get(x) ?? 0));
    for (const day of days(p.start, p.end)) {
      expect(counts.get(day) ?? 0, day).toBeGreaterThanOrEqual(2.5 * Math.max(1, base));
      const login = q("SELECT count(*) FROM tickets WHERE category = 'login' AND substr(created_at, 1, 10) = ?", day);
      expect(login / (counts.get(day) ?? 1), day).toBeGreaterThanOrEqual(0.5);
    }
    expect(p.filter).toEqual({ category: 'login' });
  });

  it('SLA breach surge: tickets created in the window breach at least three times as often as the rest', () => {
    const p = plant(d, 'sla_breach_surge');
    const rate = (where: string, ...params: unknown[]): number =>
      q(`SELECT avg(EXISTS (SELECT 1 FROM ticket_sla_events e WHERE e.ticket_id = t.id AND e.breached = 1)) FROM tickets t WHERE ${where}`, ...params);
    const inside = rate('substr(created_at, 1, 10) BETWEEN ? AND ?', p.start, p.end);
    const outside = rate("(substr(created_at, 1, 10) < ? OR substr(created_at, 1, 10) > ?) AND created_at < ? AND category != 'login'", p.start, p.end, addDays(ANCHOR, -10));
    expect(inside).toBeGreaterThan(0.3);
    expect(inside).toBeGreaterThan(3 * outside);
  });

  it('win rate declines: deals closing lately are won far less often than those closing early in the history', () => {
    const winRate = (from: string, to: string): number => q("SELECT avg(stage = 'closed_won') FROM deals WHERE stage LIKE 'closed%' AND close_date BETWEEN ? AND ?", from, to);
    const early = winRate(addDays(ANCHOR, -180), addDays(ANCHOR, -91));
    const late = winRate(addDays(ANCHOR, -45), addDays(ANCHOR, -1));
    expect(early).toBeGreaterThan(0.3);
    expect(late).toBeLessThan(0.65 * early);
  });

  it('pipeline creation declines: fewer deals are opened per day at the end', () => {
    const p = plant(d, 'pipeline_creation_decline');
    const perDay = (from: string, to: string): number => q('SELECT count(*) FROM deals WHERE substr(created_at, 1, 10) BETWEEN ? AND ?', from, to) / days(from, to).length;
    expect(perDay(addDays(ANCHOR, -20), addDays(ANCHOR, -1))).toBeLessThan(0.8 * perDay(addDays(p.start, -90), addDays(p.start, -1)));
  });

  it('campaign CTR collapse: the planted campaign drops below half its trailing CTR, the others never fall by 30%', () => {
    const p = plant(d, 'campaign_ctr_collapse');
    for (const id of d.db.prepare('SELECT DISTINCT campaign_id FROM campaign_metrics_daily').pluck().all() as number[]) {
      const ctr = daily(d.db, 'SELECT date, 1.0 * clicks / impressions FROM campaign_metrics_daily WHERE campaign_id = ? AND impressions > 0', id);
      const dates = [...ctr.keys()].sort();
      const roll = rolling7(ctr, dates[0]!, dates.at(-1)!);
      const drops = roll.filter(([day, v]) => {
        const trailing = [...ctr.entries()].filter(([x]) => x < addDays(day, -6) && x >= addDays(day, -34)).map(([, c]) => c);
        return trailing.length >= 14 && v < 0.7 * median(trailing);
      });
      if (id === p.entityId) {
        expect(drops.length, 'planted campaign').toBeGreaterThan(0);
        expect(drops[0]![0] >= p.start && drops[0]![0] <= addDays(p.start, 7)).toBe(true);
        const after = mean(days(addDays(p.start, 7), p.end).map((x) => ctr.get(x)!).filter((x) => x !== undefined));
        const before = median(days(addDays(p.start, -28), addDays(p.start, -1)).map((x) => ctr.get(x)!).filter((x) => x !== undefined));
        expect(after).toBeLessThan(0.5 * before);
      } else expect(drops, `campaign ${id}`).toEqual([]);
    }
  });

  it('campaign CPA rise: cost per conversion at least doubles from the first to the last fortnight', () => {
    const p = plant(d, 'campaign_cpa_rise');
    const cpa = (from: string, to: string): number =>
      q('SELECT sum(spend) / sum(conversions) FROM campaign_metrics_daily WHERE campaign_id = ? AND date BETWEEN ? AND ?', p.entityId, from, to);
    expect(cpa(addDays(p.end, -13), p.end)).toBeGreaterThan(2 * cpa(p.start, addDays(p.start, 13)));
  });

  it('vendor on-time drop: the planted supplier delivers late for orders expected in the window, and not before', () => {
    const p = plant(d, 'vendor_on_time_drop');
    const rate = (vendor: number, where: string, ...params: unknown[]): number =>
      q(`SELECT avg(v.on_time) FROM deliveries v JOIN purchase_orders o ON o.id = v.purchase_order_id WHERE o.vendor_id = ? AND ${where}`, vendor, ...params);
    const before = rate(p.entityId!, 'substr(o.expected_at, 1, 10) < ?', p.start);
    const during = rate(p.entityId!, 'substr(o.expected_at, 1, 10) >= ?', p.start);
    expect(before).toBeGreaterThan(0.75);
    expect(during).toBeLessThan(0.55);
    expect(q("SELECT count(*) FROM deliveries v JOIN purchase_orders o ON o.id = v.purchase_order_id WHERE o.vendor_id = ? AND substr(o.expected_at, 1, 10) >= ?", p.entityId, p.start)).toBeGreaterThanOrEqual(5);
  });

  it('agent CSAT decline: the planted agent loses close to a point and a half, the others stay level', () => {
    const p = plant(d, 'agent_csat_decline');
    for (const id of d.db.prepare('SELECT id FROM agents').pluck().all() as number[]) {
      const before = q('SELECT avg(csat) FROM agent_metrics_daily WHERE agent_id = ? AND date < ?', id, p.start);
      const end = q('SELECT avg(csat) FROM agent_metrics_daily WHERE agent_id = ? AND date > ?', id, addDays(p.end, -10));
      if (id === p.entityId) expect(before - end).toBeGreaterThan(0.8);
      else expect(Math.abs(before - end), `agent ${id}`).toBeLessThan(0.3);
    }
  });

  it('account usage drop before renewal: active users fall by over half while the renewal is still "upcoming"', () => {
    const p = plant(d, 'account_usage_drop');
    for (const id of d.db.prepare('SELECT DISTINCT account_id FROM customer_usage_daily').pluck().all() as number[]) {
      const users = daily(d.db, 'SELECT date, active_users FROM customer_usage_daily WHERE account_id = ?', id);
      const roll = rolling7(users, addDays(ANCHOR, -150), addDays(ANCHOR, -1));
      const trailing = (day: string): number => mean(days(addDays(day, -34), addDays(day, -7)).map((x) => users.get(x)!));
      const drops = roll.filter(([day, v]) => v < 0.7 * trailing(day));
      if (id === p.entityId) {
        expect(drops.length).toBeGreaterThan(0);
        expect(drops[0]![0] >= p.start && drops[0]![0] <= addDays(p.start, 14)).toBe(true);
        expect(mean(days(addDays(p.start, 12), p.end).map((x) => users.get(x)!))).toBeLessThan(0.5 * mean(days(addDays(p.start, -28), addDays(p.start, -1)).map((x) => users.get(x)!)));
      } else expect(drops, `account ${id}`).toEqual([]);
    }
    const renewal = d.db.prepare('SELECT renewal_date, status FROM renewals WHERE account_id = ?').get(p.entityId) as { renewal_date: string; status: string };
    expect(renewal.status).toBe('upcoming');
    expect(renewal.renewal_date > ANCHOR && renewal.renewal_date <= addDays(ANCHOR, 35)).toBe(true);
    const g = plant(d, 'account_usage_growth');
    const growth = (from: string, to: string): number => q('SELECT avg(active_users) FROM customer_usage_daily WHERE account_id = ? AND date BETWEEN ? AND ?', g.entityId, from, to);
    expect(growth(addDays(g.end, -13), g.end)).toBeGreaterThan(1.4 * growth(addDays(g.start, -42), addDays(g.start, -1)));
  });

  it('project overruns: exactly the planted projects are over budget or past due while active', () => {
    const overBudget = d.db.prepare('SELECT id FROM projects WHERE spent > 1.2 * budget ORDER BY id').pluck().all();
    const late = d.db.prepare("SELECT id FROM projects WHERE status IN ('active', 'on_hold') AND due_date < ? ORDER BY id").pluck().all(ANCHOR);
    const planted = (prefix: string): number[] => d.plants.filter((p) => p.id.startsWith(prefix)).map((p) => p.entityId!).sort((a, b) => a - b);
    expect(overBudget).toEqual(planted('project_budget_overrun'));
    expect(late).toEqual(planted('project_schedule_slip'));
    expect(overBudget).toHaveLength(2);
    for (const id of late as number[]) {
      expect(q("SELECT count(*) FROM project_milestones WHERE project_id = ? AND status = 'missed'", id)).toBeGreaterThan(0);
      expect(q("SELECT count(*) FROM project_tasks WHERE project_id = ? AND status = 'blocked'", id)).toBeGreaterThan(0);
    }
  });

  it('dispatch double bookings: the overlapping technician bookings are exactly the planted ones', () => {
    const rows = d.db.prepare("SELECT a.id AS a, b.id AS b FROM dispatch_jobs a JOIN dispatch_jobs b ON a.technician_id = b.technician_id AND a.id < b.id AND a.scheduled_start < b.scheduled_end AND b.scheduled_start < a.scheduled_end WHERE a.status != 'cancelled' AND b.status != 'cancelled' ORDER BY a.id, b.id").all() as { a: number; b: number }[];
    const planted = d.plants.filter((p) => p.kind === 'conflict').map((p) => p.related![0]!.ids);
    expect(planted.length).toBeGreaterThanOrEqual(2);
    expect(rows.map((r) => [r.a, r.b]).sort()).toEqual(planted.map((ids) => [...ids].sort((x, y) => x - y)).sort());
    for (const ids of planted) expect(q("SELECT count(*) FROM dispatch_jobs WHERE id IN (?, ?) AND status = 'scheduled' AND scheduled_start >= ?", ids[0], ids[1], ANCHOR)).toBe(2);
  });
});
