import { z } from 'zod';
import { chartSpec, kpiSpec, tableColumn, tableRow } from '../charts/spec';
import { insightStatus, severity } from '../insights';

/**
 * A report document: computed figures ready to print. It is what report templates produce (from query results,
 * insights and a checked narrative) and what the renderers (PDF, HTML preview, CSV) consume; it holds no queries
 * and needs no database. Everything in it is data from records or a model, so the renderers escape every string.
 */

const text = (max: number) => z.string().trim().min(1).max(max);
const sectionId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'Section ids are lower-case letters, digits, - and _ (they name CSV files).');

const base = { id: sectionId, title: text(200) };

export const kpiSection = z.object({ kind: z.literal('kpis'), ...base, tiles: z.array(kpiSpec).min(1).max(12) });

export const chartSection = z.object({
  kind: z.literal('chart'),
  ...base,
  chart: chartSpec,
  caption: z.string().max(1000).optional(),
});

export const tableSection = z
  .object({
    kind: z.literal('table'),
    ...base,
    columns: z.array(tableColumn).min(1).max(40),
    rows: z.array(tableRow).max(50_000),
    totals: tableRow.optional(),
    caption: z.string().max(1000).optional(),
  })
  .superRefine((t, ctx) => {
    const keys = new Set<string>();
    for (const c of t.columns) {
      if (keys.has(c.key)) ctx.addIssue({ code: 'custom', message: `Column key "${c.key}" is used twice.`, path: ['columns'] });
      keys.add(c.key);
    }
  });

/** A record an insight points at; shown as "deal #42 — Acme renewal". */
export const recordRef = z.object({ type: z.string().min(1).max(64), id: z.union([z.number().int(), z.string().max(128)]), label: z.string().max(300).optional() });

export const insightItem = z.object({
  severity,
  title: text(300),
  summary: z.string().max(4000),
  status: insightStatus,
  record: recordRef.optional(),
});

export const insightSection = z.object({
  kind: z.literal('insights'),
  ...base,
  items: z.array(insightItem).max(500),
  /** Shown when there are no items, so an empty list reads as a finding ("No new critical insights"). */
  emptyText: z.string().max(300).optional(),
});

/**
 * Narrative text as runs. A run with `flag` holds a number the figures do not contain: renderers mark it, with the
 * reason, instead of printing it as if it were checked.
 */
export const narrativeRun = z.object({ text: z.string().min(1).max(4000), flag: z.object({ reason: text(300) }).optional() });
export const narrativeSection = z.object({
  kind: z.literal('narrative'),
  ...base,
  paragraphs: z.array(z.object({ runs: z.array(narrativeRun).min(1).max(200) })).min(1).max(60),
  /** Who wrote it (e.g. the model that phrased it), printed under the text. */
  attribution: z.string().max(200).optional(),
});

export const notesSection = z.object({ kind: z.literal('notes'), ...base, items: z.array(z.string().min(1).max(2000)).min(1).max(100) });

/** A section that could not be computed. Its presence makes the whole report a failed report. */
export const failedSection = z.object({
  kind: z.literal('failed'),
  ...base,
  /** The kind the section would have been. */
  intended: z.enum(['kpis', 'chart', 'table', 'insights', 'narrative', 'notes']).optional(),
  reason: text(1000),
});

export const reportSection = z.discriminatedUnion('kind', [kpiSection, chartSection, tableSection, insightSection, narrativeSection, notesSection, failedSection]);
export type ReportSection = z.infer<typeof reportSection>;
export type ReportSectionKind = ReportSection['kind'];

export const reportParameter = z.object({ label: text(80), value: z.string().max(400) });

export const reportDocument = z
  .object({
    title: text(200),
    subtitle: z.string().max(300).optional(),
    /** Shown as "Prepared for"/organisation line on the cover. */
    organisation: z.string().max(200).optional(),
    parameters: z.array(reportParameter).max(40).default([]),
    generatedAt: z.string().datetime({ offset: true }),
    /** IANA zone in which times are printed (default UTC). */
    timeZone: z.string().max(64).optional(),
    locale: z.string().max(35).optional(),
    /** Identifies the data the figures came from (a hash), printed on the cover and in the footer. */
    dataFingerprint: z.string().min(1).max(128),
    /** auto: a table of contents when the report has more than four sections or a long table. */
    toc: z.enum(['auto', 'always', 'never']).default('auto'),
    sections: z.array(reportSection).min(1).max(200),
  })
  .superRefine((d, ctx) => {
    const ids = new Set<string>();
    d.sections.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', message: `Section id "${s.id}" is used twice.`, path: ['sections', i, 'id'] });
      ids.add(s.id);
    });
  });

export type ReportDocument = z.infer<typeof reportDocument>;
export type ReportDocumentInput = z.input<typeof reportDocument>;

export interface ReportStatus {
  status: 'ok' | 'failed';
  /** One line per failed section: "Pipeline by stage: the query timed out". */
  failures: { sectionId: string; title: string; reason: string }[];
  /** Narrative numbers the figures do not contain. */
  flaggedNumbers: number;
}

/** Whether a document is a complete report. A failed section fails the report; it is never printed as empty. */
export function reportStatus(doc: ReportDocument): ReportStatus {
  const failures = doc.sections.flatMap((s) => (s.kind === 'failed' ? [{ sectionId: s.id, title: s.title, reason: s.reason }] : []));
  const flaggedNumbers = doc.sections.reduce((n, s) => n + (s.kind === 'narrative' ? s.paragraphs.reduce((m, p) => m + p.runs.filter((r) => r.flag).length, 0) : 0), 0);
  return { status: failures.length > 0 ? 'failed' : 'ok', failures, flaggedNumbers };
}

/** Long enough to need a table of contents. */
export function wantsToc(doc: ReportDocument): boolean {
  if (doc.toc !== 'auto') return doc.toc === 'always';
  return doc.sections.length > 4 || doc.sections.some((s) => s.kind === 'table' && s.rows.length > 40);
}

export type TableSection = z.infer<typeof tableSection>;

/** Every table in a document (table sections and table charts), in order: what CSV export writes, one file each. */
export function tablesOf(doc: ReportDocument): { id: string; title: string; columns: TableSection['columns']; rows: TableSection['rows']; totals?: TableSection['totals'] }[] {
  return doc.sections.flatMap((s) => {
    if (s.kind === 'table') return [{ id: s.id, title: s.title, columns: s.columns, rows: s.rows, totals: s.totals }];
    if (s.kind === 'chart' && s.chart.kind === 'table') return [{ id: s.id, title: s.title, columns: s.chart.table.columns, rows: s.chart.table.rows, totals: s.chart.table.totals }];
    return [];
  });
}
