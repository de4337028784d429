import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notifications, notifications } from '@mantine/notifications';
import { AppError } from '../../../../src/shared/errors';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings, type PersonaInfo, type ScheduleInfo } from '../../../../src/shared/contract';
import { setTransport } from '../../../../src/renderer/src/api/client';
import { EnginePanel } from '../../../../src/renderer/src/features/configuration/engine/EnginePanel';
import { enginePatch, toEngineDraft, useEngineStore } from '../../../../src/renderer/src/stores/engineStore';
import { fakeTransport } from '../fakeTransport';
import { renderHub, selectWorkspace, signIn } from './helpers';

const persona = (key: string, name: string, over: Partial<PersonaInfo> = {}): PersonaInfo => ({
  key,
  name,
  domain: 'support',
  description: `${name} looks at records`,
  version: '1.0.0',
  entityType: 'tickets',
  enabled: true,
  settingsFlag: `persona.${key}`,
  schedule: '15 */2 * * *',
  ttlHours: 48,
  fields: [
    { name: 'priority_score', description: '0–100' },
    { name: 'category', description: 'What the ticket is about' },
  ],
  outputSchema: {},
  defaultPolicy: { temperature: 0.2, maxTokens: 800, timeoutMs: 30_000 },
  ...over,
});

const schedule = (id: string, over: Partial<ScheduleInfo> = {}): ScheduleInfo => ({
  id,
  workspace: 'Acme',
  kind: 'persona_scan',
  target: 'ticket_analyst',
  cron: '15 */2 * * *',
  enabled: true,
  nextRunAt: '2099-01-01T10:15:00Z',
  lastRunAt: null,
  lastStatus: null,
  lastJobId: null,
  lastError: null,
  running: false,
  ...over,
});

const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function resetStore(): void {
  useEngineStore.setState({
    settings: null,
    settingsError: null,
    saving: false,
    personas: [],
    personasLoaded: false,
    personasError: null,
    toggling: {},
    workspace: null,
    schedules: [],
    schedulesLoaded: false,
    schedulesError: null,
    runningDue: false,
  });
}

/** The panel with the app's notification host, so saved/refused/run-due messages can be read. */
const renderPanel = () =>
  renderHub(
    <>
      <Notifications />
      <EnginePanel />
    </>,
  );

describe('Personas & Engine tab', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let settings: EngineSettings;
  let personas: PersonaInfo[];
  let schedules: ScheduleInfo[];

  beforeEach(() => {
    signIn('admin');
    selectWorkspace('Acme');
    resetStore();
    settings = clone(DEFAULT_ENGINE_SETTINGS);
    personas = [persona('ticket_analyst', 'Ticket Analyst'), persona('vendor_analyst', 'Vendor Analyst', { domain: 'vendors', entityType: 'vendors', schedule: '0 7 * * 1' })];
    schedules = [schedule('sc_ticket'), schedule('sc_sweep', { kind: 'expiry_sweep', target: null, cron: '5 * * * *', lastStatus: 'completed', lastRunAt: '2026-01-01T00:05:00Z' })];
    fake = fakeTransport({
      'engine.settings': () => settings,
      'engine.configure': (patch: { redaction?: { kinds?: Record<string, boolean> }; outputRetries?: number }) => {
        if (patch.redaction?.kinds) Object.assign(settings.redaction.kinds, patch.redaction.kinds);
        if (patch.outputRetries !== undefined) settings.outputRetries = patch.outputRetries;
        settings = clone(settings);
        return settings;
      },
      'personas.list': () => ({ personas }),
      'personas.setEnabled': (input: { persona: string; enabled: boolean }) => {
        personas = personas.map((p) => (p.key === input.persona ? { ...p, enabled: input.enabled } : p));
        return personas.find((p) => p.key === input.persona);
      },
      'schedule.list': () => ({ schedules }),
      'schedule.setEnabled': (input: { id: string; enabled: boolean }) => {
        schedules = schedules.map((s) => (s.id === input.id ? { ...s, enabled: input.enabled } : s));
        return schedules.find((s) => s.id === input.id);
      },
      'schedule.runDue': () => ({
        started: [{ scheduleId: 'sc_sweep', jobId: 'job_1' }],
        skipped: [{ scheduleId: 'sc_ticket', reason: 'Its previous run is still going; runs never overlap.' }],
      }),
    });
    setTransport(fake.transport);
  });
  afterEach(() => {
    notifications.clean();
    setTransport(null);
  });

  it('builds a patch of only the changed fields, nested keys included', () => {
    const draft = toEngineDraft(DEFAULT_ENGINE_SETTINGS);
    expect(enginePatch(DEFAULT_ENGINE_SETTINGS, draft)).toEqual({});
    draft.redaction.kinds.ip = false;
    draft.grounding.k = 6;
    draft.scheduler.dailyTokenBudget = 0;
    draft.concurrency = '';
    expect(enginePatch(DEFAULT_ENGINE_SETTINGS, draft)).toEqual({ redaction: { kinds: { ip: false } }, grounding: { k: 6 }, scheduler: { dailyTokenBudget: 0 } });
  });

  it('saves only what changed: toggling one PII kind sends just that kind', async () => {
    renderPanel();
    const ip = await screen.findByRole('checkbox', { name: /IP addresses/ });
    const save = screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.click(ip);
    expect(screen.getByTestId('engine-changes').textContent).toBe('1 change not saved');
    fireEvent.click(save);
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'engine.configure')).toBe(true));
    expect(fake.calls.filter((c) => c.route === 'engine.configure').map((c) => c.input)).toEqual([{ redaction: { kinds: { ip: false } } }]);
    expect(await screen.findByText('Engine settings saved')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('engine-changes').textContent).toBe('Settings apply to every workspace.'));
    expect((screen.getByRole('checkbox', { name: /IP addresses/ }) as HTMLInputElement).checked).toBe(false);
  });

  it('refuses an out-of-range number before sending, and Reset discards edits', async () => {
    renderPanel();
    const retries = await screen.findByRole('textbox', { name: /Output retries/ });
    fireEvent.change(retries, { target: { value: '7' } });
    expect(await screen.findByText('Use a number from 0 to 3.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    await waitFor(() => expect((screen.getByRole('textbox', { name: /Output retries/ }) as HTMLInputElement).value).toBe('1'));
    expect(screen.queryByText('Use a number from 0 to 3.')).toBeNull();
    expect(fake.calls.some((c) => c.route === 'engine.configure')).toBe(false);
  });

  it('shows a refused save with the core’s message and keeps the edit', async () => {
    fake = fakeTransport({
      ...Object.fromEntries(['engine.settings', 'personas.list', 'schedule.list'].map((r) => [r, r === 'engine.settings' ? () => settings : r === 'personas.list' ? () => ({ personas }) : () => ({ schedules })])),
      'engine.configure': () => {
        throw new AppError('forbidden', 'Only an admin can change engine settings.');
      },
    });
    setTransport(fake.transport);
    renderPanel();
    fireEvent.click(await screen.findByRole('switch', { name: 'AI analysis enabled' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Not saved — the settings in force are unchanged')).toBeTruthy();
    expect(screen.getByText('Only an admin can change engine settings.')).toBeTruthy();
    expect((screen.getByRole('switch', { name: 'AI analysis enabled' }) as HTMLInputElement).checked).toBe(false);
  });

  it('lists the personas with their schedule and output fields, and switches one off', async () => {
    renderPanel();
    const rows = await screen.findAllByTestId('persona-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('Ticket Analyst')).toBeTruthy();
    expect(within(rows[0]!).getByText('15 */2 * * *')).toBeTruthy();
    expect(within(rows[0]!).getByText('2 fields')).toBeTruthy();
    await waitFor(() => expect(within(rows[0]!).getByText(/^next in/)).toBeTruthy());
    expect(within(rows[1]!).getByText('no workspace schedule')).toBeTruthy();
    fireEvent.click(screen.getByRole('switch', { name: 'Vendor Analyst enabled' }));
    await waitFor(() => expect(fake.calls.find((c) => c.route === 'personas.setEnabled')?.input).toEqual({ persona: 'vendor_analyst', enabled: false }));
    await waitFor(() => expect((screen.getByRole('switch', { name: 'Vendor Analyst enabled' }) as HTMLInputElement).checked).toBe(false));
    expect(await screen.findByText(/Vendor Analyst is off/)).toBeTruthy();
  });

  it('lists the workspace schedules and switches one off', async () => {
    renderPanel();
    const rows = await screen.findAllByTestId('schedule-row');
    expect(rows).toHaveLength(2);
    expect(fake.calls.find((c) => c.route === 'schedule.list')?.input).toEqual({ workspace: 'Acme' });
    expect(within(rows[1]!).getByText('Expiry sweep')).toBeTruthy();
    expect(within(rows[1]!).getByText('completed')).toBeTruthy();
    fireEvent.click(screen.getByRole('switch', { name: 'Persona scan: Ticket Analyst enabled' }));
    await waitFor(() => expect(fake.calls.find((c) => c.route === 'schedule.setEnabled')?.input).toEqual({ id: 'sc_ticket', enabled: false }));
  });

  it('"Run due now" reports what started and why the rest was skipped', async () => {
    renderPanel();
    await screen.findAllByTestId('schedule-row');
    fireEvent.click(screen.getByRole('button', { name: 'Run due now' }));
    expect(await screen.findByText('1 started · 1 skipped')).toBeTruthy();
    expect(fake.calls.find((c) => c.route === 'schedule.runDue')?.input).toEqual({ workspace: 'Acme' });
    expect(screen.getByText('Started Expiry sweep.')).toBeTruthy();
    expect(screen.getByText(/Persona scan: Ticket Analyst — Its previous run is still going; runs never overlap\./)).toBeTruthy();
  });

  it('gives members the values with every control disabled', async () => {
    signIn('member');
    renderPanel();
    expect(await screen.findByText('Read-only for members')).toBeTruthy();
    expect((await screen.findByRole('switch', { name: 'AI analysis enabled' }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('checkbox', { name: /Card numbers/ }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('textbox', { name: /Scan concurrency/ }) as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
    expect((await screen.findByRole('switch', { name: 'Ticket Analyst enabled' }) as HTMLInputElement).disabled).toBe(true);
    expect((await screen.findByRole('switch', { name: 'Persona scan: Ticket Analyst enabled' }) as HTMLInputElement).disabled).toBe(true);
  });

  it('asks for a workspace when none is selected', async () => {
    useEngineStore.setState({ workspace: null });
    selectWorkspace('');
    renderPanel();
    expect(await screen.findByText('No workspace selected')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Run due now' })).toBeNull();
    expect(fake.calls.some((c) => c.route === 'schedule.list')).toBe(false);
  });
});
