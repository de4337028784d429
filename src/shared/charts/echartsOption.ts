import type { EChartsOption } from 'echarts';
import { DEFAULT_LOCALE, formatPeriod, formatValue } from './format';
import type { ChartSelection, ChartSpec, ChartTheme, NumberFormat, PieSpec, SeriesChartSpec } from './spec';
import { CHART_PALETTES } from './theme';

export interface OptionSettings {
  theme: ChartTheme;
  fontFamily: string;
  /** Draw the spec's title inside the chart (standalone SVGs); pages and cards print it themselves. */
  withTitle?: boolean;
  /** Off for server-side rendering and PDFs, where there is nothing to animate. */
  animation?: boolean;
  /** Paint the theme's background (PDF, copied images) rather than leaving it transparent (inside app cards). */
  background?: boolean;
  /** Interactive hosts get tooltips; static SVGs do not need them. */
  interactive?: boolean;
}

/** The axis labels as shown: categories as given, time points as period labels for their grain. */
export function axisLabels(spec: SeriesChartSpec): string[] {
  const locale = spec.locale ?? DEFAULT_LOCALE;
  return spec.axis.type === 'category' ? [...spec.axis.categories] : spec.axis.points.map((p) => formatPeriod(p, spec.axis.type === 'time' ? spec.axis.grain : 'day', locale));
}

/** The format a value axis uses: the spec's, else the first series' (all series of one chart share a unit). */
export function valueFormat(spec: SeriesChartSpec): NumberFormat | undefined {
  return spec.format ?? spec.series[0]?.format;
}

function titleOption(spec: ChartSpec, s: OptionSettings): EChartsOption['title'] {
  if (!s.withTitle) return undefined;
  const p = CHART_PALETTES[s.theme];
  return {
    text: spec.title,
    subtext: spec.subtitle ?? '',
    left: 0,
    top: 0,
    textStyle: { color: p.text, fontSize: 14, fontWeight: 500, fontFamily: s.fontFamily },
    subtextStyle: { color: p.mutedText, fontSize: 11, fontFamily: s.fontFamily },
  };
}

function seriesOption(spec: SeriesChartSpec, s: OptionSettings): EChartsOption {
  const p = CHART_PALETTES[s.theme];
  const locale = spec.locale ?? DEFAULT_LOCALE;
  const labels = axisLabels(spec);
  const fmt = valueFormat(spec);
  const multi = spec.series.length > 1;
  const horizontal = spec.kind !== 'line' && spec.horizontal === true;
  const top = (s.withTitle ? (spec.subtitle ? 48 : 32) : 8) + (multi ? 28 : 0);
  const categoryAxis = {
    type: 'category' as const,
    data: labels,
    name: spec.axis.label,
    nameLocation: 'middle' as const,
    nameGap: 28,
    boundaryGap: spec.kind !== 'line',
    axisLine: { lineStyle: { color: p.axisLine } },
    axisTick: { show: false },
    axisLabel: { color: p.mutedText, fontFamily: s.fontFamily, fontSize: 10, hideOverlap: true },
    nameTextStyle: { color: p.mutedText, fontFamily: s.fontFamily },
  };
  const valueAxis = {
    type: 'value' as const,
    name: spec.valueAxisLabel,
    nameTextStyle: { color: p.mutedText, fontFamily: s.fontFamily, fontSize: 10 },
    axisLine: { show: false },
    splitLine: { lineStyle: { color: p.gridLine } },
    axisLabel: { color: p.mutedText, fontFamily: s.fontFamily, fontSize: 10, formatter: (v: number) => formatValue(v, { ...fmt, compact: true, decimals: undefined }, locale) },
  };
  return {
    color: [...p.series],
    // ECharts 6 keeps axis labels inside the box by default (grid.outerBoundsMode 'auto'), so no containLabel.
    grid: { left: 12, right: 20, top, bottom: spec.axis.label ? 36 : 10, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    legend: multi ? { top: s.withTitle ? (spec.subtitle ? 44 : 26) : 0, left: 0, icon: 'roundRect', itemWidth: 10, itemHeight: 10, textStyle: { color: p.text, fontFamily: s.fontFamily, fontSize: 11 } } : undefined,
    tooltip: s.interactive
      ? {
          trigger: 'axis',
          backgroundColor: p.tooltipBackground,
          borderColor: p.axisLine,
          textStyle: { color: p.text, fontFamily: s.fontFamily },
          valueFormatter: (v) => formatValue(typeof v === 'number' ? v : null, fmt, locale),
        }
      : undefined,
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: spec.series.map((series) =>
      spec.kind === 'line'
        ? {
            type: 'line' as const,
            name: series.name,
            data: series.data,
            showSymbol: series.data.length <= 40,
            symbolSize: 5,
            lineStyle: { width: 2 },
            ...(series.color ? { itemStyle: { color: series.color } } : {}),
          }
        : {
            type: 'bar' as const,
            name: series.name,
            data: series.data,
            stack: spec.kind === 'stacked-bar' ? 'total' : undefined,
            barMaxWidth: 36,
            itemStyle: { borderRadius: spec.kind === 'stacked-bar' ? 0 : horizontal ? [0, 3, 3, 0] : [3, 3, 0, 0], ...(series.color ? { color: series.color } : {}) },
          },
    ),
  };
}

function pieOption(spec: PieSpec, s: OptionSettings): EChartsOption {
  const p = CHART_PALETTES[s.theme];
  const locale = spec.locale ?? DEFAULT_LOCALE;
  const total = spec.slices.reduce((sum, x) => sum + x.value, 0);
  const top = s.withTitle ? (spec.subtitle ? 48 : 32) : 0;
  return {
    color: [...p.series],
    tooltip: s.interactive
      ? { trigger: 'item', backgroundColor: p.tooltipBackground, borderColor: p.axisLine, textStyle: { color: p.text, fontFamily: s.fontFamily }, valueFormatter: (v) => formatValue(typeof v === 'number' ? v : null, spec.format, locale) }
      : undefined,
    legend: { orient: 'vertical', right: 0, top: 'middle', icon: 'roundRect', itemWidth: 10, itemHeight: 10, textStyle: { color: p.text, fontFamily: s.fontFamily, fontSize: 11 } },
    series: [
      {
        type: 'pie',
        radius: ['42%', '70%'],
        center: ['38%', top ? `${50 + (top / 2 / 3)}%` : '50%'],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: s.background === false ? 'transparent' : p.background, borderWidth: 2 },
        label: {
          color: p.text,
          fontFamily: s.fontFamily,
          fontSize: 10,
          formatter: (params: { value?: unknown }) => {
            const v = typeof params.value === 'number' ? params.value : 0;
            return total > 0 ? formatValue(v / total, { style: 'percent', decimals: 0 }, locale) : '';
          },
        },
        data: spec.slices.map((x) => ({ name: x.label, value: x.value, ...(x.color ? { itemStyle: { color: x.color } } : {}) })),
      },
    ],
  };
}

/**
 * Turns a line, bar, stacked-bar or pie spec into an ECharts option. KPI tiles and tables are not ECharts charts:
 * the app draws them with its components, and server-side SVG uses svgTiles.ts. The same function serves the
 * browser and Node, so the two pictures cannot drift apart.
 */
export function toEChartsOption(spec: ChartSpec, settings: OptionSettings): EChartsOption {
  if (spec.kind === 'kpi' || spec.kind === 'table') throw new Error(`A ${spec.kind} spec is not drawn by ECharts.`);
  const p = CHART_PALETTES[settings.theme];
  const body = spec.kind === 'pie' ? pieOption(spec, settings) : seriesOption(spec, settings);
  // ECharts treats a present-but-undefined component key (tooltip: undefined) as a component in use.
  return dropUndefined({
    animation: settings.animation ?? false,
    backgroundColor: settings.background === false ? 'transparent' : p.background,
    textStyle: { fontFamily: settings.fontFamily, color: p.text },
    title: titleOption(spec, settings),
    aria: { enabled: true },
    ...body,
  });
}

function dropUndefined(option: EChartsOption): EChartsOption {
  return Object.fromEntries(Object.entries(option).filter(([, v]) => v !== undefined)) as EChartsOption;
}

/** What a click at (series, data index) means for a spec: the category or period, the series and the value. */
export function selectionAt(spec: ChartSpec, seriesIndex: number, dataIndex: number): ChartSelection | null {
  if (spec.kind === 'pie') {
    const slice = spec.slices[dataIndex];
    return slice ? { kind: 'pie', category: slice.label, label: slice.label, index: dataIndex, series: null, value: slice.value } : null;
  }
  if (spec.kind === 'line' || spec.kind === 'bar' || spec.kind === 'stacked-bar') {
    const raw = spec.axis.type === 'category' ? spec.axis.categories[dataIndex] : spec.axis.points[dataIndex];
    const series = spec.series[seriesIndex];
    if (raw === undefined || !series) return null;
    return { kind: spec.kind, category: raw, label: axisLabels(spec)[dataIndex] ?? raw, index: dataIndex, series: series.name, value: series.data[dataIndex] ?? null };
  }
  return null;
}
