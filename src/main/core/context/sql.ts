import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';

type Row = Record<string, unknown>;

const cache = new WeakMap<Db, Map<string, Statement>>();

/** Prepared statements are cached per connection: context building runs the same few queries thousands of times. */
export function stmt(db: Db, sql: string): Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

export const one = <T = Row>(db: Db, sql: string, ...params: unknown[]): T | undefined => stmt(db, sql).get(...params) as T | undefined;
export const all = <T = Row>(db: Db, sql: string, ...params: unknown[]): T[] => stmt(db, sql).all(...params) as T[];
export const ids = (db: Db, sql: string, ...params: unknown[]): number[] => stmt(db, sql).pluck().all(...params) as number[];

/** The tag models cite evidence with: [tickets#12]. */
export const ref = (entityType: string, id: unknown): string => `[${entityType}#${String(id)}]`;

const fmt = (v: unknown): string => {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
  return String(v);
};

/** "status: open · priority: high": skips empty values so the context stays dense. */
export function kv(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${fmt(v)}`)
    .join(' · ');
}

/** Long free text is cut so one message cannot eat the whole budget. */
export function clip(text: unknown, max = 1_200): string {
  const s = String(text ?? '').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export const pct = (num: number | null | undefined, den: number | null | undefined): string | null =>
  num === null || num === undefined || !den ? null : `${((num / den) * 100).toFixed(1)}%`;

export const money = (v: unknown): string | null => (typeof v === 'number' ? `$${Math.round(v).toLocaleString('en-US')}` : null);

export const round = (v: unknown, digits = 2): number | null => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : null);
