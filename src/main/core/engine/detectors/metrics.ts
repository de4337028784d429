import type { Db } from '../../db/open';
import type { Point } from './detect';

export interface Series {
  entityType: string | null;
  entityId: number | null;
  entityTitle: string | null;
  points: Point[];
}

export interface MetricDef {
  key: string;
  label: string;
  /** Insight domain (an entity group). */
  domain: string;
  unit: string;
  /** Which way is good: an increase of a 'down' metric (SLA breaches) is bad news. */
  better: 'up' | 'down' | 'none';
  granularity: 'day' | 'week';
  /** Changes smaller than this, in the metric's unit, are never anomalies (low-volume counts). */
  minAbsolute: number;
  /** What to look at first when this metric moves. */
  advice: string;
  series(db: Db): Series[];
}

type Row = { entity_id: number | null; title: string | null; date: string; value: number | null };

const DAY = 86_400_000;
const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** Groups (entity, date, value) rows into one series per entity; with `fillZero`, missing days count as 0. */
function group(rows: readonly Row[], entityType: string | null, fillZero: boolean, step = 1): Series[] {
  const by = new Map<number | null, { title: string | null; rows: Row[] }>();
  for (const r of rows) {
    let g = by.get(r.entity_id);
    if (!g) by.set(r.entity_id, (g = { title: r.title, rows: [] }));
    g.rows.push(r);
  }
  const out: Series[] = [];
  for (const [id, g] of by) {
    let points: Point[] = g.rows.map((r) => ({ date: r.date, value: r.value }));
    if (fillZero && points.length > 0) {
      const have = new Map(points.map((p) => [p.date, p.value]));
      points = [];
      for (let d = g.rows[0]!.date; d <= g.rows.at(-1)!.date; d = addDays(d, step)) points.push({ date: d, value: have.get(d) ?? 0 });
    }
    out.push({ entityType: id === null ? null : entityType, entityId: id, entityTitle: g.title, points });
  }
  return out;
}

const all = (db: Db, sql: string): Row[] => db.prepare(sql).all() as Row[];

/** The workspace metrics the detectors watch. SQL reads only; every series is ordered by date. */
export const METRICS: readonly MetricDef[] = [
  {
    key: 'ticket_volume',
    label: 'Ticket volume',
    domain: 'support',
    unit: 'tickets/day',
    better: 'none',
    granularity: 'day',
    minAbsolute: 3,
    advice: 'Group the new tickets by category, channel and account to find what drove the change.',
    series: (db) => group(all(db, 'SELECT NULL AS entity_id, NULL AS title, substr(created_at, 1, 10) AS date, count(*) AS value FROM tickets GROUP BY date ORDER BY date'), null, true),
  },
  {
    key: 'sla_breaches',
    label: 'SLA breaches',
    domain: 'support',
    unit: 'breaches/day',
    better: 'down',
    granularity: 'day',
    minAbsolute: 2,
    advice: 'Check staffing against ticket volume on those days and which SLA metric (first response or resolution) was missed.',
    series: (db) =>
      group(all(db, 'SELECT NULL AS entity_id, NULL AS title, substr(target_at, 1, 10) AS date, sum(breached) AS value FROM ticket_sla_events GROUP BY date ORDER BY date'), null, true),
  },
  {
    key: 'sla_breach_rate',
    label: 'SLA breach rate',
    domain: 'support',
    unit: '%',
    better: 'down',
    granularity: 'day',
    minAbsolute: 5,
    advice: 'Check staffing and queue size for the tickets created on those days, and which SLA targets were missed.',
    series: (db) =>
      group(
        all(
          db,
          `SELECT NULL AS entity_id, NULL AS title, substr(t.created_at, 1, 10) AS date,
             100.0 * avg(EXISTS (SELECT 1 FROM ticket_sla_events e WHERE e.ticket_id = t.id AND e.breached = 1)) AS value
           FROM tickets t GROUP BY date ORDER BY date`,
        ),
        null,
        false,
      ),
  },
  {
    key: 'first_response_minutes',
    label: 'First response time',
    domain: 'support',
    unit: 'minutes',
    better: 'down',
    granularity: 'day',
    minAbsolute: 5,
    advice: 'Compare agent coverage and queue size on those days; look for agents or teams that fell behind.',
    series: (db) =>
      group(all(db, 'SELECT NULL AS entity_id, NULL AS title, date, avg(first_response_minutes) AS value FROM agent_metrics_daily WHERE first_response_minutes IS NOT NULL GROUP BY date ORDER BY date'), null, false),
  },
  {
    key: 'pipeline_value',
    label: 'New pipeline value',
    domain: 'crm',
    unit: 'USD/day',
    better: 'up',
    granularity: 'day',
    minAbsolute: 1_000,
    advice: 'Look at deal sources and owners for the period to see which channel or team moved.',
    series: (db) => group(all(db, 'SELECT NULL AS entity_id, NULL AS title, substr(created_at, 1, 10) AS date, sum(coalesce(amount, 0)) AS value FROM deals GROUP BY date ORDER BY date'), null, true),
  },
  {
    key: 'deal_win_rate',
    label: 'Deal win rate',
    domain: 'crm',
    unit: '%',
    better: 'up',
    granularity: 'week',
    minAbsolute: 5,
    advice: 'Review recent lost deals for a common reason (price, competitor, product gap) and brief the sales team.',
    series: (db) =>
      group(
        all(
          db,
          `SELECT NULL AS entity_id, NULL AS title, date(close_date, '-6 days', 'weekday 1') AS date, 100.0 * avg(stage = 'closed_won') AS value
           FROM deals WHERE stage IN ('closed_won', 'closed_lost') AND close_date IS NOT NULL GROUP BY date ORDER BY date`,
        ),
        null,
        false,
      ),
  },
  {
    key: 'campaign_ctr',
    label: 'Campaign click-through rate',
    domain: 'marketing',
    unit: '%',
    better: 'up',
    granularity: 'day',
    minAbsolute: 0.05,
    advice: 'Check creative, audience and placement changes around the start of the change.',
    series: (db) =>
      group(
        all(
          db,
          `SELECT m.campaign_id AS entity_id, c.name AS title, m.date, CASE WHEN m.impressions > 0 THEN 100.0 * m.clicks / m.impressions END AS value
           FROM campaign_metrics_daily m JOIN campaigns c ON c.id = m.campaign_id ORDER BY m.campaign_id, m.date`,
        ),
        'campaigns',
        false,
      ),
  },
  {
    key: 'campaign_cpa',
    label: 'Campaign cost per acquisition',
    domain: 'marketing',
    unit: 'USD',
    better: 'down',
    granularity: 'day',
    minAbsolute: 1,
    advice: 'Check bids, audience changes and landing-page conversion for the campaign.',
    series: (db) =>
      group(
        all(
          db,
          `SELECT m.campaign_id AS entity_id, c.name AS title, m.date, CASE WHEN m.conversions > 0 THEN m.spend / m.conversions END AS value
           FROM campaign_metrics_daily m JOIN campaigns c ON c.id = m.campaign_id ORDER BY m.campaign_id, m.date`,
        ),
        'campaigns',
        false,
      ),
  },
  {
    key: 'vendor_on_time_rate',
    label: 'Vendor on-time delivery rate',
    domain: 'vendors',
    unit: '%',
    better: 'up',
    granularity: 'week',
    minAbsolute: 5,
    advice: 'Review the late purchase orders with the vendor and check for capacity or logistics problems.',
    series: (db) =>
      group(
        all(
          db,
          `SELECT p.vendor_id AS entity_id, v.name AS title, date(d.delivered_at, '-6 days', 'weekday 1') AS date, 100.0 * avg(d.on_time = 1) AS value
           FROM deliveries d JOIN purchase_orders p ON p.id = d.purchase_order_id JOIN vendors v ON v.id = p.vendor_id
           WHERE d.on_time IS NOT NULL GROUP BY p.vendor_id, date ORDER BY p.vendor_id, date`,
        ),
        'vendors',
        false,
      ),
  },
  {
    key: 'agent_csat',
    label: 'Agent CSAT',
    domain: 'performance',
    unit: 'score',
    better: 'up',
    granularity: 'day',
    minAbsolute: 0.3,
    advice: "Read the agent's low-rated tickets from the period and pair the agent with a coach.",
    series: (db) =>
      group(
        all(db, 'SELECT m.agent_id AS entity_id, a.name AS title, m.date, m.csat AS value FROM agent_metrics_daily m JOIN agents a ON a.id = m.agent_id WHERE m.csat IS NOT NULL ORDER BY m.agent_id, m.date'),
        'agents',
        false,
      ),
  },
  {
    key: 'account_usage',
    label: 'Account active users',
    domain: 'success',
    unit: 'users',
    better: 'up',
    granularity: 'day',
    minAbsolute: 2,
    advice: 'Reach out to the account owner: check for login problems, a lost champion or a competing tool.',
    series: (db) =>
      group(
        all(db, 'SELECT u.account_id AS entity_id, a.name AS title, u.date, u.active_users AS value FROM customer_usage_daily u JOIN accounts a ON a.id = u.account_id ORDER BY u.account_id, u.date'),
        'accounts',
        false,
      ),
  },
];

export const findMetric = (key: string): MetricDef | undefined => METRICS.find((m) => m.key === key);
