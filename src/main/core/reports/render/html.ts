import { computeChange, DEFAULT_LOCALE, formatCell, formatDateTime, formatValue } from '@shared/charts/format';
import { escapeMarkup as esc } from '@shared/charts/markup';
import type { ChartTheme, KpiSpec, TableColumn, TableRow } from '@shared/charts/spec';
import { CHART_PALETTES } from '@shared/charts/theme';
import { reportStatus, wantsToc, type ReportDocument, type ReportSection } from '@shared/reports/document';
import { SEVERITY_COLOR } from './pdfSections';

/**
 * The HTML preview: one self-contained file (inline CSS and SVG, no script, no external request) that the app
 * shows in a sandboxed frame. Every string from the document is escaped; the chart SVGs are the same ones the PDF
 * embeds, drawn by chartToSvg, whose text ECharts escapes itself.
 */

// No script and no remote loads, even if some markup slipped through escaping.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

function styles(theme: ChartTheme): string {
  const p = CHART_PALETTES[theme];
  return `
  :root { color-scheme: ${theme}; }
  * { box-sizing: border-box; }
  body { margin: 0; background: ${p.background}; color: ${p.text}; font: 14px/1.5 Roboto, Inter, system-ui, -apple-system, "Segoe UI", sans-serif; }
  main { max-width: 880px; margin: 0 auto; padding: 32px 28px 64px; }
  h1 { font-size: 28px; margin: 0 0 4px; font-weight: 600; }
  h2 { font-size: 18px; margin: 36px 0 12px; font-weight: 600; }
  .subtitle, .muted { color: ${p.mutedText}; }
  .params { border-collapse: collapse; margin: 20px 0; }
  .params th { text-align: left; font-weight: 400; color: ${p.mutedText}; padding: 4px 24px 4px 0; }
  .params td { padding: 4px 0; }
  .failed-banner, .failed { border: 1.5px solid ${p.bad}; border-radius: 6px; padding: 10px 14px; margin: 16px 0; }
  .failed-banner strong, .failed strong { color: ${p.bad}; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; }
  .tile { border: 1px solid ${p.gridLine}; border-radius: 8px; padding: 12px; }
  .tile .label { color: ${p.mutedText}; font-size: 12px; }
  .tile .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
  .tile .change { font-size: 12px; }
  .good { color: ${p.good}; } .bad { color: ${p.bad}; } .neutral { color: ${p.neutral}; }
  .chart svg { max-width: 100%; height: auto; display: block; }
  table.data { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
  table.data th { text-align: left; border-bottom: 1.5px solid ${p.axisLine}; padding: 6px 8px; position: sticky; top: 0; background: ${p.background}; }
  table.data td { border-bottom: 1px solid ${p.gridLine}; padding: 5px 8px; }
  table.data .num { text-align: right; }
  table.data tr.total td { font-weight: 600; border-top: 1.5px solid ${p.axisLine}; }
  .caption { color: ${p.mutedText}; font-size: 12px; font-style: italic; margin-top: 6px; }
  ul.insights { list-style: none; padding: 0; margin: 0; }
  ul.insights li { border-left: 3px solid; padding: 6px 12px; margin-bottom: 8px; }
  .sev { font-size: 11px; font-weight: 700; letter-spacing: .04em; margin-right: 6px; }
  mark.flagged { background: #fff3bf; color: #862e9c; text-decoration: underline dashed; }
  .flag-ref { color: ${p.bad}; font-size: 11px; font-weight: 700; }
  nav ol { padding-left: 20px; }
  nav a { color: inherit; }
  footer { margin-top: 48px; color: ${p.mutedText}; font-size: 12px; border-top: 1px solid ${p.gridLine}; padding-top: 8px; }
  @media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } tr, .tile, .chart { break-inside: avoid; } }
`;
}

function tiles(list: readonly KpiSpec[], locale: string): string {
  return `<div class="tiles">${list
    .map((t) => {
      const c = computeChange(t.value, t.previous, t.format, t.betterWhen, t.locale ?? locale);
      const change = c.direction === 'none' ? '' : `<div class="change"><span class="${c.tone}">${esc(c.text)}</span> <span class="muted">${esc(t.comparisonLabel ?? 'vs previous period')}</span></div>`;
      return `<div class="tile"><div class="label">${esc(t.title)}</div><div class="value">${esc(formatValue(t.value, t.format, t.locale ?? locale))}</div>${change}</div>`;
    })
    .join('')}</div>`;
}

function table(columns: readonly TableColumn[], rows: readonly TableRow[], totals: TableRow | undefined, locale: string): string {
  const cls = (c: TableColumn): string => (c.type === 'number' ? ' class="num"' : '');
  const cell = (row: TableRow, c: TableColumn): string => esc(formatCell(row[c.key] ?? null, c, locale));
  const head = `<tr>${columns.map((c) => `<th scope="col"${cls(c)}>${esc(c.label)}</th>`).join('')}</tr>`;
  const body = rows.length === 0 ? `<tr><td colspan="${columns.length}" class="muted">No rows for these parameters.</td></tr>` : rows.map((r) => `<tr>${columns.map((c) => `<td${cls(c)}>${cell(r, c)}</td>`).join('')}</tr>`).join('');
  const total = totals ? `<tr class="total">${columns.map((c, i) => `<td${cls(c)}>${totals[c.key] === undefined ? (i === 0 ? 'Total' : '') : cell(totals, c)}</td>`).join('')}</tr>` : '';
  return `<table class="data"><thead>${head}</thead><tbody>${body}${total}</tbody></table>`;
}

function section(s: ReportSection, svgs: ReadonlyMap<string, { svg: string }>, locale: string): string {
  const caption = (text: string | undefined): string => (text ? `<p class="caption">${esc(text)}</p>` : '');
  const h = `<h2 id="s-${esc(s.id)}">${esc(s.title)}</h2>`;
  switch (s.kind) {
    case 'kpis':
      return h + tiles(s.tiles, locale);
    case 'chart': {
      if (s.chart.kind === 'kpi') return h + tiles([s.chart], locale) + caption(s.caption);
      if (s.chart.kind === 'table') return h + table(s.chart.table.columns, s.chart.table.rows, s.chart.table.totals, locale) + caption(s.caption);
      const drawn = svgs.get(s.id);
      if (!drawn) throw new Error(`No SVG was drawn for chart section ${s.id}`);
      return `${h}<figure class="chart" aria-label="${esc(s.chart.title)}">${drawn.svg}</figure>${caption(s.caption)}`;
    }
    case 'table':
      return h + table(s.columns, s.rows, s.totals, locale) + caption(s.caption);
    case 'insights': {
      if (s.items.length === 0) return `${h}<p class="muted">${esc(s.emptyText ?? 'No insights match these parameters.')}</p>`;
      const items = s.items.map((i) => {
        const record = i.record ? ` · ${esc(i.record.type)} #${esc(String(i.record.id))}${i.record.label ? ` — ${esc(i.record.label)}` : ''}` : '';
        return `<li style="border-color:${SEVERITY_COLOR[i.severity]}"><span class="sev" style="color:${SEVERITY_COLOR[i.severity]}">${esc(i.severity.toUpperCase())}</span><strong>${esc(i.title)}</strong><div>${esc(i.summary)}</div><div class="muted">Status: ${esc(i.status)}${record}</div></li>`;
      });
      return `${h}<ul class="insights">${items.join('')}</ul>`;
    }
    case 'narrative': {
      const notes: string[] = [];
      const paragraphs = s.paragraphs.map(
        (p) =>
          `<p>${p.runs
            .map((r) => {
              if (!r.flag) return esc(r.text);
              notes.push(`“${esc(r.text)}”: ${esc(r.flag.reason)}`);
              return `<mark class="flagged" title="${esc(r.flag.reason)}">${esc(r.text)}</mark><sup class="flag-ref">unverified ${notes.length}</sup>`;
            })
            .join('')}</p>`,
      );
      const attribution = s.attribution ? `<p class="caption">${esc(s.attribution)}</p>` : '';
      const flagged = notes.length ? `<div class="failed"><strong>${notes.length} number(s) in this text could not be found in the report's figures:</strong><ol>${notes.map((n) => `<li>${n}</li>`).join('')}</ol></div>` : '';
      return h + paragraphs.join('') + attribution + flagged;
    }
    case 'notes':
      return `${h}<ul>${s.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
    case 'failed':
      return `${h}<div class="failed" role="alert"><strong>This section could not be produced.</strong><div>${esc(s.reason)}</div></div>`;
  }
}

export function documentToHtml(doc: ReportDocument, svgs: ReadonlyMap<string, { svg: string }>, theme: ChartTheme = 'light', onSection?: (done: number, total: number) => void): string {
  const locale = doc.locale ?? DEFAULT_LOCALE;
  const status = reportStatus(doc);
  const generated = formatDateTime(doc.generatedAt, locale, doc.timeZone ?? 'UTC');
  const params = [...doc.parameters.map((p) => [p.label, p.value || '–'] as const), ['Generated', generated] as const, ['Data fingerprint', doc.dataFingerprint] as const];
  const banner =
    status.status === 'failed'
      ? `<div class="failed-banner" role="alert"><strong>Report failed.</strong> ${status.failures.length} of ${doc.sections.length} sections could not be produced; do not use its figures as complete.<ul>${status.failures.map((f) => `<li>${esc(f.title)}: ${esc(f.reason)}</li>`).join('')}</ul></div>`
      : '';
  const toc = wantsToc(doc) ? `<nav aria-label="Contents"><h2>Contents</h2><ol>${doc.sections.map((s) => `<li><a href="#s-${esc(s.id)}">${esc(s.title)}</a></li>`).join('')}</ol></nav>` : '';
  const body: string[] = [];
  doc.sections.forEach((s, i) => {
    body.push(`<section>${section(s, svgs, locale)}</section>`);
    onSection?.(i + 1, doc.sections.length);
  });
  const title = status.status === 'failed' ? `${doc.title} (failed)` : doc.title;
  return `<!doctype html>
<html lang="${esc(locale)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Intelligence Desk">
<title>${esc(title)}</title>
<style>${styles(theme)}</style>
</head>
<body>
<main data-report-status="${status.status}">
<header>
<h1>${esc(doc.title)}</h1>
${doc.subtitle ? `<p class="subtitle">${esc(doc.subtitle)}</p>` : ''}
${doc.organisation ? `<p class="muted">${esc(doc.organisation)}</p>` : ''}
${banner}
<table class="params">${params.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
</header>
${toc}
${body.join('\n')}
<footer>Generated ${esc(generated)} · data ${esc(doc.dataFingerprint)}</footer>
</main>
</body>
</html>
`;
}
