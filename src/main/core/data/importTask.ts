import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import type { CsvDelimiter, ImportReport } from '@shared/contract';
import { getEntity, type ColumnSpec } from '@shared/entities';
import { AppError } from '@shared/errors';
import type { PostgresLocation } from '../db/location';
import { checkpointAndClose, openDatabase, type Db } from '../db/open';
import { postgresImportTarget, type ImportCallbacks, type ImportRow, type ImportTarget } from '../db/postgresImport';
import type { TaskContext } from '../workers/context';
import { coerce } from './coerce';
import { LineCounter } from './csvSniff';

export interface ImportParams {
  /** SQLite workspaces: the workspace file. */
  dbFile: string;
  /** PostgreSQL workspaces: the schema to write to (then `dbFile` is unused). */
  target?: PostgresLocation | undefined;
  csvFile: string;
  entity: string;
  /** Entity column → CSV header. */
  mapping: Record<string, string | null>;
  dryRun: boolean;
  skipBadRows: boolean;
  /** Field delimiter (detected or chosen when the import started); a comma when absent. */
  delimiter?: CsvDelimiter | undefined;
  /** Value for created_at when the file has none. */
  now: string;
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
  const report: ImportReport = { entity: spec.key, dryRun: params.dryRun, committed: false, totalRows: 0, validRows: 0, badRows: 0, imported: 0, skipped: 0, errors: [] };
  const addError = (line: number, column: string | null, reason: string): void => {
    if (report.errors.length < MAX_ERRORS) report.errors.push({ line, column, reason });
  };
  // A row is counted bad once, whatever number of reasons it has; the target reports rows it finds bad on writing.
  const badLines = new Set<number>();
  const callbacks: ImportCallbacks = {
    written: () => void report.validRows++,
    bad: (line, column, reason) => {
      addError(line, column, reason);
      if (!badLines.has(line)) {
        badLines.add(line);
        report.badRows++;
      }
    },
  };
  const target = params.target ? await postgresImportTarget(params.target, spec.table, spec.label, insertCols, callbacks) : sqliteImportTarget(params.dbFile, spec.table, spec.label, insertCols, callbacks);
  const size = statSync(params.csvFile).size;
  let bytes = 0;
  let open = true;
  const lines = new LineCounter();
  try {
    const stream = createReadStream(params.csvFile);
    stream.on('data', (chunk) => (bytes += chunk.length));
    const parser = stream.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true, delimiter: params.delimiter ?? ',' }));
    let headerIndex: Map<string, number> | null = null;
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      // The line a person sees the record start on (csv-parse counts a CRLF inside a quoted field twice).
      const line = lines.startLine(record, info.lines);
      if (!headerIndex) {
        headerIndex = new Map(record.map((h, i) => [h.trim(), i]));
        const missing = mapped.filter((c) => !headerIndex!.has(params.mapping[c.name]!)).map((c) => params.mapping[c.name]);
        if (missing.length) throw new AppError('validation', `The file has no column named ${missing.map((m) => `"${m}"`).join(', ')}.`);
        continue;
      }
      report.totalRows++;
      const values: (string | number | null)[] = [];
      const refs: ImportRow['refs'] = [];
      let rowOk = true;
      for (const col of mapped as ColumnSpec[]) {
        const raw = record[headerIndex.get(params.mapping[col.name]!)!];
        // An empty creation time means "now", as when the column is not in the file at all.
        const cell = col.name === 'created_at' && !raw?.trim() ? params.now : raw;
        const r = coerce(col, cell);
        if (!r.ok) {
          rowOk = false;
          callbacks.bad(line, col.name, r.reason);
          continue;
        }
        if (r.value !== null && col.ref) {
          refs.push({ column: col.name, table: getEntity(col.ref)?.table ?? col.ref, value: r.value, message: `${col.label} ${r.value} does not exist in ${getEntity(col.ref)?.label ?? col.ref}` });
        }
        values.push(r.value);
      }
      if (rowOk) {
        if (needsCreatedAt) values.push(params.now);
        await target.add({ line, values, refs });
      }
      if (report.totalRows % 500 === 0) {
        ctx.throwIfCancelled();
        ctx.progress({ phase: params.dryRun ? 'checking' : 'importing', done: bytes, total: size, message: `${report.totalRows.toLocaleString('en-US')} rows read` });
      }
    }
    if (!headerIndex) throw new AppError('validation', 'The file is empty: it needs a header row and at least one data row.');
    await target.flush();
    ctx.throwIfCancelled();
    report.errors.sort((a, b) => a.line - b.line);
    const commit = !params.dryRun && (report.badRows === 0 || params.skipBadRows);
    open = false;
    await target.end(commit);
    if (commit) {
      report.committed = true;
      report.imported = report.validRows;
      report.skipped = report.badRows;
    }
    ctx.progress({ phase: 'done', done: size, total: size, message: `${report.totalRows.toLocaleString('en-US')} rows read` });
    return report;
  } catch (error) {
    const csv = error as { code?: string; lines?: number; message?: string };
    if (typeof csv.code === 'string' && csv.code.startsWith('CSV_')) {
      throw new AppError('validation', `The file is not valid CSV at line ${lines.errorLine(csv.lines) ?? '?'}: ${(csv.message ?? csv.code).replace(/ at line \d+/, '')}`);
    }
    throw error;
  } finally {
    if (open) await target.end(false);
  }
}

/** SQLite: rows are checked and written one by one, inside one transaction on the workspace file. */
function sqliteImportTarget(file: string, table: string, label: string, columns: readonly string[], callbacks: ImportCallbacks): ImportTarget {
  const db: Db = openDatabase(file);
  const insert = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const refChecks = new Map<string, ReturnType<Db['prepare']>>();
  db.exec('BEGIN');
  return {
    add(row) {
      let ok = true;
      for (const ref of row.refs) {
        let check = refChecks.get(ref.table);
        if (!check) refChecks.set(ref.table, (check = db.prepare(`SELECT 1 FROM ${ref.table} WHERE id = ?`).pluck()));
        if (check.get(ref.value) === undefined) {
          ok = false;
          callbacks.bad(row.line, ref.column, ref.message);
        }
      }
      if (!ok) return;
      try {
        insert.run(row.values);
        callbacks.written(row.line);
      } catch (error) {
        callbacks.bad(row.line, null, describeSqliteError(error, label));
      }
    },
    flush() {},
    end(commit) {
      try {
        if (db.inTransaction) db.exec(commit ? 'COMMIT' : 'ROLLBACK');
      } finally {
        checkpointAndClose(db);
      }
    },
  };
}
