import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BackupInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import { postgresBackupUnsupported, type BackupFileInfo } from '../db/backup';
import type { EventBus } from '../eventBus';
import type { JobService } from '../jobs/jobService';
import type { Logger } from '../logger';
import type { Settings } from '../app/settings';
import type { WorkspaceService } from './workspaceService';

interface BackupJob {
  workspaceId: string;
  file: string;
  /** A scheduled daily backup: afterwards only the newest `keepDaily` daily backups of the workspace are kept. */
  daily?: boolean;
}

const KEEP_SETTING = 'backups.keepDaily';
export const DEFAULT_KEEP_DAILY = 7;

interface RestoreJob {
  file: string;
  name: string;
  createdBy: string | null;
}

export interface BackupResult {
  workspace: string;
  file: string;
  /** The backup's name in the app's backup folder (what workspace.restore takes), or null when written elsewhere. */
  backup: string | null;
  bytes: number;
  tables: number;
  rows: number;
  integrity: 'ok';
}

export interface RestoreResult {
  workspace: string;
  rows: number;
  tables: number;
  integrity: 'ok';
}

/** Backup names in the app's folder: what the renderer may name (never a path). */
export const BACKUP_FILE = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*-\d{8}T\d{6}Z(?:-daily)?\.sqlite$/u;
const PARTS = /^(.*)-(\d{8}T\d{6}Z)(-daily)?\.sqlite$/;

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

/**
 * Backups people make of their own workspaces (ADR 0097): SQLite's online backup while the app runs, verified after
 * writing, kept in <data>/backups/workspaces (or any file the CLI names), and restored only into a new workspace.
 */
export class BackupService {
  readonly dir: string;

  constructor(
    private readonly deps: { backupsDir: string; workspaces: WorkspaceService; jobs: JobService; events: EventBus; logger: Logger; now: () => Date; settings: Settings },
  ) {
    this.dir = join(deps.backupsDir, 'workspaces');
    deps.jobs.register<BackupJob, BackupResult>('workspace.backup', {
      resumable: false,
      run: async (p, ctx) => {
        const row = deps.workspaces.byId(p.workspaceId);
        if (!row) throw new AppError('not_found', 'The workspace to back up no longer exists.');
        ctx.progress({ phase: 'copying', done: 0, total: null });
        const info: BackupFileInfo = await deps.workspaces.withWorkspace(row.name, (ws) =>
          ws.backup(p.file, { onProgress: (done, total) => ctx.progress({ phase: 'copying', done, total, message: 'pages' }) }),
        );
        ctx.progress({ phase: 'verified', done: 1, total: 1, message: `${info.rows.toLocaleString('en-US')} rows in ${info.tables} tables` });
        deps.logger.info('workspace backed up', { workspace: row.name, bytes: info.bytes, rows: info.rows });
        if (p.daily) this.prune(row.name, this.keepDaily());
        return { workspace: row.name, file: p.file, backup: dirname(p.file) === this.dir ? basename(p.file) : null, bytes: info.bytes, tables: info.tables, rows: info.rows, integrity: info.integrity };
      },
    });
    deps.jobs.register<RestoreJob, RestoreResult>('workspace.restore', {
      resumable: false,
      run: async (p, ctx) => {
        ctx.progress({ phase: 'verifying', done: 0, total: null });
        const { workspace, verified } = await deps.workspaces.restore(p.name, p.file, p.createdBy);
        return { workspace: workspace.name, rows: verified.rows, tables: verified.tables, integrity: verified.integrity };
      },
    });
  }

  /** How many daily backups of each workspace are kept. */
  keepDaily(): number {
    const n = this.deps.settings.get<number>(KEEP_SETTING);
    return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : DEFAULT_KEEP_DAILY;
  }

  async setKeepDaily(n: number): Promise<number> {
    await this.deps.settings.set(KEEP_SETTING, n);
    return n;
  }

  /** The scheduled daily backup (schedule kind workspace_backup): a job like any backup, then the oldest dailies go. */
  daily(workspace: string): string {
    return this.backup(workspace, null, undefined, { daily: true }).jobId;
  }

  /** Deletes all but the newest `keep` daily backups of a workspace; backups made by hand are never pruned. */
  prune(workspace: string, keep: number): string[] {
    const old = this.list(workspace)
      .filter((b) => b.daily)
      .slice(keep);
    for (const b of old) rmSync(join(this.dir, b.backup), { force: true });
    return old.map((b) => b.backup);
  }

  /** Starts a backup job. `out`: a file of the caller's choosing (CLI only); by default a new file in the backup folder. */
  backup(workspace: string, createdBy: string | null, out?: string, options: { daily?: boolean } = {}): { jobId: string; file: string } {
    const row = this.deps.workspaces.resolve(workspace);
    if (row.kind === 'postgres') throw postgresBackupUnsupported(row.name);
    if (row.status !== 'ready') throw new AppError('unavailable', `Workspace "${row.name}" is not ready yet (${row.status}); back it up when it is.`);
    let file: string;
    if (out) {
      file = resolve(out);
      if (existsSync(file)) throw new AppError('conflict', `${file} already exists; choose a new file name (a backup never overwrites a file).`);
      if (!existsSync(dirname(file))) throw new AppError('not_found', `The folder ${dirname(file)} does not exist.`);
    } else {
      mkdirSync(this.dir, { recursive: true });
      file = join(this.dir, `${row.name}-${stamp(this.deps.now())}${options.daily ? '-daily' : ''}.sqlite`);
      if (existsSync(file)) throw new AppError('conflict', `A backup of "${row.name}" was made this very second; try again in a moment.`);
    }
    const { jobId } = this.deps.jobs.start('workspace.backup', { workspaceId: row.id, file, daily: options.daily === true } satisfies BackupJob, { workspaceId: row.id, createdBy });
    return { jobId, file };
  }

  /** Backups in the app's backup folder, newest first. */
  list(workspace?: string): BackupInfo[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => BACKUP_FILE.test(f))
      .map((f) => {
        const m = PARTS.exec(f)!;
        const t = m[2]!;
        return {
          backup: f,
          workspace: m[1]!,
          daily: m[3] !== undefined,
          createdAt: `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}Z`,
          sizeBytes: statSync(join(this.dir, f)).size,
        };
      })
      .filter((b) => !workspace || b.workspace.toLowerCase() === workspace.toLowerCase())
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.backup.localeCompare(a.backup));
  }

  /** Starts restoring into a new workspace: `backup` names a file in the backup folder, `file` any file (CLI only). */
  restore(source: { backup: string } | { file: string }, name: string, createdBy: string | null): { jobId: string } {
    let file: string;
    if ('backup' in source) {
      if (!BACKUP_FILE.test(source.backup) || basename(source.backup) !== source.backup) throw new AppError('validation', 'That is not the name of a backup in the backup folder.');
      file = join(this.dir, source.backup);
      if (!existsSync(file)) throw new AppError('not_found', `There is no backup named "${source.backup}"; list them with workspace backups.`);
    } else {
      file = resolve(source.file);
      if (!existsSync(file)) throw new AppError('not_found', `There is no file at ${file}.`);
    }
    // Fail at once (not in the job) when the name is taken: restoring never overwrites a workspace.
    if (this.deps.workspaces.list().some((w) => w.name.toLowerCase() === name.toLowerCase())) {
      throw new AppError('conflict', `A workspace named "${name}" already exists; restore under a new name (restoring never overwrites).`, { workspace: name });
    }
    return this.deps.jobs.start('workspace.restore', { file, name, createdBy } satisfies RestoreJob, { createdBy });
  }
}
