import type { ContextBuilder, ContextSection } from '../types';
import { all, clip, ids, kv, one, ref, round } from '../sql';

type Row = Record<string, unknown>;

const WEEKLY = `strftime('%Y-W%W', date) AS week, min(date) AS first_day, sum(tickets_handled) AS handled, avg(avg_handle_minutes) AS aht,
  avg(first_response_minutes) AS frt, avg(csat) AS csat, avg(qa_score) AS qa`;

const fmtWeek = (w: Row): string =>
  kv({ tickets_handled: w.handled, avg_handle_min: round(w.aht, 1), first_response_min: round(w.frt, 1), csat: round(w.csat), qa: round(w.qa, 1) });

/** A support agent: twelve weeks of metrics next to the team's, past reviews and recent low-rated tickets. */
export const agentContext: ContextBuilder = {
  key: 'agent',
  entityType: 'agents',
  candidates: (db, limit) => ids(db, 'SELECT id FROM agents WHERE active = 1 ORDER BY id LIMIT ?', limit),
  sections(db, id) {
    const a = one<Row>(db, 'SELECT id, name, team, hire_date, active FROM agents WHERE id = ?', id);
    if (!a) return null;
    const sections: ContextSection[] = [
      { title: `Agent ${ref('agents', a.id)} ${String(a.name)}`, priority: 0, keep: 'head', lines: [kv({ team: a.team, hired: a.hire_date, active: a.active ? 'yes' : 'no' })] },
    ];
    const since = one<{ d: string | null }>(db, "SELECT date(max(date), '-83 days') AS d FROM agent_metrics_daily WHERE agent_id = ?", id)?.d ?? null;
    if (since) {
      const own = one<Row>(db, `SELECT ${WEEKLY} FROM agent_metrics_daily WHERE agent_id = ? AND date >= ?`, id, since);
      const team = a.team
        ? one<Row>(db, `SELECT ${WEEKLY}, count(DISTINCT m.agent_id) AS agents FROM agent_metrics_daily m JOIN agents x ON x.id = m.agent_id WHERE x.team = ? AND m.date >= ?`, a.team, since)
        : undefined;
      const lines = [`this agent since ${since}: ${own ? fmtWeek(own) : 'no data'} ${ref('agent_metrics_daily', id)}`];
      if (team && Number(team.agents) > 1) {
        // Team handled volume is per agent so it compares with the agent's own.
        lines.push(`team ${String(a.team)} average per agent (${String(team.agents)} agents): ${fmtWeek({ ...team, handled: round(Number(team.handled ?? 0) / Number(team.agents), 0) })}`);
      }
      sections.push({ title: 'Last 12 weeks against the team', priority: 1, keep: 'head', lines });
      const weeks = all<Row>(db, `SELECT ${WEEKLY} FROM agent_metrics_daily WHERE agent_id = ? AND date >= ? GROUP BY week ORDER BY week`, id, since);
      sections.push({ title: 'Weekly (oldest first)', priority: 2, keep: 'tail', lines: weeks.map((w) => `${String(w.week)} from ${String(w.first_day)}: ${fmtWeek(w)}`) });
    }
    const reviews = all<Row>(db, 'SELECT id, period, score, strengths, improvements, created_at FROM agent_reviews WHERE agent_id = ? ORDER BY created_at DESC, id DESC LIMIT 3', id);
    if (reviews.length) {
      sections.push({
        title: 'Past reviews (newest first)',
        priority: 2,
        keep: 'head',
        lines: reviews.map((r) => `${ref('agent_reviews', r.id)} ${String(r.period)} · ${kv({ score: r.score })} · strengths: ${clip(r.strengths, 300)} · improvements: ${clip(r.improvements, 300)}`),
      });
    }
    const low = all<Row>(db, 'SELECT id, code, subject, csat, category, created_at FROM tickets WHERE agent_id = ? AND csat IS NOT NULL AND csat <= 2 ORDER BY created_at DESC, id DESC LIMIT 8', id);
    if (low.length) {
      sections.push({
        title: 'Recent low-rated tickets (CSAT ≤ 2)',
        priority: 3,
        keep: 'head',
        lines: low.map((t) => `${ref('tickets', t.id)} ${String(t.code)} ${String(t.created_at)} · ${kv({ csat: t.csat, category: t.category })} · ${clip(t.subject, 160)}`),
      });
    }
    return { title: String(a.name), sections };
  },
};
