import { MantineProvider } from '@mantine/core';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ChartSelection, ChartSpec } from '../../../../src/shared/charts/spec';
import { CHART_PALETTES } from '../../../../src/shared/charts/theme';
import { Chart } from '../../../../src/renderer/src/components/charts/Chart';
import { echarts, specToSvgString } from '../../../../src/renderer/src/components/charts/echarts';

// jsdom has no canvas, and zrender measures label text with one when it can: answering null makes it fall back to
// its built-in width table instead of jsdom logging "not implemented" for every label.
HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];

const bar: ChartSpec = {
  kind: 'bar',
  title: 'Win rate by owner',
  format: { style: 'percent' },
  axis: { type: 'category', categories: ['Avery', 'Blake', 'Casey'] },
  series: [{ name: 'Win rate', data: [0.42, 0.9, 0.61] }],
};

function renderIn(scheme: 'light' | 'dark', ui: React.ReactNode) {
  return render(
    <MantineProvider forceColorScheme={scheme} env="test">
      {ui}
    </MantineProvider>,
  );
}

/** Texts ECharts drew into the chart's SVG. */
const svgTexts = (el: Element): string[] => [...el.querySelectorAll('svg text')].map((t) => t.textContent ?? '');

describe('<Chart>', () => {
  it('draws a bar spec as an SVG with its categories and formatted value axis', async () => {
    renderIn('light', <Chart spec={bar} />);
    const canvas = await screen.findByTestId('chart-canvas');
    await waitFor(() => expect(canvas.querySelector('svg')).not.toBeNull());
    const texts = svgTexts(canvas);
    expect(texts).toEqual(expect.arrayContaining(['Avery', 'Blake', 'Casey']));
    expect(texts.some((t) => t.endsWith('%'))).toBe(true);
    expect(screen.getByText('Win rate by owner')).toBeTruthy();
  });

  it('reports a click on a bar as its category, series and value', async () => {
    const onSelect = vi.fn<(s: ChartSelection) => void>();
    renderIn('light', <Chart spec={bar} onSelect={onSelect} animate={false} />);
    const canvas = await screen.findByTestId('chart-canvas');
    await waitFor(() => expect(canvas.querySelector('svg')).not.toBeNull());
    const chart = echarts.getInstanceByDom(canvas);
    expect(chart).toBeDefined();
    // The middle of Blake's bar in chart pixels. jsdom has no layout, so DOM coordinates cannot be mapped onto the
    // chart; the pointer sequence goes to zrender's handler, which hit-tests the bar as it does in a browser.
    const [x, y] = chart!.convertToPixel({ seriesIndex: 0 }, [1, 0.45]) as number[];
    const handler = (chart!.getZr() as unknown as { handler: { dispatch(name: string, e: object): void } }).handler;
    const event = { zrX: x, zrY: y, preventDefault() {}, stopPropagation() {} };
    for (const name of ['mousemove', 'mousedown', 'mouseup', 'click']) handler.dispatch(name, event);
    await waitFor(() => expect(onSelect).toHaveBeenCalled());
    expect(onSelect.mock.calls[0]![0]).toMatchObject({ kind: 'bar', category: 'Blake', series: 'Win rate', value: 0.9, index: 1 });
  });

  it('uses the dark palette under the dark colour scheme and the light one otherwise', async () => {
    const { unmount } = renderIn('dark', <Chart spec={bar} />);
    let canvas = await screen.findByTestId('chart-canvas');
    expect(canvas.dataset.theme).toBe('dark');
    await waitFor(() => expect(canvas.querySelector('svg')).not.toBeNull());
    const darkFills = [...canvas.querySelectorAll('svg text')].map((t) => t.getAttribute('fill') ?? t.getAttribute('style') ?? '');
    expect(darkFills.join(' ')).toContain(CHART_PALETTES.dark.mutedText);
    expect(canvas.innerHTML).toContain(CHART_PALETTES.dark.series[0]);
    unmount();
    renderIn('light', <Chart spec={bar} />);
    canvas = await screen.findByTestId('chart-canvas');
    expect(canvas.dataset.theme).toBe('light');
    await waitFor(() => expect(canvas.querySelector('svg')).not.toBeNull());
    expect(canvas.innerHTML).toContain(CHART_PALETTES.light.series[0]);
    expect(canvas.innerHTML).not.toContain(CHART_PALETTES.dark.series[0]);
  });

  it('shows a KPI tile with its change coloured by whether the direction is good', () => {
    renderIn('light', <Chart spec={{ kind: 'kpi', title: 'SLA breach rate', value: 0.031, previous: 0.027, format: { style: 'percent' }, betterWhen: 'down' }} />);
    expect(screen.getByText('3.1%')).toBeTruthy();
    const change = screen.getByText('+0.4 pts');
    expect(change.dataset.tone).toBe('bad');
  });

  it('shows a table spec as a table with totals, and says so when it has no rows', () => {
    const table = (rows: Record<string, number | string>[]): ChartSpec => ({
      kind: 'table',
      title: 'Pipeline',
      table: { columns: [{ key: 'owner', label: 'Owner', type: 'text' }, { key: 'value', label: 'Value', type: 'number', format: { style: 'currency', currency: 'EUR' } }], rows, totals: { value: 300 } },
    });
    const { unmount } = renderIn('light', <Chart spec={table([{ owner: '<b>Avery</b>', value: 100 }, { owner: 'Blake', value: 200 }])} />);
    expect(screen.getByText('<b>Avery</b>')).toBeTruthy();
    expect(screen.getByText('€300')).toBeTruthy();
    unmount();
    renderIn('light', <Chart spec={table([])} />);
    expect(screen.getByText('No rows for these parameters.')).toBeTruthy();
  });

  it('shows an invalid spec as a problem rather than an empty box', () => {
    const broken = { ...bar, series: [{ name: 'Win rate', data: [1, 2] }] } as ChartSpec;
    renderIn('light', <Chart spec={broken} />);
    expect(screen.getByText('This chart cannot be drawn')).toBeTruthy();
    expect(screen.queryByTestId('chart-canvas')).toBeNull();
  });

  it('copies the chart as SVG from its menu, in the current theme', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    renderIn('dark', <Chart spec={bar} animate={false} />);
    await userEvent.click(screen.getByRole('button', { name: 'Chart actions for Win rate by owner' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Copy as SVG' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(1));
    const svg = writeText.mock.calls[0]![0];
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Win rate by owner');
    expect(svg).toContain(CHART_PALETTES.dark.background);
  });

  it('copies a standalone SVG with the title and escaped text', () => {
    const svg = specToSvgString({ ...bar, title: 'Owners <script>x</script>' } as ChartSpec, 'light', 600, 300);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Owners &lt;script&gt;');
    expect(svg).not.toContain('<script>');
  });
});
