import { expect, test } from '@playwright/test';
import { invoke, openWorkspace } from './helpers';

const WORKSPACE = 'Engine E2E';

interface Persona {
  key: string;
  name: string;
  enabled: boolean;
}
interface Settings {
  redaction: { kinds: Record<string, boolean> };
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  // An empty workspace of our own: the scheduler gives it its tasks when it is created.
  await invoke(request, 'workspace.create', { name: WORKSPACE });
});

test.afterAll(async ({ request }) => {
  // Persona switches and engine settings are app-wide: leave them as the other specs expect.
  await invoke(request, 'personas.setEnabled', { persona: 'vendor_analyst', enabled: true }).catch(() => undefined);
  await invoke(request, 'engine.configure', { redaction: { kinds: { ip: true } } }).catch(() => undefined);
  await invoke(request, 'workspace.delete', { workspace: WORKSPACE }).catch(() => undefined);
});

const personaEnabled = async (request: Parameters<typeof invoke>[0], key: string): Promise<boolean | undefined> =>
  (await invoke<{ personas: Persona[] }>(request, 'personas.list', {})).personas.find((p) => p.key === key)?.enabled;

test('switch a persona off and on again from Configuration → Personas & Engine', async ({ page, request }) => {
  await openWorkspace(page, WORKSPACE, '/configuration?tab=engine');
  await expect(page.getByRole('heading', { name: 'Personas & Engine' })).toBeVisible();
  const toggle = page.getByRole('switch', { name: 'Vendor Analyst enabled', exact: true });
  await expect(toggle).toBeChecked();

  // Mantine's switch input is visually hidden; its parent is the label that wraps the track, which is what a person clicks.
  await toggle.locator('..').click();
  await expect(toggle).not.toBeChecked();
  await expect.poll(() => personaEnabled(request, 'vendor_analyst')).toBe(false);

  await toggle.locator('..').click();
  await expect(toggle).toBeChecked();
  await expect.poll(() => personaEnabled(request, 'vendor_analyst')).toBe(true);
});

test('save one PII kind, see the schedules of the workspace, and run the due tasks', async ({ page, request }) => {
  await openWorkspace(page, WORKSPACE, '/configuration?tab=engine');
  const ip = page.getByRole('checkbox', { name: /IP addresses/ });
  await expect(ip).toBeChecked();
  await ip.click();
  await expect(page.getByTestId('engine-changes')).toHaveText('1 change not saved');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Engine settings saved')).toBeVisible();
  const settings = await invoke<Settings>(request, 'engine.settings', {});
  expect(settings.redaction.kinds).toMatchObject({ ip: false, email: true, card: true });

  await expect(page.getByRole('heading', { name: `Schedules · ${WORKSPACE}` })).toBeVisible();
  await expect(page.getByTestId('schedule-row').filter({ hasText: 'Expiry sweep' })).toHaveCount(1);
  await expect(page.getByTestId('schedule-row').filter({ hasText: 'Persona scan' })).toHaveCount(8);
  await page.getByRole('button', { name: 'Run due now' }).click();
  // A new workspace's tasks are all in the future, so nothing is due yet.
  await expect(page.getByText('Nothing due')).toBeVisible();
});
