import type { ContextBuilder, ContextSection } from '../types';
import { all, clip, ids, kv, money, one, pct, ref, round } from '../sql';

type Row = Record<string, unknown>;

/** A project with budget and spend, milestones, tasks (blocked first), estimate against actual hours, and notes. */
export const projectContext: ContextBuilder = {
  key: 'project',
  entityType: 'projects',
  candidates: (db, limit) =>
    ids(db, "SELECT id FROM projects WHERE status IN ('active', 'on_hold', 'planned') ORDER BY status = 'active' DESC, coalesce(due_date, '9999'), id LIMIT ?", limit),
  sections(db, id) {
    const p = one<Row>(db, 'SELECT * FROM projects WHERE id = ?', id);
    if (!p) return null;
    const owner = p.owner_id ? one<Row>(db, 'SELECT id, name FROM users WHERE id = ?', p.owner_id) : undefined;
    const account = p.account_id ? one<Row>(db, 'SELECT id, name, tier FROM accounts WHERE id = ?', p.account_id) : undefined;
    const sections: ContextSection[] = [
      {
        title: `Project ${ref('projects', p.id)} ${String(p.code)} ${String(p.name)}`,
        priority: 0,
        keep: 'head',
        lines: [
          kv({ status: p.status, start: p.start_date, due: p.due_date, created: p.created_at }),
          kv({ budget: money(p.budget), spent: money(p.spent), spent_share: pct(p.spent as number, p.budget as number) }),
          [owner ? `owner: ${ref('users', owner.id)} ${String(owner.name)}` : '', account ? `customer: ${ref('accounts', account.id)} ${String(account.name)} (${String(account.tier ?? '')})` : ''].filter(Boolean).join(' · '),
          `description: ${clip(p.description, 1_500)}`,
        ].filter((l) => l !== ''),
      },
    ];

    const milestones = all<Row>(db, 'SELECT id, name, due_date, status, completed_at FROM project_milestones WHERE project_id = ? ORDER BY coalesce(due_date, \'9999\'), id', id);
    if (milestones.length) {
      sections.push({
        title: `Milestones (${milestones.length})`,
        priority: 1,
        keep: 'head',
        lines: milestones.map((m) => `${ref('project_milestones', m.id)} ${String(m.name)} · ${kv({ due: m.due_date, status: m.status, completed: m.completed_at })}`),
      });
    }

    const totals = all<Row>(
      db,
      'SELECT status, count(*) AS n, sum(estimate_hours) AS est, sum(actual_hours) AS act FROM project_tasks WHERE project_id = ? GROUP BY status ORDER BY status',
      id,
    );
    if (totals.length) {
      const est = totals.reduce((a, r) => a + Number(r.est ?? 0), 0);
      const act = totals.reduce((a, r) => a + Number(r.act ?? 0), 0);
      sections.push({
        title: 'Task totals',
        priority: 1,
        keep: 'head',
        lines: [
          totals.map((r) => `${String(r.status)}: ${String(r.n)}`).join(' · '),
          kv({ estimated_hours: round(est, 1), actual_hours: round(act, 1), actual_vs_estimate: pct(act, est) }),
        ],
      });
    }

    const tasks = all<Row>(
      db,
      `SELECT id, title, status, assignee_id, estimate_hours, actual_hours, due_date, blocked_reason, completed_at FROM project_tasks
       WHERE project_id = ? AND status <> 'done'
       ORDER BY CASE status WHEN 'blocked' THEN 0 WHEN 'in_progress' THEN 1 ELSE 2 END, coalesce(due_date, '9999'), id LIMIT 40`,
      id,
    );
    if (tasks.length) {
      sections.push({
        title: 'Open tasks (blocked first, then by due date)',
        priority: 2,
        keep: 'head',
        lines: tasks.map(
          (t) =>
            `${ref('project_tasks', t.id)} ${clip(t.title, 160)} · ${kv({ status: t.status, due: t.due_date, estimate_h: t.estimate_hours, actual_h: t.actual_hours, assignee: t.assignee_id ? `users#${String(t.assignee_id)}` : null, blocked_because: t.blocked_reason ? clip(t.blocked_reason, 300) : null })}`,
        ),
      });
    }

    const notes = all<Row>(db, "SELECT id, body, created_at FROM notes WHERE entity_type IN ('projects', 'project') AND entity_id = ? ORDER BY created_at DESC, id DESC LIMIT 5", id);
    if (notes.length) sections.push({ title: 'Notes', priority: 3, keep: 'head', lines: notes.map((n) => `${ref('notes', n.id)} ${String(n.created_at)}: ${clip(n.body, 600)}`) });

    return { title: `${String(p.code)} ${String(p.name)}`, sections };
  },
};
