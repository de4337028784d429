import type { Content, TableCell as PdfCell } from 'pdfmake/interfaces';
import { computeChange, DEFAULT_LOCALE, formatCell, formatValue } from '@shared/charts/format';
import type { KpiSpec, TableColumn, TableRow } from '@shared/charts/spec';
import type { ReportSection } from '@shared/reports/document';
import type { Severity } from '@shared/insights';

/**
 * Report sections as pdfmake content. Colours and sizes come from one small style sheet so the pages read as one
 * document: a clear type scale, numbers right-aligned in tabular columns, quiet rules instead of grid lines.
 */

export const INK = '#1f2328';
export const MUTED = '#5c636a';
export const RULE = '#d0d7de';
export const ACCENT = '#3b5bdb';
export const FAIL = '#c92a2a';
const ZEBRA = '#f6f8fa';
const GOOD = '#2b8a3e';
const BAD = '#c92a2a';
const FLAG_BG = '#fff3bf';

export const SEVERITY_COLOR: Record<Severity, string> = { critical: '#c92a2a', high: '#e8590c', medium: '#f08c00', low: '#1971c2', info: '#5c636a' };

export interface SectionContext {
  locale: string;
  /** Width of the text block in points. */
  contentWidth: number;
  /** SVG of each chart section, by section id (drawn beforehand, so cancellation can act between charts). */
  svgs: ReadonlyMap<string, { svg: string; height: number }>;
}

const heading = (title: string): Content => ({ text: title, style: 'h2', tocItem: true, headlineLevel: 1, margin: [0, 18, 0, 8] });

function kpiTile(tile: KpiSpec, locale: string): PdfCell {
  const change = computeChange(tile.value, tile.previous, tile.format, tile.betterWhen, tile.locale ?? locale);
  const color = change.tone === 'good' ? GOOD : change.tone === 'bad' ? BAD : MUTED;
  return {
    stack: [
      { text: tile.title, fontSize: 8.5, color: MUTED, margin: [0, 0, 0, 3] },
      { text: formatValue(tile.value, tile.format, tile.locale ?? locale), fontSize: 18, bold: true, color: INK },
      change.direction === 'none'
        ? { text: tile.previous === undefined ? ' ' : 'No previous figure', fontSize: 8, color: MUTED, margin: [0, 3, 0, 0] }
        : { text: [{ text: change.text, color, bold: true }, { text: ` ${tile.comparisonLabel ?? 'vs previous period'}`, color: MUTED }], fontSize: 8, margin: [0, 3, 0, 0] },
    ],
    fillColor: ZEBRA,
    margin: [8, 8, 8, 8],
  };
}

/** KPI tiles, three to a row; a row never splits across pages. */
export function kpiTiles(tiles: readonly KpiSpec[], locale: string): Content {
  const perRow = 3;
  const rows: PdfCell[][] = [];
  for (let i = 0; i < tiles.length; i += perRow) {
    const row: PdfCell[] = tiles.slice(i, i + perRow).map((t) => kpiTile(t, locale));
    while (row.length < perRow) row.push({ text: '' });
    rows.push(row);
  }
  return {
    table: { widths: Array(perRow).fill('*'), body: rows, dontBreakRows: true },
    layout: { hLineWidth: () => 4, vLineWidth: () => 4, hLineColor: () => '#ffffff', vLineColor: () => '#ffffff', paddingLeft: () => 0, paddingRight: () => 0, paddingTop: () => 0, paddingBottom: () => 0 },
  };
}

const isNumeric = (c: TableColumn): boolean => c.type === 'number';

/** Text columns this short (header and a sample of cells) take their natural width instead of sharing the rest. */
const SHORT_TEXT = 16;

function columnWidths(columns: readonly TableColumn[], rows: readonly TableRow[]): (string | number)[] {
  if (columns.some((c) => c.width !== undefined)) {
    const total = columns.reduce((s, c) => s + (c.width ?? 1), 0);
    return columns.map((c) => `${(((c.width ?? 1) / total) * 100).toFixed(2)}%`);
  }
  // Numbers, dates and short codes take what their content needs; longer text columns share the free width.
  const sample = rows.slice(0, 200);
  const widths = columns.map((c) => {
    if (c.type !== 'text') return 'auto';
    const longest = sample.reduce((m, r) => Math.max(m, String(r[c.key] ?? '').length), c.label.length);
    return longest <= SHORT_TEXT ? 'auto' : '*';
  });
  return widths.includes('*') ? widths : widths.map((w, i) => (columns[i]!.type === 'text' ? '*' : w));
}

function cellValue(row: TableRow, c: TableColumn, locale: string): string {
  const v = row[c.key];
  return formatCell(v === undefined ? null : v, c, locale);
}

/**
 * The most characters a cell may print so that no row grows taller than a page. pdfmake cannot place an unbreakable
 * row taller than the page (its text would be lost), so long text is shortened here, with an ellipsis and a note
 * under the table; CSV keeps every cell whole. Assumes the narrowest even split of the width and ~35 lines.
 */
export function cellCharLimit(columns: number, fontSize: number, contentWidth: number): number {
  const charsPerLine = Math.max(6, Math.floor(contentWidth / columns / (fontSize * 0.55)));
  return charsPerLine * 35;
}

/**
 * A data table. The header row repeats on every page (headerRows) and no row splits across a page (dontBreakRows);
 * the header keeps at least one row with it, so a table never starts with a lonely header at a page foot.
 */
export function dataTable(columns: readonly TableColumn[], rows: readonly TableRow[], totals: TableRow | undefined, locale: string, contentWidth: number): Content {
  const small = columns.length > 7;
  const fontSize = small ? 7.5 : 8.5;
  const limit = cellCharLimit(columns.length, fontSize, contentWidth);
  let shortened = 0;
  const fit = (text: string): string => {
    if (text.length <= limit) return text;
    shortened++;
    return `${text.slice(0, limit - 1)}…`;
  };
  const header: PdfCell[] = columns.map((c) => ({ text: c.label, bold: true, color: INK, alignment: isNumeric(c) ? 'right' : 'left', fillColor: '#eef1f4' }));
  const body: PdfCell[][] = [header];
  if (rows.length === 0) {
    body.push([{ text: 'No rows for these parameters.', italics: true, color: MUTED, colSpan: columns.length }, ...columns.slice(1).map(() => ({ text: '' }))]);
  }
  for (const row of rows) body.push(columns.map((c) => ({ text: fit(cellValue(row, c, locale)), alignment: isNumeric(c) ? 'right' : 'left' })));
  // A column without a total stays blank in the totals row (a dash would read as "no data").
  const totalCell = (c: TableColumn, i: number): string => (totals?.[c.key] === undefined ? (i === 0 ? 'Total' : '') : cellValue(totals, c, locale));
  if (totals) body.push(columns.map((c, i) => ({ text: totalCell(c, i), bold: true, alignment: isNumeric(c) ? 'right' : 'left' })));
  const last = body.length;
  const table: Content = {
    table: { headerRows: 1, keepWithHeaderRows: 1, dontBreakRows: true, widths: columnWidths(columns, rows), body },
    fontSize,
    layout: {
      hLineWidth: (i: number) => (i === 1 || (totals && i === last - 1) ? 0.8 : i === 0 || i === last ? 0 : 0.3),
      vLineWidth: () => 0,
      hLineColor: (i: number) => (i === 1 || (totals && i === last - 1) ? '#8c959f' : RULE),
      fillColor: (i: number) => (i > 0 && i % 2 === 0 && !(totals && i === last - 1) ? ZEBRA : null),
      paddingTop: () => 3.5,
      paddingBottom: () => 3.5,
      paddingLeft: () => 5,
      paddingRight: () => 5,
    },
  };
  if (shortened === 0) return table;
  return { stack: [table, { text: `${shortened} long cell${shortened === 1 ? ' was' : 's were'} shortened to fit the page (…); the CSV export has the full text.`, italics: true, color: MUTED, fontSize: 7.5, margin: [0, 4, 0, 0] }] };
}

function insights(section: Extract<ReportSection, { kind: 'insights' }>): Content {
  if (section.items.length === 0) return { text: section.emptyText ?? 'No insights match these parameters.', italics: true, color: MUTED };
  const body: PdfCell[][] = section.items.map((item) => [
    { text: '', fillColor: SEVERITY_COLOR[item.severity] },
    {
      stack: [
        {
          text: [
            { text: `${item.severity.toUpperCase()}  `, color: SEVERITY_COLOR[item.severity], bold: true, fontSize: 7.5 },
            { text: item.title, bold: true },
          ],
        },
        ...(item.summary ? [{ text: item.summary, color: INK, margin: [0, 2, 0, 0] as [number, number, number, number] }] : []),
        {
          text: [`Status: ${item.status}`, item.record ? `  ·  ${item.record.type} #${item.record.id}${item.record.label ? ` — ${item.record.label}` : ''}` : ''].join(''),
          color: MUTED,
          fontSize: 7.5,
          margin: [0, 2, 0, 0],
        },
      ],
    },
  ]);
  return {
    table: { widths: [3, '*'], body, dontBreakRows: true },
    fontSize: 9,
    layout: { hLineWidth: () => 0, vLineWidth: () => 0, paddingLeft: (i: number) => (i === 0 ? 0 : 8), paddingRight: () => 0, paddingTop: () => 5, paddingBottom: () => 5 },
  };
}

/** Narrative text; a flagged number is highlighted and footnoted with why it was flagged, never printed as fact. */
function narrative(section: Extract<ReportSection, { kind: 'narrative' }>): Content[] {
  const notes: string[] = [];
  const paragraphs: Content[] = section.paragraphs.map((p) => ({
    text: p.runs.flatMap((r) => {
      if (!r.flag) return [{ text: r.text }];
      notes.push(`“${r.text}”: ${r.flag.reason}`);
      return [
        { text: r.text, background: FLAG_BG, color: '#862e9c', decoration: 'underline' as const, decorationStyle: 'dashed' as const },
        { text: ` [unverified ${notes.length}]`, color: FAIL, fontSize: 7, bold: true },
      ];
    }),
    margin: [0, 0, 0, 6],
    lineHeight: 1.3,
  }));
  const out: Content[] = [...paragraphs];
  if (section.attribution) out.push({ text: section.attribution, italics: true, color: MUTED, fontSize: 8 });
  if (notes.length > 0) {
    out.push({
      stack: [
        { text: `${notes.length} number${notes.length === 1 ? '' : 's'} in this text could not be found in the report's figures:`, bold: true, color: FAIL, fontSize: 8 },
        { ol: notes, fontSize: 8, color: INK, margin: [0, 2, 0, 0] },
      ],
      margin: [0, 6, 0, 0],
    });
  }
  return out;
}

/** A failed section is printed as a failure, with its reason, so it is never mistaken for an empty result. */
function failed(section: Extract<ReportSection, { kind: 'failed' }>): Content {
  return {
    table: {
      widths: ['*'],
      body: [[{ stack: [{ text: 'This section could not be produced', bold: true, color: FAIL }, { text: section.reason, color: INK, margin: [0, 2, 0, 0] }] }]],
    },
    layout: { hLineColor: () => FAIL, vLineColor: () => FAIL, hLineWidth: () => 1, vLineWidth: () => 1, paddingLeft: () => 8, paddingRight: () => 8, paddingTop: () => 6, paddingBottom: () => 6 },
  };
}

export function sectionContent(section: ReportSection, ctx: SectionContext): Content[] {
  const locale = ctx.locale ?? DEFAULT_LOCALE;
  const caption = (text: string | undefined): Content[] => (text ? [{ text, italics: true, color: MUTED, fontSize: 8, margin: [0, 4, 0, 0] }] : []);
  switch (section.kind) {
    case 'kpis':
      return [{ stack: [heading(section.title), kpiTiles(section.tiles, locale)], unbreakable: true }];
    case 'chart': {
      const chart = section.chart;
      if (chart.kind === 'kpi') return [{ stack: [heading(section.title), kpiTiles([chart], locale), ...caption(section.caption)], unbreakable: true }];
      if (chart.kind === 'table') return [heading(section.title), dataTable(chart.table.columns, chart.table.rows, chart.table.totals, chart.locale ?? locale, ctx.contentWidth), ...caption(section.caption)];
      const drawn = ctx.svgs.get(section.id);
      if (!drawn) throw new Error(`No SVG was drawn for chart section ${section.id}`);
      return [{ stack: [heading(section.title), { svg: drawn.svg, width: ctx.contentWidth }, ...caption(section.caption)], unbreakable: true }];
    }
    case 'table':
      return [heading(section.title), dataTable(section.columns, section.rows, section.totals, locale, ctx.contentWidth), ...caption(section.caption)];
    case 'insights':
      return [heading(section.title), insights(section)];
    case 'narrative':
      return [heading(section.title), ...narrative(section)];
    case 'notes':
      // pdfmake rewrites list items in place: hand it a copy, never the document's own array.
      return [heading(section.title), { ul: [...section.items], color: INK, lineHeight: 1.25 }];
    case 'failed':
      return [{ stack: [heading(section.title), failed(section)], unbreakable: true }];
  }
}
