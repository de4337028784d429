import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import type { CsvDelimiter, ImportReport } from '@shared/contract';
import { getEntity, type ColumnSpec } from '@shared/entities';
import { AppError } from '@shared/errors';
import { checkpointAndClose, openDatabase, type Db } from '../db/open';
import type { TaskContext } from '../workers/context';
import { coerce } from './coerce';
import { LineCounter } from './csvSniff';

export interface ImportParams {
  dbFile: string;
  csvFile: string;
  entity: string;
  /** Entity column → CSV header. */
  mapping: Record<string, string | null>;
  dryRun: boolean;
  skipBadRows: boolean;
  /** Value for created_at when the file has none. */
  now: string;
  /** Field delimiter (detected or chosen when the import started); a comma when absent. */
  delimiter?: CsvDelimiter | undefined;
}

const MAX_ERRORS = 1000;

function describeSqliteError(error: unknown, table: string): string {
  const msg = error instanceof Error ? error.message : String(error);
  const unique = /UNIQUE constraint failed: \w+\.(\w+)/.exec(msg);
  if (unique) return `${unique[1]} already exists in ${table}`;
  if (msg.includes('FOREIGN KEY')) return 'refers to a record that does not exist';
  if (msg.includes('NOT NULL')) return `a required value is missing (${msg.replace(/^.*NOT NULL constraint failed: /, '')})`;
  return msg;
}

/**
 * Worker task: stream a CSV, validate every row, and insert inside one transaction. With bad rows and without
 * skipBadRows, or on a dry run, the transaction is rolled back: nothing is written. Inserting even on a dry run
 * means the report also catches duplicates and broken references, not just type errors.
 */
export async function importCsvTask(params: ImportParams, ctx: TaskContext): Promise<ImportReport> {
  const spec = getEntity(params.entity);
  if (!spec?.importable) throw new AppError('validation', `"${params.entity}" cannot be imported.`);
  const mapped = spec.columns.filter((c) => params.mapping[c.name]);
  const needsCreatedAt = spec.columns.some((c) => c.name === 'created_at') && !params.mapping.created_at;
  const insertCols = [...mapped.map((c) => c.name), ...(needsCreatedAt ? ['created_at'] : [])];
  const db = openDatabase(params.dbFile);
  const report: ImportReport = { entity: spec.key, dryRun: params.dryRun, committed: false, totalRows: 0, validRows: 0, badRows: 0, imported: 0, skipped: 0, errors: [] };
  const refChecks = new Map<string, ReturnType<Db['prepare']>>();
  for (const c of mapped) if (c.ref) refChecks.set(c.name, db.prepare(`SELECT 1 FROM ${getEntity(c.ref)?.table ?? c.ref} WHERE id = ?`).pluck());
  const insert = db.prepare(`INSERT INTO ${spec.table} (${insertCols.join(', ')}) VALUES (${insertCols.map(() => '?').join(', ')})`);
  const size = statSync(params.csvFile).size;
  let bytes = 0;
  const addError = (line: number, column: string | null, reason: string): void => {
    if (report.errors.length < MAX_ERRORS) report.errors.push({ line, column, reason });
  };

  const lines = new LineCounter();
  db.exec('BEGIN');
  let open = true;
  try {
    const stream = createReadStream(params.csvFile);
    stream.on('data', (chunk) => (bytes += chunk.length));
    const parser = stream.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true, delimiter: params.delimiter ?? ',' }));
    let headerIndex: Map<string, number> | null = null;
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      const line = lines.startLine(record, info.lines);
      if (!headerIndex) {
        headerIndex = new Map(record.map((h, i) => [h.trim(), i]));
        const missing = mapped.filter((c) => !headerIndex!.has(params.mapping[c.name]!)).map((c) => params.mapping[c.name]);
        if (missing.length) throw new AppError('validation', `The file has no column named ${missing.map((m) => `"${m}"`).join(', ')}.`);
        continue;
      }
      report.totalRows++;
      const values: (string | number | null)[] = [];
      let rowOk = true;
      for (const col of mapped as ColumnSpec[]) {
        const raw = record[headerIndex.get(params.mapping[col.name]!)!];
        // An empty creation time means "now", as when the column is not in the file at all.
        const cell = col.name === 'created_at' && !raw?.trim() ? params.now : raw;
        const r = coerce(col, cell);
        if (!r.ok) {
          rowOk = false;
          addError(line, col.name, r.reason);
          continue;
        }
        if (r.value !== null && refChecks.get(col.name)?.get(r.value) === undefined && col.ref) {
          rowOk = false;
          addError(line, col.name, `${col.label} ${r.value} does not exist in ${getEntity(col.ref)?.label ?? col.ref}`);
          continue;
        }
        values.push(r.value);
      }
      if (rowOk) {
        if (needsCreatedAt) values.push(params.now);
        try {
          insert.run(values);
          report.validRows++;
        } catch (error) {
          rowOk = false;
          addError(line, null, describeSqliteError(error, spec.label));
        }
      }
      if (!rowOk) report.badRows++;
      if (report.totalRows % 500 === 0) {
        ctx.throwIfCancelled();
        ctx.progress({ phase: params.dryRun ? 'checking' : 'importing', done: bytes, total: size, message: `${report.totalRows.toLocaleString('en-US')} rows read` });
      }
    }
    if (!headerIndex) throw new AppError('validation', 'The file is empty: it needs a header row and at least one data row.');
    ctx.throwIfCancelled();
    const commit = !params.dryRun && (report.badRows === 0 || params.skipBadRows);
    if (commit) {
      db.exec('COMMIT');
      report.committed = true;
      report.imported = report.validRows;
      report.skipped = report.badRows;
    } else db.exec('ROLLBACK');
    open = false;
    ctx.progress({ phase: 'done', done: size, total: size, message: `${report.totalRows.toLocaleString('en-US')} rows read` });
    return report;
  } catch (error) {
    const csv = error as { code?: string; lines?: number; message?: string };
    if (typeof csv.code === 'string' && csv.code.startsWith('CSV_')) {
      throw new AppError('validation', `The file is not valid CSV at line ${lines.errorLine(csv.lines) ?? '?'}: ${(csv.message ?? csv.code).replace(/ at line \d+/, '')}`);
    }
    throw error;
  } finally {
    if (open) db.exec('ROLLBACK');
    checkpointAndClose(db);
  }
}
