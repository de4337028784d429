import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDataDir } from '../core/paths';

/** The app's data folder: --data-dir=DIR, then INTELLIGENCE_DESK_HOME, then Electron's userData (same as the CLI's default). */
export function electronDataDir(argv: readonly string[], userData: string): string {
  const flag = argv.find((a) => a.startsWith('--data-dir='));
  return resolveDataDir({ dataDir: flag?.slice('--data-dir='.length), env: { ...process.env, INTELLIGENCE_DESK_HOME: process.env.INTELLIGENCE_DESK_HOME ?? userData } });
}

/**
 * better-sqlite3 built for Electron's ABI (scripts/electron-native.mjs puts it in .native/; electron-builder ships
 * it as an extra resource). Undefined means "use the default build", which only works if it matches.
 */
export function electronSqliteBinding(options: { isPackaged: boolean; resourcesPath: string; appPath: string; abi: string }): string | undefined {
  const file = options.isPackaged
    ? join(options.resourcesPath, 'native', `electron-${options.abi}`, 'better_sqlite3.node')
    : join(options.appPath, '.native', `electron-${options.abi}`, 'better_sqlite3.node');
  return existsSync(file) ? file : undefined;
}
