import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import type { Insight } from '../../../src/shared/insights';
import { setTransport } from '../../../src/renderer/src/api/client';
import { InsightDetail } from '../../../src/renderer/src/features/insights/InsightDetail';
import { InsightsPage } from '../../../src/renderer/src/features/insights/InsightsPage';
import { DEFAULT_FILTERS, FIRST_PAGE, activeFilterCount, bindInsightEvents, filtersToQuery, useInsightsStore } from '../../../src/renderer/src/stores/insightsStore';
import { useWorkspaceStore } from '../../../src/renderer/src/stores/workspaceStore';
import { fakeTransport } from './fakeTransport';
import { full, persona, summary } from './insightFixtures';
import './hub/helpers';

describe('filtersToQuery', () => {
  it('sends only the filters that are set, with the sort', () => {
    // With no status picked, dismissed and expired are left out (I9); asking for them brings them back.
    expect(filtersToQuery('Acme', DEFAULT_FILTERS)).toEqual({ workspace: 'Acme', sort: { column: 'createdAt', desc: true }, status: ['pending', 'completed', 'failed', 'acknowledged', 'actioned'] });
    expect(filtersToQuery('Acme', { ...DEFAULT_FILTERS, showClosed: true })).toEqual({ workspace: 'Acme', sort: { column: 'createdAt', desc: true } });
    expect(filtersToQuery('Acme', { ...DEFAULT_FILTERS, status: ['dismissed'] }).status).toEqual(['dismissed']);
    const q = filtersToQuery('Acme', { ...DEFAULT_FILTERS, severity: ['critical', 'high'], status: ['completed'], domain: ['support'], persona: ['ticket_analyst'], type: ['persona'], entityType: 'tickets', sort: { column: 'severity', desc: false } });
    expect(q).toEqual({
      workspace: 'Acme',
      severity: ['critical', 'high'],
      status: ['completed'],
      domain: ['support'],
      persona: ['ticket_analyst'],
      type: ['persona'],
      entityType: 'tickets',
      sort: { column: 'severity', desc: false },
    });
  });

  it('reads the entity id only when it is a whole number ("#12" too)', () => {
    expect(filtersToQuery('A', { ...DEFAULT_FILTERS, entityId: ' #12 ' }).entityId).toBe(12);
    expect(filtersToQuery('A', { ...DEFAULT_FILTERS, entityId: '12a' })).not.toHaveProperty('entityId');
    expect(filtersToQuery('A', { ...DEFAULT_FILTERS, entityId: '1.5' })).not.toHaveProperty('entityId');
  });

  it('keeps complete dates only and puts a reversed range in order', () => {
    expect(filtersToQuery('A', { ...DEFAULT_FILTERS, from: '2026-03-10', to: '2026-03-01' })).toMatchObject({ from: '2026-03-01', to: '2026-03-10' });
    expect(filtersToQuery('A', { ...DEFAULT_FILTERS, from: '2026-03', to: '' })).not.toHaveProperty('from');
  });

  it('trims the search text and leaves out a blank one', () => {
    expect(filtersToQuery('A', { ...DEFAULT_FILTERS, search: '  outage  ' }).search).toBe('outage');
    expect(filtersToQuery('A', { ...DEFAULT_FILTERS, search: '   ' })).not.toHaveProperty('search');
  });

  it('counts the filters that are set, not search or sort', () => {
    expect(activeFilterCount({ ...DEFAULT_FILTERS, search: 'x', sort: { column: 'title', desc: false } })).toBe(0);
    expect(activeFilterCount({ ...DEFAULT_FILTERS, severity: ['low'], entityId: '3', from: '2026-01-01', entityType: 'tickets' })).toBe(4);
  });
});

function renderAt(path: string) {
  const router = createMemoryRouter([{ path: '/insights', element: <InsightsPage /> }], { initialEntries: [path] });
  return render(
    <MantineProvider>
      <RouterProvider router={router} />
    </MantineProvider>,
  );
}

describe('Insights page', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let unbind: () => void;
  const items = Array.from({ length: 30 }, (_, i) => summary(i + 1));
  beforeEach(async () => {
    fake = fakeTransport({
      'workspace.list': () => ({ workspaces: [{ id: 'ws_1', name: 'Acme', kind: 'sqlite', createdAt: '2026-01-01T00:00:00Z', schemaVersion: 1, sizeBytes: 1, demo: null, status: 'ready' }] }),
      'personas.list': () => ({ personas: [persona] }),
      'providers.list': () => ({ providers: [] }),
      'profiles.list': () => ({ profiles: [], activeId: 'pr_1' }),
      'insights.list': (input: { severity?: string[] }) => {
        const rows = input.severity ? items.filter((i) => input.severity!.includes(i.severity!)) : items;
        return { items: rows.slice(0, FIRST_PAGE), total: rows.length };
      },
      'insights.get': (input: { id: string }) => full({ ...items.find((i) => i.id === input.id), id: input.id }),
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

  it('lists the first page, says no provider is set up, and filters on the server', async () => {
    renderAt('/insights');
    expect(await screen.findByText('Ticket 1: outage, priority 90')).toBeTruthy();
    expect(screen.getByTestId('insights-total').textContent).toBe('30 insights · dismissed and expired hidden');
    expect(await screen.findByTestId('no-provider')).toBeTruthy();
    expect(fake.calls.find((c) => c.route === 'insights.list')!.input).toEqual({ workspace: 'Acme', sort: { column: 'createdAt', desc: true }, status: ['pending', 'completed', 'failed', 'acknowledged', 'actioned'], offset: 0, limit: FIRST_PAGE });

    // The filter bar writes the address; the store follows it and the request goes out.
    fireEvent.click(screen.getByRole('button', { name: 'Severity filter' }));
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Critical' }));
    await waitFor(() => expect(screen.getByTestId('insights-total').textContent).toBe('15 insights match · dismissed and expired hidden'));
    expect(fake.calls.filter((c) => c.route === 'insights.list').at(-1)!.input).toMatchObject({ severity: ['critical'], offset: 0 });
    expect(screen.getAllByTestId('insight-row').every((r) => r.getAttribute('data-severity') === 'critical')).toBe(true);
  });

  it('opens the insight named in the address, and patches its row when another window acknowledges it', async () => {
    renderAt('/insights?id=ins_3');
    const detail = await screen.findByTestId('insight-detail');
    expect(within(detail).getByTestId('detail-status').textContent).toBe('New');
    await waitFor(() => expect(document.querySelector('[data-id="ins_3"]')).not.toBeNull());
    items[2] = summary(3, { status: 'acknowledged' });
    fake.emit('insights.changed', { workspace: 'Acme', reason: 'updated', ids: ['ins_3'], count: 1 });
    await waitFor(() => expect(document.querySelector('[data-id="ins_3"]')!.getAttribute('data-status')).toBe('acknowledged'));
    items[2] = summary(3);
  });
});

describe('Insight detail pane', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let current: Insight;
  const renderDetail = (onChanged = vi.fn()) => {
    const router = createMemoryRouter([{ path: '*', element: <InsightDetail workspace="Acme" id="ins_7" version={0} personas={[persona]} onChanged={onChanged} /> }], { initialEntries: ['/insights'] });
    render(
      <MantineProvider>
        <RouterProvider router={router} />
      </MantineProvider>,
    );
    return onChanged;
  };
  const move = (status: Insight['status']) => (input: { note?: string }) => {
    current = { ...current, status, statusChangedAt: '2026-03-02T10:00:00Z', statusChangedBy: 'pr_1', statusNote: input.note ?? null };
    return current;
  };
  beforeEach(() => {
    current = full();
    fake = fakeTransport({
      'insights.get': () => current,
      'profiles.list': () => ({ profiles: [{ id: 'pr_1', name: 'Ada', role: 'admin', createdAt: '2026-01-01T00:00:00Z' }], activeId: 'pr_1' }),
      'insights.acknowledge': move('acknowledged'),
      'insights.action': move('actioned'),
      'insights.dismiss': move('dismissed'),
    });
    setTransport(fake.transport);
  });
  afterEach(() => setTransport(null));

  it('shows the fields in the persona order, defaults flagged, the model, cost and fallback, and links evidence to the record', async () => {
    renderDetail();
    const detail = await screen.findByTestId('insight-detail');
    expect(within(detail).getByTestId('detail-provider').textContent).toBe('corp · gpt-4o-mini');
    expect(within(detail).getByTestId('detail-fallback')).toBeTruthy();
    expect(within(detail).getByTestId('detail-cost').textContent).toBe('$0.00096');
    expect(within(detail).getByTestId('field-priority_score').textContent).toBe('92');
    expect(within(detail).getByTestId('field-suggested_assignee_type').textContent).toBe('account manager');
    expect(within(detail).getByText('default')).toBeTruthy();
    expect(within(detail).getByText('2 email')).toBeTruthy();
    const link = within(detail).getAllByTestId('record-link').find((a) => a.closest('[data-testid="factor"]'))!;
    expect(link.getAttribute('href')).toBe('/data?entity=tickets&id=7');
  });

  it('acknowledges with a note: the route gets the note, the pane shows the new status and who', async () => {
    const onChanged = renderDetail();
    await screen.findByTestId('insight-detail');
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Note'), { target: { value: '  On it.  ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(screen.getByTestId('detail-status').textContent).toBe('Acknowledged'));
    expect(fake.calls.find((c) => c.route === 'insights.acknowledge')!.input).toEqual({ workspace: 'Acme', id: 'ins_7', note: 'On it.' });
    expect(onChanged).toHaveBeenCalledWith(expect.objectContaining({ id: 'ins_7', status: 'acknowledged' }));
    expect(screen.getByTestId('status-note').textContent).toContain('by Ada');
    expect(screen.getByTestId('status-note').textContent).toContain('On it.');
    // Acknowledged: it can still be actioned or dismissed, not acknowledged again.
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Mark actioned' })).toBeTruthy();
  });

  it('dismisses without a note (none is sent) and offers no further action', async () => {
    renderDetail();
    await screen.findByTestId('insight-detail');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.getByTestId('detail-status').textContent).toBe('Dismissed'));
    expect(fake.calls.find((c) => c.route === 'insights.dismiss')!.input).toEqual({ workspace: 'Acme', id: 'ins_7' });
    for (const name of ['Acknowledge', 'Mark actioned', 'Dismiss']) expect(screen.queryByRole('button', { name })).toBeNull();
  });

  it('shows the error when the action is refused, and keeps the dialog open', async () => {
    fake = fakeTransport({
      'insights.get': () => current,
      'profiles.list': () => ({ profiles: [], activeId: 'pr_1' }),
      'insights.action': () => {
        throw new AppError('conflict', 'This insight was dismissed meanwhile.');
      },
    });
    setTransport(fake.transport);
    renderDetail();
    await screen.findByTestId('insight-detail');
    fireEvent.click(screen.getByRole('button', { name: 'Mark actioned' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Mark actioned' }));
    expect(await within(dialog).findByText(/dismissed meanwhile/)).toBeTruthy();
    expect(screen.getByTestId('detail-status').textContent).toBe('New');
  });
});
