import { PERIOD_KEY, querySpec, type QuerySpec, type QuerySpecInput, type ResolvedRange } from '@shared/analytics/spec';
import { AppError } from '@shared/errors';
import { DIMENSIONS, getMeasure, getSource, MEASURES, measureDimensions } from './catalog';
import type { ColumnRef, MeasureDef, SourceDef } from './catalogTypes';
import { nearestFirst } from './suggest';

/**
 * Query spec → checked plan: every name resolved against the catalog (unknown or unsupported names refused with the
 * valid ones, nearest first), measures grouped by source and time column (one SQL statement per group, compiled by
 * repositories/analytics/compileSql.ts).
 */

export interface Group {
  source: SourceDef;
  time: ColumnRef;
  measures: MeasureDef[];
}

export interface ValidatedSpec {
  spec: QuerySpec;
  measures: MeasureDef[];
  groups: Group[];
}

const LIST_IN_MESSAGE = 8;
function refuse(kind: string, message: string, name: string, valid: readonly string[], path: (string | number)[]): never {
  const ordered = nearestFirst(name, valid);
  const shown = ordered.slice(0, LIST_IN_MESSAGE).join(', ') + (ordered.length > LIST_IN_MESSAGE ? `, … (${ordered.length} in all)` : '');
  throw new AppError('validation', `${message} Valid names, nearest first: ${shown || 'none'}.`, { reason: kind, name, valid: ordered, path: path.map(String) });
}

/** Parses the spec and checks it against the catalog: names, the dimensions each measure supports, filter fields, sort. */
export function validateSpec(input: QuerySpecInput | QuerySpec): ValidatedSpec {
  const parsed = querySpec.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('validation', `The query spec is not valid: ${issue.path.join('.') || 'spec'}: ${issue.message}`, {
      reason: 'bad_spec',
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  const spec = parsed.data;
  const measures: MeasureDef[] = [];
  spec.measures.forEach((name, i) => {
    const m = getMeasure(name);
    if (!m)
      refuse(
        'unknown_measure',
        `Unknown measure "${name}".`,
        name,
        MEASURES.map((x) => x.name),
        ['measures', i],
      );
    if (!measures.includes(m)) measures.push(m);
  });
  const supportedByAll = (dim: string): MeasureDef | undefined => measures.find((m) => !measureDimensions(m).includes(dim));
  const commonDims = (): string[] => DIMENSIONS.map((d) => d.name).filter((d) => !supportedByAll(d));
  const known = new Set(DIMENSIONS.map((d) => d.name));
  const checkDim = (dim: string, what: string, path: (string | number)[]): void => {
    if (!known.has(dim))
      refuse(
        'unknown_dimension',
        `Unknown dimension "${dim}" ${what}.`,
        dim,
        DIMENSIONS.map((d) => d.name),
        path,
      );
    const without = supportedByAll(dim);
    if (without) refuse('unsupported_dimension', `The measure "${without.name}" cannot be broken down by "${dim}" ${what}.`, dim, commonDims(), path);
  };
  spec.dimensions.forEach((d, i) => checkDim(d, '(in dimensions)', ['dimensions', i]));
  if (new Set(spec.dimensions).size !== spec.dimensions.length) throw new AppError('validation', 'A dimension is listed twice.', { reason: 'bad_spec', path: ['dimensions'] });
  spec.filters.forEach((f, i) => {
    checkDim(f.field, '(in a filter)', ['filters', i, 'field']);
    if (['gt', 'gte', 'lt', 'lte'].includes(f.op) && f.values.some((v) => typeof v === 'string' && v.trim() === '')) {
      throw new AppError('validation', `The filter on "${f.field}" compares with an empty value.`, { reason: 'bad_filter', path: ['filters', String(i)] });
    }
  });
  if (spec.sort) {
    const sortable = [...spec.measures, ...spec.dimensions, ...(spec.grain ? [PERIOD_KEY] : [])];
    if (!sortable.includes(spec.sort.by)) refuse('bad_sort', `Cannot sort by "${spec.sort.by}": sort by a measure, a dimension of the query, or "period".`, spec.sort.by, sortable, ['sort', 'by']);
  }
  if (spec.compare && 'preset' in spec.timeRange && spec.timeRange.preset === 'all_time') {
    throw new AppError('validation', 'Comparing with the previous period needs a time range (all time has no previous period).', { reason: 'bad_spec', path: ['compare'] });
  }
  const groups: Group[] = [];
  for (const m of measures) {
    const g = groups.find((x) => x.source.key === m.source && x.time === m.time);
    if (g) g.measures.push(m);
    else groups.push({ source: getSource(m.source)!, time: m.time, measures: [m] });
  }
  return { spec, measures, groups };
}

/** Where a statement runs: the resolved range and the reference day relative conditions use. */
export interface StatementWindow {
  range: ResolvedRange | null;
  referenceDay: string;
}
