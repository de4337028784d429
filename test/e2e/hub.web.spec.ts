import { expect, test } from '@playwright/test';
import { invoke, openApp, startFakeServer, type FakeServer } from './helpers';

const WORKSPACE = 'Hub E2E';
const PROVIDER = 'fake-e2e';
const API_KEY = 'sk-e2e-0123456789abcdef';
const ANSWER = 'The three most urgent tickets all concern the Northwind rollout: escalate TCK-1042 first.';

let fake: FakeServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  fake = await startFakeServer();
  // An empty workspace of our own, so this spec does not depend on (or disturb) the others' data.
  await invoke(request, 'workspace.create', { name: WORKSPACE });
});

test.afterAll(async ({ request }) => {
  await invoke(request, 'providers.remove', { name: PROVIDER }).catch(() => undefined);
  await invoke(request, 'workspace.delete', { workspace: WORKSPACE }).catch(() => undefined);
  await fake?.stop();
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
  await dialog.getByRole('textbox', { name: 'Base URL' }).fill(fake.url);
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
  await fake.control('enqueue', { route: 'chat', replies: [{ text: ANSWER, chunkSize: 6, usage: { prompt_tokens: 200, completion_tokens: 1000 } }] });
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
  // Plausible usage for the request (reported usage beyond what was sent or allowed is clamped, ADR 0091).
  await expect(page.getByTestId('meta-tokens')).toHaveText('200 / 1,000');
  // 200 × $0.15/M + 1,000 × $0.60/M
  await expect(page.getByTestId('meta-cost')).toHaveText('$0.00063');
  await expect(page.getByTestId('meta-latency')).toHaveText(/\d+ ms|\d+\.\d+ s/);

  // The call is recorded: it shows under Usage & Costs.
  await page.getByRole('tab', { name: 'Usage & Costs' }).click();
  await expect(page.getByTestId('card-calls')).toContainText('1');
  await expect(page.getByTestId('usage-row').first()).toContainText(PROVIDER);
});
