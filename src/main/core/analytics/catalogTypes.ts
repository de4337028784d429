import type { MeasureDomain, NumberFormat } from '@shared/analytics/spec';

/**
 * The vocabulary the catalog is written in. Everything is data: table and column names come only from here (never
 * from a caller), values are bound as parameters, and the compiler (compile.ts) is the one place that turns these
 * into SQL through the dialect helpers. Column references are "alias.column": `t` is the source's fact table, other
 * aliases come from the source's base joins.
 */

/** A column of the fact table ("t.amount") or of a base join ("po.vendor_id"). */
export type ColumnRef = `${string}.${string}`;

/** A condition inside a measure or a source (not a caller's filter: those go through dimensions). */
export type Cond =
  | { col: ColumnRef; op: 'in' | 'not_in'; values: readonly (string | number)[] }
  | { col: ColumnRef; op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte'; value: string | number }
  | { col: ColumnRef; op: 'null' | 'not_null' }
  /** A 0/1 flag column is set. */
  | { col: ColumnRef; op: 'set' }
  /** col is later than other (timestamps compared as instants, so '…:00Z' and '…:00.000Z' agree). */
  | { col: ColumnRef; op: 'after_col'; other: ColumnRef }
  /** The day of col is on or before the day of other (a completion on its due date counts as on time). */
  | { col: ColumnRef; op: 'day_on_or_before_col'; other: ColumnRef }
  /** col (a day or timestamp) is before the reference day. */
  | { col: ColumnRef; op: 'before_ref' }
  /** col falls on the reference day or within `days` after it. */
  | { col: ColumnRef; op: 'within_days_after_ref'; days: number }
  | { any: readonly Cond[] }
  | { all: readonly Cond[] }
  /** A row of `table` points at this fact row (`fk` = t.id) and matches `where` (alias `x`). */
  | { exists: { table: string; fk: string; where: readonly Cond[] } };

/** A value computed per row. */
export type Expr =
  | { col: ColumnRef }
  | { num: number }
  /** later − earlier in hours / days. */
  | { hours: [ColumnRef, ColumnRef] }
  | { days: [ColumnRef, ColumnRef] }
  | { div: [Expr, Expr] }
  | { mul: [Expr, Expr] }
  | { when: readonly { if: readonly Cond[]; then: Expr }[]; else?: Expr }
  /** The columns joined as text, for counting distinct combinations. */
  | { key: readonly (ColumnRef | { day: ColumnRef })[] };

export type AggFn = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';
/** An aggregate over the rows that match `filter` (count without expr counts rows). */
export interface Agg {
  fn: AggFn;
  expr?: Expr;
  filter?: readonly Cond[];
}
/** The measure's value: one aggregate, or a ratio of two (times `scale`); a zero denominator gives null. */
export type MeasureValue = { agg: Agg } | { ratio: [Agg, Agg]; scale?: number };

export interface JoinStep {
  table: string;
  /** The column holding the joined row's id ("t.owner_id"); joined on `<table>.id`. */
  from: ColumnRef;
}

/** How one dimension is reached from a source: a column of t / a base join, or through further joins. */
export interface DimensionRef {
  /** The column, relative to the last join ("name") or, without joins, a ColumnRef ("t.stage"). */
  column: string;
  joins?: readonly JoinStep[];
}

export interface SourceDef {
  key: string;
  /** The fact table, aliased t. */
  table: string;
  /** Entity key of the rows (Data page drill-down). */
  entity: string;
  /** Inner joins every query of this source has (alias → step). */
  baseJoins?: readonly (JoinStep & { alias: string })[];
  /** Rows every measure of this source ignores (soft exclusions). */
  where?: readonly Cond[];
  dimensions: Readonly<Record<string, DimensionRef>>;
}

export interface MeasureDef {
  name: string;
  label: string;
  description: string;
  domain: MeasureDomain;
  source: string;
  unit: string;
  format: NumberFormat;
  betterWhen: 'up' | 'down' | 'neutral';
  /** The column time ranges and grains apply to. */
  time: ColumnRef;
  value: MeasureValue;
  /** Dimensions of the source this measure does not support (default: all of the source's). */
  excludeDimensions?: readonly string[];
}

export interface DimensionDef {
  name: string;
  label: string;
  description: string;
  values?: readonly string[];
}
