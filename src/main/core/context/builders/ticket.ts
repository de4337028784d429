import type { ContextBuilder, ContextSection } from '../types';
import { all, clip, ids, kv, one, ref, round } from '../sql';

type Row = Record<string, unknown>;
const OPEN = "('new', 'open', 'pending', 'on_hold')";

/** A ticket with its conversation, SLA events and status history, the account's other tickets, and the agent's stats. */
export const ticketContext: ContextBuilder = {
  key: 'ticket',
  entityType: 'tickets',
  candidates: (db, limit) =>
    ids(
      db,
      `SELECT id FROM tickets WHERE status IN ${OPEN}
       ORDER BY CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, coalesce(sla_due_at, '9999'), id LIMIT ?`,
      limit,
    ),
  sections(db, id) {
    const t = one<Row>(db, 'SELECT * FROM tickets WHERE id = ?', id);
    if (!t) return null;
    const sections: ContextSection[] = [
      {
        title: `Ticket ${ref('tickets', t.id)} ${String(t.code)}`,
        priority: 0,
        keep: 'head',
        lines: [
          `subject: ${clip(t.subject, 300)}`,
          kv({ status: t.status, priority: t.priority, category: t.category, channel: t.channel, csat: t.csat }),
          kv({ created: t.created_at, updated: t.updated_at, first_response: t.first_response_at, resolved: t.resolved_at, sla_due: t.sla_due_at }),
          `description: ${clip(t.description, 2_000)}`,
        ],
      },
    ];

    const account = t.account_id ? one<Row>(db, 'SELECT id, name, tier, industry, region, arr, lifecycle FROM accounts WHERE id = ?', t.account_id) : undefined;
    const contact = t.contact_id ? one<Row>(db, 'SELECT id, first_name, last_name, title FROM contacts WHERE id = ?', t.contact_id) : undefined;
    const customer: string[] = [];
    if (account) customer.push(`${ref('accounts', account.id)} ${String(account.name)} · ${kv({ tier: account.tier, industry: account.industry, region: account.region, arr_usd: account.arr, lifecycle: account.lifecycle })}`);
    if (contact) customer.push(`${ref('contacts', contact.id)} ${String(contact.first_name)} ${String(contact.last_name)}${contact.title ? `, ${String(contact.title)}` : ''}`);
    if (customer.length) sections.push({ title: 'Customer', priority: 1, keep: 'head', lines: customer });

    const comments = all<Row>(db, 'SELECT id, author_type, author_name, body, internal, created_at FROM ticket_comments WHERE ticket_id = ? ORDER BY created_at, id', id);
    if (comments.length) {
      sections.push({
        title: `Conversation (${comments.length} comments, oldest first)`,
        priority: 2,
        keep: 'tail',
        lines: comments.map((c) => `${ref('ticket_comments', c.id)} ${String(c.created_at)} ${String(c.author_type)}${c.author_name ? ` (${String(c.author_name)})` : ''}${c.internal ? ' [internal note]' : ''}: ${clip(c.body)}`),
      });
    }

    const sla = all<Row>(db, 'SELECT id, metric, target_at, achieved_at, breached FROM ticket_sla_events WHERE ticket_id = ? ORDER BY target_at, id', id);
    if (sla.length) {
      sections.push({
        title: 'SLA events',
        priority: 1,
        keep: 'head',
        lines: sla.map((s) => `${ref('ticket_sla_events', s.id)} ${kv({ metric: s.metric, target: s.target_at, achieved: s.achieved_at ?? 'not yet', breached: s.breached ? 'yes' : 'no' })}`),
      });
    }

    const history = all<Row>(db, 'SELECT id, from_status, to_status, changed_by, changed_at FROM ticket_status_history WHERE ticket_id = ? ORDER BY changed_at, id', id);
    if (history.length) {
      sections.push({
        title: 'Status history',
        priority: 4,
        keep: 'tail',
        lines: history.map((h) => `${ref('ticket_status_history', h.id)} ${String(h.changed_at)} ${String(h.from_status ?? '∅')} → ${String(h.to_status)}${h.changed_by ? ` by ${String(h.changed_by)}` : ''}`),
      });
    }

    if (t.account_id) {
      const others = all<Row>(db, 'SELECT id, code, subject, status, priority, created_at, csat FROM tickets WHERE account_id = ? AND id <> ? ORDER BY created_at DESC, id DESC LIMIT 10', t.account_id, id);
      const open = one<{ n: number }>(db, `SELECT count(*) AS n FROM tickets WHERE account_id = ? AND id <> ? AND status IN ${OPEN}`, t.account_id, id)?.n ?? 0;
      if (others.length) {
        sections.push({
          title: `The account's other recent tickets (${open} other open)`,
          priority: 3,
          keep: 'head',
          lines: others.map((o) => `${ref('tickets', o.id)} ${String(o.code)} ${String(o.created_at)} · ${kv({ status: o.status, priority: o.priority, csat: o.csat })} · ${clip(o.subject, 160)}`),
        });
      }
    }

    if (t.agent_id) {
      const agent = one<Row>(db, 'SELECT id, name, team FROM agents WHERE id = ?', t.agent_id);
      const stats = one<Row>(
        db,
        `SELECT count(*) AS days, sum(tickets_handled) AS handled, avg(csat) AS csat, avg(first_response_minutes) AS frt, avg(avg_handle_minutes) AS aht, avg(qa_score) AS qa
         FROM (SELECT * FROM agent_metrics_daily WHERE agent_id = ? ORDER BY date DESC LIMIT 30)`,
        t.agent_id,
      );
      const load = one<{ n: number }>(db, `SELECT count(*) AS n FROM tickets WHERE agent_id = ? AND status IN ${OPEN}`, t.agent_id)?.n ?? 0;
      if (agent) {
        const lines = [`${ref('agents', agent.id)} ${String(agent.name)} · ${kv({ team: agent.team, open_tickets: load })}`];
        if (stats && Number(stats.days) > 0) {
          lines.push(`last ${String(stats.days)} days: ${kv({ tickets_handled: stats.handled, avg_csat: round(stats.csat), avg_first_response_min: round(stats.frt, 1), avg_handle_min: round(stats.aht, 1), avg_qa: round(stats.qa, 1) })}`);
        }
        sections.push({ title: 'Assigned agent', priority: 3, keep: 'head', lines });
      }
    }

    const notes = all<Row>(db, "SELECT id, body, created_at FROM notes WHERE entity_type IN ('tickets', 'ticket') AND entity_id = ? ORDER BY created_at DESC, id DESC LIMIT 5", id);
    if (notes.length) sections.push({ title: 'Notes', priority: 4, keep: 'head', lines: notes.map((n) => `${ref('notes', n.id)} ${String(n.created_at)}: ${clip(n.body, 600)}`) });

    return { title: String(t.code), sections };
  },
};
