import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '@shared/errors';

/**
 * Finds a file shipped in resources/. From source (tsx, tests) it is a few folders above this module; in the
 * electron-vite bundle (out/main) two above; in a packaged app inside app.asar (Electron's fs reads it
 * transparently) or, if unpacked, under process.resourcesPath. An explicit folder wins.
 */
export function findResource(name: string, explicitDir?: string): string {
  const candidates: string[] = [];
  if (explicitDir) candidates.push(join(explicitDir, name));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 7; i++) {
    candidates.push(join(dir, 'resources', name));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(join(resourcesPath, 'resources', name), join(resourcesPath, name), join(resourcesPath, 'app.asar.unpacked', 'resources', name));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new AppError('internal', `The default file ${name} is missing from this installation (looked in ${candidates.slice(0, 3).join(', ')} …).`);
  return found;
}

const cache = new Map<string, string>();

/** Reads (once per process) a text file from resources/. */
export function readResource(name: string, explicitDir?: string): string {
  const key = `${explicitDir ?? ''}|${name}`;
  let text = cache.get(key);
  if (text === undefined) {
    text = readFileSync(findResource(name, explicitDir), 'utf8');
    cache.set(key, text);
  }
  return text;
}
