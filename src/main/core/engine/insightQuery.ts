import { INSIGHT_STATUSES, SEVERITIES, type InsightStatus, type InsightSummary, type InsightType, type Severity } from '@shared/insights';
import type { Db } from '../db/open';
import { stmt } from '../context/sql';
import { toSummary, type InsightRow } from './insightStore';

export interface InsightFilter {
  types?: InsightType[] | undefined;
  domains?: string[] | undefined;
  personas?: string[] | undefined;
  severities?: Severity[] | undefined;
  statuses?: InsightStatus[] | undefined;
  entityType?: string | undefined;
  entityId?: number | undefined;
  /** created_at bounds, inclusive, ISO dates or times. */
  from?: string | undefined;
  to?: string | undefined;
  search?: string | undefined;
  runId?: string | undefined;
}

export type InsightSortColumn = 'createdAt' | 'severity' | 'confidence' | 'title' | 'status';

/** ORDER BY expressions per sort column, for a table alias prefix ('' or 'i.'). */
const SORT_SQL: Record<InsightSortColumn, (t: string) => string> = {
  createdAt: (t) => `${t}created_at`,
  severity: (t) => `${t}severity_rank`,
  confidence: (t) => `${t}confidence`,
  title: (t) => `${t}title COLLATE NOCASE`,
  // Statuses sort in their lifecycle order (pending … expired), not alphabetically.
  status: (t) => `CASE ${t}status ${INSIGHT_STATUSES.map((st, n) => `WHEN '${st}' THEN ${n}`).join(' ')} END`,
};

/** Turns what a person typed into a safe FTS5 query: every word must match, as a prefix. */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}_]+/gu);
  if (!words?.length) return null;
  return words
    .slice(0, 12)
    .map((w) => `"${w}"*`)
    .join(' AND ');
}

function where(f: InsightFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const inList = (column: string, values: readonly unknown[] | undefined): void => {
    if (!values?.length) return;
    parts.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  inList('type', f.types);
  inList('domain', f.domains);
  inList('persona_key', f.personas);
  inList('severity', f.severities);
  inList('status', f.statuses);
  if (f.entityType) {
    parts.push('entity_type = ?');
    params.push(f.entityType);
  }
  if (f.entityId !== undefined) {
    parts.push('entity_id = ?');
    params.push(f.entityId);
  }
  if (f.from) {
    parts.push('created_at >= ?');
    params.push(f.from);
  }
  if (f.to) {
    // A bare date means the whole day.
    parts.push('created_at <= ?');
    params.push(/^\d{4}-\d{2}-\d{2}$/.test(f.to) ? `${f.to}T23:59:59Z` : f.to);
  }
  if (f.runId) {
    parts.push('run_id = ?');
    params.push(f.runId);
  }
  const q = f.search ? ftsQuery(f.search) : null;
  if (f.search && !q) parts.push('0');
  if (q) {
    parts.push('seq IN (SELECT rowid FROM insights_fts WHERE insights_fts MATCH ?)');
    params.push(q);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/**
 * Which index serves a query. The covering index wins whenever a filter on its columns is set or the sort is by a
 * column it holds; a plain date-ordered page walks the date index and stops after one page.
 */
function indexFor(f: InsightFilter, sort: InsightSortColumn): string {
  // A record's insights, a run's, and full-text matches are few: their own index (or the FTS rowids) drives the query.
  if (f.entityId !== undefined || f.runId || f.search) return '';
  const filtered = Boolean(f.types?.length || f.domains?.length || f.personas?.length || f.severities?.length || f.statuses?.length || f.from || f.to || f.entityType);
  return filtered || sort === 'severity' || sort === 'confidence' || sort === 'status' ? 'INDEXED BY insights_cover' : '';
}

export function listInsights(
  db: Db,
  f: InsightFilter & { sort?: { column: InsightSortColumn; desc: boolean } | undefined; offset: number; limit: number },
): { items: InsightSummary[]; total: number } {
  const w = where(f);
  const sort = f.sort ?? { column: 'createdAt', desc: true };
  const idx = indexFor(f, sort.column);
  const total = stmt(db, `SELECT count(*) FROM insights ${idx} ${w.sql}`).pluck().get(...w.params) as number;
  const dir = sort.desc ? 'DESC' : 'ASC';
  const order = (t: string): string =>
    sort.column === 'createdAt' ? `${t}created_at ${dir}, ${t}seq ${dir}` : `${SORT_SQL[sort.column](t)} ${dir} NULLS LAST, ${t}created_at DESC, ${t}seq DESC`;
  // Page the ids first (index-only when the covering index serves), then read just those rows.
  const rows = stmt(db, `SELECT i.* FROM (SELECT seq FROM insights ${idx} ${w.sql} ORDER BY ${order('')} LIMIT ? OFFSET ?) p JOIN insights i ON i.seq = p.seq ORDER BY ${order('i.')}`).all(
    ...w.params,
    f.limit,
    f.offset,
  ) as InsightRow[];
  return { items: rows.map(toSummary), total };
}

export function countBy(db: Db, column: 'severity' | 'status' | 'domain' | 'type' | 'persona_key', f: InsightFilter = {}): Record<string, number> {
  const w = where(f);
  const rows = db.prepare(`SELECT ${column} AS k, count(*) AS n FROM insights ${w.sql} GROUP BY ${column}`).all(...w.params) as { k: string | null; n: number }[];
  const out: Record<string, number> = {};
  for (const r of rows) if (r.k !== null) out[r.k] = r.n;
  return out;
}

/** Zero-filled counts, in the canonical order, for charts. */
export function severityCounts(db: Db, f: InsightFilter): Record<Severity, number> {
  const raw = countBy(db, 'severity', f);
  return Object.fromEntries(SEVERITIES.map((s) => [s, raw[s] ?? 0])) as Record<Severity, number>;
}

export function statusCounts(db: Db, f: InsightFilter = {}): Record<InsightStatus, number> {
  const raw = countBy(db, 'status', f);
  return Object.fromEntries(INSIGHT_STATUSES.map((s) => [s, raw[s] ?? 0])) as Record<InsightStatus, number>;
}
