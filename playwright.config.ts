import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './test/e2e/browser';
import { VOICE_COMMAND_WAV } from './test/e2e/voiceAudio';

const root = import.meta.dirname;
const port = Number(process.env.E2E_PORT ?? 5183);
// Playwright loads this file in its runner and again in every worker: only the first load (no env yet) picks a
// fresh data folder; workers inherit it, so they never wipe the folder the running web host uses.
if (!process.env.E2E_DATA_DIR) {
  process.env.E2E_DATA_DIR = join(root, '.tmp', `e2e-data-${process.pid}`);
  rmSync(join(root, '.tmp'), { recursive: true, force: true, maxRetries: 2 });
}
const dataDir = process.env.E2E_DATA_DIR;
export const E2E_TOKEN = 'e2e-token';

export default defineConfig({
  testDir: './test/e2e',
  globalSetup: './test/e2e/globalSetup.ts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'reports/playwright.json' }]] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'web',
      testMatch: /.*\.web\.spec\.ts/,
      use: { browserName: 'chromium', launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS } },
    },
    {
      // A fake microphone that speaks a command (made by globalSetup), in a browser of its own so other specs keep their flags.
      name: 'voice',
      testMatch: /.*\.voice\.spec\.ts/,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromiumExecutable(),
          args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${VOICE_COMMAND_WAV}`],
        },
      },
    },
    { name: 'electron', testMatch: /.*\.electron\.spec\.ts/ },
  ],
  // The web host runs the real core; the renderer must be built first (npm run test:e2e does that).
  webServer: {
    command: `npx tsx src/main/host/main.ts --port ${port} --data-dir "${dataDir}"`,
    url: `http://127.0.0.1:${port}/`,
    env: { INTELLIGENCE_DESK_WEB_TOKEN: E2E_TOKEN },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
});
