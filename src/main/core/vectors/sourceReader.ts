import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';
import type { DocSection, SourceDocument, SourceSpec } from './sources';

type Row = Record<string, unknown>;

function toTs(v: unknown): number {
  if (typeof v !== 'string' || !v) return 0;
  const t = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
  return Number.isFinite(t) ? Math.floor(t / 1000) : 0;
}

/**
 * Reads documents of one source: the next `limit` roots after `afterId` (id order), or exactly `ids`.
 * Prepared statements are cached per connection.
 */
export class SourceReader {
  private readonly cache = new Map<string, Statement<unknown[]>>();
  constructor(private readonly db: Db) {}

  private stmt(sql: string): Statement<unknown[]> {
    let st = this.cache.get(sql);
    if (!st) {
      st = this.db.prepare<unknown[]>(sql);
      this.cache.set(sql, st);
    }
    return st;
  }

  /** Whether the source's table exists in this database (all do after migration 1; kept for older files). */
  count(src: SourceSpec): number {
    return (this.stmt(`SELECT count(*) AS n FROM ${src.table}`).get() as { n: number }).n;
  }

  next(src: SourceSpec, afterId: number, limit: number): SourceDocument[] {
    const rows = this.stmt(`${src.select} WHERE r.id > ? ORDER BY r.id LIMIT ?`).all(afterId, limit) as Row[];
    return this.build(src, rows);
  }

  byIds(src: SourceSpec, ids: readonly number[]): SourceDocument[] {
    if (ids.length === 0) return [];
    const rows = this.stmt(`${src.select} WHERE r.id IN (SELECT value FROM json_each(?)) ORDER BY r.id`).all(JSON.stringify(ids)) as Row[];
    return this.build(src, rows);
  }

  /** Ids (of this source) that an index still holds but the table no longer has. */
  missingIds(src: SourceSpec, versionId: number): number[] {
    return this.stmt(`SELECT d.entity_id FROM vec_documents d WHERE d.version_id = ? AND d.source_type = ? AND NOT EXISTS (SELECT 1 FROM ${src.table} t WHERE t.id = d.entity_id)`)
      .pluck()
      .all(versionId, src.type) as number[];
  }

  private build(src: SourceSpec, rows: Row[]): SourceDocument[] {
    if (rows.length === 0) return [];
    const children = new Map<number, DocSection[]>();
    if (src.children?.length) {
      const ids = JSON.stringify(rows.map((r) => r.id));
      for (const child of src.children) {
        for (const c of this.stmt(child.sql).all(ids) as Row[]) {
          const pid = Number(c.parent_id);
          let list = children.get(pid);
          if (!list) children.set(pid, (list = []));
          list.push(...child.sections(c));
        }
      }
    }
    return rows.map((r) => {
      const id = Number(r.id);
      return {
        sourceType: src.type,
        entityId: id,
        title: src.title(r).trim() || `${src.label} #${id}`,
        ts: toTs(r[src.date]),
        sections: [...src.sections(r), ...(children.get(id) ?? [])],
      };
    });
  }
}
