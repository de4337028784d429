import type { ContextBuilder, ContextSection } from '../types';
import { all, clip, ids, kv, money, one, ref, round } from '../sql';

type Row = Record<string, unknown>;

/** A customer account: usage by week, NPS, renewals, support load, deals and recent activities. */
export const accountContext: ContextBuilder = {
  key: 'account',
  entityType: 'accounts',
  candidates: (db, limit) => ids(db, "SELECT id FROM accounts WHERE lifecycle = 'customer' ORDER BY coalesce(arr, 0) DESC, id LIMIT ?", limit),
  sections(db, id) {
    const a = one<Row>(db, 'SELECT * FROM accounts WHERE id = ?', id);
    if (!a) return null;
    const owner = a.owner_id ? one<Row>(db, 'SELECT id, name FROM users WHERE id = ?', a.owner_id) : undefined;
    const contacts = one<{ n: number }>(db, 'SELECT count(*) AS n FROM contacts WHERE account_id = ?', id)?.n ?? 0;
    const sections: ContextSection[] = [
      {
        title: `Account ${ref('accounts', a.id)} ${String(a.name)}`,
        priority: 0,
        keep: 'head',
        lines: [
          kv({ tier: a.tier, industry: a.industry, region: a.region, employees: a.employees, arr: money(a.arr), lifecycle: a.lifecycle, customer_since: a.created_at }),
          kv({ owner: owner ? `${ref('users', owner.id)} ${String(owner.name)}` : null, contacts }),
        ],
      },
    ];
    const weeks = all<Row>(
      db,
      `SELECT strftime('%Y-W%W', date) AS week, min(date) AS first_day, avg(active_users) AS users, sum(sessions) AS sessions, avg(feature_adoption) AS adoption
       FROM customer_usage_daily WHERE account_id = ? GROUP BY week ORDER BY week DESC LIMIT 12`,
      id,
    ).reverse();
    if (weeks.length) {
      sections.push({
        title: `Product usage by week, oldest first ${ref('customer_usage_daily', id)}`,
        priority: 1,
        keep: 'tail',
        lines: weeks.map((w) => `${String(w.week)} from ${String(w.first_day)}: ${kv({ avg_active_users: round(w.users, 1), sessions: w.sessions, feature_adoption: round(w.adoption) })}`),
      });
    }
    const nps = all<Row>(db, 'SELECT id, score, comment, responded_at FROM nps_responses WHERE account_id = ? ORDER BY responded_at DESC, id DESC LIMIT 10', id);
    if (nps.length) {
      sections.push({ title: 'NPS responses (newest first)', priority: 1, keep: 'head', lines: nps.map((n) => `${ref('nps_responses', n.id)} ${String(n.responded_at)} score ${String(n.score)}${n.comment ? `: ${clip(n.comment, 300)}` : ''}`) });
    }
    const renewals = all<Row>(db, 'SELECT id, renewal_date, amount, status FROM renewals WHERE account_id = ? ORDER BY renewal_date DESC, id DESC LIMIT 6', id);
    if (renewals.length) {
      sections.push({ title: 'Renewals (latest first)', priority: 1, keep: 'head', lines: renewals.map((r) => `${ref('renewals', r.id)} ${kv({ date: r.renewal_date, amount: money(r.amount), status: r.status })}`) });
    }
    const ticketStats = one<Row>(
      db,
      "SELECT count(*) AS n, sum(status IN ('new', 'open', 'pending', 'on_hold')) AS open, sum(priority IN ('high', 'urgent')) AS high, avg(csat) AS csat FROM tickets WHERE account_id = ?",
      id,
    );
    const tickets = all<Row>(db, 'SELECT id, code, subject, status, priority, created_at, csat FROM tickets WHERE account_id = ? ORDER BY created_at DESC, id DESC LIMIT 8', id);
    if (tickets.length) {
      sections.push({
        title: `Support: ${kv({ tickets: ticketStats?.n, open: ticketStats?.open, high_or_urgent: ticketStats?.high, avg_csat: round(ticketStats?.csat) })}; newest first`,
        priority: 2,
        keep: 'head',
        lines: tickets.map((t) => `${ref('tickets', t.id)} ${String(t.code)} ${String(t.created_at)} · ${kv({ status: t.status, priority: t.priority, csat: t.csat })} · ${clip(t.subject, 160)}`),
      });
    }
    const deals = all<Row>(db, "SELECT id, name, stage, amount, probability, close_date FROM deals WHERE account_id = ? ORDER BY stage IN ('closed_won', 'closed_lost'), coalesce(close_date, '9999') DESC, id DESC LIMIT 8", id);
    if (deals.length) {
      sections.push({ title: 'Deals (open first)', priority: 3, keep: 'head', lines: deals.map((d) => `${ref('deals', d.id)} ${clip(d.name, 120)} · ${kv({ stage: d.stage, amount: money(d.amount), probability: d.probability, close: d.close_date })}`) });
    }
    const acts = all<Row>(db, 'SELECT id, type, subject, occurred_at FROM activities WHERE account_id = ? ORDER BY occurred_at DESC, id DESC LIMIT 8', id);
    if (acts.length) {
      sections.push({ title: 'Recent activities (newest first)', priority: 4, keep: 'head', lines: acts.map((x) => `${ref('activities', x.id)} ${String(x.occurred_at)} ${String(x.type)}: ${clip(x.subject, 160)}`) });
    }
    return { title: String(a.name), sections };
  },
};
