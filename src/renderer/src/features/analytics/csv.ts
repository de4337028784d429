import type { QueryResult } from '@shared/analytics/spec';

/** RFC 4180 CSV of a result: the column labels, then raw values (numbers unformatted, so spreadsheets can sum them). */
export function resultToCsv(result: QueryResult): string {
  const esc = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    // A leading = + - @ would run as a formula in a spreadsheet: prefix it so the cell stays text.
    const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [result.columns.map((c) => esc(c.label)).join(',')];
  for (const r of result.rows) lines.push(result.columns.map((c) => esc(r[c.key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function downloadText(name: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
