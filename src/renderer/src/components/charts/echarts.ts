import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { toEChartsOption } from '@shared/charts/echartsOption';
import type { ChartSpec, ChartTheme } from '@shared/charts/spec';
import { kpiToSvg, tableToSvg } from '@shared/charts/svgTiles';

// Only what the chart spec can ask for, so the renderer bundle carries a fraction of ECharts.
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export { echarts };

/** The app's font stack for chart text (the PDF uses Roboto, which is in the same stack). */
export const APP_CHART_FONT = 'Inter, Roboto, system-ui, -apple-system, "Segoe UI", sans-serif';

/** A standalone SVG of a spec, with its title and background: what "Copy as SVG/PNG" hands out. */
export function specToSvgString(spec: ChartSpec, theme: ChartTheme, width: number, height: number): string {
  const w = Math.max(120, Math.round(width));
  const h = Math.max(80, Math.round(height));
  if (spec.kind === 'kpi') return kpiToSvg(spec, { width: w, height: h, theme, fontFamily: APP_CHART_FONT });
  if (spec.kind === 'table') return tableToSvg(spec, { width: w, height: h, theme, fontFamily: APP_CHART_FONT });
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: w, height: h });
  try {
    chart.setOption(toEChartsOption(spec, { theme, fontFamily: APP_CHART_FONT, withTitle: true, animation: false, background: true }));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Rasterises an SVG string at the device pixel ratio (at least 2×, so a pasted chart stays sharp). */
export async function svgToPngBlob(svg: string, width: number, height: number): Promise<Blob> {
  const scale = Math.max(2, window.devicePixelRatio || 1);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('The chart image could not be drawn.'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This window cannot draw images.');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The chart image could not be encoded.'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
