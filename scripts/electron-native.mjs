// Builds better-sqlite3 for Electron's ABI into .native/electron-<abi>/, leaving node_modules' copy (Node's ABI,
// used by tests, the CLI and the web host) untouched. The app selects it with better-sqlite3's `nativeBinding`
// option (src/main/electron/paths.ts). See docs/decisions/0002-native-modules.md.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, electronVersion } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const version = electronVersion();
const exe = electronBinary();
if (!version || !exe) process.exit(0);

const abi = execFileSync(exe, ['-p', 'process.versions.modules'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }).toString().trim();
const outDir = join(root, '.native', `electron-${abi}`);
const target = join(outDir, 'better_sqlite3.node');
if (existsSync(target) && !process.argv.includes('--force')) process.exit(0);

const srcDir = dirname(require.resolve('better-sqlite3/package.json'));
const work = join(root, '.native', 'build-better-sqlite3');
rmSync(work, { recursive: true, force: true });
cpSync(srcDir, work, { recursive: true, filter: (p) => !p.includes(`${srcDir}/build`) });
process.stdout.write(`Building better-sqlite3 for Electron ${version} (ABI ${abi})…\n`);
const nodeGyp = join(dirname(require.resolve('node-gyp/package.json')), 'bin', 'node-gyp.js');
try {
  // prebuild-install fetches a ready binary when it can; node-gyp compiles against Electron's headers otherwise.
  try {
    execFileSync(process.execPath, [require.resolve('prebuild-install/bin.js'), '--runtime=electron', `--target=${version}`, '--arch', process.arch], { cwd: work, stdio: 'inherit' });
  } catch {
    execFileSync(process.execPath, [nodeGyp, 'rebuild', '--release', '--runtime=electron', `--target=${version}`, '--dist-url=https://electronjs.org/headers'], { cwd: work, stdio: 'inherit' });
  }
  mkdirSync(outDir, { recursive: true });
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  process.stdout.write(`Electron build of better-sqlite3 ready: ${target}\n`);
} catch (error) {
  process.stderr.write(`Could not build better-sqlite3 for Electron (${error.message.split('\n')[0]}). It needs internet access once for Electron's headers.\n`);
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
