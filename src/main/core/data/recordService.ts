import { getEntity, type EntitySpec } from '@shared/entities';
import { AppError } from '@shared/errors';
import { maskText, type MaskRole } from '@shared/masking';
import { childRelations, recordSubtitle, recordTitle, referencedEntity, referenceColumns, refKey } from '@shared/records';
import type { RecordRepo } from '../repositories';
import { pageSort } from './dataService';

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

/** Columns that name a record: id, title, code and subtitle. */
const nameColumns = (spec: EntitySpec): string[] => [...new Set(['id', ...(spec.titleColumns ?? [spec.titleColumn]), spec.codeColumn, spec.subtitleColumn].filter((c): c is string => Boolean(c)))];

/** A child kind's default order, enumerations by their declared order. */
const defaultSortOf = (spec: EntitySpec) => pageSort(spec.columns.find((c) => c.name === spec.defaultSort.column)!, spec.defaultSort.desc);

const missing = (spec: EntitySpec, what: string): AppError => new AppError('not_found', `There is no ${spec.singular.toLowerCase()} ${what} in this workspace.`, { entity: spec.key });

/**
 * Records as people read them: names instead of ids, the records that point at one (driven by the catalog's
 * references, not a switch per type), and the picker that finds a record by the code or name people know.
 */
export class RecordService {
  /** The names of every record the rows' reference columns point at, in one query per referenced type. */
  async refTitles(repo: RecordRepo, spec: EntitySpec, rows: readonly Row[]): Promise<RefTitles> {
    const cols = referenceColumns(spec);
    if (cols.length === 0 || rows.length === 0) return {};
    const wanted = new Map<string, Set<number>>();
    for (const row of rows) {
      for (const col of cols) {
        const target = referencedEntity(col, row);
        const id = Number(row[col.name]);
        if (!target || row[col.name] === null || !Number.isSafeInteger(id) || !target.primaryKey.includes('id')) continue;
        let set = wanted.get(target.key);
        if (!set) wanted.set(target.key, (set = new Set()));
        set.add(id);
      }
    }
    const names = new Map<string, Map<number, string>>();
    await Promise.all(
      [...wanted].map(async ([key, ids]) => {
        const target = getEntity(key)!;
        const found = await repo.byIds(target.table, nameColumns(target), [...ids]);
        names.set(key, new Map(found.map((r) => [Number(r.id), recordTitle(target, r)])));
      }),
    );
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
  async record(repo: RecordRepo, entity: string, id: number, childLimit = 10): Promise<RecordDetail> {
    const spec = entityOrThrow(entity);
    singleId(spec);
    const row = Number.isSafeInteger(id) ? await repo.byId(spec.table, id) : undefined;
    if (!row) throw missing(spec, `#${id}`);
    const titles = await this.refTitles(repo, spec, [row]);
    const refs: RecordReference[] = [];
    for (const col of referenceColumns(spec)) {
      const target = referencedEntity(col, row);
      const key = refKey(col, row);
      if (!target || !key) continue;
      refs.push({ column: col.name, entity: target.key, id: Number(row[col.name]), title: titles[col.name]?.[key] ?? null });
    }
    // Every kind at once: on PostgreSQL the pool answers them side by side.
    const kinds = await Promise.all(
      childRelations(spec.key).map(async (rel): Promise<RecordChildren | null> => {
        const where = [{ column: rel.column.name, value: id }, ...(rel.typeColumn ? [{ column: rel.typeColumn, value: spec.key }] : [])];
        const columns = [...new Set([...rel.child.primaryKey, ...rel.child.columns.filter((c) => !c.hidden).map((c) => c.name), ...(rel.child.titleColumns ?? [rel.child.titleColumn])])];
        const page = await repo.page({ table: rel.child.table, columns, where, sort: defaultSortOf(rel.child), tieBreak: rel.child.primaryKey, offset: 0, limit: childLimit });
        if (page.total === 0) return null;
        return { entity: rel.child.key, column: rel.column.name, label: rel.label, total: page.total, rows: page.rows, refs: await this.refTitles(repo, rel.child, page.rows) };
      }),
    );
    return { entity: spec.key, id, title: recordTitle(spec, row), subtitle: recordSubtitle(spec, row), record: row, refs, children: kinds.filter((k): k is RecordChildren => k !== null) };
  }

  /** The record picker: exact code or id first, then prefixes, then any match; with no text, the first records. */
  async lookup(repo: RecordRepo, entity: string, query: string, limit = 10, role: MaskRole = 'admin'): Promise<RecordMatch[]> {
    const spec = entityOrThrow(entity);
    singleId(spec);
    const text = query.trim();
    const rows = text ? await this.lookupRows(repo, spec, text, limit) : (await repo.page({ table: spec.table, columns: nameColumns(spec), sort: defaultSortOf(spec), tieBreak: spec.primaryKey, offset: 0, limit })).rows;
    return rows.map((r) => ({
      id: Number(r.id),
      title: recordTitle(spec, r),
      // A contact's subtitle is its email: masked for members like the column itself.
      subtitle: maskText(spec.key, r, recordSubtitle(spec, r), role),
      code: spec.codeColumn && r[spec.codeColumn] ? String(r[spec.codeColumn]) : null,
    }));
  }

  /**
   * Turns what a person typed into a record id: an id (12, "#12") or the code they see (TCK-000575, any case).
   * Anything else is refused with the nearest matches named, never guessed.
   */
  async resolve(repo: RecordRepo, entity: string, ref: number | string): Promise<number> {
    const spec = entityOrThrow(entity);
    singleId(spec);
    const text = typeof ref === 'number' ? String(ref) : ref.trim();
    if (/^#?\d{1,15}$/.test(text)) {
      const id = Number(text.replace(/^#/, ''));
      if (!(await repo.byId(spec.table, id))) throw missing(spec, `#${id}`);
      return id;
    }
    const near = await this.lookupRows(repo, spec, text, 5);
    const hit = near.find((r) => spec.codeColumn && String(r[spec.codeColumn] ?? '').toLowerCase() === text.toLowerCase());
    if (hit) return Number(hit.id);
    const named = near.filter((r) => recordTitle(spec, r).toLowerCase() === text.toLowerCase());
    if (named.length === 1) return Number(named[0]!.id);
    const close = near.slice(0, 3).map((r) => recordTitle(spec, r));
    const what = spec.codeColumn ? `with the code or name “${text}”` : `named “${text}”`;
    throw new AppError('not_found', `There is no ${spec.singular.toLowerCase()} ${what}${close.length ? ` (close: ${close.join(', ')})` : ''}. Pick one from the list or give its id.`, { entity: spec.key });
  }

  private lookupRows(repo: RecordRepo, spec: EntitySpec, text: string, limit: number): Promise<Row[]> {
    const nameCols = [...new Set([...(spec.titleColumns ?? [spec.titleColumn]), spec.subtitleColumn].filter((c): c is string => Boolean(c) && c !== 'id'))];
    return repo.lookup({ table: spec.table, columns: nameColumns(spec), codeColumn: spec.codeColumn, nameColumns: nameCols, orderBy: (spec.titleColumns ?? [spec.titleColumn]).filter((c) => c !== 'id'), text, limit });
  }
}
