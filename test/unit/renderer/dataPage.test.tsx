import { MantineProvider } from '@mantine/core';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setTransport } from '../../../src/renderer/src/api/client';
import { DataPage, parseRefParam } from '../../../src/renderer/src/features/data/DataPage';
import { toCsv } from '../../../src/renderer/src/components/download';
import { columnWidth, referenceText } from '../../../src/renderer/src/features/data/format';
import { getEntity } from '../../../src/shared/entities';
import { useWorkspaceStore } from '../../../src/renderer/src/stores/workspaceStore';
import { useDataStore } from '../../../src/renderer/src/stores/dataStore';
import { fakeTransport } from './fakeTransport';

const workspace = { id: 'ws_1', name: 'Acme', kind: 'sqlite', createdAt: '2026-01-01T00:00:00Z', schemaVersion: 1, sizeBytes: 1, demo: null, status: 'ready' };
const ticket = (i: number) => ({ id: i + 1, code: `TCK-${String(i + 1).padStart(6, '0')}`, subject: `Printer on fire ${i + 1}`, status: 'open', priority: 'high', account_id: 22 });
const TOTAL = 1234;
const page = (offset: number, limit: number) => Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, i) => ticket(offset + i));

const record = (entity: string, id: number) =>
  entity === 'tickets'
    ? {
        entity,
        id,
        title: `TCK-${String(id).padStart(6, '0')}`,
        subtitle: 'Printer on fire',
        record: { id, code: `TCK-${String(id).padStart(6, '0')}`, subject: 'Printer on fire', status: 'open', priority: 'high', account_id: 22, contact_id: 57, agent_id: null },
        refs: [
          { column: 'account_id', entity: 'accounts', id: 22, title: 'Acme Corp' },
          { column: 'contact_id', entity: 'contacts', id: 57, title: 'Jane Roe' },
        ],
        children: [
          { entity: 'ticket_comments', column: 'ticket_id', label: 'Ticket comments', total: 43, rows: [{ id: 948, ticket_id: id, author_type: 'customer', author_name: 'Jane Roe', body: 'Still down after the restart.', internal: 0, created_at: '2026-03-01T10:00:00Z' }], refs: {} },
        ],
        insights: {
          total: 1,
          items: [{ id: 'ins_1', type: 'persona', personaKey: 'ticket_analyst', domain: 'support', entityType: 'tickets', entityId: id, entityTitle: 'TCK', status: 'acknowledged', severity: 'critical', title: 'Outage, SLA breached', summary: '', confidence: 0.9, trigger: 'on_demand', createdAt: '2026-03-01T09:00:00Z', expiresAt: null, errorCode: null }],
        },
      }
    : {
        entity,
        id,
        title: 'Acme Corp',
        subtitle: 'acme.example',
        record: { id, name: 'Acme Corp', domain: 'acme.example', tier: 'enterprise', owner_id: 4 },
        refs: [{ column: 'owner_id', entity: 'users', id: 4, title: 'Isaac Romano' }],
        children: [{ entity: 'tickets', column: 'account_id', label: 'Tickets', total: 3, rows: [{ id: 575, code: 'TCK-000575', subject: 'Printer on fire', status: 'open', priority: 'high', account_id: id }], refs: {} }],
        insights: { total: 0, items: [] },
      };

function renderPage(path = '/data') {
  const router = createMemoryRouter([{ path: '/data', element: <DataPage /> }, { path: '*', element: <div data-testid="elsewhere" /> }], { initialEntries: [path] });
  const view = render(
    <MantineProvider>
      <RouterProvider router={router} />
    </MantineProvider>,
  );
  return { ...view, router };
}

describe('Data page', () => {
  let fake: ReturnType<typeof fakeTransport>;
  beforeEach(async () => {
    fake = fakeTransport({
      'workspace.list': () => ({ workspaces: [workspace] }),
      'data.stats': () => ({ counts: { tickets: 1234, accounts: 56 } }),
      'data.browse': (input: { entity: string; search?: string; offset: number; limit: number }) => {
        if (input.entity !== 'tickets') return { rows: [{ id: 1, name: 'Acme Corp', tier: 'enterprise' }], total: 1, refs: {} };
        const rows = input.search ? [ticket(0)] : page(input.offset, input.limit);
        return { rows, total: input.search ? 1 : TOTAL, refs: { account_id: { '22': 'Acme Corp' } } };
      },
      'data.record': (input: { entity: string; id: number }) => record(input.entity, input.id),
      'personas.list': () => ({ personas: [] }),
    });
    setTransport(fake.transport);
    useDataStore.setState({ workspace: null, counts: null, version: 0 });
    await useWorkspaceStore.getState().load();
  });
  afterEach(() => setTransport(null));

  const browseCalls = () => fake.calls.filter((c) => c.route === 'data.browse');

  it('shows entity counts, the first page of tickets and references by name', async () => {
    renderPage();
    expect(await screen.findByText('1,234')).toBeTruthy();
    expect(await screen.findByText('Printer on fire 2')).toBeTruthy();
    expect(screen.getByTestId('browse-total').textContent).toBe('1,234 rows');
    // The account column shows the account's name, not "22".
    expect(screen.getAllByText('Acme Corp').length).toBeGreaterThan(0);
    // Only the visible window is in the DOM.
    expect(screen.getAllByTestId('browse-row').length).toBeLessThan(60);
    expect(browseCalls()[0]!.input).toMatchObject({ workspace: 'Acme', entity: 'tickets', offset: 0, limit: 100, sort: { column: 'created_at', desc: true } });
  });

  it('spans the whole table: scrolling to the middle fetches that page, and says which rows are shown', async () => {
    renderPage();
    await screen.findByText('Printer on fire 2');
    expect(screen.getByTestId('browse-position').textContent).toMatch(/^Rows 1–\d+ of 1,234$/);
    const box = screen.getByTestId('table-scroll');
    act(() => {
      box.scrollTop = 600 * 34;
      box.dispatchEvent(new Event('scroll'));
    });
    await waitFor(() => expect(browseCalls().some((c) => c.input.offset === 600)).toBe(true));
    // Pages in between were never fetched: the scrollbar is the table's, not the loaded rows'.
    expect(browseCalls().some((c) => c.input.offset === 300)).toBe(false);
    expect(await screen.findByText('Printer on fire 601')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('browse-position').textContent).toMatch(/^Rows 60\d–\d+ of 1,234$/));
  });

  it('searches on the server as you type', async () => {
    renderPage();
    await screen.findByText('Printer on fire 3');
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'TCK-000001' } });
    await waitFor(() => expect(browseCalls().some((c) => c.input.search === 'TCK-000001')).toBe(true));
    await waitFor(() => expect(screen.queryByText('Printer on fire 3')).toBeNull());
    expect(screen.getByText('Printer on fire 1')).toBeTruthy();
  });

  it('sorts on the server, and a table switch never sends the previous table’s sort', async () => {
    renderPage();
    await screen.findByText('Printer on fire 1');
    fireEvent.click(screen.getByText('Subject'));
    await waitFor(() => expect(browseCalls().some((c) => c.input.sort?.column === 'subject')).toBe(true));
    fireEvent.click(screen.getByTestId('count-accounts'));
    await waitFor(() => expect(browseCalls().some((c) => c.input.entity === 'accounts')).toBe(true));
    for (const c of browseCalls().filter((x) => x.input.entity === 'accounts')) expect(c.input.sort).toEqual({ column: 'name', desc: false });
  });

  it('moves through rows with the keyboard and opens one with Enter', async () => {
    renderPage();
    await screen.findByText('Printer on fire 1');
    const grid = screen.getByRole('grid');
    fireEvent.keyDown(grid, { key: 'j' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(screen.getByTestId('browse-position').textContent).toBe('Row 2 of 1,234');
    fireEvent.keyDown(grid, { key: 'k' });
    expect(screen.getByTestId('browse-position').textContent).toBe('Row 1 of 1,234');
    fireEvent.keyDown(grid, { key: 'Enter' });
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'data.record' && c.input.id === 1)).toBe(true));
  });

  it('the drawer names references as links, lists related records and insights, and follows a link with Back', async () => {
    renderPage('/data?entity=tickets&id=575');
    const drawer = await screen.findByTestId('record-drawer');
    const account = within(drawer).getByRole('button', { name: 'Acme Corp' });
    expect(within(drawer).getByRole('button', { name: 'Jane Roe' })).toBeTruthy();
    expect(within(drawer).getByTestId('children-ticket_comments').textContent).toContain('43');
    expect(within(drawer).getByText('Still down after the restart.')).toBeTruthy();
    expect(within(drawer).getByRole('link', { name: 'Outage, SLA breached' }).getAttribute('href')).toBe('/insights?id=ins_1');
    fireEvent.click(account);
    await waitFor(() => expect(screen.getByTestId('record-drawer').getAttribute('data-entity')).toBe('accounts'));
    expect(screen.getByTestId('record-title').textContent).toBe('Acme Corp');
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(screen.getByTestId('record-drawer').getAttribute('data-entity')).toBe('tickets'));
  });

  it('"show all" opens the child table filtered to the record', async () => {
    const { router } = renderPage('/data?entity=tickets&id=575');
    const drawer = await screen.findByTestId('record-drawer');
    fireEvent.click(within(drawer).getByRole('button', { name: /Show all 43 in the table/ }));
    await waitFor(() => expect(router.state.location.search).toBe('?table=ticket_comments&ref=ticket_id%3A575'));
    await waitFor(() => expect(browseCalls().some((c) => c.input.entity === 'ticket_comments' && c.input.ref?.column === 'ticket_id' && c.input.ref.id === 575)).toBe(true));
    expect(screen.getByTestId('ref-filter')).toBeTruthy();
  });

  it('opens the import wizard from the address, says the expected columns and offers a template', async () => {
    renderPage('/data?table=accounts&import=1');
    const dialog = await screen.findByRole('dialog', { name: 'Import CSV' });
    const expected = within(dialog).getByTestId('expected-columns');
    expect(expected.textContent).toMatch(/Required: Name/);
    expect(expected.textContent).toMatch(/Optional: Domain, Industry, Tier/);
    const created: Blob[] = [];
    const orig = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    URL.createObjectURL = (b: Blob) => {
      created.push(b);
      return 'blob:template';
    };
    URL.revokeObjectURL = () => undefined;
    try {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Download a template' }));
      expect(await created[0]!.text()).toBe('name,domain,industry,tier,region,employees,arr,lifecycle,owner_id\r\n');
    } finally {
      URL.createObjectURL = orig.create;
      URL.revokeObjectURL = orig.revoke;
    }
  });
});

describe('Data page import: delimiter', () => {
  afterEach(() => setTransport(null));

  it('sends the delimiter the person picked, and shows the one the analysis used', async () => {
    const fake = fakeTransport({
      'workspace.list': () => ({ workspaces: [workspace] }),
      'data.stats': () => ({ counts: { accounts: 1 } }),
      'data.browse': () => ({ rows: [], total: 0, refs: {} }),
      'personas.list': () => ({ personas: [] }),
      'import.stage': (input: { chunk: string }) => ({ uploadId: '11111111-1111-1111-1111-111111111111', bytes: input.chunk.length }),
      'import.analyze': (input: { delimiter: string }) => ({ delimiter: input.delimiter === 'auto' ? ',' : input.delimiter, headers: ['name'], sample: [['A']], suggestedMapping: { name: 'name' }, bytes: 8 }),
    });
    setTransport(fake.transport);
    useDataStore.setState({ workspace: null, counts: null, version: 0 });
    await useWorkspaceStore.getState().load();
    renderPage('/data?table=accounts&import=1');
    const dialog = await screen.findByRole('dialog', { name: 'Import CSV' });
    fireEvent.change(within(dialog).getByLabelText('Delimiter'), { target: { value: ';' } });
    const input = dialog.querySelector('input[type="file"]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['name\nA\n'], 'a.csv', { type: 'text/csv' })] } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Upload' }));
    expect((await within(dialog).findByTestId('import-delimiter')).textContent).toBe('Fields separated by: Semicolon ;');
    expect(fake.calls.find((c) => c.route === 'import.analyze')?.input).toMatchObject({ delimiter: ';' });
  });
});

describe('Data page helpers', () => {
  it('writes CSV fields that survive commas, quotes and line breaks', () => {
    expect(toCsv([['line', 'problem'], [4, 'Use one of smb, mid_market (got "gold")'], [5, 'two\nlines']])).toBe('line,problem\r\n4,"Use one of smb, mid_market (got ""gold"")"\r\n5,"two\nlines"\r\n');
  });

  it('reads a ref filter only for a reference column of the table', () => {
    expect(parseRefParam('ticket_id:575', 'ticket_comments')).toEqual({ column: 'ticket_id', id: 575 });
    expect(parseRefParam('body:575', 'ticket_comments')).toBeNull();
    expect(parseRefParam('ticket_id:abc', 'ticket_comments')).toBeNull();
    expect(parseRefParam('entity_id:12:tickets', 'notes')).toEqual({ column: 'entity_id', id: 12, entity: 'tickets' });
    expect(parseRefParam('entity_id:12', 'notes')).toBeNull();
  });

  it('names a reference from the page’s titles, else by its type and id', () => {
    const col = getEntity('tickets')!.columns.find((c) => c.name === 'account_id')!;
    expect(referenceText(col, { account_id: 22 }, { account_id: { '22': 'Acme Corp' } })).toEqual({ text: 'Acme Corp', entity: 'accounts', id: 22 });
    expect(referenceText(col, { account_id: 23 }, {})?.text).toBe('Account #23');
    expect(referenceText(col, { account_id: null }, {})).toBeNull();
  });

  it('gives codes narrow columns and subjects wide ones', () => {
    const spec = getEntity('tickets')!;
    const w = (name: string) => columnWidth(spec, spec.columns.find((c) => c.name === name)!);
    expect(w('code')).toBeLessThan(w('subject'));
    expect(w('id')).toBeLessThan(w('code'));
    expect(w('priority')).toBeLessThan(w('subject'));
  });
});
