import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { WorkspaceDatabase } from '../db/schema/workspace';

type Row = Record<string, unknown>;
type Scalar = string | number;

/** A filtered list of one catalog table. Table and column names come from the entity catalog, never from input. */
export interface RecordFindQuery {
  table: string;
  columns: readonly string[];
  equals?: readonly { column: string; value: Scalar }[] | undefined;
  /** column IN (values). */
  oneOf?: readonly { column: string; values: readonly Scalar[] }[] | undefined;
  atLeast?: readonly { column: string; value: Scalar }[] | undefined;
  atMost?: readonly { column: string; value: Scalar }[] | undefined;
  orderBy: { column: string; desc: boolean };
  limit: number;
}

export interface PipelineStage {
  stage: string;
  deals: number;
  amount: number;
  weighted: number;
}

/**
 * What the action registry reads and writes in catalog tables (ADR 0060): filtered lists, pipeline figures, and
 * single-row inserts, updates and deletes. Bound to a transaction when an action executes, so the change and its
 * audit row commit together.
 */
export interface ActionRecordRepo {
  find(query: RecordFindQuery): Promise<{ rows: Row[]; total: number }>;
  /** Inserts one row and returns its id. */
  insert(table: string, values: Row): Promise<number>;
  /** True when the row existed. */
  update(table: string, id: number, values: Row): Promise<boolean>;
  /** True when the row existed. */
  delete(table: string, id: number): Promise<boolean>;
  /** Deals per stage: count, total amount and probability-weighted amount. */
  pipeline(filter: { ownerId?: number | undefined; closeFrom?: string | undefined; closeTo?: string | undefined }): Promise<PipelineStage[]>;
}

type AnyTables = Record<string, Record<string, unknown>>;

export class KyselyActionRecordRepo implements ActionRecordRepo {
  private readonly db: Kysely<AnyTables>;

  constructor(db: Kysely<WorkspaceDatabase>, _dialect: Dialect) {
    this.db = db as unknown as Kysely<AnyTables>;
  }

  private conditions(q: RecordFindQuery): Expression<SqlBool>[] {
    const out: Expression<SqlBool>[] = [];
    for (const e of q.equals ?? []) out.push(sql<SqlBool>`${sql.ref(e.column)} = ${e.value}`);
    for (const e of q.oneOf ?? []) if (e.values.length) out.push(sql<SqlBool>`${sql.ref(e.column)} IN (${sql.join(e.values.map((v) => sql`${v}`))})`);
    for (const e of q.atLeast ?? []) out.push(sql<SqlBool>`${sql.ref(e.column)} >= ${e.value}`);
    for (const e of q.atMost ?? []) out.push(sql<SqlBool>`${sql.ref(e.column)} <= ${e.value}`);
    return out;
  }

  async find(q: RecordFindQuery): Promise<{ rows: Row[]; total: number }> {
    const where = this.conditions(q);
    const cond = where.length ? sql<SqlBool>`${sql.join(where, sql` AND `)}` : sql<SqlBool>`1 = 1`;
    const total = Number(
      (
        await this.db
          .selectFrom(q.table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(cond)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const dir = q.orderBy.desc ? sql`DESC` : sql`ASC`;
    const rows = await this.db
      .selectFrom(q.table)
      .select(q.columns.map((c) => sql.ref(c).as(c)))
      .where(cond)
      .orderBy(sql`${sql.ref(q.orderBy.column)} ${dir} NULLS LAST`)
      .orderBy(sql`${sql.ref('id')} ${dir}`)
      .limit(q.limit)
      .execute();
    return { rows, total };
  }

  async insert(table: string, values: Row): Promise<number> {
    const row = await this.db.insertInto(table).values(values).returning(sql.ref('id').as('id')).executeTakeFirstOrThrow();
    return Number((row as { id: unknown }).id);
  }

  async update(table: string, id: number, values: Row): Promise<boolean> {
    const res = await this.db.updateTable(table).set(values).where(sql.ref('id'), '=', id).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async delete(table: string, id: number): Promise<boolean> {
    const res = await this.db.deleteFrom(table).where(sql.ref('id'), '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async pipeline(filter: { ownerId?: number | undefined; closeFrom?: string | undefined; closeTo?: string | undefined }): Promise<PipelineStage[]> {
    let q = this.db
      .selectFrom('deals')
      .select([
        sql.ref<string>('stage').as('stage'),
        (eb) => eb.fn.countAll<number>().as('deals'),
        sql<number>`coalesce(sum(amount), 0)`.as('amount'),
        sql<number>`coalesce(sum(amount * coalesce(probability, 0)), 0)`.as('weighted'),
      ])
      .groupBy(sql.ref('stage'));
    if (filter.ownerId !== undefined) q = q.where(sql.ref('owner_id'), '=', filter.ownerId);
    if (filter.closeFrom) q = q.where(sql.ref('close_date'), '>=', filter.closeFrom);
    if (filter.closeTo) q = q.where(sql.ref('close_date'), '<=', filter.closeTo);
    const rows = await q.execute();
    return rows.map((r) => ({ stage: String(r.stage), deals: Number(r.deals), amount: Number(r.amount), weighted: Math.round(Number(r.weighted) * 100) / 100 }));
  }
}
