import { expect, test, type Page } from '@playwright/test';
import { invoke, openWorkspace, startFakeServer, waitForJob, type FakeServer } from './helpers';

/**
 * The Data, Insights and Search pages as people use them: names instead of ids, codes instead of internal ids,
 * filters that survive a reload, the keyboard and the command palette, an honest "no good match", and 1024×700.
 * The demo workspace is pinned to an anchor date, so nothing depends on today's date.
 */
const WORKSPACE = 'UX E2E';
const ANCHOR = '2026-03-31';
const PROVIDER = 'fake-ux';

let fake: FakeServer;
let ticket: { id: number; code: string; account_id: number };
let accountName: string;

const analystAnswer = (id: number): string =>
  JSON.stringify({
    summary: 'Locked out before an approval deadline; unlock and confirm today.',
    confidence: 0.81,
    recommendations: [{ action: 'Unlock the account and confirm by phone', rationale: 'The customer must approve work orders today.' }],
    factors: [{ direction: '-', text: 'The customer cannot sign in.', evidence: [{ entityType: 'tickets', entityId: id }] }],
    priority_score: 77,
    category: 'login',
    sentiment: 'negative',
    escalation_risk: 'medium',
    sla_risk: 'high',
    root_cause_hypothesis: 'Too many failed attempts triggered the lockout.',
    suggested_assignee_type: 'tier1',
  });

/** No sideways scrolling: the page is never wider than the window. */
async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const el = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
  });
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

/** The element is on screen, inside the window on both sides. */
async function expectInside(page: Page, locator: ReturnType<Page['locator']>): Promise<void> {
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(size.width);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  fake = await startFakeServer();
  const created = await invoke<{ jobId: string | null }>(request, 'workspace.create', { name: WORKSPACE, demo: { scale: 0.3, seed: 9, anchorDate: ANCHOR } });
  await waitForJob(request, created.jobId!);
  const { rows } = await invoke<{ rows: { id: number; code: string; account_id: number | null }[] }>(request, 'data.browse', { workspace: WORKSPACE, entity: 'tickets', offset: 0, limit: 50 });
  const withAccount = rows.find((r) => r.account_id !== null)!;
  ticket = { id: withAccount.id, code: withAccount.code, account_id: withAccount.account_id! };
  const account = await invoke<{ title: string }>(request, 'data.record', { workspace: WORKSPACE, entity: 'accounts', id: ticket.account_id });
  accountName = account.title;
  // Model-free findings, so the Insights list has something to filter without a provider.
  const detect = await invoke<{ jobId: string }>(request, 'detectors.run', { workspace: WORKSPACE });
  await waitForJob(request, detect.jobId);
  const built = await invoke<{ jobId: string }>(request, 'vectors.build', { workspace: WORKSPACE });
  await waitForJob(request, built.jobId);
});

test.afterAll(async ({ request }) => {
  await invoke(request, 'providers.remove', { name: PROVIDER }).catch(() => undefined);
  await invoke(request, 'workspace.delete', { workspace: WORKSPACE }).catch(() => undefined);
  await fake?.stop();
});

test('a ticket’s drawer names its account, and the name opens the account with its tickets', async ({ page }) => {
  await openWorkspace(page, WORKSPACE, `/data?entity=tickets&id=${ticket.id}`);
  const drawer = page.getByTestId('record-drawer');
  await expect(drawer).toHaveAttribute('data-entity', 'tickets');
  await expect(page.getByTestId('record-title')).toHaveText(ticket.code);
  // The account is a name and a link, not "Account 22".
  const link = drawer.getByTestId('record-fields').getByRole('button', { name: accountName, exact: true });
  await expect(link).toBeVisible();
  await expect(drawer.getByTestId('children-ticket_comments').or(drawer.getByTestId('children-ticket_status_history')).first()).toBeVisible();
  await link.click();
  await expect(drawer).toHaveAttribute('data-entity', 'accounts');
  await expect(page.getByTestId('record-title')).toHaveText(accountName);
  await expect(page).toHaveURL(new RegExp(`entity=accounts&id=${ticket.account_id}`));
  const tickets = drawer.getByTestId('children-tickets');
  await expect(tickets).toBeVisible();
  // Sections past the first two start folded.
  if (!(await tickets.getByText(ticket.code, { exact: true }).isVisible())) await tickets.getByRole('button', { name: /^Tickets/ }).click();
  await expect(tickets.getByText(ticket.code, { exact: true })).toBeVisible();
  await drawer.getByRole('button', { name: 'Back' }).click();
  await expect(drawer).toHaveAttribute('data-entity', 'tickets');
});

test('Analyze now takes the ticket’s code, not only its internal id', async ({ page, request }) => {
  await invoke(request, 'providers.add', { name: PROVIDER, kind: 'openai-compatible', baseUrl: fake.url, apiKey: 'sk-ux-e2e-0123456789abcdef', model: 'gpt-4o-mini', role: 'primary' });
  await fake.control('enqueue', { route: 'chat', replies: [{ text: analystAnswer(ticket.id), usage: { prompt_tokens: 900, completion_tokens: 200 } }] });
  await openWorkspace(page, WORKSPACE, '/insights?analyze=1');
  const dialog = page.getByRole('dialog', { name: 'Analyze a record now' });
  await dialog.getByRole('combobox', { name: 'Persona' }).click();
  await page.getByRole('option', { name: 'Ticket Analyst' }).click();
  const picker = dialog.getByTestId('record-picker');
  await picker.fill(ticket.code.toLowerCase());
  // The picker finds the ticket by its code.
  await expect(page.getByTestId('record-option').first()).toContainText(ticket.code);
  await picker.press('Enter');
  await dialog.getByRole('button', { name: 'Analyze' }).click();
  await expect(dialog.getByTestId('analyze-outcome')).toHaveAttribute('data-status', 'completed');
  const { items } = await invoke<{ items: { entityType: string; entityId: number }[] }>(request, 'insights.list', { workspace: WORKSPACE, persona: 'ticket_analyst' });
  expect(items[0]).toMatchObject({ entityType: 'tickets', entityId: ticket.id });
});

test('Insights filters live in the address: a reload keeps them, and the list and detail follow', async ({ page }) => {
  await openWorkspace(page, WORKSPACE, '/insights?kind=anomaly,trend&status=completed&sort=severity');
  await expect(page.getByRole('button', { name: 'Kind filter' })).toHaveText('Kind: Anomaly +1');
  const rows = page.getByTestId('insight-row');
  await expect(rows.first()).toBeVisible();
  const total = await page.getByTestId('insights-total').textContent();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Kind filter' })).toHaveText('Kind: Anomaly +1');
  await expect(page.getByRole('button', { name: 'Status filter' })).toHaveText('Status: New');
  await expect(page.getByTestId('insights-total')).toHaveText(total!);
  await expect(page.getByRole('combobox', { name: 'Sort by' })).toHaveValue('Severity');
  for (const status of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))) expect(status).toBe('completed');

  // A Dashboard tile's list is an address too.
  await page.goto('/#/');
  await page.getByTestId('severity-high').click();
  await expect(page).toHaveURL(/#\/insights\?.*severity=high/);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Severity filter' })).toHaveText('Severity: High');
});

test('the keyboard moves through Insights and Data, and the command palette reaches pages, tables and actions', async ({ page }) => {
  await openWorkspace(page, WORKSPACE, '/insights?kind=anomaly,trend');
  const rows = page.getByTestId('insight-row');
  await expect(rows.nth(1)).toBeVisible();
  const ids = await rows.evaluateAll((els) => els.slice(0, 3).map((e) => e.getAttribute('data-id')));
  await page.getByTestId('insight-list').focus();
  await page.keyboard.press('j');
  await expect(page).toHaveURL(new RegExp(`id=${ids[0]}`));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('j');
  await expect(page).toHaveURL(new RegExp(`id=${ids[2]}`));
  await page.keyboard.press('k');
  await expect(page).toHaveURL(new RegExp(`id=${ids[1]}`));
  await expect(page.getByTestId('insight-detail')).toBeVisible();

  // The palette opens from a text field too, and goes to a table.
  await page.getByLabel('Search insights').click();
  await page.keyboard.press('Control+k');
  const command = page.getByRole('textbox', { name: 'Command' });
  await expect(command).toBeVisible();
  await command.fill('data tickets');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/data\?table=tickets/);

  // Data: j/k move a row cursor, Enter opens the record.
  const grid = page.getByRole('grid', { name: 'Tickets table' });
  await expect(page.getByTestId('browse-row').first()).toBeVisible();
  await grid.focus();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(page.getByTestId('browse-position')).toHaveText(/^Row 2 of [\d,]+$/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('record-drawer')).toHaveAttribute('data-entity', 'tickets');
  await page.keyboard.press('Escape');

  // An action: switch the theme from the palette.
  await page.keyboard.press('Control+k');
  await command.fill('theme dark');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.keyboard.press('Control+k');
  await command.fill('theme light');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
});

test('a nonsense search says "no good match"; a type filter keeps weak matches apart', async ({ page }) => {
  await openWorkspace(page, WORKSPACE, '/search?q=zzqxv+flibbertigibbet');
  const empty = page.getByTestId('search-empty');
  await expect(empty).toHaveAttribute('data-reason', 'floor');
  await expect(empty).toContainText('No good match for “zzqxv flibbertigibbet”');
  await expect(page.getByTestId('search-result')).toHaveCount(0);
  await empty.getByRole('button', { name: /^Show \d+ weak match/ }).click();
  await expect(page.getByTestId('search-result').first()).toHaveAttribute('data-weak', 'true');

  // The review's case: "login outage" among Issues. One issue shares the words; the others are only neighbours.
  await page.goto('/#/search?q=login+outage&types=issues');
  await expect(page.getByTestId('search-meta')).toContainText('1 good match');
  const good = page.locator('[data-testid="search-result"]:not([data-weak])');
  await expect(good).toHaveCount(1);
  await expect(good.first()).toContainText(/Login outage/i);
  const divider = page.getByTestId('floor-divider');
  await expect(divider).toContainText(/\d+ weaker match(es)? below the relevance floor/);
  await expect(page.locator('[data-testid="search-result"][data-weak]')).toHaveCount(0);
  await divider.getByRole('button', { name: 'Show' }).click();
  await expect(page.locator('[data-testid="search-result"][data-weak]').first()).toBeVisible();
});

test('1024×700: the sidebar narrows, and Dashboard, Insights, Search and Data fit without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openWorkspace(page, WORKSPACE, '/');
  await expect(page.getByTestId('navbar')).not.toHaveAttribute('data-expanded', 'true');
  const navbar = await page.getByTestId('navbar').boundingBox();
  expect(navbar!.width).toBeLessThan(100);

  await expect(page.getByTestId('severity-critical')).toBeVisible();
  await expectNoHorizontalOverflow(page);

  await page.goto('/#/insights?kind=anomaly,trend');
  await expect(page.getByTestId('insight-row').first()).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await expectInside(page, page.getByRole('button', { name: 'Run scan' }));
  await expectInside(page, page.getByTestId('insight-list'));
  // The list and the detail scroll inside; the window does not (no double scrollbars).
  const { scrollHeight, clientHeight } = await page.evaluate(() => {
    const el = (globalThis as unknown as { document: { documentElement: { scrollHeight: number; clientHeight: number } } }).document.documentElement;
    return { scrollHeight: el.scrollHeight, clientHeight: el.clientHeight };
  });
  expect(scrollHeight).toBeLessThanOrEqual(clientHeight);

  await page.goto('/#/search?q=login');
  await expect(page.getByTestId('search-meta')).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await expectInside(page, page.getByRole('button', { name: 'Search', exact: true }));

  await page.goto('/#/data?table=tickets');
  await expect(page.getByTestId('browse-row').first()).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await expectInside(page, page.getByRole('button', { name: 'Import CSV' }));
  await expectInside(page, page.getByTestId('browse-position'));

  // The sidebar can be expanded by hand, and the choice is kept over a reload.
  await page.getByRole('button', { name: 'Expand the sidebar' }).click();
  await expect(page.getByTestId('navbar')).toHaveAttribute('data-expanded', 'true');
  await page.reload();
  await expect(page.getByTestId('navbar')).toHaveAttribute('data-expanded', 'true');
  await page.getByRole('button', { name: 'Collapse the sidebar' }).click();
  await expect(page.getByTestId('navbar')).not.toHaveAttribute('data-expanded', 'true');

  await page.goto(`/#/data?table=tickets&entity=tickets&id=${ticket.id}`);
  await expect(page.getByTestId('record-drawer')).toBeVisible();
  await expectNoHorizontalOverflow(page);
});
