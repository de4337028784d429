import { expect, test } from '@playwright/test';
import { invoke, openWorkspace, startFakeServer, waitForJob, type FakeServer } from './helpers';

const WORKSPACE = 'Copilot E2E';
const PROVIDER = 'copilot-e2e-fake';

let fake: FakeServer;
let deal: { id: number; name: string };
let ticket: { id: number; code: string };

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  fake = await startFakeServer();
  const created = await invoke<{ jobId: string | null }>(request, 'workspace.create', { name: WORKSPACE, demo: { scale: 0.2, seed: 21, anchorDate: '2026-06-15' } });
  await waitForJob(request, created.jobId!);
  await invoke(request, 'providers.add', { name: PROVIDER, kind: 'openai-compatible', baseUrl: fake.url, apiKey: 'sk-copilot-e2e-0123456789abcdef', model: 'gpt-4o-mini' });
  await invoke(request, 'policies.set', {
    workspace: WORKSPACE,
    yaml: `version: 1\nuse_cases:\n  default:\n    temperature: 0\n    timeout_ms: 20000\n    retries: 0\n    fallback: ['${PROVIDER}']\n    cache: { ttl_seconds: 0 }\n`,
  });
  const deals = await invoke<{ rows: { id: number; name: string }[] }>(request, 'data.browse', { workspace: WORKSPACE, entity: 'deals', offset: 0, limit: 1, sort: { column: 'id', desc: false } });
  deal = deals.rows[0]!;
  const tickets = await invoke<{ rows: { id: number; code: string }[] }>(request, 'data.browse', { workspace: WORKSPACE, entity: 'tickets', offset: 0, limit: 1, sort: { column: 'id', desc: true } });
  ticket = tickets.rows[0]!;
});

test.afterAll(async ({ request }) => {
  await invoke(request, 'providers.remove', { name: PROVIDER }).catch(() => undefined);
  await invoke(request, 'workspace.delete', { workspace: WORKSPACE }).catch(() => undefined);
  await fake?.stop();
});

test('the Sales agent proposes a follow-up task; approving it creates the task, which opens on the Data page', async ({ page, request }) => {
  const title = `Follow up on ${deal.name}`;
  await fake.control('reset', {});
  await fake.control('enqueue', {
    route: 'chat',
    replies: [
      { toolCalls: [{ id: 'call_task', name: 'create_task', arguments: { title, dealId: deal.id, dueDate: '2026-06-19' } }] },
      { text: 'I proposed a follow-up task for your approval.', chunkSize: 4 },
    ],
  });
  await openWorkspace(page, WORKSPACE, '/copilot');
  await expect(page.getByTestId('agent-switcher')).toBeVisible();
  await page.getByTestId('agent-switcher').getByText('Sales', { exact: true }).click();
  await page.getByTestId('composer').fill(`Create a follow-up task for the deal ${deal.name}`);
  await page.getByTestId('composer').press('Enter');

  const card = page.getByTestId('approval-card');
  await expect(card).toBeVisible();
  await expect(card).toHaveAttribute('data-status', 'pending');
  await expect(card.getByTestId('approval-diff')).toContainText(title);
  await expect(page.getByTestId('tool-card').filter({ hasText: 'create_task' })).toHaveAttribute('data-status', 'proposed');
  // Nothing is written before the approval.
  expect((await invoke<{ total: number }>(request, 'audit.list', { workspace: WORKSPACE, action: 'create_task' })).total).toBe(0);

  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(card).toHaveAttribute('data-status', 'executed');
  const { entries } = await invoke<{ entries: { action: string; agent: string | null; touched: { entity: string; id: number }[] }[] }>(request, 'audit.list', { workspace: WORKSPACE, action: 'create_task' });
  expect(entries[0]).toMatchObject({ action: 'create_task', agent: 'sales' });
  const taskId = entries[0]!.touched[0]!.id;

  await page.goto(`/#/data?table=tasks&entity=tasks&id=${taskId}`);
  await expect(page.getByTestId('record-drawer')).toHaveAttribute('data-id', String(taskId));
  await expect(page.getByTestId('record-title')).toContainText(title);
});

test('a read-only question cites the ticket it read, and the citation opens the ticket', async ({ page }) => {
  await fake.control('reset', {});
  await fake.control('enqueue', {
    route: 'chat',
    replies: [
      { toolCalls: [{ id: 'call_read', name: 'get_record', arguments: { entity: 'tickets', id: ticket.id } }] },
      { text: `Ticket ${ticket.code} is the newest one [tickets:${ticket.id}]. A made-up one [tickets:987654] is not shown.` },
    ],
  });
  await openWorkspace(page, WORKSPACE, '/copilot');
  await page.getByTestId('agent-switcher').getByText('Success', { exact: true }).click();
  await page.getByTestId('composer').fill('What is the newest ticket?');
  await page.getByRole('button', { name: 'Send' }).click();

  const answer = page.getByTestId('message-assistant').last();
  await expect(answer.getByTestId('citation')).toHaveCount(1);
  await expect(answer.getByTestId('citation')).toHaveAttribute('data-ref', `tickets:${ticket.id}`);
  await expect(answer).toContainText('1 unverified citation dropped');
  await expect(page.getByTestId('tool-card').filter({ hasText: 'get_record' }).last()).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('reference')).toHaveCount(1);
  await answer.getByTestId('citation').click();
  await expect(page.getByTestId('record-drawer')).toHaveAttribute('data-entity', 'tickets');
  await expect(page.getByTestId('record-drawer')).toHaveAttribute('data-id', String(ticket.id));
  await expect(page.getByTestId('record-title')).toContainText(ticket.code);
});
