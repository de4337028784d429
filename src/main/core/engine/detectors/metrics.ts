import type { Db } from '../../db/open';
import type { Point } from './detect';

export interface Series {
  entityType: string | null;
  entityId: number | null;
  entityTitle: string | null;
  points: Point[];
  /** Daily numerators and denominators, for the rate-shift test of proportion metrics. */
  daily: { date: string; num: number; den: number }[];
}

/**
 * A watched metric. Its SQL returns one row per record and day: (entity_id, title, date, num, den). The value is
 * num / den × scale; a null den means num is a plain count or sum. Weekly metrics add up num and den over 7-day
 * buckets ending at the latest data, so ratios over a few records a day become stable.
 */
export interface MetricDef {
  key: string;
  label: string;
  /** Insight domain (an entity group). */
  domain: string;
  unit: string;
  /** Which way is good: an increase of a 'down' metric (SLA breaches) is bad news. */
  better: 'up' | 'down' | 'none';
  granularity: 'day' | 'week';
  /** Days without a row count as zero (counts and sums), rather than as missing. */
  fillZero: boolean;
  /** Daily values follow the day of the week (weekend dips): compare like with like. */
  weekly: boolean;
  scale: number;
  /** Changes smaller than this, in the metric's unit, are never anomalies (low-volume counts). */
  minAbsolute: number;
  /** Relative change an anomaly needs (default 25 %); higher for metrics that wobble day to day. */
  minChange?: number;
  /** Ratio points over fewer than this many items (tickets, deliveries, conversions) are left out as too thin to judge. */
  minDen?: number;
  /** num counts successes out of den trials (a share): thin series are also tested for a shift of the rate. */
  proportion?: boolean;
  /** num counts events (deals created): thin series are also tested for a shift of the daily rate. */
  countRate?: boolean;
  /** What to look at first when this metric moves. */
  advice: string;
  entityType: string | null;
  sql: string;
}

type Row = { entity_id: number | null; title: string | null; date: string; num: number | null; den: number | null };

const DAY = 86_400_000;
const dayNum = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY);
const dateOf = (n: number): string => new Date(n * DAY).toISOString().slice(0, 10);

/** Reads a metric's series, one per record (one in all for workspace metrics), ordered by date. */
export function readSeries(db: Db, m: MetricDef): Series[] {
  const rows = db.prepare(m.sql).all() as Row[];
  if (rows.length === 0) return [];
  const end = Math.max(...rows.map((r) => dayNum(r.date)));
  const by = new Map<number | null, { title: string | null; rows: Row[] }>();
  for (const r of rows) {
    let g = by.get(r.entity_id);
    if (!g) by.set(r.entity_id, (g = { title: r.title, rows: [] }));
    g.rows.push(r);
  }
  const minDen = m.minDen ?? 1;
  const value = (num: number, den: number | null): number | null => (den === null ? num * m.scale : den >= minDen && den > 0 ? (num / den) * m.scale : null);
  const out: Series[] = [];
  for (const [id, g] of by) {
    const first = Math.min(...g.rows.map((r) => dayNum(r.date)));
    const last = m.fillZero ? end : Math.max(...g.rows.map((r) => dayNum(r.date)));
    const perDay = new Map<number, { num: number; den: number | null }>();
    for (const r of g.rows) perDay.set(dayNum(r.date), { num: r.num ?? 0, den: r.den });
    const points: Point[] = [];
    if (m.granularity === 'day') {
      for (let d = first; d <= last; d++) {
        const x = perDay.get(d);
        if (x) points.push({ date: dateOf(d), value: value(x.num, x.den) });
        else if (m.fillZero) points.push({ date: dateOf(d), value: 0 });
      }
    } else {
      // 7-day buckets ending at the metric's latest day; the oldest, incomplete bucket is dropped.
      for (let bEnd = end; bEnd - 6 >= first; bEnd -= 7) {
        let num = 0;
        let den: number | null = null;
        let days = 0;
        for (let d = bEnd - 6; d <= bEnd; d++) {
          const x = perDay.get(d);
          if (!x) continue;
          days++;
          num += x.num;
          if (x.den !== null) den = (den ?? 0) + x.den;
        }
        if (days === 0 && !m.fillZero) continue;
        points.unshift({ date: dateOf(bEnd - 6), value: value(num, den) });
      }
    }
    const daily = m.countRate
      ? Array.from({ length: last - first + 1 }, (_, k) => ({ date: dateOf(first + k), num: perDay.get(first + k)?.num ?? 0, den: 1 }))
      : g.rows.filter((r) => r.den !== null).map((r) => ({ date: r.date, num: r.num ?? 0, den: r.den! }));
    out.push({ entityType: id === null ? null : m.entityType, entityId: id, entityTitle: g.title, points, daily });
  }
  return out;
}

const WS = 'NULL AS entity_id, NULL AS title';

/** The workspace metrics the detectors watch. */
export const METRICS: readonly MetricDef[] = [
  {
    key: 'ticket_volume',
    label: 'Ticket volume',
    domain: 'support',
    unit: 'tickets/day',
    better: 'none',
    granularity: 'day',
    fillZero: true,
    weekly: true,
    scale: 1,
    minAbsolute: 3,
    advice: 'Group the new tickets by category, channel and account to find what drove the change.',
    entityType: null,
    sql: `SELECT ${WS}, substr(created_at, 1, 10) AS date, count(*) AS num, NULL AS den FROM tickets GROUP BY date ORDER BY date`,
  },
  {
    key: 'sla_breach_rate',
    proportion: true,
    label: 'SLA breach rate',
    domain: 'support',
    unit: '%',
    better: 'down',
    granularity: 'week',
    fillZero: false,
    weekly: false,
    scale: 100,
    minAbsolute: 5,
    minDen: 5,
    advice: 'Check staffing against ticket volume for those weeks and which SLA targets (first response or resolution) were missed.',
    entityType: null,
    sql: `SELECT ${WS}, substr(t.created_at, 1, 10) AS date, sum(EXISTS (SELECT 1 FROM ticket_sla_events e WHERE e.ticket_id = t.id AND e.breached = 1)) AS num, count(*) AS den
          FROM tickets t GROUP BY date ORDER BY date`,
  },
  {
    key: 'first_response_minutes',
    label: 'First response time',
    domain: 'support',
    unit: 'minutes',
    better: 'down',
    granularity: 'day',
    fillZero: false,
    weekly: true,
    scale: 1,
    minAbsolute: 5,
    minChange: 0.5,
    advice: 'Compare agent coverage and queue size on those days; look for agents or teams that fell behind.',
    entityType: null,
    sql: `SELECT ${WS}, date, sum(first_response_minutes) AS num, count(*) AS den FROM agent_metrics_daily WHERE first_response_minutes IS NOT NULL GROUP BY date ORDER BY date`,
  },
  {
    key: 'pipeline_value',
    label: 'New pipeline value',
    domain: 'crm',
    unit: 'USD/week',
    better: 'up',
    granularity: 'week',
    fillZero: true,
    weekly: false,
    scale: 1,
    minAbsolute: 1_000,
    minChange: 1,
    advice: 'Look at deal sources and owners for the period to see which channel or team moved.',
    entityType: null,
    sql: `SELECT ${WS}, substr(created_at, 1, 10) AS date, sum(coalesce(amount, 0)) AS num, NULL AS den FROM deals GROUP BY date ORDER BY date`,
  },
  {
    key: 'new_deals',
    countRate: true,
    label: 'New deals',
    domain: 'crm',
    unit: 'deals/week',
    better: 'up',
    granularity: 'week',
    fillZero: true,
    weekly: false,
    scale: 1,
    minAbsolute: 2,
    advice: 'Check lead flow by source and the handover from marketing to sales for the period.',
    entityType: null,
    sql: `SELECT ${WS}, substr(created_at, 1, 10) AS date, count(*) AS num, NULL AS den FROM deals GROUP BY date ORDER BY date`,
  },
  {
    key: 'deal_win_rate',
    proportion: true,
    label: 'Deal win rate',
    domain: 'crm',
    unit: '%',
    better: 'up',
    granularity: 'week',
    fillZero: false,
    weekly: false,
    scale: 100,
    minAbsolute: 5,
    minDen: 3,
    advice: 'Review recent lost deals for a common reason (price, competitor, product gap) and brief the sales team.',
    entityType: null,
    sql: `SELECT ${WS}, close_date AS date, sum(stage = 'closed_won') AS num, count(*) AS den FROM deals
          WHERE stage IN ('closed_won', 'closed_lost') AND close_date IS NOT NULL GROUP BY date ORDER BY date`,
  },
  {
    key: 'campaign_ctr',
    proportion: true,
    label: 'Campaign click-through rate',
    domain: 'marketing',
    unit: '%',
    better: 'up',
    granularity: 'day',
    fillZero: false,
    weekly: true,
    scale: 100,
    minAbsolute: 0.05,
    minDen: 100,
    advice: 'Check creative, audience and placement changes around the start of the change.',
    entityType: 'campaigns',
    sql: `SELECT m.campaign_id AS entity_id, c.name AS title, m.date, m.clicks AS num, m.impressions AS den
          FROM campaign_metrics_daily m JOIN campaigns c ON c.id = m.campaign_id WHERE m.impressions > 0 ORDER BY m.campaign_id, m.date`,
  },
  {
    key: 'campaign_cpa',
    label: 'Campaign cost per acquisition',
    domain: 'marketing',
    unit: 'USD',
    better: 'down',
    granularity: 'week',
    fillZero: false,
    weekly: false,
    scale: 1,
    minAbsolute: 1,
    minDen: 3,
    advice: 'Check bids, audience changes and landing-page conversion for the campaign.',
    entityType: 'campaigns',
    sql: `SELECT m.campaign_id AS entity_id, c.name AS title, m.date, m.spend AS num, m.conversions AS den
          FROM campaign_metrics_daily m JOIN campaigns c ON c.id = m.campaign_id WHERE m.spend IS NOT NULL ORDER BY m.campaign_id, m.date`,
  },
  {
    key: 'vendor_on_time_rate',
    proportion: true,
    label: 'Vendor on-time delivery rate',
    domain: 'vendors',
    unit: '%',
    better: 'up',
    granularity: 'week',
    fillZero: false,
    weekly: false,
    scale: 100,
    minAbsolute: 5,
    minDen: 3,
    advice: 'Review the late purchase orders with the vendor and check for capacity or logistics problems.',
    entityType: 'vendors',
    sql: `SELECT p.vendor_id AS entity_id, v.name AS title, substr(d.delivered_at, 1, 10) AS date, sum(d.on_time = 1) AS num, count(*) AS den
          FROM deliveries d JOIN purchase_orders p ON p.id = d.purchase_order_id JOIN vendors v ON v.id = p.vendor_id
          WHERE d.on_time IS NOT NULL GROUP BY p.vendor_id, date ORDER BY p.vendor_id, date`,
  },
  {
    key: 'agent_csat',
    label: 'Agent CSAT',
    domain: 'performance',
    unit: 'score',
    better: 'up',
    granularity: 'day',
    fillZero: false,
    weekly: false,
    scale: 1,
    minAbsolute: 0.3,
    advice: "Read the agent's low-rated tickets from the period and pair the agent with a coach.",
    entityType: 'agents',
    sql: `SELECT m.agent_id AS entity_id, a.name AS title, m.date, m.csat AS num, 1 AS den
          FROM agent_metrics_daily m JOIN agents a ON a.id = m.agent_id WHERE m.csat IS NOT NULL ORDER BY m.agent_id, m.date`,
  },
  {
    key: 'account_usage',
    label: 'Account active users',
    domain: 'success',
    unit: 'users',
    better: 'up',
    granularity: 'day',
    fillZero: false,
    weekly: true,
    scale: 1,
    minAbsolute: 2,
    minChange: 0.5,
    advice: 'Reach out to the account owner: check for login problems, a lost champion or a competing tool.',
    entityType: 'accounts',
    sql: `SELECT u.account_id AS entity_id, a.name AS title, u.date, u.active_users AS num, 1 AS den
          FROM customer_usage_daily u JOIN accounts a ON a.id = u.account_id ORDER BY u.account_id, u.date`,
  },
];

export const findMetric = (key: string): MetricDef | undefined => METRICS.find((m) => m.key === key);
