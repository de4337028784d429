import { createRequire } from 'node:module';
import type * as ECharts from 'echarts';
import { toEChartsOption } from '@shared/charts/echartsOption';
import { chartSpec, type ChartSpec, type ChartSpecInput, type ChartTheme } from '@shared/charts/spec';
import { kpiToSvg, tableToSvg } from '@shared/charts/svgTiles';
import { REPORT_FONT_FAMILY } from '@shared/charts/theme';
import { AppError } from '@shared/errors';
import { reportFontFiles, textMeasurer } from './fonts';

// Node loads ECharts' single-file build (dist/echarts.js, the package's `require` entry): one file parses in a
// fraction of the time Node takes to resolve the ~600-module ESM tree, which dominated a report worker's start.
// Tree-shaking only matters for the renderer bundle, which imports echarts/core instead.
const echarts = createRequire(import.meta.url)('echarts') as typeof ECharts;

let measuring: string | null = null;
function measureWith(resourcesDir: string | undefined): void {
  const key = resourcesDir ?? '';
  if (measuring === key) return;
  echarts.setPlatformAPI({ measureText: textMeasurer(reportFontFiles(resourcesDir)) as never });
  measuring = key;
}

export interface SvgOptions {
  width: number;
  height: number;
  theme?: ChartTheme;
  /** Draw the spec's title inside the picture (default true; report pages print it as a heading instead). */
  withTitle?: boolean;
  /** Paint the theme background (default true). */
  background?: boolean;
  /** Folder holding resources/ (fonts), when not found next to the app. */
  resourcesDir?: string | undefined;
}

/**
 * Draws a chart spec as a vector SVG string without a DOM: ECharts' server-side SVG renderer for line, bar,
 * stacked-bar and pie; plain SVG for KPI tiles and tables. Text is set in the report font and measured with it,
 * so the SVG embedded in a PDF lines up with the page around it.
 */
export function chartToSvg(input: ChartSpec | ChartSpecInput, options: SvgOptions): string {
  const parsed = chartSpec.safeParse(input);
  if (!parsed.success) throw new AppError('validation', `The chart spec is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}.`, { issues: parsed.error.issues });
  const spec = parsed.data;
  const width = Math.round(options.width);
  const height = Math.round(options.height);
  if (!(width >= 40 && width <= 4000 && height >= 40 && height <= 4000)) throw new AppError('validation', 'A chart must be between 40 and 4000 points wide and high.');
  const theme = options.theme ?? 'light';
  const tile = { width, height, theme, fontFamily: REPORT_FONT_FAMILY, background: options.background };
  if (spec.kind === 'kpi') return kpiToSvg(spec, tile);
  if (spec.kind === 'table') return tableToSvg(spec, tile);
  measureWith(options.resourcesDir);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(toEChartsOption(spec, { theme, fontFamily: REPORT_FONT_FAMILY, withTitle: options.withTitle ?? true, animation: false, background: options.background, interactive: false }));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
