import type { Content, ContextPageSize, TDocumentDefinitions } from 'pdfmake/interfaces';
import { DEFAULT_LOCALE, formatDateTime } from '@shared/charts/format';
import { reportStatus, wantsToc, type ReportDocument } from '@shared/reports/document';
import { ACCENT, FAIL, INK, MUTED, RULE, sectionContent } from './pdfSections';

/** A4 portrait, in points. */
export const PAGE = { width: 595.28, height: 841.89, margins: [50, 64, 50, 60] as [number, number, number, number] };
export const CONTENT_WIDTH = PAGE.width - PAGE.margins[0] - PAGE.margins[2];
/** Tables wider than this many columns get landscape pages: 40 columns on a portrait page are unreadable. */
export const LANDSCAPE_COLUMNS = 8;
const LANDSCAPE_CONTENT_WIDTH = PAGE.height - PAGE.margins[0] - PAGE.margins[2];

const isWide = (s: ReportDocument['sections'][number]): boolean =>
  (s.kind === 'table' && s.columns.length > LANDSCAPE_COLUMNS) || (s.kind === 'chart' && s.chart.kind === 'table' && s.chart.table.columns.length > LANDSCAPE_COLUMNS);

export interface LayoutHooks {
  /** Called for every page the layout places a header/footer on; also where a cancel is noticed mid-layout. */
  onPage?(page: number, pageCount: number): void;
}

/** The footer shows the start of the hash (after any "sha256:" prefix); the cover shows it whole. */
const shortFingerprint = (f: string): string => {
  const hash = f.includes(':') ? f.slice(f.lastIndexOf(':') + 1) : f;
  return hash.length > 12 ? hash.slice(0, 12) : hash;
};

function cover(doc: ReportDocument, generated: string): Content[] {
  const status = reportStatus(doc);
  const out: Content[] = [
    { canvas: [{ type: 'rect', x: 0, y: 0, w: 56, h: 4, color: status.status === 'failed' ? FAIL : ACCENT }], margin: [0, 90, 0, 18] },
    { text: doc.title, style: 'title' },
  ];
  if (doc.subtitle) out.push({ text: doc.subtitle, style: 'subtitle' });
  if (doc.organisation) out.push({ text: doc.organisation, color: MUTED, margin: [0, 6, 0, 0] });
  if (status.status === 'failed') {
    out.push({
      table: {
        widths: ['*'],
        body: [
          [
            {
              stack: [
                { text: 'REPORT FAILED', bold: true, color: FAIL, fontSize: 12 },
                { text: `${status.failures.length} of ${doc.sections.length} sections could not be produced. Do not use this report's figures as complete.`, margin: [0, 3, 0, 4] },
                { ul: status.failures.map((f) => `${f.title}: ${f.reason}`), fontSize: 9 },
              ],
            },
          ],
        ],
      },
      layout: { hLineColor: () => FAIL, vLineColor: () => FAIL, hLineWidth: () => 1.2, vLineWidth: () => 1.2, paddingLeft: () => 10, paddingRight: () => 10, paddingTop: () => 8, paddingBottom: () => 8 },
      margin: [0, 24, 0, 0],
    });
  }
  const rows: Content[][] = [
    ...doc.parameters.map((p) => [
      { text: p.label, color: MUTED },
      { text: p.value || '–', color: INK },
    ]),
    [{ text: 'Generated', color: MUTED }, { text: generated, color: INK }],
    [{ text: 'Data fingerprint', color: MUTED }, { text: doc.dataFingerprint, color: INK, font: 'Roboto' }],
  ];
  out.push({ text: 'Parameters', style: 'coverLabel', margin: [0, 40, 0, 6] });
  out.push({
    table: { widths: [130, '*'], body: rows },
    layout: { hLineWidth: (i: number) => (i === 0 ? 0 : 0.4), vLineWidth: () => 0, hLineColor: () => RULE, paddingTop: () => 5, paddingBottom: () => 5, paddingLeft: () => 0 },
    fontSize: 10,
  });
  if (status.flaggedNumbers > 0) {
    out.push({ text: `${status.flaggedNumbers} number(s) in the narrative could not be matched to the figures and are marked “unverified”.`, color: FAIL, fontSize: 9, margin: [0, 16, 0, 0] });
  }
  return out;
}

/**
 * The whole report as a pdfmake document: cover (title, parameters, generation time, fingerprint, failure banner),
 * contents for long reports, then the sections; running header and "Page n of m" footer on every page but the
 * cover. A failed report also carries a faint FAILED watermark on every page.
 */
export function buildPdfDefinition(doc: ReportDocument, svgs: ReadonlyMap<string, { svg: string; height: number }>, hooks: LayoutHooks = {}): TDocumentDefinitions {
  const locale = doc.locale ?? DEFAULT_LOCALE;
  const generated = formatDateTime(doc.generatedAt, locale, doc.timeZone ?? 'UTC');
  const failed = reportStatus(doc).status === 'failed';
  const content: Content[] = [...cover(doc, generated)];
  if (wantsToc(doc)) {
    content.push({ text: '', pageBreak: 'after' });
    content.push({ toc: { title: { text: 'Contents', style: 'h1' }, textMargin: [0, 3, 0, 3], numberStyle: { color: MUTED } } });
  }
  let orientation: 'portrait' | 'landscape' = 'portrait';
  doc.sections.forEach((section, i) => {
    const wanted = isWide(section) ? 'landscape' : 'portrait';
    // The first section starts on a fresh page after the cover (or contents), and a change of orientation starts
    // one too; otherwise sections flow.
    if (i === 0 || wanted !== orientation) content.push({ text: '', fontSize: 1, pageBreak: 'before', pageOrientation: wanted });
    orientation = wanted;
    content.push(...sectionContent(section, { locale, contentWidth: wanted === 'landscape' ? LANDSCAPE_CONTENT_WIDTH : CONTENT_WIDTH, svgs }));
  });

  return {
    content,
    pageSize: 'A4',
    pageMargins: PAGE.margins,
    info: {
      title: failed ? `${doc.title} (failed)` : doc.title,
      subject: doc.subtitle ?? doc.title,
      author: doc.organisation ?? 'Intelligence Desk',
      creator: 'Intelligence Desk',
      producer: 'Intelligence Desk (pdfmake)',
      keywords: `data:${doc.dataFingerprint}`,
      creationDate: new Date(doc.generatedAt),
    },
    defaultStyle: { font: 'Roboto', fontSize: 9.5, color: INK, lineHeight: 1.15 },
    styles: {
      title: { fontSize: 26, bold: true, color: INK, lineHeight: 1.1 },
      subtitle: { fontSize: 13, color: MUTED, margin: [0, 8, 0, 0] },
      coverLabel: { fontSize: 9, bold: true, color: MUTED, characterSpacing: 0.6 },
      h1: { fontSize: 18, bold: true, color: INK, margin: [0, 0, 0, 12] },
      h2: { fontSize: 13, bold: true, color: INK },
    },
    watermark: failed ? { text: 'FAILED', color: FAIL, opacity: 0.06, bold: true, fontSize: 110 } : undefined,
    header: (page: number, pageCount: number): Content => {
      hooks.onPage?.(page, pageCount);
      if (page === 1) return { text: '' };
      return {
        columns: [
          { text: doc.title, color: MUTED, fontSize: 8 },
          { text: failed ? 'FAILED REPORT' : (doc.organisation ?? ''), color: failed ? FAIL : MUTED, bold: failed, fontSize: 8, alignment: 'right' },
        ],
        margin: [PAGE.margins[0], 30, PAGE.margins[2], 0],
      };
    },
    footer: (page: number, pageCount: number, size: ContextPageSize): Content => ({
      stack: [
        { canvas: [{ type: 'line', x1: 0, y1: 0, x2: size.width - PAGE.margins[0] - PAGE.margins[2], y2: 0, lineWidth: 0.4, lineColor: RULE }] },
        {
          columns: [
            { text: `Generated ${generated} · data ${shortFingerprint(doc.dataFingerprint)}`, color: MUTED, fontSize: 7.5 },
            { text: `Page ${page} of ${pageCount}`, color: MUTED, fontSize: 7.5, alignment: 'right' },
          ],
          margin: [0, 6, 0, 0],
        },
      ],
      margin: [PAGE.margins[0], 18, PAGE.margins[2], 0],
    }),
    // A heading left alone at the foot of a page moves to the next one with its content.
    pageBreakBefore: (node, queries) => node.headlineLevel === 1 && queries.getFollowingNodesOnPage().length === 0,
  };
}
