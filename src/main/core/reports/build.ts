import { createHash } from 'node:crypto';
import type { ChartSpecInput, KpiSpec } from '@shared/charts/spec';
import { formatPeriod } from '@shared/charts/format';
import { AppError } from '@shared/errors';
import type { ReportDocumentInput } from '@shared/reports/document';
import { REPORT_DIMENSIONS, reportMeasure, type ReportMeasure } from '@shared/reports/measures';
import { type ReportParams, type ReportQuery, type ReportTemplate, type TemplateSection } from '@shared/reports/templates';
import type { FigureRow, FigureScope } from '../repositories';
import type { FigureSource } from './figureSource';
import { checkNarrative, periodNumbers, type Figure } from './narrative';

/**
 * (template, parameters) → a report document of computed figures (ADR 0084). Each section is computed on its own;
 * a section that cannot be computed becomes a `failed` section with the reason (which fails the whole report,
 * ADR 0080) — never an empty one. The narrative is written last, from the figures of the other sections only.
 */

export interface ResolvedRange {
  from: string;
  to: string;
  /** The same number of days just before, for the previous-period comparison. */
  previousFrom: string;
  previousTo: string;
  days: number;
}

const DAY_MS = 86_400_000;
const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

export function resolveRange(template: ReportTemplate, params: ReportParams, now: Date): ResolvedRange {
  const today = now.toISOString().slice(0, 10);
  const n = template.defaultRange.days;
  let from = params.from;
  let to = params.to;
  if (!from && !to) {
    if (template.defaultRange.direction === 'past') {
      to = today;
      from = addDays(today, -(n - 1));
    } else {
      from = today;
      to = addDays(today, n - 1);
    }
  } else if (!from) from = addDays(to!, -(n - 1));
  else if (!to) to = addDays(from, n - 1);
  const days = daysBetween(from!, to!);
  if (days > 3660) throw new AppError('validation', 'The date range is longer than ten years; choose a shorter range.');
  return { from: from!, to: to!, days, previousFrom: addDays(from!, -days), previousTo: addDays(from!, -1) };
}

/** What the narrative step needs: a writer that returns the model's text, or null when no model can serve it. */
export type NarrativeWriter = (input: { title: string; period: string; focus: string; figures: Figure[]; signal?: AbortSignal | undefined }) => Promise<{ text: string; attribution: string } | null>;

export interface BuildInput {
  template: ReportTemplate;
  params: ReportParams;
  workspace: string;
  now: Date;
  /** Where figures come from: the metrics layer where it defines a query, the reports' compiler otherwise. */
  figures: FigureSource;
  narrative?: NarrativeWriter | undefined;
  /** KPI values of the previous successful run (templates that compare with the previous run). */
  previousRun?: { values: Record<string, number | null>; startedAt: string } | undefined;
  signal?: AbortSignal | undefined;
}

export interface BuildResult {
  document: ReportDocumentInput;
  /** KPI values by measure key, stored with the run (the next run of a forecast compares with them). */
  kpiValues: Record<string, number | null>;
  fingerprint: string;
  range: ResolvedRange;
}

type Section = ReportDocumentInput['sections'][number];

const dimensionLabel = (m: ReportMeasure, dim: string): string => {
  if (dim.startsWith('time:')) return { day: 'Day', week: 'Week', month: 'Month', quarter: 'Quarter' }[dim.slice(5)] ?? 'Period';
  return REPORT_DIMENSIONS[m.entity].find((d) => d.key === dim)?.label ?? dim;
};

const NONE = '(none)';

/** Every period start of a grain between two days (inclusive), so a time chart has a point for quiet periods too. */
export function periodStarts(from: string, to: string, grain: 'day' | 'week' | 'month' | 'quarter'): string[] {
  const start = new Date(`${from}T00:00:00Z`);
  if (grain === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  if (grain === 'month' || grain === 'quarter') start.setUTCDate(1);
  if (grain === 'quarter') start.setUTCMonth(start.getUTCMonth() - (start.getUTCMonth() % 3));
  const out: string[] = [];
  const d = new Date(start);
  while (d.toISOString().slice(0, 10) <= to && out.length < 1000) {
    out.push(d.toISOString().slice(0, 10));
    if (grain === 'day') d.setUTCDate(d.getUTCDate() + 1);
    else if (grain === 'week') d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + (grain === 'month' ? 1 : 3));
  }
  return out;
}

function measuresOf(keys: readonly string[]): ReportMeasure[] {
  return keys.map((k) => {
    const m = reportMeasure(k);
    if (!m) throw new AppError('validation', `Unknown measure "${k}".`);
    return m;
  });
}

function sortRows(rows: FigureRow[], q: ReportQuery): FigureRow[] {
  const first = q.measures[0]!;
  const v = (r: FigureRow): number => r.values[first] ?? Number.NEGATIVE_INFINITY;
  const sorted = [...rows];
  if (q.sort === 'dimension') sorted.sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
  else sorted.sort((a, b) => (q.sort === 'value_desc' ? v(b) - v(a) : v(a) - v(b)) || (a.key ?? '').localeCompare(b.key ?? ''));
  return sorted.slice(0, q.limit);
}

/** Rows for a query: time dimensions get every period of the range (zeros for counts and sums, gaps for averages). */
async function queryRows(repo: FigureSource, q: ReportQuery, scope: FigureScope): Promise<{ rows: FigureRow[]; measures: ReportMeasure[]; grain: 'day' | 'week' | 'month' | 'quarter' | null }> {
  const measures = measuresOf(q.measures);
  const raw = await repo.figures(q.measures, q.dimension, scope);
  if (!q.dimension.startsWith('time:')) return { rows: sortRows(raw, q), measures, grain: null };
  const grain = q.dimension.slice(5) as 'day' | 'week' | 'month' | 'quarter';
  const byKey = new Map(raw.map((r) => [r.key, r]));
  const isAvg = (m: ReportMeasure): boolean => m.format.style === 'percent' || m.format.style === 'duration' || m.key.startsWith('avg_') || m.key === 'csat';
  const rows = periodStarts(scope.from, scope.to, grain).map((p) => byKey.get(p) ?? { key: p, values: Object.fromEntries(measures.map((m) => [m.key, isAvg(m) ? null : 0])) });
  return { rows: rows.slice(0, q.limit), measures, grain };
}

function chartFor(def: Extract<TemplateSection, { kind: 'chart' }>, rows: FigureRow[], measures: ReportMeasure[], grain: 'day' | 'week' | 'month' | 'quarter' | null): ChartSpecInput | null {
  if (rows.length === 0) return null;
  const format = measures[0]!.format;
  if (def.chart === 'pie') {
    const slices = rows.filter((r) => (r.values[measures[0]!.key] ?? 0) > 0).slice(0, 12);
    if (slices.length === 0) return null;
    return { kind: 'pie', title: def.title, format, slices: slices.map((r) => ({ label: r.key ?? NONE, value: r.values[measures[0]!.key] ?? 0 })) };
  }
  const axis = grain ? { type: 'time' as const, grain, points: rows.map((r) => r.key!) } : { type: 'category' as const, categories: rows.map((r) => r.key ?? NONE), label: dimensionLabel(measures[0]!, def.query.dimension) };
  return {
    kind: def.chart,
    title: def.title,
    format,
    axis,
    ...(def.horizontal ? { horizontal: true } : {}),
    series: measures.map((m) => ({ name: m.label, format: m.format, data: rows.map((r) => r.values[m.key] ?? null) })),
  };
}

/** Why a section failed, for the report: an AppError's own message, or what the database said. */
function failureReason(error: unknown): string {
  const text = error instanceof AppError ? error.message : `The figures could not be read (${error instanceof Error ? error.message : String(error)}).`;
  return text.slice(0, 1000);
}

export function fingerprintOf(value: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 24)}`;
}

/** Figures a chart or table contributes to the narrative: the first rows of each measure, labelled. */
function rowFigures(title: string, rows: FigureRow[], measures: ReportMeasure[], grain: string | null): Figure[] {
  return rows.slice(0, 12).flatMap((r) =>
    measures.flatMap((m) => {
      const v = r.values[m.key];
      if (v === null || v === undefined) return [];
      const key = grain && r.key ? formatPeriod(r.key, grain as 'day') : (r.key ?? NONE);
      return [{ label: `${title} — ${m.label} — ${key}`, value: v, format: m.format }];
    }),
  );
}

export async function buildReport(input: BuildInput): Promise<BuildResult> {
  const { template, params, now } = input;
  const range = resolveRange(template, params, now);
  const scope: FigureScope = { from: range.from, to: range.to, owner: params.owner, team: params.team, pipeline: params.pipeline, now: now.toISOString() };
  const previousScope: FigureScope = { ...scope, from: range.previousFrom, to: range.previousTo };
  const compare = params.compare === 'previous_period' && template.compareWith === 'previous_period';
  const compareRun = params.compare !== 'none' && template.compareWith === 'previous_run' ? input.previousRun : undefined;
  const figures: Figure[] = [];
  const kpiValues: Record<string, number | null> = {};
  const fingerprintParts: unknown[] = [];
  const sections: Section[] = [];
  let narrativeAt = -1;

  const checkCancelled = (): void => {
    if (input.signal?.aborted) throw new AppError('cancelled', 'The report was cancelled.');
  };

  for (const def of template.sections) {
    checkCancelled();
    if (def.kind === 'narrative') {
      narrativeAt = sections.length;
      sections.push({ kind: 'notes', id: def.id, title: def.title, items: ['(narrative pending)'] });
      continue;
    }
    try {
      sections.push(await computeSection(def));
    } catch (error) {
      if (AppError.is(error, 'cancelled')) throw error;
      sections.push({ kind: 'failed', id: def.id, title: def.title, intended: def.kind, reason: failureReason(error) });
    }
  }

  async function computeSection(def: Exclude<TemplateSection, { kind: 'narrative' }>): Promise<Section> {
    switch (def.kind) {
      case 'kpis': {
        const measures = measuresOf(def.measures);
        const byEntity = new Map<string, ReportMeasure[]>();
        for (const m of measures) byEntity.set(m.entity, [...(byEntity.get(m.entity) ?? []), m]);
        const current = new Map<string, number | null>();
        const previous = new Map<string, number | null>();
        for (const ms of byEntity.values()) {
          const [now1] = await input.figures.figures(ms.map((m) => m.key), null, scope);
          for (const m of ms) current.set(m.key, now1?.values[m.key] ?? null);
          const timed = ms.filter((m) => m.time !== null);
          if (compare && timed.length) {
            const [prev] = await input.figures.figures(timed.map((m) => m.key), null, previousScope);
            for (const m of timed) previous.set(m.key, prev?.values[m.key] ?? null);
          }
        }
        const tiles: KpiSpec[] = measures.map((m) => {
          const value = current.get(m.key) ?? null;
          kpiValues[m.key] = value;
          const prev = compareRun ? (compareRun.values[m.key] ?? null) : previous.has(m.key) ? (previous.get(m.key) ?? null) : undefined;
          if (value !== null) figures.push({ label: m.label, value, format: m.format, previous: prev });
          return {
            kind: 'kpi',
            title: m.label,
            value,
            format: m.format,
            betterWhen: m.betterWhen,
            ...(prev !== undefined ? { previous: prev, comparisonLabel: compareRun ? `vs forecast of ${compareRun.startedAt.slice(0, 10)}` : 'vs previous period' } : {}),
          } as KpiSpec;
        });
        fingerprintParts.push([def.id, [...current], [...previous]]);
        return { kind: 'kpis', id: def.id, title: def.title, tiles };
      }
      case 'chart': {
        const { rows, measures, grain } = await queryRows(input.figures, def.query, scope);
        fingerprintParts.push([def.id, rows]);
        figures.push(...rowFigures(def.title, rows, measures, grain));
        const chart = chartFor(def, rows, measures, grain);
        if (!chart) return { kind: 'notes', id: def.id, title: def.title, items: ['No data for these parameters.'] };
        return { kind: 'chart', id: def.id, title: def.title, chart, ...(def.caption ? { caption: def.caption } : {}) };
      }
      case 'table': {
        const { rows, measures, grain } = await queryRows(input.figures, def.query, scope);
        const [totals] = await input.figures.figures(def.query.measures, null, scope);
        fingerprintParts.push([def.id, rows, totals]);
        figures.push(...rowFigures(def.title, rows, measures, grain));
        const dimKey = 'dimension';
        const columns: Extract<Section, { kind: 'table' }>['columns'] = [
          { key: dimKey, label: dimensionLabel(measures[0]!, def.query.dimension), type: grain ? 'date' : 'text' },
          ...measures.map((m) => ({ key: m.key, label: m.label, type: 'number' as const, format: m.format })),
        ];
        const tableRows = rows.map((r) => ({ [dimKey]: r.key ?? NONE, ...Object.fromEntries(measures.map((m) => [m.key, r.values[m.key] ?? null])) }));
        const totalRow = totals ? { [dimKey]: 'Total', ...Object.fromEntries(measures.map((m) => [m.key, totals.values[m.key] ?? null])) } : undefined;
        return { kind: 'table', id: def.id, title: def.title, columns, rows: tableRows, ...(totalRow && rows.length ? { totals: totalRow } : {}), ...(def.caption ? { caption: def.caption } : {}) };
      }
      case 'insights': {
        const items = await input.figures.insights({ from: range.from, to: range.to, severities: def.severities, window: def.window, statuses: def.statuses, domains: def.domains, limit: def.limit });
        fingerprintParts.push([def.id, items.map((i) => [i.id, i.status])]);
        figures.push({ label: `${def.title} — count`, value: items.length });
        return {
          kind: 'insights',
          id: def.id,
          title: def.title,
          emptyText: def.emptyText,
          items: items.map((i) => ({
            severity: i.severity ?? 'info',
            title: i.title.trim() || '(untitled insight)',
            summary: i.summary.slice(0, 4000),
            status: i.status,
            ...(i.entityType && i.entityId !== null ? { record: { type: i.entityType, id: i.entityId, ...(i.entityTitle ? { label: i.entityTitle.slice(0, 300) } : {}) } } : {}),
          })),
        };
      }
    }
  }

  const period = `${range.from} – ${range.to}`;
  if (narrativeAt >= 0) {
    const def = template.sections.find((s) => s.kind === 'narrative')!;
    checkCancelled();
    let section: Section;
    if (!input.narrative) section = { kind: 'notes', id: def.id, title: def.title, items: ['No narrative: this report was generated without a model.'] };
    else if (sections.some((s) => s.kind === 'failed')) section = { kind: 'notes', id: def.id, title: def.title, items: ['No narrative: a section of this report could not be computed, so there are no complete figures to write about.'] };
    else {
      try {
        const written = await input.narrative({ title: template.name, period, focus: def.focus, figures, signal: input.signal });
        if (!written) section = { kind: 'notes', id: def.id, title: def.title, items: ['No narrative: no model is configured for report narratives (Configuration → Providers, policy "report.narrative").'] };
        else {
          const checked = checkNarrative(written.text, figures, periodNumbers(range.from, range.to));
          section = checked.paragraphs.length
            ? { kind: 'narrative', id: def.id, title: def.title, paragraphs: checked.paragraphs, attribution: written.attribution }
            : { kind: 'failed', id: def.id, title: def.title, intended: 'narrative', reason: 'The model returned an empty narrative.' };
        }
      } catch (error) {
        if (AppError.is(error, 'cancelled')) throw error;
        section = { kind: 'failed', id: def.id, title: def.title, intended: 'narrative', reason: `The narrative could not be written: ${AppError.wrap(error).message}`.slice(0, 1000) };
      }
    }
    sections[narrativeAt] = section;
  }

  const p: { label: string; value: string }[] = [
    { label: 'Template', value: template.name },
    { label: 'Period', value: period },
    { label: 'Compared with', value: params.compare === 'none' ? 'Nothing' : template.compareWith === 'previous_run' ? (input.previousRun ? `Forecast of ${input.previousRun.startedAt.slice(0, 10)}` : 'No previous forecast yet') : `${range.previousFrom} – ${range.previousTo}` },
  ];
  if (params.owner) p.push({ label: 'Owner', value: params.owner });
  if (params.team) p.push({ label: 'Team', value: params.team });
  if (params.pipeline) p.push({ label: 'Pipeline', value: params.pipeline });
  const fingerprint = fingerprintOf({ template: template.key, range, params, parts: fingerprintParts });
  return {
    document: {
      title: template.name,
      subtitle: period,
      organisation: input.workspace,
      parameters: p,
      generatedAt: now.toISOString(),
      dataFingerprint: fingerprint,
      sections,
    },
    kpiValues,
    fingerprint,
    range,
  };
}
