import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';

export type Db = Database.Database;

let nativeBinding: string | undefined;

/**
 * better-sqlite3 is a native module: Node (tests, CLI, web host) uses the copy npm built, Electron uses a copy
 * built for its own ABI (see docs/decisions/0002-native-modules.md). The host tells us which, once per process.
 */
export function configureSqlite(options: { nativeBinding?: string | undefined }): void {
  nativeBinding = options.nativeBinding;
}

export function getSqliteNativeBinding(): string | undefined {
  return nativeBinding;
}

/** sqlite-vec ships a loadable extension; inside a packaged app it lives in app.asar.unpacked. */
const vecPath = (): string => sqliteVec.getLoadablePath().replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');

export interface OpenOptions {
  readonly?: boolean;
  /** Skip loading sqlite-vec (the app registry does not need it). */
  vectors?: boolean;
}

/** Opens a database with the app's standard settings: WAL, foreign keys, a busy timeout, sqlite-vec loaded. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  try {
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -32000');
    db.pragma('temp_store = MEMORY');
    if (options.vectors !== false) db.loadExtension(vecPath());
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Flushes the WAL into the main file and closes; after this the .sqlite file alone is the whole database. */
export function checkpointAndClose(db: Db): void {
  if (!db.open) return;
  try {
    if (!db.readonly) db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
