import { randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CsvDelimiter, ImportReport } from '@shared/contract';
import { getEntity } from '@shared/entities';
import { AppError } from '@shared/errors';
import { getSqliteNativeBinding } from '../db/open';
import type { EventBus } from '../eventBus';
import type { JobService } from '../jobs/jobService';
import type { WorkerLauncher } from '../ports';
import { runTask } from '../workers/runTask';
import { processAlive } from '../jobs/shutdown';
import type { WorkspaceService } from '../workspaces/workspaceService';
import { suggestMapping } from './coerce';
import { assertTextFile, detectDelimiter } from './csvSniff';
import type { ImportParams } from './importTask';

const UPLOAD_ID = /^[a-f0-9-]{36}$/;
const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

interface ImportJobParams extends Omit<ImportParams, 'dbFile'> {
  workspaceId: string;
  uploadId: string;
}

/**
 * CSV import. Files reach the core through a private staging folder in chunks (the same route for the renderer,
 * the web host and the CLI), so no caller ever hands the core a path to read. Each process stages into a folder of
 * its own (uploads/p<pid>), so that cleaning up after a killed process (sweepStaged, at start) never removes a file
 * another running process (the app beside a CLI import) is still using.
 */
export class ImportService {
  private readonly stagingDir: string;
  /** Called after an import committed, with the new records' ids (the engine's event trigger). */
  onCommitted: ((workspace: string, entity: string, ids: number[]) => void) | null = null;

  constructor(
    private readonly uploadsDir: string,
    private readonly workspaces: WorkspaceService,
    private readonly jobs: JobService,
    private readonly events: EventBus,
    private readonly launchWorker: WorkerLauncher,
    private readonly now: () => Date,
    private readonly pid: number = process.pid,
  ) {
    this.stagingDir = join(uploadsDir, `p${pid}`);
    this.jobs.register<ImportJobParams, ImportReport>('import.csv', {
      resumable: false,
      run: async (params, ctx) => {
        const row = this.workspaces.byId(params.workspaceId);
        if (!row) throw new AppError('not_found', 'The workspace of this import no longer exists.');
        const { workspaceId: _w, uploadId: _u, ...task } = params;
        const location = this.workspaces.locationOf(row);
        const where = location.engine === 'postgres' ? { dbFile: '', target: location } : { dbFile: location.file };
        // The rows an import adds come after the table's current last rowid: the event trigger analyses those (SQLite
        // workspaces; the engine runs on SQLite only for now).
        const table = getEntity(params.entity)?.table;
        const lastRowid = table && this.onCommitted && !params.dryRun && location.engine === 'sqlite' ? (this.workspaces.openRow(row).prepare(`SELECT coalesce(max(rowid), 0) FROM ${table}`).pluck().get() as number) : null;
        try {
          const report = await runTask(this.launchWorker, 'import.csv', { ...task, ...where }, {
            signal: ctx.signal,
            onProgress: ctx.progress,
            nativeBinding: getSqliteNativeBinding(),
          });
          if (report.committed) {
            this.events.emit('data.changed', { workspace: row.name, entities: [params.entity] });
            if (table && lastRowid !== null && report.imported > 0) {
              const ids = this.workspaces.openRow(row).prepare(`SELECT id FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT 1000`).pluck().all(lastRowid) as number[];
              try {
                this.onCommitted?.(row.name, params.entity, ids);
              } catch {
                // Reacting to the import is optional; the import itself succeeded.
              }
            }
          }
          return report;
        } finally {
          // A dry run keeps the file for the import that follows it; an import, whatever its outcome, is the end of it.
          if (!params.dryRun) rmSync(params.csvFile, { force: true });
        }
      },
      // Killed during an import: its staged file goes with it (the start-up sweep also catches it).
      onInterrupted: (params) => rmSync(params.csvFile, { force: true }),
    });
  }

  /**
   * Removes staged uploads that no running process can still use: the folders of processes that are gone (a killed
   * app or CLI), this process id's folder (left by an earlier process with the same id), and files staged loose in
   * the uploads folder by older versions. Called once at start.
   */
  sweepStaged(): { removed: number } {
    let removed = 0;
    for (const entry of readdirSync(this.uploadsDir, { withFileTypes: true })) {
      const path = join(this.uploadsDir, entry.name);
      const owner = /^p(\d+)$/.exec(entry.name);
      if (entry.isDirectory() && owner) {
        const pid = Number(owner[1]);
        if (pid !== this.pid && processAlive(pid)) continue;
        removed += readdirSync(path).length;
        rmSync(path, { recursive: true, force: true });
      } else if (entry.isFile() && entry.name.endsWith('.csv')) {
        rmSync(path, { force: true });
        removed++;
      }
    }
    return { removed };
  }

  stage(uploadId: string | undefined, chunk: string): { uploadId: string; bytes: number } {
    const id = uploadId ?? randomUUID();
    const file = this.pathOf(id);
    if (uploadId && !existsSync(file)) throw new AppError('not_found', 'That upload expired or was discarded; start the upload again.');
    mkdirSync(this.stagingDir, { recursive: true });
    const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    if (size + Buffer.byteLength(chunk) > MAX_UPLOAD_BYTES) throw new AppError('validation', 'Files larger than 2 GB cannot be imported; split the file.');
    appendFileSync(file, chunk);
    return { uploadId: id, bytes: statSync(file).size };
  }

  analyze(
    entity: string,
    uploadId: string,
    asked: CsvDelimiter | 'auto' = 'auto',
  ): { delimiter: CsvDelimiter; headers: string[]; sample: string[][]; suggestedMapping: Record<string, string | null>; bytes: number } {
    const spec = getEntity(entity);
    if (!spec?.importable) throw new AppError('validation', `"${entity}" cannot be imported.`);
    const file = this.existing(uploadId);
    const head = this.readHead(file, 256 * 1024);
    // A PNG renamed .csv (or an .xlsx) is refused with what it is, before the parser makes no sense of it.
    assertTextFile(head);
    const delimiter = asked === 'auto' ? detectDelimiter(head) : asked;
    let rows: string[][];
    try {
      rows = parse(head, { bom: true, skip_empty_lines: true, relax_column_count: true, to: 21, delimiter }) as string[][];
    } catch (error) {
      throw new AppError('validation', `The file does not look like CSV: ${(error as Error).message}`);
    }
    const headers = (rows[0] ?? []).map((h) => h.trim());
    if (headers.length === 0) throw new AppError('validation', 'The file is empty: it needs a header row.');
    return { delimiter, headers, sample: rows.slice(1), suggestedMapping: suggestMapping(spec.columns, headers), bytes: statSync(file).size };
  }

  run(
    args: { workspace: string; entity: string; uploadId: string; mapping?: Record<string, string | null> | undefined; dryRun: boolean; skipBadRows: boolean; delimiter?: CsvDelimiter | 'auto' | undefined },
    createdBy: string,
  ): string {
    const row = this.workspaces.resolve(args.workspace);
    // Migrates (SQLite), and fails early if the workspace is not ready; a PostgreSQL workspace is migrated when opened.
    if (row.kind === 'sqlite') this.workspaces.openRow(row);
    else if (row.status !== 'ready') throw new AppError('unavailable', `Workspace "${row.name}" is still being generated; import into it when the demo data is ready.`, { workspace: row.name });
    const spec = getEntity(args.entity);
    if (!spec?.importable) throw new AppError('validation', `"${args.entity}" cannot be imported.`);
    const analysis = this.analyze(args.entity, args.uploadId, args.delimiter ?? 'auto');
    const mapping = args.mapping ?? analysis.suggestedMapping;
    const unknown = Object.keys(mapping).filter((k) => !spec.columns.some((c) => c.name === k));
    if (unknown.length) throw new AppError('validation', `${spec.label} have no column ${unknown.map((u) => `"${u}"`).join(', ')}.`);
    const absent = Object.values(mapping).filter((h): h is string => h !== null && !analysis.headers.includes(h));
    if (absent.length) throw new AppError('validation', `The file has no column ${absent.map((h) => `"${h}"`).join(', ')}. Its columns: ${analysis.headers.join(', ')}.`);
    const unmapped = spec.columns.filter((c) => c.required && c.name !== 'created_at' && !mapping[c.name]);
    if (unmapped.length) {
      throw new AppError('validation', `Map a CSV column to ${unmapped.map((c) => c.label).join(', ')}: ${spec.label} need ${unmapped.length === 1 ? 'it' : 'them'}.`, {
        unmapped: unmapped.map((c) => c.name),
      });
    }
    const params: ImportJobParams = {
      workspaceId: row.id,
      uploadId: args.uploadId,
      csvFile: this.pathOf(args.uploadId),
      entity: spec.key,
      mapping,
      dryRun: args.dryRun,
      skipBadRows: args.skipBadRows,
      delimiter: analysis.delimiter,
      now: this.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    return this.jobs.start('import.csv', params, { workspaceId: row.id, createdBy }).jobId;
  }

  discard(uploadId: string): void {
    rmSync(this.pathOf(uploadId), { force: true });
  }

  private existing(uploadId: string): string {
    const file = this.pathOf(uploadId);
    if (!existsSync(file)) throw new AppError('not_found', 'That upload expired or was discarded; upload the file again.');
    return file;
  }

  private pathOf(uploadId: string): string {
    if (!UPLOAD_ID.test(uploadId)) throw new AppError('validation', 'That is not an upload id.');
    return join(this.stagingDir, `${uploadId}.csv`);
  }

  private readHead(file: string, max: number): string {
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(max);
      const n = readSync(fd, buf, 0, max, 0);
      const text = buf.subarray(0, n).toString('utf8');
      // Cut at the last full line so a sample never ends mid-record.
      return n === max ? text.slice(0, text.lastIndexOf('\n') + 1) : text;
    } finally {
      closeSync(fd);
    }
  }
}
