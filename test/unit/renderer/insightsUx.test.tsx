import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PersonaInfo } from '../../../src/shared/contract';
import type { Insight, InsightSummary } from '../../../src/shared/insights';
import { setTransport } from '../../../src/renderer/src/api/client';
import { niceTicks } from '../../../src/renderer/src/features/insights/AnomalyChart';
import { FieldValue } from '../../../src/renderer/src/features/insights/FieldValue';
import { detectorFieldValue, historyLabel } from '../../../src/renderer/src/features/insights/format';
import { insightsLink, readInsightParams, withInsightFilters, writeInsightParams } from '../../../src/renderer/src/features/insights/insightParams';
import { InsightsPage } from '../../../src/renderer/src/features/insights/InsightsPage';
import { menuSummary } from '../../../src/renderer/src/features/insights/InsightFilters';
import { DEFAULT_FILTERS, FIRST_PAGE, bindInsightEvents, useInsightsStore } from '../../../src/renderer/src/stores/insightsStore';
import { useWorkspaceStore } from '../../../src/renderer/src/stores/workspaceStore';
import { fakeTransport } from './fakeTransport';
import './hub/helpers';

const summary = (i: number, over: Partial<InsightSummary> = {}): InsightSummary => ({
  id: `ins_${i}`,
  type: 'persona',
  personaKey: 'ticket_analyst',
  domain: 'support',
  entityType: 'tickets',
  entityId: i,
  entityTitle: `TCK-${i}`,
  status: 'completed',
  severity: i % 2 ? 'high' : 'critical',
  title: `Ticket ${i}: outage`,
  summary: `Summary ${i}`,
  confidence: 0.8,
  trigger: 'on_demand',
  createdAt: '2026-03-01T09:00:00Z',
  expiresAt: null,
  errorCode: null,
  ...over,
});

const full = (s: InsightSummary, over: Partial<Insight> = {}): Insight => ({
  ...s,
  personaVersion: '1.0.0',
  promptVersion: 'abc',
  recommendations: [],
  factors: [],
  fields: { kpis: [{ name: 'CTR', value: 0.9, benchmark: 1.6, unit: '%', status: 'below' }], blockers: ['Vendor late', 'No budget'] },
  defaultedFields: [],
  warnings: [],
  evidenceDropped: 0,
  dataPoints: null,
  provider: 'openai-compatible',
  model: 'gpt-4o-mini',
  endpoint: 'corp',
  fallbackUsed: false,
  attempts: 1,
  tokensIn: 10,
  tokensOut: 5,
  costUsd: 0.001,
  latencyMs: 800,
  contextHash: null,
  contextChars: 100,
  redactions: null,
  actor: 'pr_1',
  runId: null,
  errorMessage: null,
  completedAt: '2026-03-01T09:00:01Z',
  statusChangedAt: null,
  statusChangedBy: null,
  statusNote: null,
  history: [
    { at: '2026-03-01T09:00:00Z', actor: null, action: 'context.redacted', note: null, details: { counts: { email: 2, phone: 0 } } },
    { at: '2026-03-01T09:00:01Z', actor: 'pr_1', action: 'insight.completed', note: null, details: null },
  ],
  ...over,
});

const persona: PersonaInfo = {
  key: 'ticket_analyst',
  name: 'Ticket Analyst',
  domain: 'support',
  description: 'Triage',
  version: '1.0.0',
  entityType: 'tickets',
  enabled: true,
  settingsFlag: 'persona.ticket_analyst.enabled',
  schedule: '15 */2 * * *',
  ttlHours: 48,
  fields: [
    { name: 'kpis', description: 'KPIs', required: true },
    { name: 'blockers', description: 'Blockers', required: false },
  ],
} as unknown as PersonaInfo;

describe('insights filters in the address', () => {
  it('round-trips every filter and leaves defaults out', () => {
    const f = { ...DEFAULT_FILTERS, search: 'outage', severity: ['critical', 'high'] as const, status: ['completed'] as const, domain: ['support'], persona: ['ticket_analyst'], type: ['anomaly'] as const, entityType: 'tickets', entityId: '575', from: '2026-11-01', to: '2026-11-30', sort: { column: 'severity' as const, desc: false }, showClosed: true };
    const params = new URLSearchParams(writeInsightParams({ ...f, severity: [...f.severity], status: [...f.status], type: [...f.type] }));
    expect(params.toString()).toBe('q=outage&severity=critical%2Chigh&status=completed&domain=support&persona=ticket_analyst&kind=anomaly&entity=tickets&record=575&from=2026-11-01&to=2026-11-30&sort=severity&asc=1&closed=1');
    expect(readInsightParams(params)).toEqual({ ...f, severity: ['critical', 'high'], status: ['completed'], type: ['anomaly'] });
    expect(writeInsightParams(DEFAULT_FILTERS)).toEqual({});
  });

  it('ignores what it cannot read, and keeps other keys when writing', () => {
    expect(readInsightParams(new URLSearchParams('severity=huge,critical&status=nope&kind=x&entity=planets&record=abc&from=yesterday&sort=random'))).toEqual({ ...DEFAULT_FILTERS, severity: ['critical'] });
    const next = withInsightFilters(new URLSearchParams('id=ins_9&severity=low'), { ...DEFAULT_FILTERS, status: ['failed'] });
    expect(next.toString()).toBe('id=ins_9&status=failed');
    expect(insightsLink({ severity: ['critical'] })).toBe('/insights?severity=critical');
  });
});

describe('insight display helpers', () => {
  it('says history entries in words', () => {
    expect(historyLabel('insight.completed', null)).toBe('Analysis completed');
    expect(historyLabel('insight.reverted', { from: 'dismissed', to: 'completed' })).toBe('Undone: back to New');
    expect(historyLabel('context.redacted', { counts: { email: 2, phone: 0, person_name: 1 } })).toBe('Personal data redacted before sending (2 emails, 1 person name)');
    expect(historyLabel('insight.superseded', null)).toBe('Superseded by a newer analysis');
    // A key with no words of its own still reads as words.
    expect(historyLabel('insight.reopened_later', null)).toBe('Reopened later');
  });

  it('gives detector findings their units', () => {
    expect(detectorFieldValue('magnitude', 4.091, 'tickets/day')).toBe('+409%');
    expect(detectorFieldValue('baseline', 4.4644, 'tickets/day')).toBe('4.46 tickets/day');
    expect(detectorFieldValue('peak', 24, '%')).toBe('24%');
    expect(detectorFieldValue('slopePerWeek', -1250, 'USD/week')).toBe('-1,250 USD per week');
    expect(detectorFieldValue('zScore', 5.21234, undefined)).toBe('5.21');
  });

  it('picks even chart ticks that cover the data', () => {
    expect(niceTicks(0, 24)).toEqual([0, 10, 20, 30]);
    expect(niceTicks(0, 22, 6)).toEqual([0, 5, 10, 15, 20, 25]);
    const t = niceTicks(0.0085, 0.034);
    const steps = t.slice(1).map((x, i) => Math.round((x - t[i]!) * 1e6));
    expect(new Set(steps).size).toBe(1);
    expect(t[0]).toBeLessThanOrEqual(0.0085);
    expect(t.at(-1)).toBeGreaterThanOrEqual(0.034);
  });

  it('summarises a filter in one line', () => {
    const data = [{ value: 'critical', label: 'Critical' }, { value: 'high', label: 'High' }];
    expect(menuSummary('Severity', data, [])).toBe('Severity');
    expect(menuSummary('Severity', data, ['critical', 'high'])).toBe('Severity: Critical +1');
  });

  it('shows lists of records as a table and lists as bullets', () => {
    render(
      <MantineProvider>
        <FieldValue value={[{ name: 'CTR', value: 0.9, benchmark: 1.6 }]} testId="kpis" />
        <FieldValue value={['Vendor late', 'No budget']} testId="blockers" />
        <FieldValue value={{ action: 'decrease', change_pct: -25 }} testId="realloc" />
      </MantineProvider>,
    );
    const kpis = screen.getByTestId('kpis');
    expect(within(kpis).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Name', 'Value', 'Benchmark']);
    expect(within(kpis).getByText('CTR')).toBeTruthy();
    expect(within(screen.getByTestId('blockers')).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByTestId('realloc').textContent).toContain('Change pct');
    expect(screen.getByTestId('realloc').textContent).not.toContain('·');
  });
});

function renderAt(path: string) {
  const router = createMemoryRouter([{ path: '/insights', element: <InsightsPage /> }], { initialEntries: [path] });
  const view = render(
    <MantineProvider>
      <Notifications />
      <RouterProvider router={router} />
    </MantineProvider>,
  );
  return { ...view, router };
}

describe('Insights page: address, keyboard, stale selection, undo', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let unbind: () => void;
  let items: InsightSummary[];
  const lists = () => fake.calls.filter((c) => c.route === 'insights.list');
  beforeEach(async () => {
    items = Array.from({ length: 30 }, (_, i) => summary(i + 1));
    fake = fakeTransport({
      'workspace.list': () => ({ workspaces: [{ id: 'ws_1', name: 'Acme', kind: 'sqlite', createdAt: '2026-01-01T00:00:00Z', schemaVersion: 1, sizeBytes: 1, demo: null, status: 'ready' }] }),
      'personas.list': () => ({ personas: [persona] }),
      'providers.list': () => ({ providers: [] }),
      'profiles.list': () => ({ profiles: [], activeId: 'pr_1' }),
      'insights.list': (input: { severity?: string[]; status?: string[] }) => {
        const rows = items.filter((i) => (!input.severity || input.severity.includes(i.severity!)) && (!input.status || input.status.includes(i.status)));
        return { items: rows.slice(0, FIRST_PAGE), total: rows.length };
      },
      'insights.get': (input: { id: string }) => full(items.find((i) => i.id === input.id)!),
      'insights.dismiss': (input: { id: string }) => {
        const i = items.findIndex((x) => x.id === input.id);
        items[i] = { ...items[i]!, status: 'dismissed' };
        return full(items[i]!, { statusChangedAt: '2026-03-02T00:00:00Z', statusChangedBy: 'pr_1' });
      },
      'insights.undo': (input: { id: string; status: string }) => {
        const i = items.findIndex((x) => x.id === input.id);
        items[i] = { ...items[i]!, status: 'completed' };
        return full(items[i]!, { history: [{ at: '2026-03-02T00:00:05Z', actor: 'pr_1', action: 'insight.reverted', note: null, details: { from: input.status, to: 'completed' } }] });
      },
    });
    setTransport(fake.transport);
    useInsightsStore.setState({ filters: DEFAULT_FILTERS, items: [], total: null, queryKey: null, personas: [], personasLoaded: false, error: null });
    await useWorkspaceStore.getState().load();
    unbind = bindInsightEvents();
  });
  afterEach(() => {
    unbind();
    setTransport(null);
  });

  it('a reloaded address brings its filters back: the first request already has them', async () => {
    renderAt('/insights?severity=critical&status=completed&sort=severity');
    await screen.findAllByTestId('insight-row');
    expect(lists()[0]!.input).toMatchObject({ severity: ['critical'], status: ['completed'], sort: { column: 'severity', desc: true } });
    expect(screen.getByRole('button', { name: 'Severity filter' }).textContent).toBe('Severity: Critical');
    expect(screen.getAllByTestId('insight-row').every((r) => r.getAttribute('data-severity') === 'critical')).toBe(true);
  });

  it('a filter change goes into the address (so Back and shared links keep it)', async () => {
    const { router } = renderAt('/insights');
    await screen.findAllByTestId('insight-row');
    fireEvent.click(screen.getByRole('button', { name: 'Severity filter' }));
    fireEvent.click(await screen.findByRole('checkbox', { name: 'High' }));
    await waitFor(() => expect(router.state.location.search).toBe('?severity=high'));
    await waitFor(() => expect(lists().at(-1)!.input.severity).toEqual(['high']));
    await router.navigate(-1);
    await waitFor(() => expect(lists().at(-1)!.input.severity).toBeUndefined());
  });

  it('the detail pane never keeps an insight the new filter excludes, but a linked one stays open', async () => {
    const { router } = renderAt('/insights?id=ins_2');
    // ins_2 is critical; it stays open on the first answer.
    expect(await screen.findByTestId('insight-detail')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Severity filter' }));
    fireEvent.click(await screen.findByRole('checkbox', { name: 'High' }));
    await waitFor(() => expect(screen.queryByTestId('insight-detail')).toBeNull());
    expect(router.state.location.search).toBe('?severity=high');
  });

  it('↓/j and ↑/k move the selection through the list', async () => {
    const { router } = renderAt('/insights');
    const list = await screen.findByTestId('insight-list');
    await screen.findAllByTestId('insight-row');
    fireEvent.keyDown(list, { key: 'j' });
    await waitFor(() => expect(new URLSearchParams(router.state.location.search).get('id')).toBe('ins_1'));
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'j' });
    await waitFor(() => expect(new URLSearchParams(router.state.location.search).get('id')).toBe('ins_3'));
    fireEvent.keyDown(list, { key: 'k' });
    await waitFor(() => expect(new URLSearchParams(router.state.location.search).get('id')).toBe('ins_2'));
    // A fast run of keys (a held-down key) moves once per key, even before the address catches up.
    fireEvent.keyDown(list, { key: 'j' });
    fireEvent.keyDown(list, { key: 'j' });
    fireEvent.keyDown(list, { key: 'j' });
    await waitFor(() => expect(new URLSearchParams(router.state.location.search).get('id')).toBe('ins_5'));
    fireEvent.keyDown(list, { key: 'End' });
    await waitFor(() => expect(new URLSearchParams(router.state.location.search).get('id')).toBe('ins_30'));
    expect(await screen.findByTestId('insight-detail')).toBeTruthy();
  });

  it('Dismiss offers Undo in its toast; Undo goes through insights.undo and the pane shows it back', async () => {
    renderAt('/insights?id=ins_1');
    const detail = await screen.findByTestId('insight-detail');
    // Nested fields read as a table and bullets; the history in words.
    expect(within(detail).getByTestId('field-kpis').querySelector('table')).not.toBeNull();
    expect(within(detail).getByText('Personal data redacted before sending (2 emails)')).toBeTruthy();
    fireEvent.click(within(detail).getByRole('button', { name: 'Dismiss' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Dismiss' }));
    const toast = await screen.findByTestId('undo-toast');
    await waitFor(() => expect(screen.getByTestId('detail-status').textContent).toBe('Dismissed'));
    fireEvent.click(within(toast).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(fake.calls.find((c) => c.route === 'insights.undo')?.input).toEqual({ workspace: 'Acme', id: 'ins_1', status: 'dismissed' }));
    await waitFor(() => expect(screen.getByTestId('detail-status').textContent).toBe('New'));
    expect(screen.getByText('Undone: back to New')).toBeTruthy();
  });

  it('opens Analyze now from the address, and takes a typed code', async () => {
    fake = fakeTransport({
      'workspace.list': () => ({ workspaces: [{ id: 'ws_1', name: 'Acme', kind: 'sqlite', createdAt: '2026-01-01T00:00:00Z', schemaVersion: 1, sizeBytes: 1, demo: null, status: 'ready' }] }),
      'personas.list': () => ({ personas: [persona] }),
      'providers.list': () => ({ providers: [] }),
      'profiles.list': () => ({ profiles: [], activeId: 'pr_1' }),
      'insights.list': () => ({ items: [], total: 0 }),
      'data.lookup': (input: { query: string }) => ({ matches: input.query.toUpperCase() === 'TCK-000575' ? [{ id: 575, title: 'TCK-000575', subtitle: 'Account locked after failed attempts', code: 'TCK-000575' }] : [] }),
      'insights.analyze': () => ({ jobId: 'job_1' }),
      'jobs.get': () => ({ jobId: 'job_1', kind: 'engine.analyze', workspace: 'Acme', status: 'running', phase: 'calling', done: 0, total: 1, ratePerSec: null, etaMs: null, message: null, result: null, error: null, createdAt: '2026-03-01T00:00:00Z', finishedAt: null }),
    });
    setTransport(fake.transport);
    const { router } = renderAt('/insights?analyze=1');
    const dialog = await screen.findByRole('dialog', { name: 'Analyze a record now' });
    const picker = within(dialog).getByTestId('record-picker');
    fireEvent.change(picker, { target: { value: 'tck-000575' } });
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'data.lookup' && c.input.query === 'tck-000575')).toBe(true));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Analyze' }));
    await waitFor(() => expect(fake.calls.find((c) => c.route === 'insights.analyze')?.input).toEqual({ workspace: 'Acme', persona: 'ticket_analyst', entityId: 'tck-000575' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
  });
});
