import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { WorkspaceDatabase } from '../db/schema/workspace';

/** A page of one table, as the Data page asks for it. Identifiers come from the entity catalog, never from input. */
export interface RecordPageQuery {
  table: string;
  columns: readonly string[];
  /** Rows where any of `columns` contains `text` (ignoring case), or whose id equals `id`. */
  search?: { columns: readonly string[]; text: string; id?: number | undefined } | undefined;
  sort: { column: string; desc: boolean; text: boolean };
  /** Primary-key columns, so that pages are stable when sort values repeat. */
  tieBreak: readonly string[];
  offset: number;
  limit: number;
}

/** Read access to any workspace table by name, for the Data page, the CLI and evidence links. */
export interface RecordRepo {
  /** Rows per table, in one round trip. */
  counts(tables: readonly string[]): Promise<Record<string, number>>;
  page(query: RecordPageQuery): Promise<{ rows: Record<string, unknown>[]; total: number }>;
  byId(table: string, id: number): Promise<Record<string, unknown> | undefined>;
}

/** Tables are picked at run time here, so this repository sees the schema as "any table of unknown columns". */
type AnyTables = Record<string, Record<string, unknown>>;

export class KyselyRecordRepo implements RecordRepo {
  private readonly db: Kysely<AnyTables>;

  constructor(
    db: Kysely<WorkspaceDatabase>,
    private readonly dialect: Dialect,
  ) {
    this.db = db as unknown as Kysely<AnyTables>;
  }

  async counts(tables: readonly string[]): Promise<Record<string, number>> {
    if (tables.length === 0) return {};
    const parts = tables.map((t) => sql`SELECT ${t} AS t, count(*) AS n FROM ${sql.table(t)}`);
    const { rows } = await sql<{ t: string; n: number }>`${sql.join(parts, sql` UNION ALL `)}`.execute(this.db);
    const out: Record<string, number> = {};
    for (const r of rows) out[r.t] = Number(r.n);
    return out;
  }

  async page(q: RecordPageQuery): Promise<{ rows: Record<string, unknown>[]; total: number }> {
    const where = this.searchCondition(q);
    let count = this.db.selectFrom(q.table).select((eb) => eb.fn.countAll<number>().as('n'));
    if (where) count = count.where(where);
    const total = Number((await count.executeTakeFirstOrThrow()).n);

    const direction = q.sort.desc ? sql`DESC` : sql`ASC`;
    const sortExpr = q.sort.text ? this.dialect.binaryOrder(sql.ref(q.sort.column)) : sql.ref(q.sort.column);
    let rows = this.db
      .selectFrom(q.table)
      .select(q.columns.map((c) => sql.ref(c).as(c)))
      .orderBy(sql`${sortExpr} ${direction} NULLS LAST`);
    for (const k of q.tieBreak) rows = rows.orderBy(sql`${sql.ref(k)} ${direction}`);
    if (where) rows = rows.where(where);
    const page = await rows.limit(q.limit).offset(q.offset).execute();
    return { rows: page, total };
  }

  async byId(table: string, id: number): Promise<Record<string, unknown> | undefined> {
    return this.db.selectFrom(table).selectAll().where(sql.ref('id'), '=', id).executeTakeFirst();
  }

  private searchCondition(q: RecordPageQuery): Expression<SqlBool> | null {
    const text = q.search?.text;
    if (!q.search || !text) return null;
    const ors: Expression<SqlBool>[] = q.search.columns.map((c) => this.dialect.containsIgnoreCase(sql.ref(c), text));
    if (q.search.id !== undefined) ors.push(sql<SqlBool>`${sql.ref('id')} = ${q.search.id}`);
    // A search over no searchable column matches nothing.
    return ors.length ? sql<SqlBool>`(${sql.join(ors, sql` OR `)})` : sql<SqlBool>`(1 = 0)`;
  }
}
