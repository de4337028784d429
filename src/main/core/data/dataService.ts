import { ENTITIES, getEntity, type EntitySpec } from '@shared/entities';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import { orderBy } from './recordQueries';

const entityOrThrow = (key: string): EntitySpec => {
  const spec = getEntity(key);
  if (!spec) throw new AppError('validation', `Unknown entity type "${key}".`);
  return spec;
};

/** Rows that point at one record: a reference column, the record's id and, for polymorphic columns, its type. */
export interface BrowseRef {
  column: string;
  id: number;
  entity?: string | undefined;
}

/** Read access to workspace records for the Data page, the CLI and evidence links. */
export class DataService {
  stats(db: Db): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of ENTITIES) counts[e.table] = (db.prepare(`SELECT count(*) FROM ${e.table}`).pluck().get() as number) ?? 0;
    return counts;
  }

  browse(
    db: Db,
    args: { entity: string; search?: string | undefined; sort?: { column: string; desc: boolean } | undefined; ref?: BrowseRef | undefined; offset: number; limit: number },
  ): { rows: Record<string, unknown>[]; total: number } {
    const spec = entityOrThrow(args.entity);
    const sort = args.sort ?? spec.defaultSort;
    if (!spec.columns.some((c) => c.name === sort.column)) {
      throw new AppError('validation', `Cannot sort ${spec.label} by "${sort.column}"; pick one of its columns.`);
    }
    const visible = spec.columns.filter((c) => !c.hidden).map((c) => c.name);
    const where: string[] = [];
    const params: unknown[] = [];
    const term = args.search?.trim();
    if (term) {
      const like = `%${term.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      const ors = spec.searchColumns.map((c) => `${c} LIKE ? ESCAPE '\\'`);
      params.push(...spec.searchColumns.map(() => like));
      if (/^\d+$/.test(term) && spec.primaryKey.length === 1) {
        ors.push('id = ?');
        params.push(Number(term));
      }
      where.push(ors.length ? `(${ors.join(' OR ')})` : '0');
    }
    if (args.ref) {
      // Only the rows that point at one record: "all 43 comments of TCK-000575".
      const col = spec.columns.find((c) => c.name === args.ref!.column && (c.ref || c.refTypeColumn));
      if (!col) throw new AppError('validation', `${spec.label} have no reference column "${args.ref.column}".`);
      where.push(`${col.name} = ?`);
      params.push(args.ref.id);
      if (col.refTypeColumn) {
        if (!args.ref.entity) throw new AppError('validation', `Say which entity type "${col.name}" points at.`);
        where.push(`${col.refTypeColumn} = ?`);
        params.push(args.ref.entity);
      }
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = db.prepare(`SELECT count(*) FROM ${spec.table} ${whereSql}`).pluck().get(...params) as number;
    // Polymorphic references need their type column to be named, even when it is not shown.
    const select = [...new Set([...visible, ...spec.columns.filter((c) => c.refTypeColumn).map((c) => c.refTypeColumn!)])];
    const rows = db
      .prepare(`SELECT ${select.join(', ')} FROM ${spec.table} ${whereSql} ORDER BY ${orderBy(spec, sort)} LIMIT ? OFFSET ?`)
      .all(...params, args.limit, args.offset) as Record<string, unknown>[];
    return { rows, total };
  }

  get(db: Db, entity: string, id: number | string): { record: Record<string, unknown>; title: string } {
    const spec = entityOrThrow(entity);
    if (spec.primaryKey.length !== 1) throw new AppError('validation', `${spec.label} rows have no single id.`);
    const record = db.prepare(`SELECT * FROM ${spec.table} WHERE id = ?`).get(Number(id)) as Record<string, unknown> | undefined;
    if (!record) throw new AppError('not_found', `There is no ${spec.label.toLowerCase().replace(/s$/, '')} with id ${id}.`, { entity, id });
    const title = spec.titleColumn === 'id' ? `${spec.label} #${id}` : String(record[spec.titleColumn] ?? `#${id}`);
    return { record, title };
  }
}
