import { parse } from 'csv-parse/sync';
import { AppError } from '@shared/errors';
import { CSV_DELIMITERS, type CsvDelimiter } from '@shared/contract';

/**
 * What a staged file really is, before the CSV parser sees it. Files arrive as text (the renderer and the CLI read
 * them as UTF-8), so a binary file's bytes that are not valid UTF-8 show up as U+FFFD; its magic number is matched in
 * both forms.
 */
const MAGIC: readonly { label: string; raw: string; hint?: string }[] = [
  { label: 'a PNG image', raw: '\x89PNG\r\n\x1a\n' },
  { label: 'a JPEG image', raw: '\xff\xd8\xff' },
  { label: 'a GIF image', raw: 'GIF8' },
  { label: 'a PDF document', raw: '%PDF-' },
  { label: 'a ZIP archive (an Excel .xlsx workbook is one)', raw: 'PK\x03\x04', hint: 'In Excel, use File → Save As → CSV UTF-8.' },
  { label: 'an old Excel or Office file (.xls)', raw: '\xd0\xcf\x11\xe0', hint: 'In Excel, use File → Save As → CSV UTF-8.' },
  { label: 'a gzip archive', raw: '\x1f\x8b' },
  { label: 'a SQLite database', raw: 'SQLite format 3\0' },
];

/** The same magic after a UTF-8 decoder replaced every byte ≥ 0x80 that is not valid UTF-8 with U+FFFD. */
const decoded = (raw: string): string => raw.replace(/[\x80-\xff]+/g, (m) => '\ufffd'.repeat(m.length));

/** Throws a validation error a person can act on when `head` (the start of the file, as text) is not a text file. */
export function assertTextFile(head: string): void {
  const start = head.replace(/^\ufeff/, '');
  for (const m of MAGIC) {
    const d = decoded(m.raw);
    if (start.startsWith(m.raw) || start.startsWith(d) || start.startsWith(d.replace(/\ufffd+/g, '\ufffd'))) {
      throw new AppError('validation', `This file is ${m.label}, not CSV. ${m.hint ?? 'Choose the CSV export of your data.'}`, { reason: 'binary_file' });
    }
  }
  if (start.includes('\0')) {
    const utf16 = /^(?:[^\0]\0){4}/.test(start) || /^(?:\0[^\0]){4}/.test(start);
    throw new AppError(
      'validation',
      utf16 ? 'This file is UTF-16 text; save it as UTF-8 CSV and import that.' : 'This is a binary file (it contains NUL bytes), not CSV. Choose the CSV export of your data.',
      { reason: utf16 ? 'utf16' : 'binary_file' },
    );
  }
  const sample = start.slice(0, 64 * 1024);
  const replaced = (sample.match(/\ufffd/g) ?? []).length;
  if (sample.length > 0 && replaced / sample.length > 0.1) {
    throw new AppError('validation', 'This file is not UTF-8 text (much of it cannot be read as characters). Save it as UTF-8 CSV and import that.', { reason: 'not_utf8' });
  }
}

/**
 * Picks the delimiter (`,` `;` tab `|`) that splits the first lines into the same number of columns, more than one,
 * on most lines; ties go to the order of CSV_DELIMITERS. Falls back to a comma (a one-column file).
 */
export function detectDelimiter(head: string): CsvDelimiter {
  let best: { delimiter: CsvDelimiter; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of CSV_DELIMITERS) {
    let rows: string[][];
    try {
      rows = parse(head, { bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, delimiter, to: 50 }) as string[][];
    } catch {
      continue;
    }
    const width = rows[0]?.length ?? 0;
    if (width < 2) continue;
    const consistent = rows.filter((r) => r.length === width).length / rows.length;
    // Consistency first, then more columns.
    const score = consistent * 1000 + width;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/**
 * Corrects csv-parse's line numbers (issue 13 §3): it counts CR and LF of a CRLF inside a quoted field as two lines,
 * and reports the line a record ends on. Feed records in order; `startLine` answers the line each one starts on, as an
 * editor shows it.
 */
export class LineCounter {
  private extra = 0;

  startLine(record: readonly string[], parserLines: number): number {
    let crlf = 0;
    let breaks = 0;
    for (const field of record) {
      crlf += field.split('\r\n').length - 1;
      breaks += (field.match(/\r\n|\r|\n/g) ?? []).length;
    }
    this.extra += crlf;
    return parserLines - this.extra - breaks;
  }

  /** A parser error's line, corrected for what was seen so far. */
  errorLine(parserLines: number | undefined): number | null {
    return parserLines === undefined ? null : parserLines - this.extra;
  }
}
