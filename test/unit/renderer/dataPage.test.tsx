import { MantineProvider } from '@mantine/core';
import { render, screen, waitFor, fireEvent } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setTransport } from '../../../src/renderer/src/api/client';
import { DataPage } from '../../../src/renderer/src/features/data/DataPage';
import { useWorkspaceStore } from '../../../src/renderer/src/stores/workspaceStore';
import { useDataStore } from '../../../src/renderer/src/stores/dataStore';
import { fakeTransport } from './fakeTransport';

const workspace = { id: 'ws_1', name: 'Acme', kind: 'sqlite', createdAt: '2026-01-01T00:00:00Z', schemaVersion: 1, sizeBytes: 1, demo: null, status: 'ready' };
const ticket = (i: number) => ({ id: i + 1, code: `TCK-${String(i + 1).padStart(6, '0')}`, subject: `Printer on fire ${i + 1}`, status: 'open', priority: 'high' });
const TOTAL = 1234;
const page = (offset: number, limit: number) => Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, i) => ticket(offset + i));

function renderPage() {
  const router = createMemoryRouter([{ path: '/data', element: <DataPage /> }], { initialEntries: ['/data'] });
  return render(
    <MantineProvider>
      <RouterProvider router={router} />
    </MantineProvider>,
  );
}

describe('Data page', () => {
  let fake: ReturnType<typeof fakeTransport>;
  beforeEach(async () => {
    fake = fakeTransport({
      'workspace.list': () => ({ workspaces: [workspace] }),
      'data.stats': () => ({ counts: { tickets: 1234, accounts: 56 } }),
      'data.browse': (input: { search?: string; offset: number; limit: number }) =>
        input.search ? { rows: [ticket(0)], total: 1 } : { rows: page(input.offset, input.limit), total: TOTAL },
    });
    setTransport(fake.transport);
    useDataStore.setState({ workspace: null, counts: null, version: 0 });
    await useWorkspaceStore.getState().load();
  });
  afterEach(() => setTransport(null));

  it('shows entity counts and the first page of tickets', async () => {
    renderPage();
    expect(await screen.findByText('1,234')).toBeTruthy();
    expect(await screen.findByText('Printer on fire 2')).toBeTruthy();
    expect(screen.getByTestId('browse-total').textContent).toMatch(/1,234 rows · 200 loaded/);
    // Only the visible window is in the DOM, not all 200 loaded rows.
    expect(screen.getAllByTestId('browse-row').length).toBeLessThan(60);
    const browse = fake.calls.find((c) => c.route === 'data.browse')!;
    expect(browse.input).toMatchObject({ workspace: 'Acme', entity: 'tickets', offset: 0, sort: { column: 'created_at', desc: true } });
  });

  it('searches on the server as you type', async () => {
    renderPage();
    await screen.findByText('Printer on fire 3');
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'TCK-000001' } });
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'data.browse' && c.input.search === 'TCK-000001')).toBe(true));
    await waitFor(() => expect(screen.queryByText('Printer on fire 3')).toBeNull());
    expect(screen.getByText('Printer on fire 1')).toBeTruthy();
  });

  it('sorts on the server when a column header is clicked', async () => {
    renderPage();
    await screen.findByText('Printer on fire 1');
    fireEvent.click(screen.getByText('Subject'));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'data.browse' && c.input.sort?.column === 'subject')).toBe(true));
  });
});
