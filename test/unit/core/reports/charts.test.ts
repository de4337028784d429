import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { chartToSvg } from '../../../../src/main/core/reports/render/chartToSvg';
import { selectionAt, toEChartsOption } from '../../../../src/shared/charts/echartsOption';
import { computeChange, formatCell, formatPeriod, formatValue } from '../../../../src/shared/charts/format';
import { CHART_KINDS, chartSpec, type ChartSpecInput } from '../../../../src/shared/charts/spec';
import { CHART_PALETTES } from '../../../../src/shared/charts/theme';
import { reportDocument, reportStatus, tablesOf, wantsToc } from '../../../../src/shared/reports/document';
import { weeklySalesDocument } from '../../../fixtures/reportDocs';

const examples: Record<(typeof CHART_KINDS)[number], ChartSpecInput> = {
  kpi: { kind: 'kpi', title: 'Open tickets', value: 42, previous: 50, betterWhen: 'down', trend: [50, 48, 45, 42] },
  line: { kind: 'line', title: 'Tickets', axis: { type: 'time', grain: 'month', points: ['2026-01-01', '2026-02-01', '2026-03-01'] }, series: [{ name: 'Opened', data: [3, null, 5] }] },
  bar: { kind: 'bar', title: 'By owner', axis: { type: 'category', categories: ['A', 'B'] }, series: [{ name: 'Deals', data: [1, 2] }] },
  'stacked-bar': { kind: 'stacked-bar', title: 'Won/lost', axis: { type: 'category', categories: ['Q1', 'Q2'] }, series: [{ name: 'Won', data: [1, 2] }, { name: 'Lost', data: [2, 1] }] },
  pie: { kind: 'pie', title: 'Channel', slices: [{ label: 'Email', value: 3 }, { label: 'Chat', value: 1 }] },
  table: { kind: 'table', title: 'Top', table: { columns: [{ key: 'a', label: 'A', type: 'text' }, { key: 'n', label: 'N', type: 'number' }], rows: [{ a: 'x', n: 1 }], totals: { n: 1 } } },
};

const parseSvg = (svg: string): Document => new JSDOM(svg, { contentType: 'image/svg+xml' }).window.document;

describe('chart specs', () => {
  it('every kind validates and draws as a well-formed SVG of the asked size in both themes', () => {
    for (const kind of CHART_KINDS) {
      const spec = chartSpec.parse(examples[kind]);
      for (const theme of ['light', 'dark'] as const) {
        const svg = chartToSvg(spec, { width: 480, height: 240, theme });
        const doc = parseSvg(svg);
        expect(doc.getElementsByTagName('parsererror').length, `${kind} ${theme}`).toBe(0);
        expect(doc.documentElement.getAttribute('width')).toBe('480');
        expect(doc.documentElement.getAttribute('height')).toBe('240');
        expect(svg, `${kind} ${theme} background`).toContain(CHART_PALETTES[theme].background);
        expect(svg).not.toContain('<image');
      }
    }
  });

  it('rejects series whose length does not match the axis, negative pie slices and unknown kinds', () => {
    const bad = chartSpec.safeParse({ ...examples.bar, series: [{ name: 'Deals', data: [1] }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('1 values for 2 axis points');
    expect(chartSpec.safeParse({ ...examples.pie, slices: [{ label: 'x', value: -1 }] }).success).toBe(false);
    expect(chartSpec.safeParse({ ...examples.bar, kind: 'radar' }).success).toBe(false);
    expect(() => chartToSvg({ ...examples.bar, series: [] } as ChartSpecInput, { width: 100, height: 100 })).toThrow(/not valid/);
  });

  it('escapes text from records inside server-side SVG', () => {
    const svg = chartToSvg({ ...examples.bar, title: 'A <script>x</script>', axis: { type: 'category', categories: ['<b>&</b>', 'B'] } } as ChartSpecInput, { width: 400, height: 200 });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    const texts = [...parseSvg(svg).getElementsByTagName('text')].map((t) => t.textContent);
    expect(texts).toContain('<b>&</b>');
  });

  it('maps a click to the category, time point or slice behind it', () => {
    expect(selectionAt(chartSpec.parse(examples.line), 0, 2)).toMatchObject({ category: '2026-03-01', label: 'Mar 2026', series: 'Opened', value: 5 });
    expect(selectionAt(chartSpec.parse(examples['stacked-bar']), 1, 0)).toMatchObject({ category: 'Q1', series: 'Lost', value: 2 });
    expect(selectionAt(chartSpec.parse(examples.pie), 0, 1)).toMatchObject({ category: 'Chat', value: 1, series: null });
    expect(selectionAt(chartSpec.parse(examples.bar), 0, 9)).toBeNull();
  });

  it('builds stacked bars on one stack and swaps axes for horizontal bars', () => {
    const stacked = toEChartsOption(chartSpec.parse(examples['stacked-bar']), { theme: 'light', fontFamily: 'Roboto' });
    expect((stacked.series as { stack?: string }[]).every((s) => s.stack === 'total')).toBe(true);
    const horizontal = toEChartsOption(chartSpec.parse({ ...examples.bar, horizontal: true }), { theme: 'light', fontFamily: 'Roboto' });
    expect((horizontal.yAxis as { type: string }).type).toBe('category');
    expect(() => toEChartsOption(chartSpec.parse(examples.kpi), { theme: 'light', fontFamily: 'Roboto' })).toThrow();
  });
});

describe('number formats', () => {
  it('formats numbers, currency, percent ratios, durations and units; no data is a dash, never 0', () => {
    expect(formatValue(1234567, {})).toBe('1,234,567');
    expect(formatValue(1234.5, { style: 'currency', currency: 'EUR' })).toBe('€1,235');
    expect(formatValue(1_250_000, { style: 'currency', currency: 'USD', compact: true })).toBe('US$1.3m');
    expect(formatValue(0.4237, { style: 'percent' })).toBe('42.4%');
    expect(formatValue(90, { style: 'duration', durationUnit: 'minutes' })).toBe('1.5 h');
    expect(formatValue(3, { style: 'duration', durationUnit: 'days' })).toBe('3 d');
    expect(formatValue(12, { unit: 'tickets' })).toBe('12 tickets');
    expect(formatValue(null, {})).toBe('–');
    expect(formatValue(1234.5, {}, 'de-DE')).toBe('1.234,5');
  });

  it('computes change against the previous period, in points for rates, coloured by which way is good', () => {
    expect(computeChange(110, 100, {}, 'up')).toMatchObject({ text: '+10%', tone: 'good', direction: 'up' });
    expect(computeChange(0.12, 0.1, { style: 'percent' }, 'down')).toMatchObject({ text: '+2 pts', tone: 'bad' });
    expect(computeChange(5, 0, {})).toMatchObject({ text: 'new', ratio: null });
    expect(computeChange(5, null, {})).toMatchObject({ direction: 'none', text: '–' });
    expect(computeChange(5, 5, {}, 'up')).toMatchObject({ direction: 'flat', tone: 'neutral' });
  });

  it('labels periods by grain and cells by column type', () => {
    expect(formatPeriod('2026-04-01', 'quarter')).toBe('Q2 2026');
    expect(formatPeriod('2026-03-02', 'week')).toBe('w/c 2 Mar');
    expect(formatPeriod('2026-03-02', 'month')).toBe('Mar 2026');
    expect(formatCell('2026-03-02', { type: 'date' })).toBe('2 Mar 2026');
    expect(formatCell(true, { type: 'boolean' })).toBe('Yes');
    expect(formatCell(null, { type: 'text' })).toBe('–');
  });
});

describe('report documents', () => {
  it('a document with a failed section is a failed report; duplicate section ids are refused', () => {
    const doc = reportDocument.parse(weeklySalesDocument());
    expect(reportStatus(doc)).toEqual({ status: 'ok', failures: [], flaggedNumbers: 1 });
    const failed = reportDocument.parse({ ...weeklySalesDocument(), sections: [...weeklySalesDocument().sections, { kind: 'failed', id: 'x', title: 'X', reason: 'timed out' }] });
    expect(reportStatus(failed)).toMatchObject({ status: 'failed', failures: [{ sectionId: 'x', reason: 'timed out' }] });
    const dup = reportDocument.safeParse({ ...weeklySalesDocument(), sections: [examplesSection('a'), examplesSection('a')] });
    expect(dup.success).toBe(false);
  });

  it('lists its tables for CSV and asks for contents only when long', () => {
    const doc = reportDocument.parse(weeklySalesDocument());
    expect(tablesOf(doc).map((t) => t.id)).toEqual(['deals']);
    expect(wantsToc(doc)).toBe(true);
    expect(wantsToc(reportDocument.parse({ ...weeklySalesDocument(), sections: [examplesSection('a')] }))).toBe(false);
    expect(wantsToc(reportDocument.parse({ ...weeklySalesDocument(), toc: 'always', sections: [examplesSection('a')] }))).toBe(true);
  });
});

function examplesSection(id: string) {
  return { kind: 'notes' as const, id, title: 'Notes', items: ['one'] };
}
