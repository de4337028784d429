/**
 * Run by `npm run test:e2e` before Playwright: finds the browser for the end-to-end tests, or installs one where it
 * can (Debian's chromium package when running as root or with sudo, else Playwright's own download), or says exactly
 * what to do and exits non-zero. Nothing is installed when a browser is already there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { browserInstallSteps, findChromium, NO_BROWSER_MESSAGE, type BrowserStep } from '../test/e2e/browser';

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

function run(step: BrowserStep, isRoot: boolean): boolean {
  const sudo = isRoot ? [] : ['sudo', '-n'];
  const exec = (argv: string[]): boolean => {
    process.stdout.write(`$ ${argv.join(' ')}\n`);
    return spawnSync(argv[0]!, argv.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  };
  if (step === 'apt') return exec([...sudo, 'apt-get', 'update', '-qq']) && exec([...sudo, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium']);
  return exec([process.execPath, 'node_modules/@playwright/test/cli.js', 'install', 'chromium']);
}

const found = findChromium();
if (found !== null) {
  process.stdout.write(`End-to-end browser: ${found === 'bundled' ? "Playwright's Chromium" : found}\n`);
} else {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const steps = browserInstallSteps({ isRoot, hasSudo: !isRoot && has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0, hasApt: existsSync('/usr/bin/apt-get'), platform: process.platform });
  let ok = false;
  for (const step of steps) {
    process.stdout.write(`No browser for the end-to-end tests; trying ${step === 'apt' ? "Debian's chromium package" : "Playwright's Chromium download"}…\n`);
    if (run(step, isRoot) && findChromium() !== null) {
      ok = true;
      break;
    }
  }
  if (!ok) {
    process.stderr.write(`${NO_BROWSER_MESSAGE}\n`);
    process.exit(1);
  }
}
