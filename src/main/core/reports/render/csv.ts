import { stringify } from 'csv-stringify/sync';
import type { TableColumn, TableRow } from '@shared/charts/spec';

/** Characters that make a spreadsheet treat a cell as a formula (OWASP's CSV injection list, plus tab and CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell that a spreadsheet would run as a formula (`=HYPERLINK(…)` in a deal name) gets a leading apostrophe,
 * which spreadsheets show as text. Numbers stay numbers: a negative figure is data, not a formula.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function csvCell(value: TableRow[string] | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return neutraliseCell(value);
}

export interface CsvOptions {
  /** Prefix a UTF-8 byte-order mark so Excel opens non-ASCII text correctly (default true). */
  bom?: boolean;
}

/**
 * One table as RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote or line break, quotes
 * doubled. Values are raw (ISO dates, plain numbers) so the file feeds other tools; the header row uses the labels.
 */
export function tableToCsv(columns: readonly TableColumn[], rows: readonly TableRow[], totals?: TableRow, options: CsvOptions = {}): string {
  const records: string[][] = [columns.map((c) => neutraliseCell(c.label))];
  for (const row of rows) records.push(columns.map((c) => csvCell(row[c.key])));
  if (totals) records.push(columns.map((c, i) => (i === 0 && totals[c.key] === undefined ? 'Total' : csvCell(totals[c.key]))));
  const body = stringify(records, { record_delimiter: 'windows', quote: '"', escape: '"', quoted_match: /^\s|\s$/ });
  return (options.bom === false ? '' : '\ufeff') + body;
}
