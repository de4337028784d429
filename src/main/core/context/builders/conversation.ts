import type { ContextBuilder, ContextSection } from '../types';
import { all, clip, ids, kv, one, ref } from '../sql';

type Row = Record<string, unknown>;

/** An inbox conversation: its messages (newest kept), the contact and account, and the account's open tickets. */
export const conversationContext: ContextBuilder = {
  key: 'conversation',
  entityType: 'conversations',
  candidates: (db, limit) => ids(db, "SELECT id FROM conversations WHERE status = 'open' ORDER BY coalesce(last_message_at, created_at) DESC, id DESC LIMIT ?", limit),
  sections(db, id) {
    const c = one<Row>(db, 'SELECT * FROM conversations WHERE id = ?', id);
    if (!c) return null;
    const sections: ContextSection[] = [
      {
        title: `Conversation ${ref('conversations', c.id)}`,
        priority: 0,
        keep: 'head',
        lines: [`subject: ${clip(c.subject, 300)}`, kv({ channel: c.channel, status: c.status, created: c.created_at, last_message: c.last_message_at })],
      },
    ];
    const contact = c.contact_id ? one<Row>(db, 'SELECT id, first_name, last_name, title, lifecycle_stage FROM contacts WHERE id = ?', c.contact_id) : undefined;
    const account = c.account_id ? one<Row>(db, 'SELECT id, name, tier, arr, lifecycle FROM accounts WHERE id = ?', c.account_id) : undefined;
    const agent = c.agent_id ? one<Row>(db, 'SELECT id, name, team FROM agents WHERE id = ?', c.agent_id) : undefined;
    const who: string[] = [];
    if (contact) who.push(`contact: ${ref('contacts', contact.id)} ${String(contact.first_name)} ${String(contact.last_name)} · ${kv({ title: contact.title, stage: contact.lifecycle_stage })}`);
    if (account) who.push(`account: ${ref('accounts', account.id)} ${String(account.name)} · ${kv({ tier: account.tier, arr_usd: account.arr, lifecycle: account.lifecycle })}`);
    if (agent) who.push(`assigned agent: ${ref('agents', agent.id)} ${String(agent.name)}${agent.team ? ` (${String(agent.team)})` : ''}`);
    if (who.length) sections.push({ title: 'People', priority: 1, keep: 'head', lines: who });

    const messages = all<Row>(db, 'SELECT id, direction, sender, body, sent_at FROM messages WHERE conversation_id = ? ORDER BY sent_at, id', id);
    if (messages.length) {
      sections.push({
        title: `Messages (${messages.length}, oldest first)`,
        priority: 2,
        keep: 'tail',
        lines: messages.map((m) => `${ref('messages', m.id)} ${String(m.sent_at)} ${String(m.direction)}${m.sender ? ` from ${String(m.sender)}` : ''}: ${clip(m.body)}`),
      });
    }

    if (c.account_id) {
      const tickets = all<Row>(
        db,
        "SELECT id, code, subject, status, priority, created_at FROM tickets WHERE account_id = ? AND status IN ('new', 'open', 'pending', 'on_hold') ORDER BY created_at DESC, id DESC LIMIT 5",
        c.account_id,
      );
      if (tickets.length) {
        sections.push({
          title: "The account's open support tickets",
          priority: 3,
          keep: 'head',
          lines: tickets.map((t) => `${ref('tickets', t.id)} ${String(t.code)} ${String(t.created_at)} · ${kv({ status: t.status, priority: t.priority })} · ${clip(t.subject, 160)}`),
        });
      }
    }
    return { title: clip(c.subject, 80), sections };
  },
};
