import { expect, test } from '@playwright/test';
import { invoke, openWorkspace, waitForJob } from './helpers';

/**
 * The Reports page in Chromium: pick the weekly sales template, preview it, generate the PDF with progress, and
 * open the history entry (on the web host: its details and a download of the PDF). The demo data is pinned.
 */
const WORKSPACE = 'Reports E2E';

test.beforeAll(async ({ request }) => {
  const created = await invoke<{ jobId: string | null }>(request, 'workspace.create', { name: WORKSPACE, demo: { scale: 0.2, seed: 7, anchorDate: '2026-06-15' } });
  await waitForJob(request, created.jobId!);
});

test('runs the weekly sales report and opens its history entry', async ({ page }) => {
  await openWorkspace(page, WORKSPACE, '/reports');
  await page.getByTestId('template-weekly_sales').click();
  await page.getByLabel('From', { exact: true }).fill('2026-01-05');
  await page.getByLabel('To', { exact: true }).fill('2026-06-14');

  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByTestId('report-preview');
  await expect(preview.getByText('Headline figures').first()).toBeVisible();
  await expect(preview.locator('svg').first()).toBeVisible();

  await page.getByRole('button', { name: 'Generate PDF' }).click();
  await expect(page.getByTestId('job-progress')).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });

  const history = page.getByTestId('report-history');
  const row = history.locator('tbody tr').first();
  await expect(row).toContainText('Weekly sales summary');
  await expect(row).toContainText('ok');
  await expect(row).toContainText('from 2026-01-05, to 2026-06-14');
  await row.click();
  const details = page.getByTestId('report-run-details');
  await expect(details).toContainText('Weekly sales summary');
  await expect(details).toContainText('pages');
  const download = page.waitForEvent('download');
  await details.getByRole('button', { name: 'Download' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^weekly_sales-.*\.pdf$/);
});
