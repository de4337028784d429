import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from '../db/migrate';
import { appMigrations } from '../db/migrations/app';
import { openDatabase, type Db } from '../db/open';

/** Layout of the data directory. Everything the app writes lives under it. */
export interface DataPaths {
  root: string;
  appDb: string;
  workspaces: string;
  backups: string;
  uploads: string;
  logs: string;
  models: string;
}

export function dataPaths(root: string): DataPaths {
  return {
    root,
    appDb: join(root, 'app.sqlite'),
    workspaces: join(root, 'workspaces'),
    backups: join(root, 'backups'),
    uploads: join(root, 'uploads'),
    logs: join(root, 'logs'),
    models: join(root, 'models'),
  };
}

/** Opens (creating and migrating if needed) the app registry database. */
export function openAppDb(paths: DataPaths, now: () => Date): Db {
  for (const dir of [paths.root, paths.workspaces, paths.backups, paths.uploads, paths.logs]) mkdirSync(dir, { recursive: true });
  const db = openDatabase(paths.appDb, { vectors: false });
  try {
    migrate(db, appMigrations, { backupDir: paths.backups, label: 'app', now });
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export { Settings } from './settings';
