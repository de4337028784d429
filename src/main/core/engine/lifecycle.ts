import { ACTION_FROM, INSIGHT_ACTIONS, INSIGHT_STATUSES, type InsightAction, type InsightStatus } from '@shared/insights';
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

const LIFECYCLE_STATUSES = new Set<string>(Object.values(INSIGHT_ACTIONS));

/**
 * Undoes the latest acknowledge, action or dismiss: the insight returns to the status it had before (with that
 * status's who, when and note), and the undo itself is recorded in the history. `expected` is the status the person
 * saw; if the insight changed since (someone else acted, the TTL sweep expired it), nothing is undone.
 */
export function revertTransition(db: Db, id: string, expected: InsightStatus, actor: string | null, at: string): InsightRow {
  return db.transaction(() => {
    const row = getRow(db, id);
    if (!row) throw new AppError('not_found', `There is no insight with id "${id}".`, { id });
    if (row.status !== expected) throw new AppError('conflict', `This insight is now ${row.status}, not ${expected}; nothing was undone.`, { id, status: row.status });
    const last = db.prepare('SELECT seq, action, details FROM engine_audit WHERE insight_id = ? ORDER BY seq DESC LIMIT 1').get(id) as { seq: number; action: string; details: string | null } | undefined;
    const from = last?.details ? (JSON.parse(last.details) as { from?: unknown }).from : undefined;
    if (!last || last.action !== `insight.${row.status}` || !LIFECYCLE_STATUSES.has(row.status) || !INSIGHT_STATUSES.includes(from as InsightStatus)) {
      throw new AppError('conflict', 'Only the latest acknowledge, action or dismiss can be undone, once.', { id, status: row.status });
    }
    const previous = from as InsightStatus;
    // Back to acknowledged: the acknowledgement's own who, when and note come back with it.
    const before = LIFECYCLE_STATUSES.has(previous)
      ? (db.prepare('SELECT at, actor, note FROM engine_audit WHERE insight_id = ? AND action = ? AND seq < ? ORDER BY seq DESC LIMIT 1').get(id, `insight.${previous}`, last.seq) as
          | { at: string; actor: string | null; note: string | null }
          | undefined)
      : undefined;
    db.prepare('UPDATE insights SET status = ?, status_changed_at = ?, status_changed_by = ?, status_note = ? WHERE id = ?').run(previous, before?.at ?? null, before?.actor ?? null, before?.note ?? null, id);
    writeAudit(db, [{ at, actor, action: 'insight.reverted', insightId: id, personaKey: row.persona_key, entityType: row.entity_type, entityId: row.entity_id, details: { from: row.status, to: previous } }]);
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
