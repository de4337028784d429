import { computeChange, DEFAULT_LOCALE, formatCell, formatValue } from './format';
import { ellipsize, escapeMarkup } from './markup';
import type { ChartTheme, KpiSpec, TableSpec } from './spec';
import { CHART_PALETTES } from './theme';

/**
 * SVG for the two kinds ECharts does not draw: a KPI tile and a small table. Used for standalone chart SVGs
 * (copy as SVG, HTML previews); PDFs lay out KPI tiles and tables natively so their text flows and paginates.
 */

export interface TileSettings {
  width: number;
  height: number;
  theme: ChartTheme;
  fontFamily: string;
  background?: boolean;
}

const open = (s: TileSettings, label: string): string => {
  const p = CHART_PALETTES[s.theme];
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${s.width}" height="${s.height}" viewBox="0 0 ${s.width} ${s.height}" role="img" aria-label="${escapeMarkup(label)}" font-family="${escapeMarkup(s.fontFamily)}">` +
    (s.background === false ? '' : `<rect width="${s.width}" height="${s.height}" fill="${p.background}"/>`)
  );
};

const text = (x: number, y: number, size: number, fill: string, content: string, extra = ''): string =>
  `<text x="${x}" y="${y}" font-size="${size}" fill="${fill}"${extra}>${escapeMarkup(content)}</text>`;

/** A polyline through the non-null points of a trend, scaled into a box. */
function sparkline(values: readonly (number | null)[], x: number, y: number, w: number, h: number, color: string): string {
  const points = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== null);
  if (points.length < 2) return '';
  const min = Math.min(...points.map((p) => p[1]));
  const max = Math.max(...points.map((p) => p[1]));
  const span = max - min || 1;
  const last = values.length - 1 || 1;
  const coords = points.map(([i, v]) => `${(x + (i / last) * w).toFixed(1)},${(y + h - ((v - min) / span) * h).toFixed(1)}`).join(' ');
  return `<polyline points="${coords}" fill="none" stroke="${color}" stroke-width="1.5" stroke-linejoin="round"/>`;
}

export function kpiToSvg(spec: KpiSpec, s: TileSettings): string {
  const p = CHART_PALETTES[s.theme];
  const locale = spec.locale ?? DEFAULT_LOCALE;
  const change = computeChange(spec.value, spec.previous, spec.format, spec.betterWhen, locale);
  const toneColor = change.tone === 'good' ? p.good : change.tone === 'bad' ? p.bad : p.neutral;
  const pad = 12;
  const maxChars = Math.max(8, Math.floor((s.width - 2 * pad) / 6.5));
  let out = open(s, `${spec.title}: ${formatValue(spec.value, spec.format, locale)}`);
  out += text(pad, pad + 12, 12, p.mutedText, ellipsize(spec.title, maxChars));
  out += text(pad, pad + 46, 28, p.text, formatValue(spec.value, spec.format, locale), ' font-weight="500"');
  if (change.direction !== 'none') out += text(pad, pad + 66, 11, toneColor, `${change.text} ${spec.comparisonLabel ?? 'vs previous period'}`);
  if (spec.trend && s.height > 110) out += sparkline(spec.trend, pad, pad + 76, s.width - 2 * pad, Math.min(40, s.height - pad - 88), p.series[0]!);
  return `${out}</svg>`;
}

export function tableToSvg(spec: TableSpec, s: TileSettings): string {
  const p = CHART_PALETTES[s.theme];
  const locale = spec.locale ?? DEFAULT_LOCALE;
  const { columns, rows, totals } = spec.table;
  const pad = 8;
  const rowH = 20;
  const top = 28;
  const colW = (s.width - 2 * pad) / columns.length;
  const maxChars = Math.max(4, Math.floor(colW / 6));
  const fits = Math.max(0, Math.floor((s.height - top - rowH - pad - (totals ? rowH : 0)) / rowH));
  const shown = rows.slice(0, fits);
  let out = open(s, spec.title);
  out += text(pad, 18, 13, p.text, ellipsize(spec.title, Math.floor(s.width / 7)), ' font-weight="500"');
  const cellX = (i: number, numeric: boolean): number => pad + i * colW + (numeric ? colW - 4 : 4);
  const anchor = (numeric: boolean): string => (numeric ? ' text-anchor="end"' : '');
  let y = top + 14;
  columns.forEach((c, i) => (out += text(cellX(i, c.type === 'number'), y, 10, p.mutedText, ellipsize(c.label, maxChars), anchor(c.type === 'number') + ' font-weight="500"')));
  out += `<line x1="${pad}" x2="${s.width - pad}" y1="${y + 6}" y2="${y + 6}" stroke="${p.axisLine}" stroke-width="0.8"/>`;
  const line = (row: Record<string, unknown>, bold: boolean): void => {
    y += rowH;
    columns.forEach((c, i) => {
      const v = row[c.key];
      const cell = formatCell(typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null, c, locale);
      out += text(cellX(i, c.type === 'number'), y, 10, p.text, ellipsize(cell, maxChars), anchor(c.type === 'number') + (bold ? ' font-weight="500"' : ''));
    });
    out += `<line x1="${pad}" x2="${s.width - pad}" y1="${y + 6}" y2="${y + 6}" stroke="${p.gridLine}" stroke-width="0.6"/>`;
  };
  shown.forEach((r) => line(r, false));
  if (rows.length > shown.length) {
    y += rowH;
    out += text(pad + 4, y, 10, p.mutedText, `… ${rows.length - shown.length} more rows`);
  }
  if (totals) line(totals, true);
  if (rows.length === 0) out += text(pad + 4, y + rowH, 10, p.mutedText, 'No rows for these parameters.');
  return `${out}</svg>`;
}
