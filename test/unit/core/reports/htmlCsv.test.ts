import { parse } from 'csv-parse/sync';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { tableToCsv, neutraliseCell } from '../../../../src/main/core/reports/render/csv';
import { documentToHtml } from '../../../../src/main/core/reports/render/html';
import { chartToSvg } from '../../../../src/main/core/reports/render/chartToSvg';
import { parseReportDocument } from '../../../../src/main/core/reports/render/reportRenderService';
import type { ReportDocumentInput } from '../../../../src/shared/reports/document';

const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>';

const doc = (sections: ReportDocumentInput['sections']): ReportDocumentInput => ({
  title: `Report ${hostile}`,
  parameters: [{ label: 'Owner', value: hostile }],
  generatedAt: '2026-11-30T08:00:00Z',
  dataFingerprint: 'sha256:feed',
  sections,
});

function html(sections: ReportDocumentInput['sections']): string {
  const d = parseReportDocument(doc(sections));
  const svgs = new Map<string, { svg: string }>();
  for (const s of d.sections) if (s.kind === 'chart' && s.chart.kind !== 'kpi' && s.chart.kind !== 'table') svgs.set(s.id, { svg: chartToSvg(s.chart, { width: 600, height: 260, withTitle: false }) });
  return documentToHtml(d, svgs);
}

describe('HTML preview', () => {
  const page = html([
    { kind: 'insights', id: 'i', title: 'Insights', items: [{ severity: 'high', title: hostile, summary: hostile, status: 'completed', record: { type: 'deal', id: 7, label: hostile } }] },
    { kind: 'chart', id: 'c', title: 'By owner', chart: { kind: 'bar', title: 'By owner', axis: { type: 'category', categories: ['<b>Avery</b>', 'Blake'] }, series: [{ name: hostile, data: [1, 2] }] } },
    { kind: 'table', id: 't', title: 'Deals', columns: [{ key: 'name', label: hostile, type: 'text' }], rows: [{ name: hostile }] },
    { kind: 'narrative', id: 'n', title: 'Summary', paragraphs: [{ runs: [{ text: hostile }, { text: '42%', flag: { reason: hostile } }] }] },
    { kind: 'notes', id: 'notes', title: 'Notes', items: [hostile] },
  ]);

  it('keeps record text as text: no script, no event handler, no markup from the data', () => {
    const dom = new JSDOM(page);
    const d = dom.window.document;
    expect(d.querySelectorAll('script, img, iframe, object, embed, b').length).toBe(0);
    const handlers = [...d.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name));
    expect(handlers).toEqual([]);
    // The hostile string reads back literally wherever it was used.
    expect(d.title).toBe(`Report ${hostile}`);
    const text = d.body.textContent ?? '';
    expect(text.split(hostile).length - 1).toBeGreaterThanOrEqual(7);
    expect(d.querySelector('svg')?.textContent).toContain('<b>Avery</b>');
  });

  it('is self-contained and locked down: a CSP that forbids scripts and remote loads, SVG charts inline', () => {
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
    expect(page).not.toMatch(/(src|href)=["']?(https?:|\/\/)/i);
    expect(page).toContain('<svg');
    expect(page).toContain('Blake');
  });

  it('marks flagged narrative numbers and failed reports', () => {
    expect(page).toContain('<mark class="flagged"');
    const failed = html([{ kind: 'failed', id: 'f', title: 'Pipeline', reason: 'The query timed out.' }]);
    expect(failed).toContain('data-report-status="failed"');
    expect(failed).toContain('Report failed.');
    expect(failed).toContain('The query timed out.');
  });
});

describe('CSV export', () => {
  const columns = [
    { key: 'name', label: 'Name', type: 'text' as const },
    { key: 'amount', label: 'Amount', type: 'number' as const },
    { key: 'won', label: 'Won', type: 'boolean' as const },
  ];

  it('writes RFC 4180: CRLF records, quoted fields for commas, quotes and line breaks, doubled quotes', () => {
    const csv = tableToCsv(columns, [{ name: 'Acme, Inc.', amount: 1200.5, won: true }, { name: 'Say "hi"\nthere', amount: null, won: false }], undefined, { bom: false });
    expect(csv).toBe('Name,Amount,Won\r\n"Acme, Inc.",1200.5,true\r\n"Say ""hi""\nthere",,false\r\n');
    expect(parse(csv)).toEqual([
      ['Name', 'Amount', 'Won'],
      ['Acme, Inc.', '1200.5', 'true'],
      ['Say "hi"\nthere', '', 'false'],
    ]);
  });

  it('neutralises cells that a spreadsheet would run as formulas, but keeps negative numbers as numbers', () => {
    for (const bad of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd']) expect(neutraliseCell(bad)).toBe(`'${bad}`);
    expect(neutraliseCell('Acme')).toBe('Acme');
    const csv = tableToCsv(columns, [{ name: '=1+1', amount: -42, won: null }], { amount: -42 }, { bom: false });
    const rows = parse(csv) as string[][];
    expect(rows[1]).toEqual(["'=1+1", '-42', '']);
    expect(rows[2]).toEqual(['Total', '-42', '']);
  });

  it('starts with a UTF-8 byte-order mark by default so spreadsheets read accents', () => {
    const csv = tableToCsv(columns, [{ name: 'Zoë', amount: 1, won: true }]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('Zoë');
  });
});
