import { expect, test, type Page } from '@playwright/test';

const TOKEN = 'e2e-token';

async function openApp(page: Page, path = '/data'): Promise<void> {
  await page.goto(`/#token=${TOKEN}`);
  await page.goto(`/#${path}`);
}

test.describe.configure({ mode: 'serial' });

test('create a demo workspace from the Data page, with a progress bar', async ({ page }) => {
  await openApp(page);
  await expect(page.getByText('Start with a workspace')).toBeVisible();
  await page.getByRole('button', { name: 'Create demo workspace' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a demo workspace' });
  await dialog.getByLabel('Name').fill('E2E Demo');
  await dialog.getByLabel('Scale').fill('0.3');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByTestId('job-progress')).toBeVisible();
  await expect(page.getByText('Demo workspace ready')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('combobox', { name: 'Workspace' })).toHaveValue('E2E Demo');
  await expect(page.getByTestId('rows-total')).toHaveText(/\d[\d,]* rows/);
});

test('browse tickets: counts, virtualized rows, search, sort and a record', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('count-tickets').click();
  await expect(page.getByTestId('browse-total')).toHaveText(/\d[\d,]* rows/);
  const rows = page.getByTestId('browse-row');
  await expect(rows.first()).toBeVisible();
  const rendered = await rows.count();
  const total = Number((await page.getByTestId('browse-total').textContent())!.split(' ')[0]!.replace(/,/g, ''));
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThanOrEqual(Math.min(total, 80));

  const code = (await rows.first().locator('td').nth(1).textContent())!.trim();
  expect(code).toMatch(/^TCK-\d+$/);
  await page.getByLabel('Search').fill(code);
  await expect(page.getByTestId('browse-total')).toHaveText(/^1 row/);
  await expect(rows).toHaveCount(1);

  await page.getByLabel('Search').fill('');
  await page.getByRole('columnheader', { name: 'Code' }).click();
  await expect(page.getByRole('columnheader', { name: 'Code' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.first().locator('td').nth(1)).toHaveText(/^TCK-0+1$/);

  await rows.first().click();
  await expect(page.getByRole('dialog')).toContainText('Subject');
  await page.keyboard.press('Escape');
});

test('import a CSV with one bad row: the dry run reports it, nothing is written until skipped', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('count-accounts').click();
  // Read the count once it is the accounts' (right after the click the tickets' count can still be on screen).
  await expect(page.getByTestId('browse-total')).toHaveAttribute('data-entity', 'accounts');
  const before = Number((await page.getByTestId('browse-total').textContent())!.split(' ')[0]!.replace(/,/g, ''));
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import CSV' });
  await dialog.getByRole('combobox', { name: 'Import into' }).click();
  await page.getByRole('option', { name: 'Accounts', exact: true }).click();
  const csv = ['name,tier,arr,employees', 'Northwind Traders,enterprise,250000,1200', 'Contoso Ltd,galactic,1000,50', 'Fabrikam,smb,12000,12'].join('\n');
  await dialog.locator('input[type="file"]').setInputFiles({ name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await dialog.getByRole('button', { name: 'Upload', exact: true }).click();

  await expect(dialog.getByRole('combobox', { name: 'CSV column for Name' })).toHaveValue('name');
  await dialog.getByRole('button', { name: 'Check file', exact: true }).click();

  const report = dialog.getByTestId('import-report');
  await expect(report).toContainText('3 rows');
  await expect(report).toContainText('2 valid');
  await expect(report).toContainText('1 bad');
  const errors = dialog.getByTestId('import-errors');
  await expect(errors).toContainText('3');
  await expect(errors).toContainText('Tier');
  await expect(errors).toContainText('galactic');
  const importButton = dialog.getByRole('button', { name: /Import 2 rows/ });
  await expect(importButton).toBeDisabled();

  await dialog.getByLabel(/Skip the 1 bad rows/).check();
  await importButton.click();
  await expect(dialog.getByTestId('import-summary')).toHaveText(/Imported 2 rows, skipped 1/);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('browse-total')).toHaveText(new RegExp(`^${(before + 2).toLocaleString('en-US')} rows`));
});
