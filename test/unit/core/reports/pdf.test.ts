import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../../../src/shared/charts/format';
import type { ReportDocumentInput } from '../../../../src/shared/reports/document';
import { renderToFiles, type RenderFilesResult } from '../../../../src/main/core/reports/render/renderDocument';
import { parseReportDocument } from '../../../../src/main/core/reports/render/reportRenderService';
import { CancelFlag, inlineContext } from '../../../../src/main/core/workers/context';
import { pdfFonts, pdfImages, pdfInfo, pdfPages, pdfPageSizes, pdfText, renderPages } from '../../../fixtures/poppler';
import { dealTotal, weeklySalesDocument } from '../../../fixtures/reportDocs';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'idesk-pdf-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function renderPdf(input: ReportDocumentInput): Promise<{ file: string; result: RenderFilesResult }> {
  const file = join(dir, `r${++n}.pdf`);
  const result = await renderToFiles({ document: parseReportDocument(input), format: 'pdf', targets: [{ key: 'report', tmp: file }] }, inlineContext());
  return { file, result };
}

const base = (sections: ReportDocumentInput['sections'], extra: Partial<ReportDocumentInput> = {}): ReportDocumentInput => ({
  title: 'Test report',
  parameters: [{ label: 'Owner', value: 'Avery Quinn' }],
  generatedAt: '2026-11-30T08:00:00Z',
  dataFingerprint: 'sha256:abc123def456',
  sections,
  ...extra,
});

describe('PDF reports', () => {
  let weekly: { file: string; result: RenderFilesResult };
  const doc = weeklySalesDocument();
  beforeAll(async () => {
    weekly = await renderPdf(doc);
  });

  it('prints the title, parameters, generation time, fingerprint and the figures it was given', () => {
    const text = pdfText(weekly.file);
    expect(text).toContain('Weekly sales summary');
    expect(text).toContain('Week of 23 Nov 2026');
    for (const p of doc.parameters ?? []) {
      expect(text).toContain(p.label);
      expect(text).toContain(p.value);
    }
    expect(text).toContain('30 Nov 2026');
    expect(text).toContain('sha256:9f2c4e1ab37d5e60c1f8');
    // The deal table's total, computed here from the rows the test put in.
    expect(text).toContain(formatValue(dealTotal(doc), { style: 'currency', currency: 'EUR' }));
    expect(text).toContain('64%');
    expect(text).toContain('+3 pts');
    expect(pdfInfo(weekly.file).Title).toBe('Weekly sales summary');
  });

  it('numbers every page "Page n of N" with N the real page count, and has a table of contents', () => {
    const pages = pdfPages(weekly.file);
    expect(pages).toBeGreaterThanOrEqual(8);
    expect(weekly.result.pages).toBe(pages);
    const text = pdfText(weekly.file);
    for (let p = 1; p <= pages; p++) expect(text).toContain(`Page ${p} of ${pages}`);
    const contents = pdfText(weekly.file, { page: 2 });
    expect(contents).toContain('Contents');
    for (const title of ['Headline figures', 'Pipeline by stage', 'Deals closing this quarter', 'Summary']) expect(contents).toContain(title);
  });

  it('embeds its fonts and renders every page', () => {
    const fonts = pdfFonts(weekly.file);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((f) => f.embedded)).toBe(true);
    expect(fonts.some((f) => f.name.includes('Roboto'))).toBe(true);
    expect(renderPages(weekly.file)).toBe(pdfPages(weekly.file));
  });

  it('is reproducible: the same document gives a byte-identical file (dates come from the document)', async () => {
    const again = await renderPdf(weeklySalesDocument());
    expect(readFileSync(again.file).equals(readFileSync(weekly.file))).toBe(true);
  });

  it('marks a narrative number that the figures do not contain', () => {
    const text = pdfText(weekly.file);
    expect(text).toContain('unverified 1');
    expect(text).toContain('no figure in this report shows a 27% pipeline change');
    expect(weekly.result.flaggedNumbers).toBe(1);
  });

  it('draws charts as vectors: a chart-only report holds no raster image, and its labels are text', async () => {
    const charts = weeklySalesDocument().sections.filter((s) => s.kind === 'chart');
    const { file, result } = await renderPdf(base(charts));
    expect(result.charts).toBe(6);
    expect(pdfImages(file)).toEqual([]);
    const text = pdfText(file);
    for (const label of ['Prospecting', 'Negotiation', 'Avery Quinn', 'Inbound', 'w/c 7 Sept']) expect(text).toContain(label);
  });

  it('repeats a long table’s header on every page and never splits a row across pages', async () => {
    const rows = Array.from({ length: 160 }, (_, i) => ({
      id: `R${i}`,
      note: `start${i} ${'a wrapped comment that runs over several lines of the cell '.repeat(2 + (i % 4) * 3)}end${i}`,
      value: i * 10,
    }));
    const { file } = await renderPdf(
      base([
        {
          kind: 'table',
          id: 'long',
          title: 'Long table',
          columns: [
            { key: 'id', label: 'Row', type: 'text' },
            { key: 'note', label: 'Comment', type: 'text' },
            { key: 'value', label: 'Value', type: 'number' },
          ],
          rows,
        },
      ]),
    );
    const pages = pdfPages(file);
    expect(pages).toBeGreaterThan(4);
    const seen = new Map<number, number>();
    for (let p = 2; p <= pages; p++) {
      const text = pdfText(file, { page: p, layout: true });
      const starts = [...text.matchAll(/start(\d+)/g)].map((m) => Number(m[1]));
      const ends = new Set([...text.matchAll(/end(\d+)/g)].map((m) => Number(m[1])));
      if (starts.length === 0) continue;
      // Header on this page, above the first row.
      const header = text.search(/Row\s+Comment\s+Value/);
      expect(header, `header on page ${p}`).toBeGreaterThanOrEqual(0);
      expect(header).toBeLessThan(text.indexOf(`start${starts[0]}`));
      // Every row that starts on this page also ends on it.
      for (const s of starts) {
        expect(ends.has(s), `row ${s} split on page ${p}`).toBe(true);
        seen.set(s, p);
      }
      expect([...ends].every((e) => starts.includes(e)), `a row ends on page ${p} that started earlier`).toBe(true);
    }
    expect(seen.size).toBe(rows.length);
  });

  it('shortens cells that would make a row taller than a page, so no text is lost, and says so', async () => {
    const columns = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((key) => ({ key, label: key.toUpperCase(), type: 'text' as const }));
    const rows = Array.from({ length: 3 }, (_, i) => Object.fromEntries(columns.map((c) => [c.key, `start${i} ${'word '.repeat(790)}end${i}`])));
    const { file } = await renderPdf(base([{ kind: 'table', id: 'tall', title: 'Tall rows', columns, rows }]));
    const text = pdfText(file);
    for (let i = 0; i < 3; i++) expect(text.split(`start${i}`).length - 1).toBe(7);
    expect(text).toContain('21 long cells were shortened to fit the page');
    expect(pdfPages(file)).toBeLessThanOrEqual(4);
  });

  it('puts a table with many columns on landscape pages and returns to portrait after it', async () => {
    const columns = Array.from({ length: 12 }, (_, i) => ({ key: `c${i}`, label: `Col ${i}`, type: 'number' as const }));
    const rows = Array.from({ length: 80 }, (_, r) => Object.fromEntries(columns.map((c, i) => [c.key, r * 100 + i])));
    const { file } = await renderPdf(
      base([
        { kind: 'notes', id: 'before', title: 'Before', items: ['portrait'] },
        { kind: 'table', id: 'wide', title: 'Wide', columns, rows },
        { kind: 'notes', id: 'after', title: 'After the wide table', items: ['portrait again'] },
      ]),
    );
    const sizes = pdfPageSizes(file);
    const landscape = sizes.map((s, i) => (s.width > s.height ? i + 1 : 0)).filter(Boolean);
    expect(landscape.length).toBeGreaterThanOrEqual(2);
    for (const p of landscape) expect(pdfText(file, { page: p })).toMatch(/Col 0[\s\S]*Col 11/);
    const last = sizes.length;
    expect(sizes[last - 1]!.height).toBeGreaterThan(sizes[last - 1]!.width);
    expect(pdfText(file, { page: last })).toContain('After the wide table');
  });

  it('prints a report with a failed section as a failed report, with the reason', async () => {
    const { file, result } = await renderPdf(
      base([
        { kind: 'kpis', id: 'k', title: 'Headline', tiles: [{ kind: 'kpi', title: 'Open deals', value: 12 }] },
        { kind: 'failed', id: 'pipeline', title: 'Pipeline by stage', intended: 'chart', reason: 'The pipeline query timed out after 30 s.' },
      ]),
    );
    expect(result.status).toBe('failed');
    expect(result.failures).toEqual([{ sectionId: 'pipeline', title: 'Pipeline by stage', reason: 'The pipeline query timed out after 30 s.' }]);
    const text = pdfText(file);
    expect(text).toContain('REPORT FAILED');
    expect(text).toContain('1 of 2 sections could not be produced');
    expect(text).toContain('This section could not be produced');
    expect(text).toContain('The pipeline query timed out after 30 s.');
    expect(text).toContain('FAILED REPORT');
    expect(pdfInfo(file).Title).toBe('Test report (failed)');
  });

  it('says an empty table has no rows instead of printing an empty box', async () => {
    const { file } = await renderPdf(base([{ kind: 'table', id: 't', title: 'Renewals due', columns: [{ key: 'a', label: 'Account', type: 'text' }], rows: [] }]));
    expect(pdfText(file)).toContain('No rows for these parameters.');
  });

  it('stops between pages when cancelled and leaves no file', async () => {
    const file = join(dir, 'cancelled.pdf');
    const flag = new CancelFlag();
    const phases: string[] = [];
    const ctx = inlineContext({
      flag,
      onProgress: (p) => {
        phases.push(p.phase);
        if (p.phase === 'charts' && p.done === 2) flag.cancel();
      },
    });
    await expect(renderToFiles({ document: parseReportDocument(weeklySalesDocument()), format: 'pdf', targets: [{ key: 'report', tmp: file }] }, ctx)).rejects.toMatchObject({ code: 'cancelled' });
    expect(phases.filter((p) => p === 'charts')).toHaveLength(2);
    expect(existsSync(file)).toBe(false);
  });
});
