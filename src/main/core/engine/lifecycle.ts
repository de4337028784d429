import { ACTION_FROM, INSIGHT_ACTIONS, type InsightAction } from '@shared/insights';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import { getRow, writeAudit, type InsightRow } from './insightStore';

/** Moves an insight through its lifecycle (acknowledge, action, dismiss), recording who, when and why. */
export function transition(db: Db, id: string, action: InsightAction, actor: string | null, note: string | null, at: string): InsightRow {
  return db.transaction(() => {
    const row = getRow(db, id);
    if (!row) throw new AppError('not_found', `There is no insight with id "${id}".`, { id });
    const to = INSIGHT_ACTIONS[action];
    if (!ACTION_FROM[action].includes(row.status)) {
      throw new AppError('conflict', `This insight is ${row.status}; it can only be ${to} when it is ${ACTION_FROM[action].join(' or ')}.`, { id, status: row.status });
    }
    db.prepare('UPDATE insights SET status = ?, status_changed_at = ?, status_changed_by = ?, status_note = ? WHERE id = ?').run(to, at, actor, note, id);
    writeAudit(db, [{ at, actor, action: `insight.${to}`, insightId: id, personaKey: row.persona_key, entityType: row.entity_type, entityId: row.entity_id, note, details: { from: row.status, to } }]);
    return getRow(db, id)!;
  })();
}

/** The TTL sweep: open insights past their expiry become expired. Returns the ids it expired. */
export function expireInsights(db: Db, nowIso: string, actor: string | null): string[] {
  return db.transaction(() => {
    const ids = db
      .prepare("SELECT id FROM insights WHERE status IN ('completed', 'acknowledged') AND expires_at IS NOT NULL AND expires_at <= ?")
      .pluck()
      .all(nowIso) as string[];
    if (ids.length === 0) return ids;
    db.prepare("UPDATE insights SET status = 'expired', status_changed_at = ?, status_changed_by = ? WHERE status IN ('completed', 'acknowledged') AND expires_at IS NOT NULL AND expires_at <= ?").run(nowIso, actor, nowIso);
    writeAudit(db, [{ at: nowIso, actor, action: 'insights.expired', details: { count: ids.length } }]);
    return ids;
  })();
}

/**
 * Pending insights whose run cannot finish any more (the app stopped mid-call) become failed, so nothing stays
 * pending for ever. `runId` limits it to one run; without it, everything pending before `before` is swept.
 */
export function failStalePending(db: Db, at: string, options: { runId?: string; before?: string }): number {
  return db.transaction(() => {
    const cond = options.runId ? 'run_id = ?' : 'created_at < ?';
    const arg = options.runId ?? options.before ?? at;
    const res = db
      .prepare(`UPDATE insights SET status = 'failed', error_code = 'unavailable', error_message = 'The app stopped before the model answered; run the analysis again.', completed_at = ? WHERE status = 'pending' AND ${cond}`)
      .run(at, arg);
    if (res.changes > 0) writeAudit(db, [{ at, actor: null, action: 'insights.interrupted', details: { count: res.changes } }]);
    return res.changes;
  })();
}
