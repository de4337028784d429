import { randomUUID } from 'node:crypto';
import { severityRank, type DataPoint, type Factor, type Insight, type InsightStatus, type InsightSummary, type InsightType, type Recommendation, type Severity, type Trigger } from '@shared/insights';
import type { Db } from '../db/open';
import { AppError } from '@shared/errors';
import { stmt } from '../context/sql';
import { cleanCount, cleanUsd } from '../gateway/usageGuard';

/** Seconds-precision ISO UTC, the workspace's time format. */
export const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const newInsightId = (): string => `ins_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

export interface InsightRow {
  seq: number;
  id: string;
  type: InsightType;
  persona_key: string | null;
  persona_version: string | null;
  prompt_version: string | null;
  domain: string;
  entity_type: string | null;
  entity_id: number | null;
  entity_title: string | null;
  status: InsightStatus;
  severity: Severity | null;
  title: string;
  summary: string;
  confidence: number | null;
  recommendations: string;
  factors: string;
  fields: string;
  defaulted_fields: string;
  warnings: string;
  data_points: string | null;
  dedup_key: string | null;
  provider: string | null;
  model: string | null;
  endpoint: string | null;
  fallback_used: number;
  attempts: number | null;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
  latency_ms: number | null;
  context_hash: string | null;
  context_chars: number | null;
  redactions: string | null;
  trigger: Trigger;
  actor: string | null;
  run_id: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  completed_at: string | null;
  expires_at: string | null;
  status_changed_at: string | null;
  status_changed_by: string | null;
  status_note: string | null;
}

export interface AuditEntry {
  at: string;
  actor: string | null;
  action: string;
  insightId?: string | null;
  personaKey?: string | null;
  entityType?: string | null;
  entityId?: number | null;
  note?: string | null;
  /** Counts, codes and ids only: never record contents or PII. */
  details?: Record<string, unknown> | null;
}

export function writeAudit(db: Db, entries: readonly AuditEntry[]): void {
  const ins = stmt(db, 'INSERT INTO engine_audit (at, actor, action, insight_id, persona_key, entity_type, entity_id, note, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const e of entries) {
    ins.run(e.at, e.actor, e.action, e.insightId ?? null, e.personaKey ?? null, e.entityType ?? null, e.entityId ?? null, e.note ?? null, e.details ? JSON.stringify(e.details) : null);
  }
}

export interface PendingInsight {
  id: string;
  type: InsightType;
  personaKey: string | null;
  personaVersion: string | null;
  promptVersion: string | null;
  domain: string;
  entityType: string | null;
  entityId: number | null;
  entityTitle: string | null;
  trigger: Trigger;
  actor: string | null;
  runId: string | null;
  createdAt: string;
  contextHash: string | null;
  contextChars: number | null;
  redactions: Record<string, number> | null;
}

export function insertPending(db: Db, p: PendingInsight): void {
  stmt(
    db,
    `INSERT INTO insights (id, type, persona_key, persona_version, prompt_version, domain, entity_type, entity_id, entity_title, status, trigger, actor, run_id,
       created_at, context_hash, context_chars, redactions)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)`,
  ).run(p.id, p.type, p.personaKey, p.personaVersion, p.promptVersion, p.domain, p.entityType, p.entityId, p.entityTitle, p.trigger, p.actor, p.runId, p.createdAt, p.contextHash, p.contextChars, p.redactions ? JSON.stringify(p.redactions) : null);
}

/** Who answered and what it cost; zeros when no model answered. */
export interface CallOutcome {
  provider: string | null;
  model: string | null;
  endpoint: string | null;
  fallbackUsed: boolean;
  attempts: number | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number | null;
}

export const NO_CALL: CallOutcome = { provider: null, model: null, endpoint: null, fallbackUsed: false, attempts: null, tokensIn: 0, tokensOut: 0, costUsd: 0, latencyMs: null };

export interface CompletedFields {
  severity: Severity;
  title: string;
  summary: string;
  confidence: number | null;
  recommendations: Recommendation[];
  factors: Factor[];
  fields: Record<string, unknown>;
  defaultedFields: string[];
  warnings: string[];
  dataPoints?: DataPoint[] | null;
  completedAt: string;
  expiresAt: string | null;
}

const callParams = (c: CallOutcome): unknown[] => [c.provider, c.model, c.endpoint, c.fallbackUsed ? 1 : 0, c.attempts, c.tokensIn, c.tokensOut, c.costUsd, c.latencyMs];

/** Turns a pending insight into a completed one together with its audit lines: all of it or none of it. */
export function completeInsight(db: Db, id: string, f: CompletedFields, call: CallOutcome, audit: readonly AuditEntry[]): void {
  db.transaction(() => {
    const res = stmt(
      db,
      `UPDATE insights SET status = 'completed', severity = ?, severity_rank = ?, title = ?, summary = ?, confidence = ?, recommendations = ?, factors = ?,
           fields = ?, defaulted_fields = ?, warnings = ?, data_points = ?, completed_at = ?, expires_at = ?,
           provider = ?, model = ?, endpoint = ?, fallback_used = ?, attempts = ?, tokens_in = ?, tokens_out = ?, cost_usd = ?, latency_ms = ?
         WHERE id = ? AND status = 'pending'`,
    ).run(
        f.severity,
        severityRank(f.severity),
        f.title,
        f.summary,
        f.confidence,
        JSON.stringify(f.recommendations),
        JSON.stringify(f.factors),
        JSON.stringify(f.fields),
        JSON.stringify(f.defaultedFields),
        JSON.stringify(f.warnings),
        f.dataPoints ? JSON.stringify(f.dataPoints) : null,
        f.completedAt,
        f.expiresAt,
        ...callParams(call),
        id,
      );
    if (res.changes !== 1) throw new Error(`insight ${id} is no longer pending`);
    writeAudit(db, audit);
  })();
}

/** Marks a pending insight failed with its error code, with its audit lines, in one transaction. */
export function failInsight(db: Db, id: string, error: { code: string; message: string }, title: string, call: CallOutcome, at: string, audit: readonly AuditEntry[]): void {
  db.transaction(() => {
    stmt(
      db,
      `UPDATE insights SET status = 'failed', error_code = ?, error_message = ?, title = ?, completed_at = ?,
         provider = ?, model = ?, endpoint = ?, fallback_used = ?, attempts = ?, tokens_in = ?, tokens_out = ?, cost_usd = ?, latency_ms = ?
       WHERE id = ? AND status = 'pending'`,
    ).run(error.code, error.message, title, at, ...callParams(call), id);
    writeAudit(db, audit);
  })();
}

export interface Finding {
  id: string;
  type: InsightType;
  domain: string;
  entityType: string | null;
  entityId: number | null;
  entityTitle: string | null;
  dedupKey: string;
  trigger: Trigger;
  actor: string | null;
  runId: string | null;
  createdAt: string;
  fields: CompletedFields;
}

/** Stores a detector finding as a completed insight (no model involved). */
export function insertFinding(db: Db, f: Finding): void {
  stmt(
    db,
    `INSERT INTO insights (id, type, domain, entity_type, entity_id, entity_title, status, severity, severity_rank, title, summary, confidence,
       recommendations, factors, fields, defaulted_fields, warnings, data_points, dedup_key, trigger, actor, run_id, created_at, completed_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, '[]', '[]', ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    f.id,
    f.type,
    f.domain,
    f.entityType,
    f.entityId,
    f.entityTitle,
    f.fields.severity,
    severityRank(f.fields.severity),
    f.fields.title,
    f.fields.summary,
    f.fields.confidence,
    JSON.stringify(f.fields.recommendations),
    JSON.stringify(f.fields.factors),
    JSON.stringify(f.fields.fields),
    f.fields.dataPoints ? JSON.stringify(f.fields.dataPoints) : null,
    f.dedupKey,
    f.trigger,
    f.actor,
    f.runId,
    f.createdAt,
    f.fields.completedAt,
    f.fields.expiresAt,
  );
}

export function getRow(db: Db, id: string): InsightRow | undefined {
  return stmt(db, 'SELECT * FROM insights WHERE id = ?').get(id) as InsightRow | undefined;
}

const parse = <T>(text: string | null, fallback: T): T => {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

export function toSummary(r: InsightRow): InsightSummary {
  return {
    id: r.id,
    type: r.type,
    personaKey: r.persona_key,
    domain: r.domain,
    entityType: r.entity_type,
    entityId: r.entity_id,
    entityTitle: r.entity_title,
    status: r.status,
    severity: r.severity,
    title: r.title,
    summary: r.summary,
    confidence: r.confidence,
    trigger: r.trigger,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    errorCode: r.error_code,
  };
}

interface AuditRow {
  at: string;
  actor: string | null;
  action: string;
  note: string | null;
  details: string | null;
}

function evidenceDroppedOf(history: readonly { action: string; details: Record<string, unknown> | null }[]): number {
  const n = history.find((h) => h.action === 'insight.completed')?.details?.evidenceDropped;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0;
}

export function toInsight(db: Db, r: InsightRow): Insight {
  const history = (stmt(db, 'SELECT at, actor, action, note, details FROM engine_audit WHERE insight_id = ? ORDER BY seq').all(r.id) as AuditRow[]).map((h) => ({
    at: h.at,
    actor: h.actor,
    action: h.action,
    note: h.note,
    details: parse<Record<string, unknown> | null>(h.details, null),
  }));
  return {
    ...toSummary(r),
    personaVersion: r.persona_version,
    promptVersion: r.prompt_version,
    recommendations: parse<Recommendation[]>(r.recommendations, []),
    factors: parse<Factor[]>(r.factors, []),
    fields: parse<Record<string, unknown>>(r.fields, {}),
    defaultedFields: parse<string[]>(r.defaulted_fields, []),
    warnings: parse<string[]>(r.warnings, []),
    // Counted on the completion's audit line (no schema change): evidence to records the prompt did not contain.
    evidenceDropped: evidenceDroppedOf(history),
    dataPoints: parse<DataPoint[] | null>(r.data_points, null),
    provider: r.provider,
    model: r.model,
    endpoint: r.endpoint,
    fallbackUsed: r.fallback_used === 1,
    attempts: r.attempts,
    // Read defensively: rows written before provider usage was validated (ADR 0091) may hold Infinity or negatives.
    tokensIn: cleanCount(r.tokens_in),
    tokensOut: cleanCount(r.tokens_out),
    costUsd: cleanUsd(r.cost_usd),
    latencyMs: r.latency_ms === null ? null : cleanCount(r.latency_ms),
    contextHash: r.context_hash,
    contextChars: r.context_chars,
    redactions: parse<Record<string, number> | null>(r.redactions, null),
    actor: r.actor,
    runId: r.run_id,
    errorMessage: r.error_message,
    completedAt: r.completed_at,
    statusChangedAt: r.status_changed_at,
    statusChangedBy: r.status_changed_by,
    statusNote: r.status_note,
    history,
  };
}

/**
 * The context hash of the newest live insight for this persona and record (anything not failed or expired), or
 * null. A scheduled scan skips the record when its fresh context hashes the same.
 */
export function liveContextHash(db: Db, personaKey: string, entityId: number, nowIso: string): string | null {
  const row = stmt(
    db,
    `SELECT context_hash FROM insights WHERE persona_key = ? AND entity_id = ? AND status IN ('pending', 'completed', 'acknowledged', 'actioned', 'dismissed')
         AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC, seq DESC LIMIT 1`,
  ).get(personaKey, entityId, nowIso) as { context_hash: string | null } | undefined;
  return row?.context_hash ?? null;
}

/** The newest open insight (completed or acknowledged, not expired) of a persona about a record, or undefined. */
export function openInsightFor(db: Db, personaKey: string, entityId: number, nowIso: string): InsightRow | undefined {
  return stmt(
    db,
    `SELECT * FROM insights WHERE persona_key = ? AND entity_id = ? AND status IN ('completed', 'acknowledged')
         AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC, seq DESC LIMIT 1`,
  ).get(personaKey, entityId, nowIso) as InsightRow | undefined;
}

/**
 * Marks older insights of the same persona about the same record superseded by `byId`: the open ones (a newer
 * analysis replaces them) and failed ones (a later run answered). `also` adds explicit ids (a retried failure).
 * Runs inside the caller's transaction; returns the ids it changed.
 */
export function supersedeOlder(db: Db, byId: string, personaKey: string, entityId: number, at: string, actor: string | null, also: readonly string[] = []): string[] {
  const ids = new Set(
    stmt(db, `SELECT id FROM insights WHERE persona_key = ? AND entity_id = ? AND id <> ? AND status IN ('completed', 'acknowledged', 'failed')`)
      .pluck()
      .all(personaKey, entityId, byId) as string[],
  );
  for (const id of also) if (id !== byId) ids.add(id);
  const upd = stmt(db, `UPDATE insights SET status = 'superseded', status_changed_at = ?, status_changed_by = ?, status_note = ? WHERE id = ? AND status IN ('completed', 'acknowledged', 'failed')`);
  const changed: string[] = [];
  for (const id of ids) {
    if (upd.run(at, actor, `Superseded by ${byId}`, id).changes !== 1) continue;
    changed.push(id);
    writeAudit(db, [{ at, actor, action: 'insight.superseded', insightId: id, personaKey, entityId, details: { by: byId } }]);
  }
  return changed;
}

/** A pending insight whose run was cancelled leaves no row: a cancelled item is not a finding and not a failure. */
export function dropCancelled(db: Db, id: string, audit: readonly AuditEntry[]): void {
  db.transaction(() => {
    stmt(db, "DELETE FROM insights WHERE id = ? AND status = 'pending'").run(id);
    writeAudit(db, audit);
  })();
}

/** Deletes a failed or superseded insight (the list's Delete); open findings are dismissed, not deleted. */
export function deleteInsight(db: Db, id: string, actor: string | null, at: string): InsightRow {
  return db.transaction(() => {
    const row = getRow(db, id);
    if (!row) throw new AppError('not_found', `There is no insight with id "${id}".`, { id });
    if (row.status !== 'failed' && row.status !== 'superseded') {
      throw new AppError('conflict', `This insight is ${row.status}; only failed or superseded insights can be deleted. Dismiss it instead.`, { id, status: row.status });
    }
    stmt(db, 'DELETE FROM insights WHERE id = ?').run(id);
    writeAudit(db, [{ at, actor, action: 'insight.deleted', insightId: id, personaKey: row.persona_key, entityType: row.entity_type, entityId: row.entity_id, details: { status: row.status, errorCode: row.error_code } }]);
    return row;
  })();
}
