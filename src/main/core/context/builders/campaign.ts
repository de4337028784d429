import type { Db } from '../../db/open';
import type { ContextBuilder, ContextSection } from '../types';
import { all, clip, ids, kv, money, one, pct, ref, round } from '../sql';

type Row = Record<string, unknown>;

interface Totals {
  impressions: number | null;
  clicks: number | null;
  conversions: number | null;
  spend: number | null;
  revenue: number | null;
  days?: number | null;
}

const TOTALS = 'sum(impressions) AS impressions, sum(clicks) AS clicks, sum(conversions) AS conversions, sum(spend) AS spend, sum(revenue) AS revenue';

function ratios(t: Totals): Record<string, string | number | null> {
  return {
    ctr: pct(t.clicks, t.impressions),
    conversion_rate: pct(t.conversions, t.clicks),
    cpa_usd: t.conversions ? round((t.spend ?? 0) / t.conversions) : null,
    roas: t.spend ? round((t.revenue ?? 0) / t.spend) : null,
    cpc_usd: t.clicks ? round((t.spend ?? 0) / t.clicks) : null,
  };
}

const benchmark = (db: Db, channel: unknown, id: number): Totals | undefined =>
  one<Totals>(db, `SELECT ${TOTALS} FROM campaign_metrics_daily m JOIN campaigns c ON c.id = m.campaign_id WHERE c.channel = ? AND c.id <> ?`, channel, id);

/** A campaign with totals and ratios, weekly and recent daily metrics, and the same channel's benchmark. */
export const campaignContext: ContextBuilder = {
  key: 'campaign',
  entityType: 'campaigns',
  candidates: (db, limit) => ids(db, "SELECT id FROM campaigns WHERE status IN ('active', 'paused') ORDER BY status = 'active' DESC, coalesce(budget, 0) DESC, id LIMIT ?", limit),
  sections(db, id) {
    const c = one<Row>(db, 'SELECT * FROM campaigns WHERE id = ?', id);
    if (!c) return null;
    const totals = one<Totals>(db, `SELECT ${TOTALS}, count(*) AS days FROM campaign_metrics_daily WHERE campaign_id = ?`, id) ?? ({} as Totals);
    const sections: ContextSection[] = [
      {
        title: `Campaign ${ref('campaigns', c.id)} ${String(c.name)}`,
        priority: 0,
        keep: 'head',
        lines: [
          kv({ channel: c.channel, objective: c.objective, status: c.status, start: c.start_date, end: c.end_date, budget: money(c.budget) }),
          c.audience ? `audience: ${clip(c.audience, 400)}` : '',
          `totals over ${String(totals.days ?? 0)} days: ${kv({ impressions: totals.impressions, clicks: totals.clicks, conversions: totals.conversions, spend: money(totals.spend), revenue: money(totals.revenue), budget_used: pct(totals.spend, c.budget as number) })}`,
          `ratios: ${kv(ratios(totals))}`,
        ].filter((l) => l !== ''),
      },
    ];
    const bench = benchmark(db, c.channel, id);
    const peers = one<{ n: number }>(db, 'SELECT count(*) AS n FROM campaigns WHERE channel = ? AND id <> ?', c.channel, id)?.n ?? 0;
    if (bench && peers > 0 && bench.impressions) {
      sections.push({ title: `Benchmark: the other ${peers} ${String(c.channel)} campaigns`, priority: 1, keep: 'head', lines: [kv(ratios(bench))] });
    }
    const weekly = all<Row>(
      db,
      `SELECT strftime('%Y-W%W', date) AS week, min(date) AS first_day, ${TOTALS} FROM campaign_metrics_daily WHERE campaign_id = ?
       GROUP BY week ORDER BY week DESC LIMIT 12`,
      id,
    ).reverse();
    if (weekly.length) {
      sections.push({
        title: 'Weekly (oldest first)',
        priority: 2,
        keep: 'tail',
        lines: weekly.map((w) => `${String(w.week)} from ${String(w.first_day)}: ${kv({ impressions: w.impressions, clicks: w.clicks, conversions: w.conversions, spend: money(w.spend), ...ratios(w as unknown as Totals) })}`),
      });
    }
    const daily = all<Row>(db, 'SELECT date, impressions, clicks, conversions, spend, revenue FROM campaign_metrics_daily WHERE campaign_id = ? ORDER BY date DESC LIMIT 14', id).reverse();
    if (daily.length) {
      sections.push({
        title: `Last ${daily.length} days ${ref('campaign_metrics_daily', id)}`,
        priority: 3,
        keep: 'tail',
        lines: daily.map((d) => `${String(d.date)}: ${kv({ impressions: d.impressions, clicks: d.clicks, conversions: d.conversions, spend: round(d.spend), revenue: round(d.revenue) })}`),
      });
    }
    return { title: String(c.name), sections };
  },
};
