import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { invoke, openWorkspace, waitForJob } from './helpers';

/**
 * The Analytics page in Chromium against the real core: a question answered by the built-in patterns (no provider
 * is configured for this workspace's policy), a bar chart and a table, the grain chip re-running the query without
 * asking again, CSV export, and a Dashboard KPI tile opening its answer. The demo is pinned to an anchor date, so
 * "last quarter" is the same quarter on any day.
 */
const WORKSPACE = 'Analytics E2E';
const ANCHOR = '2026-06-15';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  const created = await invoke<{ jobId: string | null }>(request, 'workspace.create', { name: WORKSPACE, demo: { scale: 0.3, seed: 21, anchorDate: ANCHOR } });
  await waitForJob(request, created.jobId!);
});

test.afterAll(async ({ request }) => {
  await invoke(request, 'workspace.delete', { workspace: WORKSPACE }).catch(() => undefined);
});

test('ask "win rate by owner last quarter": a bar chart and a table; change the grain; export CSV', async ({ page, request }) => {
  const expected = await invoke<{ rows: { owner: string | null }[] }>(request, 'analytics.query', { workspace: WORKSPACE, spec: { measures: ['win_rate'], dimensions: ['owner'], timeRange: { preset: 'last_quarter' } } });
  expect(expected.rows.length).toBeGreaterThan(1);

  await openWorkspace(page, WORKSPACE, '/analytics');
  await page.getByTestId('analytics-question').fill('win rate by owner last quarter');
  await page.getByTestId('analytics-ask').click();

  const chart = page.getByTestId('analytics-chart');
  await expect(chart).toHaveAttribute('data-kind', 'bar');
  await expect(chart.locator('canvas, svg').first()).toBeVisible();
  await expect(page.getByTestId('analytics-summary')).toContainText('Win rate overall was');
  await expect(page.getByTestId('analytics-summary')).toContainText('2026-01-01 to 2026-03-31');
  const table = page.getByTestId('analytics-table');
  await expect(table.getByRole('columnheader', { name: 'Owner' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Win rate' })).toBeVisible();
  const firstOwner = expected.rows[0]!.owner!;
  await expect(table.getByRole('cell', { name: firstOwner, exact: true })).toBeVisible();
  await expect(page.getByTestId('analytics-history')).toContainText('win rate by owner last quarter');

  // The grain chip re-runs the spec (no new question): owner × month is a line per owner.
  await page.getByTestId('analytics-grain').click();
  await page.getByRole('option', { name: 'By month' }).click();
  await expect(chart).toHaveAttribute('data-kind', 'line');
  await expect(table.getByRole('columnheader', { name: 'Period (month)' })).toBeVisible();
  await expect(page.getByText('From the edited spec')).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByTestId('analytics-export-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('win_rate-by-owner-month.csv');
  const csv = readFileSync((await file.path())!, 'utf8');
  const [header, ...lines] = csv.trim().split(/\r\n/);
  expect(header).toBe('Owner,Period (month),Win rate');
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.every((l) => /^.+,2026-0[1-3]-01,(\d+(\.\d+)?)?$/.test(l))).toBe(true);
});

test('a Dashboard KPI tile opens its answer on the Analytics page', async ({ page }) => {
  await openWorkspace(page, WORKSPACE, '/');
  const tile = page.getByTestId('kpi-open_tickets');
  await expect(tile).toBeVisible();
  await tile.click();
  await expect(page).toHaveURL(/#\/analytics/);
  await expect(page.getByTestId('analytics-chart')).toHaveAttribute('data-kind', 'kpi');
  await expect(page.getByTestId('analytics-summary')).toContainText('Open tickets was');
});
