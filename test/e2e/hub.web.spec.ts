import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

const TOKEN = 'e2e-token';
const WORKSPACE = 'Hub E2E';
const PROVIDER = 'fake-e2e';
const API_KEY = 'sk-e2e-0123456789abcdef';
const ANSWER = 'The three most urgent tickets all concern the Northwind rollout: escalate TCK-1042 first.';

let fake: ChildProcess | null = null;
let fakeUrl = '';

/** The fake OpenAI-compatible server in its standalone mode, on a free port; its first stdout line says where. */
async function startFake(): Promise<string> {
  const root = join(import.meta.dirname, '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/fakeOpenAI.ts', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  fake = child;
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`The fake OpenAI server exited (${code}) before it started.`)));
  });
  return (JSON.parse(line) as { url: string }).url;
}

async function invoke(request: APIRequestContext, route: string, input: unknown): Promise<{ ok: boolean; result?: unknown }> {
  const res = await request.post('/api/invoke', { headers: { authorization: `Bearer ${TOKEN}` }, data: { route, input } });
  return (await res.json()) as { ok: boolean; result?: unknown };
}

async function openApp(page: Page, path: string): Promise<void> {
  await page.goto(`/#token=${TOKEN}`);
  await page.goto(`/#${path}`);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  fakeUrl = await startFake();
  // An empty workspace of our own, so this spec does not depend on (or disturb) the others' data.
  await invoke(request, 'workspace.create', { name: WORKSPACE });
});

test.afterAll(async ({ request }) => {
  await invoke(request, 'providers.remove', { name: PROVIDER });
  await invoke(request, 'workspace.delete', { workspace: WORKSPACE });
  if (fake && fake.exitCode === null) {
    const exited = new Promise((resolve) => fake!.once('exit', resolve));
    fake.kill('SIGTERM');
    await exited;
  }
});

test('add a provider pointing at the fake server, test it, and send a playground prompt', async ({ page }) => {
  await openApp(page, '/configuration?tab=providers');
  await page.getByRole('combobox', { name: 'Workspace' }).click();
  await page.getByRole('option', { name: WORKSPACE }).click();
  await expect(page.getByRole('heading', { name: 'Providers' })).toBeVisible();

  // Add: an OpenAI-compatible endpoint with a key and a priced default model.
  await page.getByRole('button', { name: 'Add provider' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add a provider' });
  await dialog.getByRole('radio', { name: 'OpenAI-compatible' }).click();
  await dialog.getByRole('button', { name: 'Add provider' }).click();
  await expect(dialog.getByText('Give the provider a name.')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Name' }).fill(PROVIDER);
  await dialog.getByRole('textbox', { name: 'Base URL' }).fill(fakeUrl);
  await dialog.getByLabel('API key').fill(API_KEY);
  await dialog.getByRole('combobox', { name: 'Default chat model' }).fill('gpt-4o-mini');
  await dialog.getByRole('button', { name: 'Add provider' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId('provider-row').filter({ hasText: PROVIDER });
  await expect(row).toContainText('sk-…cdef');
  await expect(page.getByText(API_KEY)).toHaveCount(0);

  // Test: latency and the fake's model list.
  await row.getByRole('button', { name: `Test ${PROVIDER}` }).click();
  const result = page.getByTestId('provider-test-result');
  await expect(result).toContainText(new RegExp(`${PROVIDER}: connected in \\d+ ms`));
  await expect(result.getByText('fake-chat', { exact: true })).toBeVisible();
  await expect(row).toContainText(/\d+ ms · \d+ models/);

  // Playground: the scripted answer streams in, then where it was answered and what it cost.
  await fetch(`${fakeUrl.replace(/\/v1$/, '')}/__fake/enqueue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ route: 'chat', replies: [{ text: ANSWER, chunkSize: 6, usage: { prompt_tokens: 12000, completion_tokens: 3000 } }] }),
  });
  await page.getByRole('tab', { name: 'Playground' }).click();
  await expect(page.getByRole('combobox', { name: 'Use case' })).toHaveValue('Copilot chat');
  await expect(page.getByLabel('Fallback chain')).toContainText(`${PROVIDER} · gpt-4o-mini`);
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('Which tickets are the most urgent today?');
  await page.getByRole('button', { name: 'Send' }).click();

  await expect(page.getByTestId('playground-output')).toHaveText(ANSWER);
  await expect(page.getByTestId('playground-output')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('meta-endpoint')).toHaveText(PROVIDER);
  await expect(page.getByTestId('meta-model')).toContainText('gpt-4o-mini');
  await expect(page.getByTestId('meta-fallback')).toHaveText('no');
  await expect(page.getByTestId('meta-tokens')).toHaveText('12,000 / 3,000');
  // 12,000 × $0.15/M + 3,000 × $0.60/M
  await expect(page.getByTestId('meta-cost')).toHaveText('$0.0036');
  await expect(page.getByTestId('meta-latency')).toHaveText(/\d+ ms|\d+\.\d+ s/);

  // The call is recorded: it shows under Usage & Costs.
  await page.getByRole('tab', { name: 'Usage & Costs' }).click();
  await expect(page.getByTestId('card-calls')).toContainText('1');
  await expect(page.getByTestId('usage-row').first()).toContainText(PROVIDER);
});
