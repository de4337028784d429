import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { WorkspaceDatabase } from '../db/schema/workspace';

/** A page of one table, as the Data page asks for it. Identifiers come from the entity catalog, never from input. */
export interface RecordPageQuery {
  table: string;
  columns: readonly string[];
  /** Rows where any of `columns` contains `text` (ignoring case), or whose id equals `id`. */
  search?: { columns: readonly string[]; text: string; id?: number | undefined } | undefined;
  /**
   * `rank`: an enumeration's values in their declared order (low < normal < high < urgent); the column then sorts by
   * that order, unknown values after the known ones and empty cells last.
   */
  sort: { column: string; desc: boolean; text: boolean; rank?: readonly string[] | undefined };
  /** Only rows whose columns hold these values (the rows that point at one record). */
  where?: readonly { column: string; value: string | number }[] | undefined;
  /** Primary-key columns, so that pages are stable when sort values repeat. */
  tieBreak: readonly string[];
  offset: number;
  limit: number;
}

/** The record picker's query: identifiers from the catalog, `text` as typed. */
export interface RecordLookupQuery {
  table: string;
  /** Columns to return. */
  columns: readonly string[];
  /** The code people quote (TCK-000575), matched exactly, by its number, and as a prefix. */
  codeColumn?: string | undefined;
  /** Name columns, matched as a prefix and anywhere. */
  nameColumns: readonly string[];
  /** Ties are ordered by these, then by id. */
  orderBy: readonly string[];
  text: string;
  limit: number;
}

/** Read access to any workspace table by name, for the Data page, the CLI and evidence links. */
export interface RecordRepo {
  /** Rows per table, in one round trip. */
  counts(tables: readonly string[]): Promise<Record<string, number>>;
  page(query: RecordPageQuery): Promise<{ rows: Record<string, unknown>[]; total: number }>;
  byId(table: string, id: number): Promise<Record<string, unknown> | undefined>;
  /** Some columns of the rows with these ids (ids that do not exist are simply absent). */
  byIds(table: string, columns: readonly string[], ids: readonly number[]): Promise<Record<string, unknown>[]>;
  /** Type-ahead: the exact code or id first, then a code's number, then prefixes, then any match. */
  lookup(query: RecordLookupQuery): Promise<Record<string, unknown>[]>;
}

/** The widest number part of a code the lookup tries when digits are typed ("575" → …-000575, …-00000575). */
const CODE_DIGITS = 8;

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
    const sortExpr = q.sort.rank?.length ? this.rankOf(q.sort.column, q.sort.rank) : q.sort.text ? this.dialect.binaryOrder(sql.ref(q.sort.column)) : sql.ref(q.sort.column);
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

  async byIds(table: string, columns: readonly string[], ids: readonly number[]): Promise<Record<string, unknown>[]> {
    const unique = [...new Set(ids)];
    const out: Record<string, unknown>[] = [];
    // A page names at most a few hundred records; chunks keep any list under the engine's parameter limit.
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      out.push(...(await this.db.selectFrom(table).select(columns.map((c) => sql.ref(c).as(c))).where(sql.ref('id'), 'in', chunk).execute()));
    }
    return out;
  }

  async lookup(q: RecordLookupQuery): Promise<Record<string, unknown>[]> {
    const text = q.text.trim();
    if (!text) return [];
    const d = this.dialect;
    const ref = (c: string) => sql.ref(c);
    const digits = /^#?\d{1,15}$/.test(text) ? text.replace(/^#/, '') : null;
    const id = digits !== null ? Number(digits) : null;
    // "575" is the number of TCK-000575: the code ends in a dash and the digits, zero-padded to any width.
    const numbered = (code: string): Expression<SqlBool> | null => {
      if (digits === null) return null;
      const bare = String(Number(digits));
      const widths = Array.from({ length: Math.max(0, CODE_DIGITS - bare.length + 1) }, (_, k) => bare.padStart(bare.length + k, '0'));
      return sql<SqlBool>`(${sql.join(widths.map((w) => d.likeIgnoreCase(ref(code), `%-${w}`)), sql` OR `)})`;
    };
    const ranks: { when: Expression<SqlBool>; rank: number }[] = [];
    const matches: Expression<SqlBool>[] = [];
    if (q.codeColumn) {
      ranks.push({ when: d.equalsIgnoreCase(ref(q.codeColumn), text), rank: 0 });
      matches.push(d.containsIgnoreCase(ref(q.codeColumn), text));
    }
    if (id !== null && Number.isSafeInteger(id)) {
      ranks.push({ when: sql<SqlBool>`${ref('id')} = ${id}`, rank: 0 });
      matches.push(sql<SqlBool>`${ref('id')} = ${id}`);
      const n = q.codeColumn ? numbered(q.codeColumn) : null;
      if (n) {
        ranks.push({ when: n, rank: 1 });
        matches.push(n);
      }
    }
    for (const c of [...(q.codeColumn ? [q.codeColumn] : []), ...q.nameColumns]) ranks.push({ when: d.startsWithIgnoreCase(ref(c), text), rank: 2 });
    for (const c of q.nameColumns) matches.push(d.containsIgnoreCase(ref(c), text));
    if (matches.length === 0) return [];
    const rank = sql<number>`(CASE ${sql.join(ranks.map((r) => sql`WHEN ${r.when} THEN ${sql.lit(r.rank)}`), sql` `)} ELSE 3 END)`;
    let query = this.db
      .selectFrom(q.table)
      .select(q.columns.map((c) => sql.ref(c).as(c)))
      .where(sql<SqlBool>`(${sql.join(matches, sql` OR `)})`)
      .orderBy(rank);
    for (const c of q.orderBy) query = query.orderBy(this.dialect.binaryOrder(sql.ref(c)));
    return query.orderBy(sql.ref('id')).limit(q.limit).execute();
  }

  /** An enumeration's position in its declared order; values the catalog does not know come after, NULL stays NULL. */
  private rankOf(column: string, values: readonly string[]): RawBuilder<number | null> {
    const col = sql.ref(column);
    // Catalog values, spelled into the SQL as literals: ORDER BY must see the same text on every page.
    const whens = values.map((v, i) => sql`WHEN ${col} = ${sql.lit(v)} THEN ${sql.lit(i)}`);
    return sql<number | null>`(CASE WHEN ${col} IS NULL THEN NULL ${sql.join(whens, sql` `)} ELSE ${sql.lit(values.length)} END)`;
  }

  private searchCondition(q: RecordPageQuery): Expression<SqlBool> | null {
    const parts: Expression<SqlBool>[] = (q.where ?? []).map((w) => sql<SqlBool>`${sql.ref(w.column)} = ${w.value}`);
    const text = q.search?.text;
    if (q.search && text) {
      const ors: Expression<SqlBool>[] = q.search.columns.map((c) => this.dialect.containsIgnoreCase(sql.ref(c), text));
      if (q.search.id !== undefined) ors.push(sql<SqlBool>`${sql.ref('id')} = ${q.search.id}`);
      // A search over no searchable column matches nothing.
      parts.push(ors.length ? sql<SqlBool>`(${sql.join(ors, sql` OR `)})` : sql<SqlBool>`(1 = 0)`);
    }
    return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` AND `)})` : null;
  }
}
