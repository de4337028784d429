import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { invoke, openWorkspace, startFakeServer, type FakeServer } from './helpers';
import { VOICE_COMMAND_WAV } from './voiceAudio';

const WORKSPACE = 'Voice E2E';
let fake: FakeServer;

test.describe.configure({ mode: 'serial' });
test.skip(!existsSync(VOICE_COMMAND_WAV), 'espeak-ng or sox is missing: no spoken command for the fake microphone (apt-get install espeak-ng sox).');

test.beforeAll(async ({ request }) => {
  fake = await startFakeServer();
  await invoke(request, 'workspace.create', { name: WORKSPACE });
  await invoke(request, 'providers.add', { name: 'voice-cloud', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', transcriptionModel: 'fake-whisper', role: 'standby' });
  await invoke(request, 'policies.set', {
    workspace: WORKSPACE,
    yaml: ['version: 1', 'use_cases:', '  default:', '    timeout_ms: 10000', '    retries: 0', "    fallback: ['voice-cloud']"].join('\n'),
  });
  await invoke(request, 'voice.settings.update', { engine: 'provider', silenceMs: 700, maxMs: 12_000 });
});

test.afterAll(async ({ request }) => {
  await invoke(request, 'voice.settings.update', { engine: 'auto', silenceMs: 900, maxMs: 15_000 }).catch(() => undefined);
  await invoke(request, 'providers.remove', { name: 'voice-cloud' }).catch(() => undefined);
  await invoke(request, 'workspace.delete', { workspace: WORKSPACE }).catch(() => undefined);
  await fake?.stop();
});

test('the header microphone records the fake microphone, shows the level, and the provider transcript', async ({ page }) => {
  await fake.control('enqueue', { route: 'transcriptions', replies: [{ text: 'Show me the open tickets for Acme.' }] });
  await openWorkspace(page, WORKSPACE, '/data');
  const button = page.getByTestId('voice-button');
  await button.click();
  const overlay = page.getByTestId('voice-overlay');
  await expect(overlay).toBeVisible();
  // The level meter moves while the spoken command plays.
  await expect.poll(async () => Number(await page.getByTestId('voice-level').getAttribute('data-level')), { timeout: 15_000 }).toBeGreaterThan(20);
  // Voice-activity detection ends the command after the silence; the provider's transcript appears.
  await expect(overlay).toHaveAttribute('data-phase', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('voice-transcript')).toContainText('Show me the open tickets for Acme.');
  await expect(page.getByTestId('voice-engine')).toHaveText('Provider');
  await expect(overlay).toContainText('voice-cloud · fake-whisper');
  // What reached the provider: a 16 kHz mono WAV of a few seconds, with the workspace vocabulary prompt field.
  const { requests } = (await (await fetch(`${fake.url.replace(/\/v1$/, '')}/__fake/requests`)).json()) as { requests: { route: string; body: { bytes: number } }[] };
  const sent = requests.filter((r) => r.route === 'transcriptions');
  expect(sent).toHaveLength(1);
  // 16 kHz 16-bit mono: ~32 kB per second; the command plus pre-roll and the silence that ended it.
  expect(sent[0]!.body.bytes).toBeGreaterThan(32_000 * 1.5);
  expect(sent[0]!.body.bytes).toBeLessThan(32_000 * 12);
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(overlay).toBeHidden();
});

test('a spoken write shows its confirmation card with the diff; Confirm creates the task, which the Data page shows', async ({ page }) => {
  await fake.control('enqueue', { route: 'transcriptions', replies: [{ text: 'Create a task to send the proposal due tomorrow at nine.' }] });
  await openWorkspace(page, WORKSPACE, '/insights');
  await page.getByTestId('voice-button').click();
  const card = page.getByTestId('voice-command-card');
  await expect(card).toHaveAttribute('data-status', 'confirm', { timeout: 30_000 });
  await expect(page.getByTestId('voice-command-summary')).toContainText('Create task “Send the proposal” due');
  const diff = page.getByTestId('voice-diff');
  await expect(diff).toContainText('title');
  await expect(diff).toContainText('Send the proposal');
  await expect(card.getByTestId('voice-entity')).toContainText(/\d{4}-\d{2}-\d{2}/);
  await card.getByRole('button', { name: 'Confirm' }).click();
  await expect(card).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('voice-command-summary')).toContainText('Done: Create task');
  await page.getByRole('button', { name: 'Close' }).click();
  await openWorkspace(page, WORKSPACE, '/data?table=tasks');
  await expect(page.getByRole('grid', { name: 'Tasks table' })).toContainText('Send the proposal');
  // The Voice page lists the command in its history.
  await openWorkspace(page, WORKSPACE, '/voice');
  await expect(page.getByTestId('voice-history-row').first()).toContainText('Create a task to send the proposal');
  await expect(page.getByTestId('voice-history-row').first()).toContainText('done');
});

test('Esc cancels a command while it is being recorded; nothing is sent', async ({ page }) => {
  await fake.control('reset', {});
  await openWorkspace(page, WORKSPACE, '/insights');
  await page.getByTestId('voice-button').click();
  await expect(page.getByTestId('voice-overlay')).toHaveAttribute('data-phase', 'listening');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('voice-overlay')).toBeHidden();
  const { requests } = (await (await fetch(`${fake.url.replace(/\/v1$/, '')}/__fake/requests`)).json()) as { requests: { route: string }[] };
  expect(requests.filter((r) => r.route === 'transcriptions')).toHaveLength(0);
});

test('the Voice page test shows the transcript with engine, model and timings; capture settings save', async ({ page, request }) => {
  await fake.control('enqueue', { route: 'transcriptions', replies: [{ text: 'Open the dashboard.' }] });
  await openWorkspace(page, WORKSPACE, '/voice');
  await expect(page.getByRole('heading', { name: 'Voice', exact: true })).toBeVisible();
  await expect(page.getByTestId('speech-catalog-whisper-base.en')).toBeVisible();
  await page.getByTestId('voice-test').click();
  await expect(page.getByTestId('voice-transcript')).toContainText('Open the dashboard.', { timeout: 30_000 });
  await expect(page.getByTestId('voice-transcript')).toContainText(/s of audio · transcript in/);
  await page.getByLabel('End after silence (ms)').fill('1200');
  await page.getByRole('button', { name: 'Save capture settings' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  expect((await invoke<{ silenceMs: number }>(request, 'voice.settings.get', {})).silenceMs).toBe(1200);
});
