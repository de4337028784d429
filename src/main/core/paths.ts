import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Product name; Electron derives its userData folder from it, and the Node hosts must find the same folder. */
export const PRODUCT_NAME = 'Intelligence Desk';

/**
 * Where app data lives when nothing overrides it: the same folder as Electron's app.getPath('userData').
 * Order: explicit --data-dir, then INTELLIGENCE_DESK_HOME, then the platform default.
 */
export function resolveDataDir(options: { dataDir?: string | undefined; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; home?: string } = {}): string {
  const env = options.env ?? process.env;
  if (options.dataDir) return resolve(options.dataDir);
  if (env.INTELLIGENCE_DESK_HOME) return resolve(env.INTELLIGENCE_DESK_HOME);
  const platform = options.platform ?? process.platform;
  const home = options.home ?? homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
}
