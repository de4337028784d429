import { expect, test, type Page } from '@playwright/test';
import { invoke, openWorkspace as open, waitForJob } from './helpers';

const WORKSPACE = 'Search E2E';

let ticket: { id: number; code: string };

const openWorkspace = (page: Page, path: string): Promise<void> => open(page, WORKSPACE, path);

const activeVersion = (page: Page) => page.getByTestId('version-row').filter({ has: page.getByText('active', { exact: true }) });

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  const created = await invoke<{ jobId: string | null }>(request, 'workspace.create', { name: WORKSPACE, demo: { scale: 0.3, seed: 11, anchorDate: '2026-06-15' } });
  await waitForJob(request, created.jobId!);
  const { rows } = await invoke<{ rows: { id: number; code: string }[] }>(request, 'data.browse', { workspace: WORKSPACE, entity: 'tickets', offset: 0, limit: 1, sort: { column: 'id', desc: true } });
  ticket = { id: rows[0]!.id, code: rows[0]!.code };
});

test.afterAll(async ({ request }) => {
  await invoke(request, 'workspace.delete', { workspace: WORKSPACE }).catch(() => undefined);
});

test('the Search page sends people to build an index first', async ({ page }) => {
  await openWorkspace(page, '/search');
  await expect(page.getByTestId('search-no-index')).toBeVisible();
  await page.getByRole('link', { name: 'Go to Embeddings & Index' }).click();
  await expect(page).toHaveURL(/#\/configuration\?tab=index/);
  await expect(page.getByTestId('index-empty')).toBeVisible();
});

test('build an index, build a second version, then roll back', async ({ page, request }) => {
  await openWorkspace(page, '/configuration?tab=index');
  await page.getByTestId('index-empty').getByRole('button', { name: 'Build index' }).click();
  const form = page.getByRole('dialog', { name: 'Build the search index' });
  await expect(form.getByRole('radio', { name: /Built-in lexical/ })).toBeChecked();
  await form.getByRole('button', { name: 'Build index' }).click();
  await expect(page.getByTestId('build-result')).toContainText(/Index v1 ready: [\d,]+ records, [\d,]+ chunks embedded/, { timeout: 60_000 });
  await expect(page.getByTestId('version-row')).toHaveCount(1);
  await expect(activeVersion(page)).toHaveAttribute('data-version', '1');
  await expect(page.getByTestId('quality-score')).toHaveText(/^(0\.9\d\d|1\.000)$/);

  // A second version with another chunking becomes active when ready; the first is kept for rollback.
  await page.getByRole('button', { name: 'Build version' }).click();
  const second = page.getByRole('dialog', { name: 'Build an index version' });
  // Same configuration as v1: the form offers to update it in place; another chunking is a new version.
  await expect(second.getByRole('button', { name: 'Update version 1' })).toBeVisible();
  await second.getByText('Paragraphs', { exact: true }).click();
  await second.getByRole('button', { name: 'Build new version' }).click();
  await expect(page.getByTestId('build-result')).toContainText('Index v2 ready', { timeout: 60_000 });
  await expect(page.getByTestId('version-row')).toHaveCount(2);
  await expect(activeVersion(page)).toHaveAttribute('data-version', '2');

  await page.getByRole('button', { name: 'Roll back' }).click();
  await page.getByRole('dialog', { name: 'Roll back the index?' }).getByRole('button', { name: 'Roll back' }).click();
  await expect(activeVersion(page)).toHaveAttribute('data-version', '1');
  const status = await invoke<{ active: { id: number } | null }>(request, 'vectors.status', { workspace: WORKSPACE });
  expect(status.active?.id).toBe(1);
});

test('search finds a ticket by its exact code, highlights it, filters by source and opens the record', async ({ page }) => {
  await openWorkspace(page, '/search');
  const box = page.getByRole('textbox', { name: 'Search query' });
  await box.fill(ticket.code);
  await box.press('Enter');
  await expect(page).toHaveURL(new RegExp(`q=${ticket.code}`));
  await expect(page.getByTestId('answered-by')).toContainText('index v1');
  const results = page.getByTestId('search-result');
  await expect(results.first()).toContainText(ticket.code);
  await expect(results.first().locator('mark').first()).toHaveText(new RegExp(ticket.code, 'i'));

  // A filter on another source type leaves no ticket among the results.
  await page.getByRole('textbox', { name: 'Search query' }).fill('refund');
  await page.getByRole('textbox', { name: 'Search query' }).press('Enter');
  await expect(results.first()).toBeVisible();
  await page.getByRole('combobox', { name: 'Source types' }).click();
  await page.getByRole('option', { name: 'Conversation', exact: true }).click();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/types=conversations/);
  await expect(page.getByTestId('search-meta')).toBeVisible();
  // Conversations that only resemble "refund" sit below the relevance floor; show them too, the filter is the point here.
  const weak = page.getByRole('button', { name: /^Show \d+ weak match/ }).or(page.getByTestId('floor-divider').getByRole('button', { name: 'Show' }));
  if (await weak.first().isVisible()) await weak.first().click();
  await expect(results.first()).toBeVisible();
  const kinds = await results.locator('[data-testid="result-kind"]').allTextContents();
  expect(kinds.length).toBeGreaterThan(0);
  expect(new Set(kinds.map((k) => k.trim().toLowerCase()))).toEqual(new Set(['conversation']));

  // Back to the code: the result opens its record in the drawer.
  await page.goto(`/#/search?q=${encodeURIComponent(ticket.code)}`);
  await page.getByRole('button', { name: new RegExp(`^Open ticket ${ticket.code}`) }).first().click();
  await expect(page.getByRole('dialog')).toContainText(ticket.code);
});
