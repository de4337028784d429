import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { DataPaths } from '../app/appDb';
import { migrate } from '../db/migrate';
import { workspaceMigrations } from '../db/migrations/workspace';
import { checkpointAndClose, getSqliteNativeBinding, openDatabase, type Db } from '../db/open';
import type { EventBus } from '../eventBus';
import type { JobService } from '../jobs/jobService';
import type { Logger } from '../logger';
import type { WorkerLauncher } from '../ports';
import { runTask } from '../workers/runTask';
import type { DemoResult } from '../demo/task';

export interface WorkspaceRow {
  id: string;
  name: string;
  kind: 'sqlite';
  file: string;
  status: 'ready' | 'generating' | 'failed';
  demo_scale: number | null;
  demo_seed: number | null;
  created_at: string;
  created_by: string | null;
}

interface DemoJobParams {
  workspaceId: string;
  scale: number;
  seed: number;
  anchorDate: string;
}

const SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/**
 * The registry of workspaces. Each is its own SQLite file under <data>/workspaces, opened once and kept open,
 * migrated (with a backup) the first time this app version opens it.
 */
export class WorkspaceService {
  private readonly handles = new Map<string, Db>();

  constructor(
    private readonly appDb: Db,
    private readonly paths: DataPaths,
    private readonly jobs: JobService,
    private readonly events: EventBus,
    private readonly logger: Logger,
    private readonly now: () => Date,
    private readonly launchWorker: WorkerLauncher,
  ) {
    this.jobs.register<DemoJobParams, DemoResult>('demo.generate', {
      resumable: true,
      run: (params, ctx) => this.runDemoJob(params, ctx.signal, ctx.progress),
    });
  }

  list(): WorkspaceInfo[] {
    const rows = this.appDb.prepare('SELECT * FROM workspaces ORDER BY name COLLATE NOCASE').all() as WorkspaceRow[];
    return rows.map((r) => this.info(r));
  }

  get(name: string): WorkspaceInfo {
    return this.info(this.resolve(name));
  }

  resolve(name: string): WorkspaceRow {
    const row = this.appDb.prepare('SELECT * FROM workspaces WHERE name = ? COLLATE NOCASE').get(name) as WorkspaceRow | undefined;
    if (row) return row;
    const names = (this.appDb.prepare('SELECT name FROM workspaces ORDER BY name').all() as { name: string }[]).map((r) => r.name);
    throw new AppError(
      'not_found',
      names.length
        ? `There is no workspace named "${name}". Workspaces: ${names.join(', ')}.`
        : `There is no workspace named "${name}". Create one first (workspace create NAME --demo).`,
      { workspace: name },
    );
  }

  byId(id: string): WorkspaceRow | undefined {
    return this.appDb.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
  }

  fileOf(row: Pick<WorkspaceRow, 'file'>): string {
    return join(this.paths.workspaces, row.file);
  }

  /** The open, migrated database of a ready workspace. */
  open(name: string): Db {
    return this.openRow(this.resolve(name));
  }

  openRow(row: WorkspaceRow): Db {
    if (row.status === 'generating') {
      throw new AppError('unavailable', `Workspace "${row.name}" is still being generated; it opens when the demo data is ready.`, { workspace: row.name });
    }
    const cached = this.handles.get(row.id);
    if (cached?.open) return cached;
    const file = this.fileOf(row);
    if (!existsSync(file)) throw new AppError('not_found', `The database file of workspace "${row.name}" is missing (${file}).`);
    const db = openDatabase(file);
    try {
      migrate(db, workspaceMigrations, { backupDir: this.paths.backups, label: row.name, now: this.now });
    } catch (error) {
      db.close();
      throw error;
    }
    this.handles.set(row.id, db);
    return db;
  }

  create(name: string, demo: { scale: number; seed: number; anchorDate?: string | undefined } | undefined, createdBy: string | null): { workspace: WorkspaceInfo; jobId: string | null } {
    const existing = this.appDb.prepare('SELECT name FROM workspaces WHERE name = ? COLLATE NOCASE').get(name) as { name: string } | undefined;
    if (existing) throw new AppError('conflict', `A workspace named "${existing.name}" already exists; pick another name or delete it first.`, { workspace: name });
    const id = `ws_${randomBytes(6).toString('hex')}`;
    const row: WorkspaceRow = {
      id,
      name,
      kind: 'sqlite',
      file: `${id}.sqlite`,
      status: demo ? 'generating' : 'ready',
      demo_scale: demo?.scale ?? null,
      demo_seed: demo?.seed ?? null,
      created_at: this.now().toISOString(),
      created_by: createdBy,
    };
    if (!demo) {
      const db = openDatabase(this.fileOf(row));
      try {
        migrate(db, workspaceMigrations, { backupDir: this.paths.backups, label: name, now: this.now });
        db.prepare('INSERT INTO workspace_meta (key, value) VALUES (?, ?)').run('name', name);
      } catch (error) {
        db.close();
        this.removeFiles(this.fileOf(row));
        throw error;
      }
      this.handles.set(id, db);
    }
    this.appDb
      .prepare('INSERT INTO workspaces (id, name, kind, file, status, demo_scale, demo_seed, created_at, created_by) VALUES (@id, @name, @kind, @file, @status, @demo_scale, @demo_seed, @created_at, @created_by)')
      .run(row);
    let jobId: string | null = null;
    if (demo) {
      const anchorDate = demo.anchorDate ?? this.now().toISOString().slice(0, 10);
      jobId = this.jobs.start('demo.generate', { workspaceId: id, scale: demo.scale, seed: demo.seed, anchorDate } satisfies DemoJobParams, { workspaceId: id, createdBy }).jobId;
    }
    this.events.emit('workspace.changed', { workspace: name, reason: 'created' });
    return { workspace: this.info(row), jobId };
  }

  delete(name: string): string {
    const row = this.resolve(name);
    const active = this.jobs.activeFor(row.id);
    if (active.length > 0) {
      throw new AppError('conflict', `Workspace "${row.name}" has ${active.length} job(s) running (${active.map((j) => j.kind).join(', ')}); cancel them first.`);
    }
    this.close(row.id);
    this.removeFiles(this.fileOf(row));
    this.appDb.prepare('DELETE FROM workspaces WHERE id = ?').run(row.id);
    this.events.emit('workspace.changed', { workspace: row.name, reason: 'deleted' });
    return row.name;
  }

  dispose(): void {
    for (const id of [...this.handles.keys()]) this.close(id);
  }

  private close(id: string): void {
    const db = this.handles.get(id);
    this.handles.delete(id);
    if (db?.open) checkpointAndClose(db);
  }

  private removeFiles(file: string): void {
    for (const suffix of SIDE_FILES) rmSync(`${file}${suffix}`, { force: true });
  }

  private info(r: WorkspaceRow): WorkspaceInfo {
    const file = this.fileOf(r);
    let size = 0;
    for (const suffix of ['', '-wal']) size += statSync(`${file}${suffix}`, { throwIfNoEntry: false })?.size ?? 0;
    let schemaVersion = 0;
    if (r.status === 'ready' && size > 0) {
      const cached = this.handles.get(r.id);
      if (cached?.open) schemaVersion = cached.pragma('user_version', { simple: true }) as number;
      else {
        // Not opened by this app run yet (it migrates on first open): report what the file says today.
        const db = openDatabase(file, { readonly: true, vectors: false });
        try {
          schemaVersion = db.pragma('user_version', { simple: true }) as number;
        } finally {
          db.close();
        }
      }
    }
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      createdAt: r.created_at,
      schemaVersion,
      sizeBytes: size,
      demo: r.demo_scale === null ? null : { scale: r.demo_scale, seed: r.demo_seed ?? 0 },
      status: r.status,
    };
  }

  /**
   * Generates into <file>.generating and renames it into place only when complete, so a half-written workspace is
   * never visible. After a crash the job restarts from scratch: generation is deterministic for its seed and date.
   */
  private async runDemoJob(params: DemoJobParams, signal: AbortSignal, progress: (p: { phase: string; done: number; total?: number | null; message?: string | null }) => void): Promise<DemoResult> {
    const row = this.byId(params.workspaceId);
    if (!row) throw new AppError('not_found', 'The workspace this demo was for no longer exists.');
    const file = this.fileOf(row);
    const tmp = `${file}.generating`;
    this.removeFiles(tmp);
    try {
      const result = await runTask(
        this.launchWorker,
        'demo.generate',
        { file: tmp, scale: params.scale, seed: params.seed, anchorDate: params.anchorDate, workspaceName: row.name, backupDir: this.paths.backups },
        { signal, onProgress: progress, nativeBinding: getSqliteNativeBinding() },
      );
      this.removeFiles(file);
      renameSync(tmp, file);
      this.appDb.prepare("UPDATE workspaces SET status = 'ready' WHERE id = ?").run(row.id);
      this.events.emit('workspace.changed', { workspace: row.name, reason: 'ready' });
      this.logger.info('demo workspace generated', { workspace: row.name, rows: result.rows, ms: result.ms });
      return result;
    } catch (error) {
      this.removeFiles(tmp);
      // A demo that did not finish leaves no workspace behind; the job keeps the reason.
      this.appDb.prepare('DELETE FROM workspaces WHERE id = ?').run(row.id);
      this.events.emit('workspace.changed', { workspace: row.name, reason: 'failed' });
      throw error;
    }
  }
}
