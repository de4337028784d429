import { getEntity, type EntitySpec } from '@shared/entities';
import { AppError } from '@shared/errors';
import { childRelations, recordSubtitle, recordTitle, referencedEntity, referenceColumns, refKey } from '@shared/records';
import type { Db } from '../db/open';
import { childCount, childRows, firstRows, lookupRows, nameRows, recordRow } from './recordQueries';

type Row = Record<string, unknown>;

/** Names of referenced records, per column: `{ account_id: { "22": "Acme Corp" } }`; polymorphic keys are "type:id". */
export type RefTitles = Record<string, Record<string, string>>;

export interface RecordReference {
  column: string;
  entity: string;
  id: number;
  /** Null when the referenced record does not exist (a dangling id). */
  title: string | null;
}

export interface RecordChildren {
  entity: string;
  column: string;
  label: string;
  total: number;
  rows: Row[];
  refs: RefTitles;
}

export interface RecordDetail {
  entity: string;
  id: number;
  title: string;
  subtitle: string | null;
  record: Row;
  refs: RecordReference[];
  children: RecordChildren[];
}

export interface RecordMatch {
  id: number;
  title: string;
  subtitle: string | null;
  code: string | null;
}

const entityOrThrow = (key: string): EntitySpec => {
  const spec = getEntity(key);
  if (!spec) throw new AppError('validation', `Unknown entity type "${key}".`);
  return spec;
};

const singleId = (spec: EntitySpec): void => {
  if (!spec.primaryKey.includes('id') || spec.primaryKey.length !== 1) throw new AppError('validation', `${spec.label} rows have no single id; open them from their parent record.`);
};

const missing = (spec: EntitySpec, what: string): AppError => new AppError('not_found', `There is no ${spec.singular.toLowerCase()} ${what} in this workspace.`, { entity: spec.key });

/**
 * Records as people read them: names instead of ids, the records that point at one (driven by the catalog's
 * references, not a switch per type), and the picker that finds a record by the code or name people know.
 */
export class RecordService {
  /** The names of every record the rows' reference columns point at, in one query per referenced type. */
  refTitles(db: Db, spec: EntitySpec, rows: readonly Row[]): RefTitles {
    const cols = referenceColumns(spec);
    if (cols.length === 0 || rows.length === 0) return {};
    const wanted = new Map<string, Set<number>>();
    for (const row of rows) {
      for (const col of cols) {
        const target = referencedEntity(col, row);
        const id = Number(row[col.name]);
        if (!target || !Number.isInteger(id) || row[col.name] === null) continue;
        let set = wanted.get(target.key);
        if (!set) wanted.set(target.key, (set = new Set()));
        set.add(id);
      }
    }
    const names = new Map<string, Map<number, string>>();
    for (const [key, ids] of wanted) {
      const target = getEntity(key)!;
      names.set(key, new Map(nameRows(db, target, [...ids]).map((r) => [Number(r.id), recordTitle(target, r)])));
    }
    const out: RefTitles = {};
    for (const col of cols) {
      const map: Record<string, string> = {};
      for (const row of rows) {
        const target = referencedEntity(col, row);
        const key = refKey(col, row);
        const title = target && key ? names.get(target.key)?.get(Number(row[col.name])) : undefined;
        if (key && title !== undefined) map[key] = title;
      }
      if (Object.keys(map).length) out[col.name] = map;
    }
    return out;
  }

  /** One record with its references named and its children (first `childLimit` of each kind, with totals). */
  record(db: Db, entity: string, id: number, childLimit = 10): RecordDetail {
    const spec = entityOrThrow(entity);
    singleId(spec);
    const row = recordRow(db, spec, id);
    if (!row) throw missing(spec, `#${id}`);
    const titles = this.refTitles(db, spec, [row]);
    const refs: RecordReference[] = [];
    for (const col of referenceColumns(spec)) {
      const target = referencedEntity(col, row);
      const key = refKey(col, row);
      if (!target || !key) continue;
      refs.push({ column: col.name, entity: target.key, id: Number(row[col.name]), title: titles[col.name]?.[key] ?? null });
    }
    const children: RecordChildren[] = [];
    for (const rel of childRelations(spec.key)) {
      const q = { child: rel.child, column: rel.column.name, parentId: id, ...(rel.typeColumn ? { type: { column: rel.typeColumn, value: spec.key } } : {}) };
      const total = childCount(db, q);
      if (total === 0) continue;
      const columns = [...new Set([...rel.child.primaryKey, ...rel.child.columns.filter((c) => !c.hidden).map((c) => c.name), ...(rel.child.titleColumns ?? [rel.child.titleColumn])])];
      const rows = childRows(db, q, columns, childLimit);
      children.push({ entity: rel.child.key, column: rel.column.name, label: rel.label, total, rows, refs: this.refTitles(db, rel.child, rows) });
    }
    return { entity: spec.key, id, title: recordTitle(spec, row), subtitle: recordSubtitle(spec, row), record: row, refs, children };
  }

  /** The record picker: exact code or id first, then prefixes, then any match; with no text, the first records. */
  lookup(db: Db, entity: string, query: string, limit = 10): RecordMatch[] {
    const spec = entityOrThrow(entity);
    singleId(spec);
    const text = query.trim();
    const rows = text ? lookupRows(db, spec, text, limit) : firstRows(db, spec, limit);
    return rows.map((r) => ({
      id: Number(r.id),
      title: recordTitle(spec, r),
      subtitle: recordSubtitle(spec, r),
      code: spec.codeColumn && r[spec.codeColumn] ? String(r[spec.codeColumn]) : null,
    }));
  }

  /**
   * Turns what a person typed into a record id: an id (12, "#12") or the code they see (TCK-000575, any case).
   * Anything else is refused with the nearest matches named, never guessed.
   */
  resolve(db: Db, entity: string, ref: number | string): number {
    const spec = entityOrThrow(entity);
    singleId(spec);
    const text = typeof ref === 'number' ? String(ref) : ref.trim();
    if (/^#?\d{1,15}$/.test(text)) {
      const id = Number(text.replace(/^#/, ''));
      if (!recordRow(db, spec, id)) throw missing(spec, `#${id}`);
      return id;
    }
    const exact = lookupRows(db, spec, text, 5);
    const hit = exact.find((r) => spec.codeColumn && String(r[spec.codeColumn] ?? '').toLowerCase() === text.toLowerCase());
    if (hit) return Number(hit.id);
    const names = exact.filter((r) => recordTitle(spec, r).toLowerCase() === text.toLowerCase());
    if (names.length === 1) return Number(names[0]!.id);
    const near = exact.slice(0, 3).map((r) => recordTitle(spec, r));
    const what = spec.codeColumn ? `with the code or name “${text}”` : `named “${text}”`;
    throw new AppError('not_found', `There is no ${spec.singular.toLowerCase()} ${what}${near.length ? ` (close: ${near.join(', ')})` : ''}. Pick one from the list or give its id.`, { entity: spec.key });
  }
}
