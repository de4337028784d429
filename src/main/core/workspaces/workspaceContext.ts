import { AppError } from '@shared/errors';
import { dialectFor, type Dialect } from '../db/dialect';
import type { Engine, WorkspaceLocation } from '../db/location';
import type { Db } from '../db/open';
import type { WorkspaceKysely, WorkspaceTransaction } from '../db/types';
import type { WorkspaceStore } from '../db/workspaceStore';
import { backupSqliteStore, postgresBackupUnsupported, type BackupFileInfo } from '../db/backup';
import { createWorkspaceRepos, type WorkspaceRepos } from '../repositories';

/** What one transaction sees: the transaction's Kysely instance and repositories bound to it. */
export interface WorkspaceTx {
  readonly db: WorkspaceTransaction;
  readonly dialect: Dialect;
  readonly repos: WorkspaceRepos;
}

/** Per-workspace state another service keeps while the workspace is open (caches, prepared searchers). */
export interface StateSlot {
  value: unknown;
  dispose?: ((value: unknown) => void | Promise<void>) | undefined;
}

/** The part of the open-workspace cache a context reads; one per workspace, shared by every context of it. */
export interface OpenEntry {
  readonly store: WorkspaceStore | null;
  repos: WorkspaceRepos | null;
  readonly state: Map<string, StateSlot>;
}

export interface WorkspaceIdentity {
  id: string;
  name: string;
  engine: Engine;
  location: WorkspaceLocation;
  status: 'ready' | 'generating' | 'failed';
}

/**
 * A workspace resolved once for one request (or one job): who it is, where it lives, and lazily its database,
 * dialect helpers and repositories. `dispatch` builds one for every route whose input names a workspace and releases
 * it when the handler returns; background work takes its own with `workspaces.acquire(name)` / `withWorkspace`.
 * While any context of a workspace is held, deleting the workspace waits.
 */
export class WorkspaceContext {
  readonly id: string;
  readonly name: string;
  readonly engine: Engine;
  /** Serialisable: hand this (not a path) to worker tasks. Holds credentials: log describeLocation(location). */
  readonly location: WorkspaceLocation;
  readonly status: WorkspaceIdentity['status'];
  readonly dialect: Dialect;

  constructor(
    identity: WorkspaceIdentity,
    private readonly entry: OpenEntry,
    /** Why opening failed, if it did: kept until someone needs the database, so routes that do not still work. */
    private readonly openError: unknown,
  ) {
    this.id = identity.id;
    this.name = identity.name;
    this.engine = identity.engine;
    this.location = identity.location;
    this.status = identity.status;
    this.dialect = dialectFor(identity.engine);
  }

  /** The open store, or the reason there is none. */
  private get store(): WorkspaceStore {
    if (this.status === 'generating') {
      throw new AppError('unavailable', `Workspace "${this.name}" is still being generated; it opens when the demo data is ready.`, { workspace: this.name });
    }
    if (this.openError !== null && this.openError !== undefined) throw this.openError;
    if (!this.entry.store) throw new AppError('unavailable', `Workspace "${this.name}" is closed.`, { workspace: this.name });
    return this.entry.store;
  }

  /** Kysely over the workspace's data. Prefer repositories; use this for queries that belong to no repository yet. */
  get db(): WorkspaceKysely {
    return this.store.db;
  }

  get repos(): WorkspaceRepos {
    const store = this.store;
    this.entry.repos ??= createWorkspaceRepos(store.db, store.dialect);
    return this.entry.repos;
  }

  /**
   * Runs `fn` in one transaction; every repository reached through `tx.repos` takes part in it. Await only database
   * work inside: on SQLite the transaction holds the workspace's one connection until it ends.
   */
  transaction<T>(fn: (tx: WorkspaceTx) => Promise<T>): Promise<T> {
    const store = this.store;
    return store.db.transaction().execute((trx) => fn({ db: trx, dialect: store.dialect, repos: createWorkspaceRepos(trx, store.dialect) }));
  }

  /**
   * State another service keeps per open workspace (a ledger, a response cache, a searcher), created on first use and
   * disposed when the workspace closes or is deleted. This is how the per-workspace caches of the gateway, the engine
   * and the vector store fold into the one cache of open workspaces.
   */
  state<T>(key: string, create: () => T, dispose?: (value: T) => void | Promise<void>): T {
    const hit = this.entry.state.get(key);
    if (hit) return hit.value as T;
    const value = create();
    this.entry.state.set(key, { value, dispose: dispose as StateSlot['dispose'] });
    return value;
  }

  /**
   * The local search index (sqlite-vec + FTS5, always SQLite): the workspace file itself for a SQLite workspace, a
   * per-machine file for a PostgreSQL one.
   */
  indexDb(): Db {
    return this.store.index();
  }

  /**
   * A verified copy of the workspace in `dest` (SQLite's online backup: writers keep going), see backupSqliteStore.
   * PostgreSQL workspaces are backed up on the server (pg_dump): a typed error says so.
   */
  backup(dest: string, options: { onProgress?: (done: number, total: number) => void } = {}): Promise<BackupFileInfo> {
    if (this.engine === 'postgres') return Promise.reject(postgresBackupUnsupported(this.name));
    return backupSqliteStore(this.store, dest, { label: this.name, ...options });
  }

  /**
   * TRANSITIONAL (issue 9): the raw better-sqlite3 handle, for services not yet moved to repositories. New code
   * must not call it. It throws for PostgreSQL workspaces, whose data no SQLite handle can reach.
   */
  legacySqlite(): Db {
    const store = this.store;
    if (!store.sqlite) throw legacyUnavailable(this.name);
    return store.sqlite;
  }
}

export const legacyUnavailable = (name: string): AppError =>
  new AppError(
    'unavailable',
    `Workspace "${name}" is on PostgreSQL, and this feature still reads SQLite files directly: it has not moved to the new data layer yet (issue 9). Use a SQLite workspace for it for now.`,
    { workspace: name, engine: 'postgres' },
  );

/** A held context; release it exactly once (release is idempotent). */
export interface WorkspaceLease {
  readonly context: WorkspaceContext;
  release(): void;
}
