import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { PERIOD_KEY, type QueryFilter } from '@shared/analytics/spec';
import { addDays } from '@shared/analytics/timeRange';
import type { Dialect } from '../../db/dialect';
import type { Agg, Cond, DimensionRef, Expr, MeasureDef, SourceDef } from '../../analytics/catalogTypes';
import type { Group, StatementWindow, ValidatedSpec } from '../../analytics/validate';

/**
 * A checked analytics plan → SQL. Every identifier comes from the catalog; every value a caller (or a model)
 * supplied is a bound parameter (catalog constants are literals, so GROUP BY sees the same expression as SELECT);
 * statements are SELECTs only. Engine differences go through the dialect helpers (db/dialect.ts) and nowhere else.
 */

/** Rows a grouped statement may return before the service stops reading (the spec's limit is applied after merging). */
export const STATEMENT_ROW_CAP = 20_000;

export type Row = Record<string, unknown>;

/** Result keys of a measure's additive parts (numerator `__n_<name>`, denominator `__d_<name>`). */
export const PART_PREFIX = '__';

const ref = (c: string): RawBuilder<unknown> => sql.ref(c);

class Builder {
  private readonly joins = new Map<string, RawBuilder<unknown>>();

  constructor(
    private readonly d: Dialect,
    private readonly source: SourceDef,
    private readonly window: StatementWindow,
  ) {}

  /** The SQL of a dimension, adding the joins it needs (shared between dimensions that join the same row). */
  dimension(name: string): RawBuilder<unknown> {
    const r: DimensionRef = this.source.dimensions[name]!;
    if (!r.joins?.length) return ref(r.column);
    let from: string = r.joins[0]!.from;
    let alias = '';
    for (const step of r.joins) {
      alias = `j_${step.table}_${from.replace('.', '_')}`;
      if (!this.joins.has(alias)) this.joins.set(alias, sql`LEFT JOIN ${sql.table(step.table)} AS ${sql.id(alias)} ON ${sql.ref(`${alias}.id`)} = ${ref(from)}`);
      from = `${alias}.id`;
    }
    return ref(`${alias}.${r.column}`);
  }

  joinSql(): RawBuilder<unknown> {
    const base = (this.source.baseJoins ?? []).map((j) => sql`INNER JOIN ${sql.table(j.table)} AS ${sql.id(j.alias)} ON ${sql.ref(`${j.alias}.id`)} = ${ref(j.from)}`);
    return sql.join([...base, ...this.joins.values()], sql` `);
  }

  cond(c: Cond): RawBuilder<SqlBool> {
    const d = this.d;
    if ('any' in c) return c.any.length ? sql<SqlBool>`(${sql.join(c.any.map((x) => this.cond(x)), sql` OR `)})` : sql<SqlBool>`(1 = 0)`;
    if ('all' in c) return this.conds(c.all);
    if ('exists' in c) {
      const e = c.exists;
      const where = e.where.length ? sql` AND ${this.conds(e.where)}` : sql``;
      return sql<SqlBool>`EXISTS (SELECT 1 FROM ${sql.table(e.table)} AS ${sql.id('x')} WHERE ${sql.ref(`x.${e.fk}`)} = ${ref('t.id')}${where})`;
    }
    const col = ref(c.col);
    switch (c.op) {
      case 'in':
        return sql<SqlBool>`(${col} IN (${sql.join(c.values.map((v) => sql.lit(v)))}))`;
      case 'not_in':
        return sql<SqlBool>`(${col} NOT IN (${sql.join(c.values.map((v) => sql.lit(v)))}))`;
      case 'eq':
        return sql<SqlBool>`(${col} = ${sql.lit(c.value)})`;
      case 'neq':
        return sql<SqlBool>`(${col} <> ${sql.lit(c.value)})`;
      case 'gt':
        return sql<SqlBool>`(${col} > ${sql.lit(c.value)})`;
      case 'gte':
        return sql<SqlBool>`(${col} >= ${sql.lit(c.value)})`;
      case 'lt':
        return sql<SqlBool>`(${col} < ${sql.lit(c.value)})`;
      case 'lte':
        return sql<SqlBool>`(${col} <= ${sql.lit(c.value)})`;
      case 'null':
        return sql<SqlBool>`(${col} IS NULL)`;
      case 'not_null':
        return sql<SqlBool>`(${col} IS NOT NULL)`;
      case 'set':
        return d.isSet(col);
      case 'after_col':
        return sql<SqlBool>`(${d.epochSeconds(col)} > ${d.epochSeconds(ref(c.other))})`;
      case 'day_on_or_before_col':
        return sql<SqlBool>`(${d.binaryOrder(d.toDate(col))} <= ${d.binaryOrder(d.toDate(ref(c.other)))})`;
      case 'before_ref':
        return sql<SqlBool>`(${d.binaryOrder(col)} < ${this.window.referenceDay})`;
      case 'within_days_after_ref':
        return sql<SqlBool>`(${d.binaryOrder(col)} >= ${this.window.referenceDay} AND ${d.binaryOrder(col)} < ${addDays(this.window.referenceDay, c.days + 1)})`;
    }
  }

  conds(cs: readonly Cond[]): RawBuilder<SqlBool> {
    return cs.length ? sql<SqlBool>`(${sql.join(cs.map((c) => this.cond(c)), sql` AND `)})` : sql<SqlBool>`(1 = 1)`;
  }

  expr(e: Expr): RawBuilder<unknown> {
    const d = this.d;
    if ('col' in e) return ref(e.col);
    if ('num' in e) return sql.lit(e.num);
    if ('hours' in e) return sql`(${d.secondsBetween(ref(e.hours[0]), ref(e.hours[1]))} / 3600.0)`;
    if ('days' in e) return d.daysBetween(ref(e.days[0]), ref(e.days[1]));
    if ('div' in e) return sql`(${d.toReal(this.expr(e.div[0]))} / NULLIF(${d.toReal(this.expr(e.div[1]))}, 0))`;
    if ('mul' in e) return sql`(${d.toReal(this.expr(e.mul[0]))} * ${d.toReal(this.expr(e.mul[1]))})`;
    if ('key' in e) return sql`(${sql.join(e.key.map((k) => (typeof k === 'string' ? sql`CAST(${ref(k)} AS TEXT)` : d.toDate(ref(k.day)))), sql` || '|' || `)})`;
    const branches = e.when.map((w) => sql`WHEN ${this.conds(w.if)} THEN ${this.expr(w.then)}`);
    return sql`(CASE ${sql.join(branches, sql` `)}${e.else ? sql` ELSE ${this.expr(e.else)}` : sql``} END)`;
  }

  agg(a: Agg): RawBuilder<unknown> {
    const inner = a.expr ? this.expr(a.expr) : sql.lit(1);
    const value = a.filter?.length ? sql`CASE WHEN ${this.conds(a.filter)} THEN ${inner} END` : inner;
    switch (a.fn) {
      case 'count':
        return a.filter?.length || a.expr ? sql`COUNT(${value})` : sql`COUNT(*)`;
      case 'count_distinct':
        return sql`COUNT(DISTINCT ${value})`;
      case 'sum':
        return sql`SUM(${value})`;
      case 'avg':
        return sql`AVG(${value})`;
      case 'min':
        return sql`MIN(${value})`;
      case 'max':
        return sql`MAX(${value})`;
    }
  }

  /** A measure's value as a float (PostgreSQL returns counts as bigint and averages as numeric otherwise). */
  measure(m: MeasureDef): RawBuilder<unknown> {
    const d = this.d;
    if ('agg' in m.value) return d.toReal(this.agg(m.value.agg));
    const [num, den] = m.value.ratio;
    const scale = m.value.scale ?? 1;
    const ratio = sql`(${d.toReal(this.agg(num))} / NULLIF(${d.toReal(this.agg(den))}, 0))`;
    return scale === 1 ? ratio : sql`(${ratio} * ${sql.lit(scale)})`;
  }

  /**
   * The additive parts of a measure ([numerator, denominator] sums), so totals can be added up from the grouped
   * rows instead of scanning again: a count or sum is its own numerator, an average is sum / count, a ratio of
   * counts or sums is their quotient. Null for what does not add up (distinct counts, minima, maxima).
   */
  parts(m: MeasureDef): [RawBuilder<unknown>, RawBuilder<unknown> | null] | null {
    const d = this.d;
    const additive = (a: Agg): boolean => a.fn === 'count' || a.fn === 'sum';
    if ('agg' in m.value) {
      const a = m.value.agg;
      if (additive(a)) return [d.toReal(this.agg(a)), null];
      if (a.fn === 'avg') return [d.toReal(this.agg({ ...a, fn: 'sum' })), d.toReal(this.agg({ ...a, fn: 'count', expr: a.expr }))];
      return null;
    }
    const [num, den] = m.value.ratio;
    return additive(num) && additive(den) ? [d.toReal(this.agg(num)), d.toReal(this.agg(den))] : null;
  }

  filter(f: QueryFilter): RawBuilder<SqlBool> {
    const d = this.d;
    const e = this.dimension(f.field);
    const text = (v: string | number): string => String(v);
    const lowered = (): RawBuilder<unknown>[] => f.values.map((v) => sql`${text(v).toLowerCase()}`);
    switch (f.op) {
      case 'eq':
        return d.equalsIgnoreCase(e, text(f.values[0]!));
      case 'neq':
        return sql<SqlBool>`(${e} IS NULL OR NOT ${d.equalsIgnoreCase(e, text(f.values[0]!))})`;
      case 'in':
        return sql<SqlBool>`(lower(${e}) IN (${sql.join(lowered())}))`;
      case 'not_in':
        return sql<SqlBool>`(${e} IS NULL OR lower(${e}) NOT IN (${sql.join(lowered())}))`;
      case 'contains':
        return d.containsIgnoreCase(e, text(f.values[0]!));
      case 'gt':
        return sql<SqlBool>`(${d.binaryOrder(e as RawBuilder<string>)} > ${text(f.values[0]!)})`;
      case 'gte':
        return sql<SqlBool>`(${d.binaryOrder(e as RawBuilder<string>)} >= ${text(f.values[0]!)})`;
      case 'lt':
        return sql<SqlBool>`(${d.binaryOrder(e as RawBuilder<string>)} < ${text(f.values[0]!)})`;
      case 'lte':
        return sql<SqlBool>`(${d.binaryOrder(e as RawBuilder<string>)} <= ${text(f.values[0]!)})`;
      case 'is_null':
        return sql<SqlBool>`(${e} IS NULL)`;
      case 'not_null':
        return sql<SqlBool>`(${e} IS NOT NULL)`;
    }
  }
}

/** Result keys: dimensions by name, the time bucket as "period", measures by name. */
export interface GroupStatement {
  group: Group;
  query: RawBuilder<Row>;
}

/**
 * One SELECT for a group of measures: grouped by the spec's dimensions (and the time bucket when a grain is set),
 * or, with `totals`, one row over everything the spec's filters and window select.
 */
export function compileGroup(d: Dialect, v: ValidatedSpec, group: Group, window: StatementWindow, options: { totals?: boolean } = {}): GroupStatement {
  const { spec } = v;
  const b = new Builder(d, group.source, window);
  const dims = options.totals ? [] : spec.dimensions;
  const grain = options.totals ? undefined : spec.grain;
  const time = ref(group.time);
  const selects: RawBuilder<unknown>[] = [];
  const groupBy: RawBuilder<unknown>[] = [];
  for (const name of dims) {
    const e = b.dimension(name);
    selects.push(sql`${e} AS ${sql.id(name)}`);
    groupBy.push(e);
  }
  if (grain) {
    const bucket = d.truncateDate(time, grain);
    selects.push(sql`${bucket} AS ${sql.id(PERIOD_KEY)}`);
    groupBy.push(bucket);
  }
  for (const m of group.measures) selects.push(sql`${b.measure(m)} AS ${sql.id(m.name)}`);
  // Grouped statements also return each measure's additive parts, so the totals need no second scan.
  if (!options.totals) {
    for (const m of group.measures) {
      const p = b.parts(m);
      if (!p) continue;
      selects.push(sql`${p[0]} AS ${sql.id(`${PART_PREFIX}n_${m.name}`)}`);
      if (p[1]) selects.push(sql`${p[1]} AS ${sql.id(`${PART_PREFIX}d_${m.name}`)}`);
    }
  }
  const where: RawBuilder<SqlBool>[] = [];
  if (group.source.where?.length) where.push(b.conds(group.source.where));
  if (window.range) where.push(sql<SqlBool>`(${d.binaryOrder(time as RawBuilder<string>)} >= ${window.range.from} AND ${d.binaryOrder(time as RawBuilder<string>)} < ${addDays(window.range.to, 1)})`);
  if (grain) where.push(sql<SqlBool>`(${time} IS NOT NULL)`);
  for (const f of spec.filters) where.push(b.filter(f));
  // Joins are collected while the expressions above are built, so they are rendered last.
  const joins = b.joinSql();
  const whereSql = where.length ? sql` WHERE ${sql.join(where, sql` AND `)}` : sql``;
  const groupSql = groupBy.length ? sql` GROUP BY ${sql.join(groupBy)}` : sql``;
  const limitSql = groupBy.length ? sql` LIMIT ${sql.lit(STATEMENT_ROW_CAP + 1)}` : sql``;
  const query = sql<Row>`SELECT ${sql.join(selects)} FROM ${sql.table(group.source.table)} AS ${sql.id('t')} ${joins}${whereSql}${groupSql}${limitSql}`;
  return { group, query };
}
