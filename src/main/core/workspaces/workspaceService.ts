import { randomBytes } from 'node:crypto';
import { renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionReport, TeamSchemaInfo, WorkspaceInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { DataPaths } from '../app/appDb';
import { maskUrl, type PostgresLocation, type WorkspaceLocation } from '../db/location';
import { cannotCreateSchema, probePostgres, serverOf } from '../db/postgresConnection';
import { getSqliteNativeBinding, type Db } from '../db/open';
import { createPostgresSchema, createSqliteStore, dropPostgresSchema, openPostgresStore, removeSqliteFiles, sqliteFileSchemaVersion, type StoreOptions, type WorkspaceStore } from '../db/workspaceStore';
import type { EventBus } from '../eventBus';
import type { JobService } from '../jobs/jobService';
import { isShutdown } from '../jobs/shutdown';
import type { Logger } from '../logger';
import { createWorkspaceRepos } from '../repositories';
import type { SecretCipher, WorkerLauncher } from '../ports';
import { runTask } from '../workers/runTask';
import { restoreSqliteFile, type BackupFileInfo } from '../db/backup';
import type { DemoResult } from '../demo/task';
import { OpenWorkspaces } from './openWorkspaces';
import { legacyUnavailable, type WorkspaceContext, type WorkspaceIdentity, type WorkspaceLease } from './workspaceContext';

export interface WorkspaceRow {
  id: string;
  name: string;
  kind: 'sqlite' | 'postgres';
  /** SQLite: the workspace file. PostgreSQL: this machine's search-index file. Both relative to <data>/workspaces. */
  file: string;
  status: 'ready' | 'generating' | 'failed';
  demo_scale: number | null;
  demo_seed: number | null;
  created_at: string;
  created_by: string | null;
  /** PostgreSQL: the connection string, encrypted by the host's SecretCipher. */
  pg_url_enc?: string | null;
  pg_schema?: string | null;
}

/** Where `create` puts a new workspace. Tests pick PostgreSQL with TEST_DB_ENGINE=postgres (test/fixtures/core.ts). */
export type NewWorkspaceTarget = { engine: 'sqlite' } | { engine: 'postgres'; url: string };

export interface WorkspaceServiceOptions {
  secrets?: SecretCipher | undefined;
  appVersion?: string | undefined;
  /** Default engine of new workspaces (default SQLite). */
  newWorkspaces?: NewWorkspaceTarget | undefined;
  /** How long deleting waits for requests that still hold the workspace. */
  deleteWaitMs?: number | undefined;
}

interface DemoJobParams {
  workspaceId: string;
  scale: number;
  seed: number;
  anchorDate: string;
}

/**
 * The registry of workspaces and the one cache of open ones. A workspace is a SQLite file under <data>/workspaces or
 * a schema on a PostgreSQL server (ADR 0050); either is opened once, migrated the first time this app version opens
 * it, and reached through a ref-counted WorkspaceContext.
 */
export class WorkspaceService {
  private readonly cache: OpenWorkspaces;

  constructor(
    private readonly appDb: Db,
    private readonly paths: DataPaths,
    private readonly jobs: JobService,
    private readonly events: EventBus,
    private readonly logger: Logger,
    private readonly now: () => Date,
    private readonly launchWorker: WorkerLauncher,
    private readonly options: WorkspaceServiceOptions = {},
  ) {
    this.cache = new OpenWorkspaces((identity) => this.storeOptions(identity), logger);
    this.jobs.register<DemoJobParams, DemoResult>('demo.generate', {
      resumable: true,
      blocksWorkspace: true,
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

  /** Where the workspace's data lives (decrypted): what worker tasks receive instead of a file path. */
  locationOf(row: WorkspaceRow): WorkspaceLocation {
    if (row.kind === 'postgres') {
      if (!row.pg_url_enc || !row.pg_schema) throw new AppError('internal', `Workspace "${row.name}" has no PostgreSQL connection recorded.`);
      if (!this.options.secrets) throw new AppError('internal', 'No secret cipher is configured to read the connection string.');
      return { engine: 'postgres', url: this.options.secrets.decrypt(row.pg_url_enc), schema: row.pg_schema };
    }
    return { engine: 'sqlite', file: this.localFile(row) };
  }

  /**
   * TRANSITIONAL (issue 9): the file of a SQLite workspace, for worker tasks not yet given a location. Throws for
   * PostgreSQL workspaces, whose local file is only the search index.
   */
  fileOf(row: Pick<WorkspaceRow, 'file' | 'name'> & { kind?: WorkspaceRow['kind'] }): string {
    if (row.kind === 'postgres') throw legacyUnavailable(row.name);
    return join(this.paths.workspaces, row.file);
  }

  /**
   * A held context for one request or one job, resolved once: release it when done (dispatch does this for
   * handlers). Deleting the workspace waits while contexts are held.
   */
  async acquire(name: string): Promise<WorkspaceLease> {
    return this.cache.acquire(this.identity(this.resolve(name)));
  }

  async acquireById(id: string): Promise<WorkspaceLease> {
    const row = this.byId(id);
    if (!row) throw new AppError('not_found', 'The workspace no longer exists.', { workspaceId: id });
    return this.cache.acquire(this.identity(row));
  }

  /** Runs `fn` with a held context and releases it afterwards, however `fn` ends. */
  async withWorkspace<T>(name: string, fn: (ctx: WorkspaceContext) => Promise<T> | T): Promise<T> {
    const lease = await this.acquire(name);
    try {
      return await fn(lease.context);
    } finally {
      lease.release();
    }
  }

  /**
   * TRANSITIONAL (issue 9): the raw better-sqlite3 handle of a ready SQLite workspace, for services not yet moved to
   * repositories; the same handle the workspace's Kysely instance runs on. New code takes a WorkspaceContext.
   * Throws a clear error for PostgreSQL workspaces.
   */
  open(name: string): Db {
    return this.openRow(this.resolve(name));
  }

  /** TRANSITIONAL (issue 9): see `open`. */
  openRow(row: WorkspaceRow): Db {
    if (row.status === 'generating') {
      throw new AppError('unavailable', `Workspace "${row.name}" is still being generated; it opens when the demo data is ready.`, { workspace: row.name });
    }
    if (row.kind === 'postgres') throw legacyUnavailable(row.name);
    return this.cache.openSqliteSync({ ...this.identity(row), location: { engine: 'sqlite', file: this.localFile(row) } }).sqlite!;
  }

  /**
   * Creates an empty workspace, or starts generating a demo one. `target` picks the engine (default: the service's
   * `newWorkspaces` option, else SQLite). On PostgreSQL the workspace is a new schema named after its id.
   */
  async create(name: string, demo: { scale: number; seed: number; anchorDate?: string | undefined } | undefined, createdBy: string | null, target: NewWorkspaceTarget = this.options.newWorkspaces ?? { engine: 'sqlite' }): Promise<{ workspace: WorkspaceInfo; jobId: string | null }> {
    this.assertNameFree(name);
    if (target.engine === 'postgres') {
      // The connection test first: a refused connection, bad credentials or a missing privilege get their own message.
      const report = await this.testConnection(target.url);
      if (!report.canCreateSchema) throw cannotCreateSchema(report);
    }
    const id = `ws_${randomBytes(6).toString('hex')}`;
    const row: WorkspaceRow = {
      id,
      name,
      kind: target.engine,
      file: target.engine === 'sqlite' ? `${id}.sqlite` : `${id}.index.sqlite`,
      status: demo ? 'generating' : 'ready',
      demo_scale: demo?.scale ?? null,
      demo_seed: demo?.seed ?? null,
      created_at: this.now().toISOString(),
      created_by: createdBy,
      pg_url_enc: null,
      pg_schema: null,
    };
    let store: WorkspaceStore | null = null;
    if (target.engine === 'postgres') {
      if (!this.options.secrets) throw new AppError('internal', 'No secret cipher is configured to store the connection string.');
      const location: PostgresLocation = { engine: 'postgres', url: target.url, schema: id };
      row.pg_url_enc = this.options.secrets.encrypt(target.url);
      row.pg_schema = id;
      await createPostgresSchema(location, { label: name });
      try {
        store = await openPostgresStore(location, this.storeOptions(this.identity(row)));
        // A demo writes the name with the rest of its data, in the same transaction.
        if (!demo) await this.initialise(store, name);
      } catch (error) {
        await store?.close().catch(() => {});
        await dropPostgresSchema(location, { label: name }).catch(() => {});
        throw error;
      }
    } else if (!demo) {
      const file = this.localFile(row);
      store = createSqliteStore({ engine: 'sqlite', file }, this.storeOptions(this.identity(row)));
      try {
        await this.initialise(store, name);
      } catch (error) {
        await store.close().catch(() => {});
        removeSqliteFiles(file);
        throw error;
      }
    }
    try {
      // Checked again here: a create for the same name may have finished while this one awaited the database.
      this.assertNameFree(name);
      this.insertRow(row);
    } catch (error) {
      await store?.close().catch(() => {});
      if (row.kind === 'postgres') await dropPostgresSchema(this.locationOf(row) as PostgresLocation, { label: name }).catch(() => {});
      else this.removeFiles(this.localFile(row));
      throw error;
    }
    if (store) this.cache.adopt(id, store);
    let jobId: string | null = null;
    if (demo) {
      const anchorDate = demo.anchorDate ?? this.now().toISOString().slice(0, 10);
      jobId = this.jobs.start('demo.generate', { workspaceId: id, scale: demo.scale, seed: demo.seed, anchorDate } satisfies DemoJobParams, { workspaceId: id, createdBy }).jobId;
    }
    this.events.emit('workspace.changed', { workspace: name, reason: 'created' });
    return { workspace: this.info(row), jobId };
  }

  /**
   * Restores a backup file as a new SQLite workspace named `name`: the file is copied (never moved, never over an
   * existing workspace), verified, registered, and migrated when first opened (with the usual pre-migration copy).
   */
  async restore(name: string, backupFile: string, createdBy: string | null): Promise<{ workspace: WorkspaceInfo; verified: BackupFileInfo }> {
    this.assertNameFree(name);
    const id = `ws_${randomBytes(6).toString('hex')}`;
    const row: WorkspaceRow = { id, name, kind: 'sqlite', file: `${id}.sqlite`, status: 'ready', demo_scale: null, demo_seed: null, created_at: this.now().toISOString(), created_by: createdBy, pg_url_enc: null, pg_schema: null };
    const file = this.localFile(row);
    const verified = await restoreSqliteFile(backupFile, file);
    try {
      this.assertNameFree(name);
      this.appDb
        .prepare(
          'INSERT INTO workspaces (id, name, kind, file, status, demo_scale, demo_seed, created_at, created_by, pg_url_enc, pg_schema) VALUES (@id, @name, @kind, @file, @status, @demo_scale, @demo_seed, @created_at, @created_by, @pg_url_enc, @pg_schema)',
        )
        .run(row);
    } catch (error) {
      this.removeFiles(file);
      throw error;
    }
    try {
      // The copy still carries the old workspace's name; opening it here also migrates it to this app's schema.
      await this.withWorkspace(name, (ctx) => ctx.repos.meta.set('name', name));
    } catch (error) {
      this.appDb.prepare('DELETE FROM workspaces WHERE id = ?').run(id);
      await this.cache.retire(id, name, 0).catch(() => {});
      this.cache.forget(id);
      this.removeFiles(file);
      throw error;
    }
    this.events.emit('workspace.changed', { workspace: name, reason: 'created' });
    return { workspace: this.info(row), verified };
  }

  /**
   * The connection test (workspace.testConnection; create and attach run it first): reachability, credentials,
   * database, TLS, privileges and, for a named schema, whether this app can open it. Throws a typed AppError whose
   * details.reason names the failed check.
   */
  async testConnection(url: string, schema?: string): Promise<ConnectionReport> {
    return probePostgres(url, { schema, appVersion: this.options.appVersion ?? '0.0.0', attached: this.attachedSchemas(url) });
  }

  /**
   * Joins an existing team workspace: registers a schema on a PostgreSQL server under a local name (opening it
   * migrates it if this app is newer; a schema from a newer app is refused). Without `schema`, the workspace whose
   * recorded name equals `name` is joined; if none does, nothing is attached and the workspace schemas are listed.
   */
  async attach(name: string, url: string, schema: string | undefined, createdBy: string | null): Promise<{ workspace: WorkspaceInfo | null; schemas: TeamSchemaInfo[] }> {
    this.assertNameFree(name);
    if (!this.options.secrets) throw new AppError('internal', 'No secret cipher is configured to store the connection string.');
    const listed = await this.testConnection(url);
    const chosen = schema ?? pickSchema(listed.schemas, name);
    if (!chosen) return { workspace: null, schemas: listed.schemas };
    const report = await probePostgres(url, { schema: chosen, appVersion: this.options.appVersion ?? '0.0.0', attached: this.attachedSchemas(url), label: name });
    const target = report.schemas.find((s) => s.schema === chosen)!;
    if (target.attachedAs) throw new AppError('conflict', `That team workspace is already attached on this machine as "${target.attachedAs}".`, { workspace: target.attachedAs });
    const id = /^ws_[a-z0-9_]{1,60}$/.test(chosen) && !this.byId(chosen) ? chosen : `ws_${randomBytes(6).toString('hex')}`;
    const row: WorkspaceRow = {
      id,
      name,
      kind: 'postgres',
      file: `${id}.index.sqlite`,
      status: 'ready',
      demo_scale: null,
      demo_seed: null,
      created_at: this.now().toISOString(),
      created_by: createdBy,
      pg_url_enc: this.options.secrets.encrypt(url),
      pg_schema: chosen,
    };
    const location: PostgresLocation = { engine: 'postgres', url, schema: chosen };
    const store = await openPostgresStore(location, this.storeOptions(this.identity(row)));
    try {
      this.assertNameFree(name);
      this.insertRow(row);
    } catch (error) {
      await store.close().catch(() => {});
      throw error;
    }
    this.cache.adopt(id, store);
    this.logger.info('team workspace attached', { workspace: name, server: maskUrl(url), schema: chosen });
    this.events.emit('workspace.changed', { workspace: name, reason: 'created' });
    return { workspace: this.info(row), schemas: report.schemas.map((s) => (s.schema === chosen ? { ...s, attachedAs: name } : s)) };
  }

  /**
   * Forgets a team workspace on this machine: closes it, removes the registry entry, the stored connection string and
   * the local search index. The schema and its data stay on the server for the other members (delete drops them).
   */
  async detach(name: string): Promise<string> {
    const row = this.resolve(name);
    if (row.kind !== 'postgres') throw new AppError('validation', `Workspace "${row.name}" is a local SQLite file, not a team workspace: delete it instead.`);
    const active = this.jobs.activeFor(row.id);
    if (active.length > 0) throw new AppError('conflict', `Workspace "${row.name}" has ${active.length} job(s) running (${active.map((j) => j.kind).join(', ')}); cancel them first.`);
    await this.cache.retire(row.id, row.name, this.options.deleteWaitMs ?? 10_000);
    try {
      this.removeFiles(this.localFile(row));
      this.appDb.prepare('DELETE FROM workspaces WHERE id = ?').run(row.id);
    } finally {
      this.cache.forget(row.id);
    }
    this.events.emit('workspace.changed', { workspace: row.name, reason: 'deleted' });
    return row.name;
  }

  /** Schemas already attached on this machine for the same server and database, by schema → local name. */
  private attachedSchemas(url: string): Map<string, string> {
    const want = serverOf(url);
    const out = new Map<string, string>();
    for (const r of this.appDb.prepare("SELECT * FROM workspaces WHERE kind = 'postgres'").all() as WorkspaceRow[]) {
      const server = this.serverInfo(r);
      if (server && server.host === want.host && server.port === want.port && server.database === want.database) out.set(server.schema, r.name);
    }
    return out;
  }

  private serverInfo(r: WorkspaceRow): { host: string; port: number; database: string; schema: string } | null {
    if (r.kind !== 'postgres' || !r.pg_url_enc || !r.pg_schema || !this.options.secrets) return null;
    try {
      const { host, port, database } = serverOf(this.options.secrets.decrypt(r.pg_url_enc));
      return { host, port, database, schema: r.pg_schema };
    } catch {
      return null;
    }
  }

  private insertRow(row: WorkspaceRow): void {
    this.appDb
      .prepare(
        'INSERT INTO workspaces (id, name, kind, file, status, demo_scale, demo_seed, created_at, created_by, pg_url_enc, pg_schema) VALUES (@id, @name, @kind, @file, @status, @demo_scale, @demo_seed, @created_at, @created_by, @pg_url_enc, @pg_schema)',
      )
      .run(row);
  }

  /**
   * Deletes a workspace: its file (SQLite) or its schema (PostgreSQL) and this machine's index file. Refuses while
   * jobs run on it; waits for requests still holding it (up to deleteWaitMs), then refuses if they do not finish.
   */
  async delete(name: string, options: { waitMs?: number } = {}): Promise<string> {
    const row = this.resolve(name);
    const active = this.jobs.activeFor(row.id);
    if (active.length > 0) {
      throw new AppError('conflict', `Workspace "${row.name}" has ${active.length} job(s) running (${active.map((j) => j.kind).join(', ')}); cancel them first.`);
    }
    await this.cache.retire(row.id, row.name, options.waitMs ?? this.options.deleteWaitMs ?? 10_000);
    try {
      if (row.kind === 'postgres') await dropPostgresSchema(this.locationOf(row) as PostgresLocation, { label: row.name });
      this.removeFiles(this.localFile(row));
      this.appDb.prepare('DELETE FROM workspaces WHERE id = ?').run(row.id);
    } finally {
      this.cache.forget(row.id);
    }
    this.events.emit('workspace.changed', { workspace: row.name, reason: 'deleted' });
    return row.name;
  }

  /** How many contexts hold the workspace now (diagnostics and tests). */
  holders(name: string): number {
    return this.cache.holders(this.resolve(name).id);
  }

  /** Closes every open workspace (flushing SQLite's WAL into the file, ending PostgreSQL pools). */
  async dispose(): Promise<void> {
    await this.cache.closeAll();
  }

  private assertNameFree(name: string): void {
    const existing = this.appDb.prepare('SELECT name FROM workspaces WHERE name = ? COLLATE NOCASE').get(name) as { name: string } | undefined;
    if (existing) throw new AppError('conflict', `A workspace named "${existing.name}" already exists; pick another name or delete it first.`, { workspace: name });
  }

  private async initialise(store: WorkspaceStore, name: string): Promise<void> {
    await createWorkspaceRepos(store.db, store.dialect).meta.set('name', name);
  }

  private identity(row: WorkspaceRow): WorkspaceIdentity {
    return { id: row.id, name: row.name, engine: row.kind, location: this.locationOf(row), status: row.status };
  }

  private storeOptions(identity: WorkspaceIdentity): StoreOptions {
    return {
      label: identity.name,
      backupDir: this.paths.backups,
      appVersion: this.options.appVersion ?? '0.0.0',
      now: this.now,
      indexFile: identity.engine === 'postgres' ? join(this.paths.workspaces, `${identity.id}.index.sqlite`) : undefined,
      pool: { onError: (error) => this.logger.warn('a PostgreSQL connection failed while idle', { workspace: identity.name, error: error.message }) },
    };
  }

  private localFile(row: Pick<WorkspaceRow, 'file'>): string {
    return join(this.paths.workspaces, row.file);
  }

  private removeFiles(file: string): void {
    removeSqliteFiles(file);
  }

  private info(r: WorkspaceRow): WorkspaceInfo {
    const file = this.localFile(r);
    let size = 0;
    for (const suffix of ['', '-wal']) size += statSync(`${file}${suffix}`, { throwIfNoEntry: false })?.size ?? 0;
    let schemaVersion = 0;
    const open = this.cache.peek(r.id);
    if (r.kind === 'postgres') {
      // The server's size and version need a round trip; this reports what this process last saw, and the local
      // index file's size.
      schemaVersion = open?.migration.to ?? 0;
    } else if (r.status === 'ready' && size > 0) {
      // Not opened by this app run yet (it migrates on first open): report what the file says today.
      schemaVersion = open?.sqlite?.open ? open.migration.to : sqliteFileSchemaVersion(file);
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
      server: this.serverInfo(r),
    };
  }

  /**
   * Generates into <file>.generating and renames it into place only when complete, so a half-written workspace is
   * never visible. After a crash the job restarts from scratch: generation is deterministic for its seed and date.
   */
  private async runDemoJob(params: DemoJobParams, signal: AbortSignal, progress: (p: { phase: string; done: number; total?: number | null; message?: string | null }) => void): Promise<DemoResult> {
    const row = this.byId(params.workspaceId);
    if (!row) throw new AppError('not_found', 'The workspace this demo was for no longer exists.');
    if (row.kind === 'postgres') return this.runPostgresDemoJob(row, params, signal, progress);
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
      // Quitting is not failing: the workspace stays 'generating' and the job resumes at the next start (of the app
      // or the CLI), exactly as after kill -9. Generation restarts from scratch; it is deterministic.
      if (isShutdown(signal)) throw error;
      // A demo that did not finish leaves no workspace behind; the job keeps the reason.
      this.appDb.prepare('DELETE FROM workspaces WHERE id = ?').run(row.id);
      this.events.emit('workspace.changed', { workspace: row.name, reason: 'failed' });
      throw error;
    }
  }

  /**
   * A demo on PostgreSQL: generated into a local staging file (the same deterministic generator and foreign-key
   * check as on SQLite), then copied into the workspace's schema in one transaction (db/postgresBulk.ts). A crash or
   * cancel leaves the schema empty; the resumed job starts again from scratch.
   */
  private async runPostgresDemoJob(row: WorkspaceRow, params: DemoJobParams, signal: AbortSignal, progress: (p: { phase: string; done: number; total?: number | null; message?: string | null }) => void): Promise<DemoResult> {
    const staging = join(this.paths.workspaces, `${row.id}.demo-staging.sqlite`);
    const target = this.locationOf(row) as PostgresLocation;
    this.removeFiles(staging);
    try {
      const result = await runTask(
        this.launchWorker,
        'demo.generate',
        { file: staging, scale: params.scale, seed: params.seed, anchorDate: params.anchorDate, workspaceName: row.name, backupDir: this.paths.backups, target },
        { signal, onProgress: progress, nativeBinding: getSqliteNativeBinding() },
      );
      this.appDb.prepare("UPDATE workspaces SET status = 'ready' WHERE id = ?").run(row.id);
      this.events.emit('workspace.changed', { workspace: row.name, reason: 'ready' });
      this.logger.info('demo workspace generated on PostgreSQL', { workspace: row.name, rows: result.rows, ms: result.ms });
      return result;
    } catch (error) {
      await this.cache.retire(row.id, row.name, 0).catch(() => {});
      this.cache.forget(row.id);
      await dropPostgresSchema(target, { label: row.name }).catch(() => {});
      this.appDb.prepare('DELETE FROM workspaces WHERE id = ?').run(row.id);
      this.events.emit('workspace.changed', { workspace: row.name, reason: 'failed' });
      throw error;
    } finally {
      this.removeFiles(staging);
      this.removeFiles(`${staging}.generating`);
    }
  }
}

/** The workspace schema whose recorded name is `name` (case-insensitive), when exactly one is. */
function pickSchema(schemas: readonly TeamSchemaInfo[], name: string): string | undefined {
  const matches = schemas.filter((s) => s.name !== null && s.name.localeCompare(name, undefined, { sensitivity: 'accent' }) === 0 && s.attachedAs === null);
  return matches.length === 1 ? matches[0]!.schema : undefined;
}
