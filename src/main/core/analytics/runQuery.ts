import { PERIOD_KEY, type QueryResult, type QuerySpec, type QuerySpecInput, type ResultColumn } from '@shared/analytics/spec';
import { previousRange, resolveRange } from '@shared/analytics/timeRange';
import type { TableCell, TableRow } from '@shared/charts/spec';
import { PART_PREFIX, STATEMENT_ROW_CAP, type AnalyticsRepo, type Row } from '../repositories/analyticsRepo';
import { getDimension } from './catalog';
import { validateSpec, type Group, type StatementWindow, type ValidatedSpec } from './validate';

/** What a query needs from a workspace: its analytics repository and reference day. */
export interface QueryTarget {
  repo: AnalyticsRepo;
  referenceDay: string;
}

const round = (x: unknown): number | null => {
  if (x === null || x === undefined) return null;
  const n = Number(x);
  if (!Number.isFinite(n)) return null;
  // Float noise differs between engines (and between SUM orders); ten decimals is far below any format's precision.
  return Math.round(n * 1e10) / 1e10;
};
const cell = (x: unknown): TableCell => (x === null || x === undefined ? null : typeof x === 'number' ? x : String(x));

/** Runs a validated spec: one statement per group for rows and totals (and the previous period's when compared). */
export async function runQuery(target: QueryTarget, input: QuerySpecInput | QuerySpec): Promise<QueryResult> {
  const started = performance.now();
  const v = validateSpec(input);
  const { spec } = v;
  const range = resolveRange(spec.timeRange, target.referenceDay);
  const prevRange = spec.compare && range ? previousRange(spec.timeRange, range) : null;
  const current: StatementWindow = { range, referenceDay: target.referenceDay };
  const previous: StatementWindow | null = prevRange ? { range: prevRange, referenceDay: target.referenceDay } : null;
  let sqlMs = 0;
  let statements = 0;
  const exec = async (v2: ValidatedSpec, g: Group, w: StatementWindow, totals: boolean): Promise<Row[]> => {
    const { rows, ms } = await target.repo.run(v2, g, w, { totals });
    sqlMs += ms;
    statements++;
    return rows;
  };
  const grouped = spec.dimensions.length > 0 || spec.grain !== undefined;
  const keyOf = (r: Row): string => JSON.stringify([...spec.dimensions.map((d) => r[d] ?? null), spec.grain ? (r[PERIOD_KEY] ?? null) : null]);
  const merged = new Map<string, TableRow>();
  const totals: TableRow = {};
  const previousTotals: TableRow | null = previous ? {} : null;
  let capped = false;
  await Promise.all(
    v.groups.map(async (g) => {
      const [rows, prevRows, prevTot] = await Promise.all([
        grouped ? exec(v, g, current, false) : Promise.resolve<Row[]>([]),
        previous && grouped && !spec.grain ? exec(v, g, previous, false) : Promise.resolve<Row[]>([]),
        previous ? exec(v, g, previous, true) : Promise.resolve<Row[]>([]),
      ]);
      // Totals from the grouped rows' additive parts when every measure has them (one scan instead of two).
      const tot = (grouped && rows.length <= STATEMENT_ROW_CAP && totalsFromParts(g, rows)) || (await exec(v, g, current, true));
      if (rows.length > STATEMENT_ROW_CAP) capped = true;
      for (const r of rows.slice(0, STATEMENT_ROW_CAP)) {
        const k = keyOf(r);
        let out = merged.get(k);
        if (!out) {
          out = {};
          for (const d of spec.dimensions) out[d] = cell(r[d]);
          if (spec.grain) out[PERIOD_KEY] = cell(r[PERIOD_KEY]);
          merged.set(k, out);
        }
        for (const m of g.measures) out[m.name] = round(r[m.name]);
      }
      for (const m of g.measures) totals[m.name] = round(tot[0]?.[m.name]);
      if (previousTotals) for (const m of g.measures) previousTotals[m.name] = round(prevTot[0]?.[m.name]);
      for (const r of prevRows) {
        const out = merged.get(keyOf(r));
        if (out) for (const m of g.measures) out[`${m.name}_previous`] = round(r[m.name]);
      }
    }),
  );
  const rows = [...merged.values()];
  for (const r of rows) {
    for (const m of v.measures) {
      r[m.name] ??= null;
      if (previous && !spec.grain) {
        const p = (r[`${m.name}_previous`] ??= null) as number | null;
        const c = r[m.name] as number | null;
        r[`${m.name}_change`] = c === null || p === null ? null : round(c - p);
      }
    }
  }
  if (previousTotals) {
    for (const m of v.measures) {
      const c = totals[m.name] as number | null;
      const p = previousTotals[m.name] as number | null;
      totals[`${m.name}_change`] = c === null || p === null ? null : round(c - p);
    }
  }
  sortRows(rows, spec);
  const truncated = capped || rows.length > spec.limit;
  return {
    spec,
    range,
    previousRange: prevRange,
    referenceDate: target.referenceDay,
    columns: columnsOf(v, previous !== null),
    rows: rows.slice(0, spec.limit),
    totals,
    previousTotals,
    truncated,
    timing: { sqlMs: Math.round(sqlMs * 100) / 100, totalMs: Math.round((performance.now() - started) * 100) / 100, statements },
  };
}

/** Sums each measure's parts over the rows; null when a measure has no parts (then the totals need a statement). */
function totalsFromParts(g: Group, rows: Row[]): Row[] | null {
  const out: Row = {};
  for (const m of g.measures) {
    const nKey = `${PART_PREFIX}n_${m.name}`;
    const dKey = `${PART_PREFIX}d_${m.name}`;
    if (rows.length > 0 && !(nKey in rows[0]!)) return null;
    const sum = (k: string): number | null => rows.reduce<number | null>((acc, r) => (r[k] === null || r[k] === undefined ? acc : (acc ?? 0) + Number(r[k])), null);
    const n = sum(nKey);
    const hasDen = rows.length > 0 && dKey in rows[0]!;
    const isCount = 'agg' in m.value && m.value.agg.fn === 'count';
    if (rows.length === 0) {
      // Nothing matched: counts are 0, everything else has no value (as the database would say).
      out[m.name] = isCount ? 0 : null;
      continue;
    }
    if (!hasDen) out[m.name] = n;
    else {
      const d = sum(dKey);
      const scale = 'ratio' in m.value ? (m.value.scale ?? 1) : 1;
      out[m.name] = n === null || d === null || d === 0 ? null : (n / d) * scale;
    }
  }
  return [out];
}

/** The spec's sort, else time order for a series, else the first measure, largest first; ties by the dimension values. */
function sortRows(rows: TableRow[], spec: QuerySpec): void {
  const by = spec.sort?.by ?? (spec.grain ? PERIOD_KEY : spec.measures[0]!);
  const desc = spec.sort ? spec.sort.desc : !spec.grain;
  const cmp = (a: TableCell | undefined, b: TableCell | undefined): number => {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1; // nulls last either way
    if (b === null || b === undefined) return -1;
    const r = typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1;
    return desc ? -r : r;
  };
  const tie = [...spec.dimensions, ...(spec.grain ? [PERIOD_KEY] : [])];
  rows.sort((a, b) => {
    const c = cmp(a[by], b[by]);
    if (c !== 0) return c;
    for (const k of tie) {
      const x = String(a[k] ?? '\uffff');
      const y = String(b[k] ?? '\uffff');
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

function columnsOf(v: ValidatedSpec, compared: boolean): ResultColumn[] {
  const { spec } = v;
  const cols: ResultColumn[] = spec.dimensions.map((d) => ({ key: d, name: d, label: getDimension(d)?.label ?? d, type: 'text', role: 'dimension' }));
  if (spec.grain) cols.push({ key: PERIOD_KEY, name: PERIOD_KEY, label: `Period (${spec.grain})`, type: 'date', role: 'period' });
  for (const m of v.measures) {
    const format = { style: 'number' as const, ...m.format };
    cols.push({ key: m.name, name: m.name, label: m.label, type: 'number', format, role: 'measure' });
    if (compared && !spec.grain) {
      cols.push({ key: `${m.name}_previous`, name: m.name, label: `${m.label} (previous)`, type: 'number', format, role: 'previous' });
      cols.push({ key: `${m.name}_change`, name: m.name, label: `${m.label} change`, type: 'number', format, role: 'change' });
    }
  }
  return cols;
}
