import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { _electron as electron, expect, test } from '@playwright/test';
// @ts-expect-error -- plain .mjs helper shared with the npm scripts
import { electronBinary } from '../../scripts/electron-binary.mjs';

const binary = (electronBinary as () => string | null)();
const SKIP_REASON = 'Electron binary not installed here (npm install cannot download it offline); run `npx install-electron --no` to enable this test.';

test.describe('Electron app smoke test', () => {
  test.skip(!binary, SKIP_REASON);

  test('opens the window, the bridge answers, and the Data page renders', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const app = await electron.launch({
      executablePath: binary!,
      args: [root, `--data-dir=${mkdtempSync(join(tmpdir(), 'idesk-electron-'))}`],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
    });
    try {
      const window = await app.firstWindow();
      await expect(window).toHaveTitle('Intelligence Desk');
      // The renderer has no Node: no require, no process.
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      const list = await window.evaluate(() => (window as unknown as { api: { invoke(r: string, i: unknown): Promise<unknown> } }).api.invoke('workspace.list', {}));
      expect(list).toEqual({ ok: true, result: { workspaces: [] } });
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      await window.getByRole('link', { name: 'Data' }).click();
      await expect(window.getByRole('button', { name: 'Create demo workspace' })).toBeVisible();
    } finally {
      await app.close();
    }
  });
});
