import type { Db } from '../db/open';
import { all, kv, money, one, pct, round } from '../context/sql';

export interface SourceData {
  lines: string[];
  /** Figures the model may cite, by name. */
  metrics: Record<string, string>;
}

export interface CoachingSource {
  key: string;
  label: string;
  read(db: Db): SourceData;
}

type Row = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** The latest date with ticket activity: "the last 30 days" is read relative to the data, not the clock. */
const dataEnd = (db: Db, table: string, column: string): string | null => (one<{ d: string | null }>(db, `SELECT max(substr(${column}, 1, 10)) AS d FROM ${table}`)?.d ?? null);

export const COACHING_SOURCES: readonly CoachingSource[] = [
  {
    key: 'strategy',
    label: 'Strategy: foundation, goals and KPIs',
    read(db) {
      const f = one<Row>(db, 'SELECT vision, purpose, target_market, value_proposition FROM business_foundation WHERE id = 1');
      const goals = all<Row>(db, 'SELECT id, title, category, status, progress, target_date FROM goals ORDER BY target_date, id LIMIT 20');
      const kpis = all<Row>(db, 'SELECT id, name, unit, target, current, direction FROM kpis ORDER BY id LIMIT 20');
      const lines: string[] = [];
      const metrics: Record<string, string> = {};
      if (f) lines.push(kv({ vision: f.vision, purpose: f.purpose, target_market: f.target_market, value_proposition: f.value_proposition }));
      for (const g of goals) lines.push(`goal [goals#${String(g.id)}] ${String(g.title)} · ${kv({ category: g.category, status: g.status, progress: pct(num(g.progress), 1), target: g.target_date })}`);
      for (const k of kpis) {
        const gap = typeof k.target === 'number' && typeof k.current === 'number' ? pct(k.current, k.target) : null;
        lines.push(`KPI [kpis#${String(k.id)}] ${String(k.name)} · ${kv({ current: k.current, target: k.target, unit: k.unit, better: k.direction, of_target: gap })}`);
        if (gap) metrics[`KPI ${String(k.name)}`] = `${String(k.current)} of ${String(k.target)} ${String(k.unit ?? '')}`.trim();
      }
      const atRisk = goals.filter((g) => g.status === 'at_risk' || g.status === 'off_track').length;
      metrics['Goals at risk or off track'] = `${atRisk} of ${goals.length}`;
      return { lines, metrics };
    },
  },
  {
    key: 'operations',
    label: 'Operations: support, projects, dispatch',
    read(db) {
      const end = dataEnd(db, 'tickets', 'created_at');
      const lines: string[] = [];
      const metrics: Record<string, string> = {};
      if (end) {
        const t = one<Row>(
          db,
          `SELECT count(*) AS n, avg(csat) AS csat, sum(priority IN ('high', 'urgent')) AS hot FROM tickets WHERE created_at >= date(?, '-29 days')`,
          end,
        )!;
        const prev = one<Row>(db, `SELECT count(*) AS n FROM tickets WHERE created_at >= date(?, '-59 days') AND created_at < date(?, '-29 days')`, end, end)!;
        const backlog = one<Row>(db, "SELECT count(*) AS n FROM tickets WHERE status IN ('new', 'open', 'pending', 'on_hold')")!;
        const sla = one<Row>(db, `SELECT count(*) AS n, sum(breached) AS b FROM ticket_sla_events WHERE target_at >= date(?, '-29 days')`, end)!;
        lines.push(`support, 30 days to ${end}: ${kv({ tickets: t.n, previous_30_days: prev.n, high_or_urgent: t.hot, avg_csat: round(t.csat), open_backlog: backlog.n, sla_breach_rate: pct(num(sla.b), num(sla.n)) })}`);
        metrics['Tickets, last 30 days'] = `${String(t.n)} (previous 30: ${String(prev.n)})`;
        metrics['SLA breach rate'] = pct(num(sla.b), num(sla.n)) ?? 'n/a';
        metrics['Average CSAT'] = String(round(t.csat) ?? 'n/a');
        metrics['Open ticket backlog'] = String(backlog.n);
      }
      const projects = all<Row>(db, 'SELECT status, count(*) AS n FROM projects GROUP BY status ORDER BY status');
      const missed = one<Row>(db, "SELECT count(*) AS n FROM project_milestones WHERE status = 'missed'")!;
      const blocked = one<Row>(db, "SELECT count(*) AS n FROM project_tasks WHERE status = 'blocked'")!;
      if (projects.length) {
        lines.push(`projects: ${projects.map((p) => `${String(p.status)} ${String(p.n)}`).join(', ')} · ${kv({ missed_milestones: missed.n, blocked_tasks: blocked.n })}`);
        metrics['Missed milestones'] = String(missed.n);
      }
      const jobs = one<Row>(db, "SELECT count(*) AS n, sum(status = 'completed') AS done, sum(completed_at > sla_due_at) AS late FROM dispatch_jobs")!;
      if (num(jobs.n) > 0) {
        lines.push(`field service: ${kv({ jobs: jobs.n, completed: jobs.done, completed_after_sla: jobs.late })}`);
        metrics['Dispatch jobs completed after SLA'] = `${String(jobs.late ?? 0)} of ${String(jobs.done ?? 0)}`;
      }
      const issues = all<Row>(db, "SELECT severity, count(*) AS n FROM issues WHERE status <> 'resolved' GROUP BY severity ORDER BY severity");
      if (issues.length) lines.push(`open issues: ${issues.map((i) => `${String(i.severity)} ${String(i.n)}`).join(', ')}`);
      return { lines, metrics };
    },
  },
  {
    key: 'finance',
    label: 'Finance: revenue, pipeline, renewals, spend',
    read(db) {
      const arr = one<Row>(db, "SELECT count(*) AS n, sum(arr) AS arr FROM accounts WHERE lifecycle = 'customer'")!;
      const pipeline = all<Row>(db, "SELECT stage, count(*) AS n, sum(amount) AS v FROM deals WHERE stage NOT IN ('closed_won', 'closed_lost') GROUP BY stage ORDER BY stage");
      const won = one<Row>(db, "SELECT count(*) AS n, sum(amount) AS v FROM deals WHERE stage = 'closed_won'")!;
      const lost = one<Row>(db, "SELECT count(*) AS n FROM deals WHERE stage = 'closed_lost'")!;
      const renewals = all<Row>(db, 'SELECT status, count(*) AS n, sum(amount) AS v FROM renewals GROUP BY status ORDER BY status');
      const over = one<Row>(db, 'SELECT count(*) AS n FROM projects WHERE budget > 0 AND spent > budget')!;
      const spend = one<Row>(db, 'SELECT sum(amount) AS v FROM purchase_orders')!;
      const open = pipeline.reduce((a, p) => a + num(p.v), 0);
      const lines = [
        `customers: ${kv({ count: arr.n, total_arr: money(arr.arr) })}`,
        `open pipeline: ${money(open) ?? '$0'} (${pipeline.map((p) => `${String(p.stage)} ${String(p.n)} / ${money(p.v) ?? '$0'}`).join(', ')})`,
        `deals: ${kv({ won: won.n, won_value: money(won.v), lost: lost.n, win_rate: pct(num(won.n), num(won.n) + num(lost.n)) })}`,
        `renewals: ${renewals.map((r) => `${String(r.status)} ${String(r.n)} / ${money(r.v) ?? '$0'}`).join(', ') || 'none'}`,
        `projects over budget: ${String(over.n)} · vendor spend on purchase orders: ${money(spend.v) ?? '$0'}`,
      ];
      const atRisk = renewals.find((r) => r.status === 'at_risk');
      return {
        lines,
        metrics: {
          'Total ARR': money(arr.arr) ?? '$0',
          'Open pipeline': money(open) ?? '$0',
          'Win rate': pct(num(won.n), num(won.n) + num(lost.n)) ?? 'n/a',
          'Renewals at risk': atRisk ? `${String(atRisk.n)} (${money(atRisk.v) ?? '$0'})` : '0',
          'Projects over budget': String(over.n),
        },
      };
    },
  },
  {
    key: 'marketing',
    label: 'Marketing: campaigns by channel',
    read(db) {
      const rows = all<Row>(
        db,
        `SELECT c.channel, count(DISTINCT c.id) AS campaigns, sum(m.impressions) AS imp, sum(m.clicks) AS clicks, sum(m.conversions) AS conv, sum(m.spend) AS spend, sum(m.revenue) AS rev
         FROM campaigns c LEFT JOIN campaign_metrics_daily m ON m.campaign_id = c.id GROUP BY c.channel ORDER BY c.channel`,
      );
      const metrics: Record<string, string> = {};
      const lines = rows.map((r) => {
        const roas = num(r.spend) > 0 ? round(num(r.rev) / num(r.spend)) : null;
        metrics[`ROAS ${String(r.channel)}`] = roas === null ? 'n/a' : `${roas}x`;
        return `${String(r.channel)}: ${kv({ campaigns: r.campaigns, ctr: pct(num(r.clicks), num(r.imp)), conversion_rate: pct(num(r.conv), num(r.clicks)), cpa: num(r.conv) > 0 ? money(num(r.spend) / num(r.conv)) : null, spend: money(r.spend), roas })}`;
      });
      return { lines, metrics };
    },
  },
  {
    key: 'leadership',
    label: 'Leadership: teams, reviews, actions',
    read(db) {
      const teams = all<Row>(
        db,
        `SELECT a.team, count(DISTINCT a.id) AS agents, avg(m.csat) AS csat, avg(m.qa_score) AS qa, avg(m.first_response_minutes) AS frt
         FROM agents a LEFT JOIN agent_metrics_daily m ON m.agent_id = a.id WHERE a.active = 1 GROUP BY a.team ORDER BY a.team`,
      );
      const actions = one<Row>(db, "SELECT count(*) AS n, sum(status = 'blocked') AS blocked, sum(status <> 'done' AND due_date IS NOT NULL AND due_date < date('now')) AS overdue FROM actions")!;
      const reviews = one<Row>(db, 'SELECT count(*) AS n, avg(score) AS score FROM agent_reviews')!;
      const lines = teams.map((t) => `team ${String(t.team ?? 'unassigned')}: ${kv({ agents: t.agents, avg_csat: round(t.csat), avg_qa: round(t.qa, 1), avg_first_response_min: round(t.frt, 1) })}`);
      lines.push(`actions: ${kv({ total: actions.n, blocked: actions.blocked, overdue: actions.overdue })} · reviews: ${kv({ count: reviews.n, avg_score: round(reviews.score, 1) })}`);
      return { lines, metrics: { 'Blocked actions': String(actions.blocked ?? 0), 'Average review score': String(round(reviews.score, 1) ?? 'n/a') } };
    },
  },
];
