import { existsSync, rmSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { AppError } from '@shared/errors';
import { dialectFor, type Dialect } from './dialect';
import type { Engine, PostgresLocation, SqliteLocation, WorkspaceLocation } from './location';
import { migrate, type MigrateResult } from './migrate';
import { migratePostgres, postgresSchemaVersion } from './migratePostgres';
import { indexFileMigrations, postgresWorkspaceMigrations, sqliteWorkspaceMigrations } from './migrations/workspace';
import { checkpointAndClose, openDatabase, type Db } from './open';
import { createPostgresPool, describePostgresError, postgresKysely, type PostgresPoolOptions } from './postgres';
import type { WorkspaceDatabase } from './schema/workspace';
import { sqliteKysely } from './sqliteKysely';

export interface StoreOptions {
  /** The workspace name, for messages and backup file names. */
  label: string;
  /** Where SQLite keeps its pre-migration copies. */
  backupDir: string;
  /** Recorded with each PostgreSQL migration. */
  appVersion: string;
  now?: () => Date;
  /** PostgreSQL workspaces: the local SQLite file that holds this machine's search index. */
  indexFile?: string;
  pool?: PostgresPoolOptions;
}

/**
 * One open workspace database, whichever engine: the Kysely instance repositories run on, the dialect helpers, and
 * for SQLite the better-sqlite3 handle under it. Opening migrates; closing flushes and releases everything.
 */
export interface WorkspaceStore {
  readonly engine: Engine;
  readonly location: WorkspaceLocation;
  readonly db: Kysely<WorkspaceDatabase>;
  readonly dialect: Dialect;
  /** What opening did to the schema. */
  readonly migration: MigrateResult;
  /** SQLite workspaces: the handle Kysely runs on (the transitional accessor hands it out). Null on PostgreSQL. */
  readonly sqlite: Db | null;
  /**
   * The local search index (sqlite-vec + FTS5), opened and migrated on first use: the workspace file itself for a
   * SQLite workspace, a per-machine file for a PostgreSQL one.
   */
  index(): Db;
  /** The schema version now (another desktop may have migrated a shared schema meanwhile). */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

/** Opens a SQLite workspace file synchronously (the legacy accessor needs it without awaiting). */
export function openSqliteStore(location: SqliteLocation, options: StoreOptions): WorkspaceStore {
  if (!existsSync(location.file)) throw new AppError('not_found', `The database file of workspace "${options.label}" is missing (${location.file}).`);
  const handle = openDatabase(location.file);
  let migration: MigrateResult;
  try {
    migration = migrate(handle, sqliteWorkspaceMigrations, { backupDir: options.backupDir, label: options.label, now: options.now });
  } catch (error) {
    handle.close();
    throw error;
  }
  return sqliteStore(location, handle, migration);
}

/** Creates and migrates a new SQLite workspace file; on failure nothing is left behind. */
export function createSqliteStore(location: SqliteLocation, options: StoreOptions): WorkspaceStore {
  const handle = openDatabase(location.file);
  try {
    const migration = migrate(handle, sqliteWorkspaceMigrations, { backupDir: options.backupDir, label: options.label, now: options.now });
    return sqliteStore(location, handle, migration);
  } catch (error) {
    handle.close();
    removeSqliteFiles(location.file);
    throw error;
  }
}

/** Deletes a SQLite database file with its WAL, shared-memory and journal side files. */
export function removeSqliteFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/** The schema version a SQLite file says it has, without opening it for writing or migrating it. */
export function sqliteFileSchemaVersion(file: string): number {
  const db = openDatabase(file, { readonly: true, vectors: false });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** Wraps a SQLite handle that is already open and migrated. */
export function sqliteStore(location: SqliteLocation, handle: Db, migration: MigrateResult): WorkspaceStore {
  const db = sqliteKysely<WorkspaceDatabase>(handle);
  return {
    engine: 'sqlite',
    location,
    db,
    dialect: dialectFor('sqlite'),
    migration,
    sqlite: handle,
    index: () => handle,
    schemaVersion: async () => handle.pragma('user_version', { simple: true }) as number,
    async close() {
      await db.destroy();
      checkpointAndClose(handle);
    },
  };
}

/**
 * Connects to a PostgreSQL workspace schema and migrates it (under the advisory lock, see migratePostgres). Fails
 * with a message a person can act on when the server, the credentials, the database or the schema are wrong.
 */
export async function openPostgresStore(location: PostgresLocation, options: StoreOptions): Promise<WorkspaceStore> {
  const pool = createPostgresPool(location, options.pool);
  const db = postgresKysely<WorkspaceDatabase>(pool);
  let migration: MigrateResult;
  try {
    migration = await migratePostgres(db, postgresWorkspaceMigrations, { label: options.label, appVersion: options.appVersion, now: options.now });
  } catch (error) {
    await db.destroy().catch(() => {});
    throw AppError.is(error) ? error : describePostgresError(error, location.url);
  }
  return postgresStore(location, db, migration, options);
}

function postgresStore(location: PostgresLocation, db: Kysely<WorkspaceDatabase>, migration: MigrateResult, options: StoreOptions): WorkspaceStore {
  let index: Db | null = null;
  return {
    engine: 'postgres',
    location,
    db,
    dialect: dialectFor('postgres'),
    migration,
    sqlite: null,
    index() {
      if (index?.open) return index;
      if (!options.indexFile) throw new AppError('internal', `Workspace "${options.label}" has no local index file configured.`);
      const handle = openDatabase(options.indexFile);
      try {
        migrate(handle, indexFileMigrations, { backupDir: options.backupDir, label: `${options.label}.index`, now: options.now });
      } catch (error) {
        handle.close();
        throw error;
      }
      index = handle;
      return handle;
    },
    schemaVersion: () => postgresSchemaVersion(db),
    async close() {
      if (index?.open) checkpointAndClose(index);
      await db.destroy();
    },
  };
}

export async function openWorkspaceStore(location: WorkspaceLocation, options: StoreOptions): Promise<WorkspaceStore> {
  return location.engine === 'sqlite' ? openSqliteStore(location, options) : openPostgresStore(location, options);
}

/** Creates an empty workspace schema (refusing one that exists: attaching is a separate, deliberate step). */
export async function createPostgresSchema(location: PostgresLocation, options: Pick<StoreOptions, 'label' | 'pool'>): Promise<void> {
  await withAdminConnection(location, options, async (db) => {
    const exists = (await sql<{ n: number }>`SELECT count(*) AS n FROM information_schema.schemata WHERE schema_name = ${location.schema}`.execute(db)).rows[0]?.n ?? 0;
    if (exists) throw new AppError('conflict', `The PostgreSQL database already has a schema "${location.schema}"; pick another, or attach to it instead.`);
    await sql`CREATE SCHEMA ${sql.id(location.schema)}`.execute(db);
  });
}

/** Drops a workspace schema and everything in it. */
export async function dropPostgresSchema(location: PostgresLocation, options: Pick<StoreOptions, 'label' | 'pool'>): Promise<void> {
  await withAdminConnection(location, options, async (db) => {
    await sql`DROP SCHEMA IF EXISTS ${sql.id(location.schema)} CASCADE`.execute(db);
  });
}

/** A one-connection pool whose search_path is irrelevant (schema-level statements name the schema themselves). */
async function withAdminConnection(location: PostgresLocation, options: Pick<StoreOptions, 'label' | 'pool'>, fn: (db: Kysely<unknown>) => Promise<void>): Promise<void> {
  const db = postgresKysely<unknown>(createPostgresPool(location, { ...options.pool, max: 1 }));
  try {
    await fn(db);
  } catch (error) {
    throw AppError.is(error) ? error : describePostgresError(error, location.url);
  } finally {
    await db.destroy().catch(() => {});
  }
}

