import { ENTITIES, getEntity, type ColumnSpec, type EntitySpec } from '@shared/entities';
import { AppError } from '@shared/errors';
import type { RecordPageQuery, RecordRepo } from '../repositories';

const entityOrThrow = (key: string): EntitySpec => {
  const spec = getEntity(key);
  if (!spec) throw new AppError('validation', `Unknown entity type "${key}".`);
  return spec;
};

/** Column types stored as text: sorted byte-wise on both engines so a page looks the same on SQLite and PostgreSQL. */
const TEXT_TYPES = new Set(['text', 'longtext', 'enum', 'date', 'datetime']);

/** How a page sorts by one column: enumerations by their declared order (low < normal < high < urgent). */
export function pageSort(col: ColumnSpec, desc: boolean): RecordPageQuery['sort'] {
  return { column: col.name, desc, text: TEXT_TYPES.has(col.type), rank: col.type === 'enum' ? col.values : undefined };
}

/** Rows that point at one record: a reference column, the record's id and, for polymorphic columns, its type. */
export interface BrowseRef {
  column: string;
  id: number;
  entity?: string | undefined;
}

/**
 * Read access to workspace records for the Data page, the CLI and evidence links. The entity catalog decides which
 * tables and columns exist; the record repository runs the queries on whichever engine holds the workspace.
 */
export class DataService {
  stats(records: RecordRepo): Promise<Record<string, number>> {
    return records.counts(ENTITIES.map((e) => e.table));
  }

  async browse(
    records: RecordRepo,
    args: { entity: string; search?: string | undefined; sort?: { column: string; desc: boolean } | undefined; ref?: BrowseRef | undefined; offset: number; limit: number },
  ): Promise<{ rows: Record<string, unknown>[]; total: number }> {
    const spec = entityOrThrow(args.entity);
    const sort = args.sort ?? spec.defaultSort;
    const sortColumn = spec.columns.find((c) => c.name === sort.column);
    if (!sortColumn) {
      throw new AppError('validation', `Cannot sort ${spec.label} by "${sort.column}"; pick one of its columns.`);
    }
    const term = args.search?.trim();
    const where: { column: string; value: string | number }[] = [];
    if (args.ref) {
      // Only the rows that point at one record: "all 43 comments of TCK-000575".
      const col = spec.columns.find((c) => c.name === args.ref!.column && (c.ref || c.refTypeColumn));
      if (!col) throw new AppError('validation', `${spec.label} have no reference column "${args.ref.column}".`);
      where.push({ column: col.name, value: args.ref.id });
      if (col.refTypeColumn) {
        if (!args.ref.entity) throw new AppError('validation', `Say which entity type "${col.name}" points at.`);
        where.push({ column: col.refTypeColumn, value: args.ref.entity });
      }
    }
    const visible = spec.columns.filter((c) => !c.hidden).map((c) => c.name);
    return records.page({
      table: spec.table,
      // Polymorphic references need their type column to be named, even when it is not shown.
      columns: [...new Set([...visible, ...spec.columns.filter((c) => c.refTypeColumn).map((c) => c.refTypeColumn!)])],
      search: term ? { columns: spec.searchColumns, text: term, id: /^\d+$/.test(term) && spec.primaryKey.length === 1 ? Number(term) : undefined } : undefined,
      where,
      sort: pageSort(sortColumn, sort.desc),
      tieBreak: spec.primaryKey,
      offset: args.offset,
      limit: args.limit,
    });
  }

  async get(records: RecordRepo, entity: string, id: number | string): Promise<{ record: Record<string, unknown>; title: string }> {
    const spec = entityOrThrow(entity);
    if (spec.primaryKey.length !== 1) throw new AppError('validation', `${spec.label} rows have no single id.`);
    const n = Number(id);
    const record = Number.isSafeInteger(n) ? await records.byId(spec.table, n) : undefined;
    if (!record) throw new AppError('not_found', `There is no ${spec.label.toLowerCase().replace(/s$/, '')} with id ${id}.`, { entity, id });
    const title = spec.titleColumn === 'id' ? `${spec.label} #${id}` : String(record[spec.titleColumn] ?? `#${id}`);
    return { record, title };
  }
}
