import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** The web host's token for the end-to-end run (playwright.config.ts starts the host with it). */
export const TOKEN = 'e2e-token';

/** A running fake OpenAI-compatible server (test/fixtures/fakeOpenAI.ts) in its own process. */
export interface FakeServer {
  /** Its `/v1` base URL, for a provider's baseUrl. */
  url: string;
  /** Posts to its control API (`enqueue`, `reset`, …). */
  control(path: string, body: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/** Starts the fake server in its standalone mode on a free port; its first stdout line says where. */
export async function startFakeServer(): Promise<FakeServer> {
  const root = join(import.meta.dirname, '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/fakeOpenAI.ts', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`The fake OpenAI server exited (${code}) before it started.`)));
  });
  const url = (JSON.parse(line) as { url: string }).url;
  return {
    url,
    control: (path, body) => fetch(`${url.replace(/\/v1$/, '')}/__fake/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Calls a contract route on the web host, as the app would; a refusal throws with the host's message. */
export async function invoke<T = unknown>(request: APIRequestContext, route: string, input: unknown): Promise<T> {
  const res = await request.post('/api/invoke', { headers: { authorization: `Bearer ${TOKEN}` }, data: { route, input } });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${route}: ${body.error?.message}`);
  return body.result as T;
}

export async function waitForJob(request: APIRequestContext, jobId: string): Promise<void> {
  await expect
    .poll(async () => (await invoke<{ status: string }>(request, 'jobs.get', { jobId })).status, { timeout: 60_000, intervals: [200, 500] })
    .toBe('completed');
}

/** Signs the page in with the token and opens `path`. */
export async function openApp(page: Page, path: string): Promise<void> {
  await page.goto(`/#token=${TOKEN}`);
  await page.goto(`/#${path}`);
}

/** Opens the app, picks `workspace` in the header's switcher, then goes to `path`. */
export async function openWorkspace(page: Page, workspace: string, path: string): Promise<void> {
  await openApp(page, '/insights');
  await page.getByRole('combobox', { name: 'Workspace' }).click();
  await page.getByRole('option', { name: workspace, exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Workspace' })).toHaveValue(workspace);
  if (path !== '/insights') await page.goto(`/#${path}`);
}
