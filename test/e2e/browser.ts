import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

/** What to tell a person whose machine has no browser for the end-to-end tests and where none could be installed. */
export const NO_BROWSER_MESSAGE =
  'No Chromium found for the end-to-end tests, and none could be installed here. Install one: `sudo apt-get install chromium` ' +
  '(Debian/Ubuntu), or `npx playwright install chromium` (needs internet), or point CHROMIUM_PATH at a Chrome/Chromium binary; then run `npm test` again.';

/**
 * Where the end-to-end browser is: CHROMIUM_PATH, else a system Chromium/Chrome (a path), else Playwright's own
 * downloaded browser (`'bundled'`), else `null`.
 */
export function findChromium(): string | 'bundled' | null {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const system = SYSTEM_CHROMIUM.find((p) => existsSync(p));
  if (system) return system;
  let bundled: string;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = '';
  }
  return bundled && existsSync(bundled) ? 'bundled' : null;
}

/**
 * The system Chromium where there is one; otherwise Playwright's own browser if installed (undefined: Playwright's
 * default); otherwise a clear instruction. `npm run test:e2e` first runs scripts/ensure-browser.ts, which installs one
 * where it can.
 */
export function chromiumExecutable(): string | undefined {
  const found = findChromium();
  if (found === null) throw new Error(NO_BROWSER_MESSAGE);
  return found === 'bundled' ? undefined : found;
}

/** How the test command gets a browser when there is none: the steps to try, in order. */
export type BrowserStep = 'apt' | 'playwright';

/**
 * The install steps worth trying on this machine: Debian's package when running as root (or with sudo) where apt-get
 * exists, then Playwright's download (works where the network allows). The caller re-checks `findChromium` after each.
 */
export function browserInstallSteps(machine: { isRoot: boolean; hasSudo: boolean; hasApt: boolean; platform: string }): BrowserStep[] {
  const steps: BrowserStep[] = [];
  if (machine.platform === 'linux' && machine.hasApt && (machine.isRoot || machine.hasSudo)) steps.push('apt');
  steps.push('playwright');
  return steps;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
