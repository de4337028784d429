import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setTransport } from '../../../src/renderer/src/api/client';
import { DataPage } from '../../../src/renderer/src/features/data/DataPage';
import { AppError } from '../../../src/shared/errors';
import { useWorkspaceStore } from '../../../src/renderer/src/stores/workspaceStore';
import { useDataStore } from '../../../src/renderer/src/stores/dataStore';
import { fakeTransport } from './fakeTransport';

const URL_OK = 'postgres://ann:secret@db.example.com:5432/sales';
const server = { host: 'db.example.com', port: 5432, database: 'sales', schema: 'ws_abc' };
const team = { id: 'ws_abc', name: 'Sales', kind: 'postgres', createdAt: '2026-01-01T00:00:00Z', schemaVersion: 20, sizeBytes: 0, demo: null, status: 'ready', server };
const report = {
  ok: true,
  server: { host: 'db.example.com', port: 5432, database: 'sales', user: 'ann' },
  serverVersion: '15.4',
  tls: true,
  canCreateSchema: true,
  schemas: [{ schema: 'ws_abc', name: 'Sales', schemaVersion: 20, appVersion: '0.1.0', compatible: true, attachedAs: null }],
};

function renderPage(path: string) {
  const router = createMemoryRouter([{ path: '/data', element: <DataPage /> }], { initialEntries: [path] });
  return render(
    <MantineProvider>
      <RouterProvider router={router} />
    </MantineProvider>,
  );
}

describe('Data page: team workspaces', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let workspaces: unknown[];
  beforeEach(async () => {
    workspaces = [];
    fake = fakeTransport({
      'workspace.list': () => ({ workspaces }),
      'workspace.testConnection': (input: { postgres: { url: string } }) => {
        if (input.postgres.url !== URL_OK) throw new AppError('forbidden', 'PostgreSQL refused the user name or password in postgres://ann:***@db.example.com:5432/sales.', { reason: 'credentials' });
        return report;
      },
      'workspace.create': (input: { name: string }) => {
        workspaces = [{ ...team, name: input.name }];
        return { workspace: workspaces[0], jobId: null };
      },
      'workspace.attach': (input: { name: string }) => {
        workspaces = [{ ...team, name: input.name }];
        return { workspace: workspaces[0], schemas: report.schemas };
      },
      'data.stats': () => ({ counts: {} }),
      'data.browse': () => ({ rows: [], total: 0, refs: {} }),
    });
    setTransport(fake.transport);
    useDataStore.setState({ workspace: null, counts: null, version: 0 });
    useWorkspaceStore.setState({ workspaces: [], current: null, loaded: false });
    await useWorkspaceStore.getState().load();
  });
  afterEach(() => setTransport(null));

  const urlField = () => screen.getByLabelText('Connection string');

  it('tests the connection and shows the typed failure, then the server it reached', async () => {
    renderPage('/data?team=1');
    fireEvent.change(await screen.findByLabelText('Connection string'), { target: { value: 'postgres://ann:wrong@db.example.com:5432/sales' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    const error = await screen.findByTestId('connection-error');
    expect(error.textContent).toContain('Wrong user name or password');
    expect(error.textContent).toContain('refused the user name or password');
    expect(error.textContent).not.toContain('wrong');

    fireEvent.change(urlField(), { target: { value: URL_OK } });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect((await screen.findByTestId('connection-ok')).textContent).toMatch(/PostgreSQL 15\.4 at db\.example\.com:5432, database “sales” as “ann” over TLS/);
    expect(screen.queryByTestId('connection-error')).toBeNull();
  });

  it('creates a new team workspace with the URL, and the page then says where it lives without credentials', async () => {
    renderPage('/data?team=1');
    fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'Sales' } });
    fireEvent.change(urlField(), { target: { value: URL_OK } });
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'workspace.create')).toBe(true));
    expect(fake.calls.find((c) => c.route === 'workspace.create')!.input).toEqual({ name: 'Sales', postgres: { url: URL_OK } });
    expect(await screen.findByText('Workspace “Sales” · PostgreSQL db.example.com/sales')).toBeTruthy();
    expect(document.body.textContent).not.toContain('secret');
  });

  it('joins an existing one: after a test, picks the schema from the list', async () => {
    renderPage('/data?team=1');
    fireEvent.click(await screen.findByText('Join team workspace'));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Our sales' } });
    fireEvent.change(urlField(), { target: { value: URL_OK } });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await screen.findByTestId('connection-ok');
    fireEvent.click(screen.getByRole('combobox', { name: 'Workspace on the server' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Sales — ws_abc', hidden: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Join' }));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'workspace.attach')).toBe(true));
    expect(fake.calls.find((c) => c.route === 'workspace.attach')!.input).toEqual({ name: 'Our sales', postgres: { url: URL_OK, schema: 'ws_abc' } });
    await waitFor(() => expect(useWorkspaceStore.getState().current).toBe('Our sales'));
  });
});
