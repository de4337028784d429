/**
 * The SQL behind the record drawer, the record picker and reference names (data.record, data.lookup, data.browse's
 * names). Kept apart from the logic in recordService.ts so the move to async repositories (docs/decisions/0050)
 * replaces only this file. Table and column names come from the entity catalog, never from input; values are bound.
 */
import type { ColumnSpec, EntitySpec } from '@shared/entities';
import { enumRank } from '@shared/records';
import type { Db } from '../db/open';

type Row = Record<string, unknown>;

const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;

/**
 * An ORDER BY term for one column: enumerations by their declared order (low < normal < high < urgent), values the
 * catalog does not know after the known ones and empty cells last either way.
 */
export function orderTerm(col: ColumnSpec, desc: boolean): string {
  const ranks = enumRank(col);
  const dir = desc ? 'DESC' : 'ASC';
  if (!ranks) return `${col.name} ${dir} NULLS LAST`;
  const whens = [...ranks].map(([v, i]) => `WHEN ${col.name} = ${quote(v)} THEN ${i}`).join(' ');
  return `CASE WHEN ${col.name} IS NULL THEN NULL ${whens} ELSE ${ranks.size} END ${dir} NULLS LAST`;
}

/** ORDER BY for a whole query: the column, then the primary key so pages never overlap. */
export function orderBy(spec: EntitySpec, sort: { column: string; desc: boolean }): string {
  const col = spec.columns.find((c) => c.name === sort.column);
  const first = col ? orderTerm(col, sort.desc) : `${sort.column} ${sort.desc ? 'DESC' : 'ASC'} NULLS LAST`;
  const tie = spec.primaryKey.map((k) => `${k} ${sort.desc ? 'DESC' : 'ASC'}`).join(', ');
  return `${first}, ${tie}`;
}

/** Columns that name a record: id, title, code and subtitle. */
export const nameColumns = (spec: EntitySpec): string[] => [...new Set(['id', ...(spec.titleColumns ?? [spec.titleColumn]), spec.codeColumn, spec.subtitleColumn].filter((c): c is string => Boolean(c)))];

/** The naming columns of the given records (ids that do not exist are simply absent). */
export function nameRows(db: Db, spec: EntitySpec, ids: readonly number[]): Row[] {
  if (ids.length === 0 || !spec.primaryKey.includes('id')) return [];
  return db.prepare(`SELECT ${nameColumns(spec).join(', ')} FROM ${spec.table} WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify([...new Set(ids)])) as Row[];
}

export function recordRow(db: Db, spec: EntitySpec, id: number): Row | undefined {
  return db.prepare(`SELECT * FROM ${spec.table} WHERE id = ?`).get(id) as Row | undefined;
}

/** The child rows that point at one parent, with the child's default order. */
export interface ChildQuery {
  child: EntitySpec;
  column: string;
  /** For polymorphic references: the child's type column and the parent's entity key. */
  type?: { column: string; value: string };
  parentId: number;
}

const childWhere = (q: ChildQuery): { sql: string; args: unknown[] } =>
  q.type ? { sql: `${q.column} = ? AND ${q.type.column} = ?`, args: [q.parentId, q.type.value] } : { sql: `${q.column} = ?`, args: [q.parentId] };

export function childCount(db: Db, q: ChildQuery): number {
  const w = childWhere(q);
  return db.prepare(`SELECT count(*) FROM ${q.child.table} WHERE ${w.sql}`).pluck().get(...w.args) as number;
}

export function childRows(db: Db, q: ChildQuery, columns: readonly string[], limit: number): Row[] {
  const w = childWhere(q);
  return db.prepare(`SELECT ${columns.join(', ')} FROM ${q.child.table} WHERE ${w.sql} ORDER BY ${orderBy(q.child, q.child.defaultSort)} LIMIT ?`).all(...w.args, limit) as Row[];
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * Type-ahead over one entity: the exact code or id first, then codes and names that start with the text, then any
 * that contain it. Case-insensitive (SQLite's LIKE is, for ASCII).
 */
export function lookupRows(db: Db, spec: EntitySpec, text: string, limit: number): Row[] {
  const nameCols = [...new Set([...(spec.titleColumns ?? [spec.titleColumn]), spec.subtitleColumn].filter((c): c is string => Boolean(c) && c !== 'id'))];
  const code = spec.codeColumn;
  const digits = /^#?\d{1,15}$/.test(text) ? Number(text.replace(/^#/, '')) : null;
  const contains = `%${escapeLike(text)}%`;
  const prefix = `${escapeLike(text)}%`;
  const args: unknown[] = [];
  const rank: string[] = [];
  if (code) {
    rank.push(`WHEN ${code} = ? COLLATE NOCASE THEN 0`);
    args.push(text);
  }
  if (digits !== null) {
    rank.push('WHEN id = ? THEN 0');
    args.push(digits);
    // "575" finds TCK-000575: a code whose number, without its leading zeros, is the digits typed.
    if (code) {
      rank.push(`WHEN ltrim(substr(${code}, instr(${code}, '-') + 1), '0') = ? THEN 1`);
      args.push(String(digits));
    }
  }
  const searchCols = [...(code ? [code] : []), ...nameCols];
  for (const c of searchCols) {
    rank.push(`WHEN ${c} LIKE ? ESCAPE '\\' THEN 2`);
    args.push(prefix);
  }
  const filters = searchCols.map((c) => `${c} LIKE ? ESCAPE '\\'`);
  const filterArgs: unknown[] = searchCols.map(() => contains);
  if (digits !== null) {
    filters.push('id = ?');
    filterArgs.push(digits);
    if (code) {
      filters.push(`${code} LIKE ? ESCAPE '\\'`);
      filterArgs.push(`%${String(digits)}`);
    }
  }
  if (filters.length === 0) return [];
  const rankSql = rank.length ? `CASE ${rank.join(' ')} ELSE 3 END` : '3';
  const titleSort = (spec.titleColumns ?? [spec.titleColumn]).join(', ');
  return db
    .prepare(`SELECT ${nameColumns(spec).join(', ')}, ${rankSql} AS match_rank FROM ${spec.table} WHERE ${filters.join(' OR ')} ORDER BY match_rank, ${titleSort}, id LIMIT ?`)
    .all(...args, ...filterArgs, limit) as Row[];
}

/** The first rows of an entity in its default order, for an empty picker. */
export function firstRows(db: Db, spec: EntitySpec, limit: number): Row[] {
  return db.prepare(`SELECT ${nameColumns(spec).join(', ')} FROM ${spec.table} ORDER BY ${orderBy(spec, spec.defaultSort)} LIMIT ?`).all(limit) as Row[];
}
