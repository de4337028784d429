import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setTransport } from '../../../src/renderer/src/api/client';
import { BackupDialog } from '../../../src/renderer/src/features/data/BackupDialog';
import { useBackupStore } from '../../../src/renderer/src/stores/backupStore';
import { fakeTransport } from './fakeTransport';
import { AppError } from '../../../src/shared/errors';

const job = (jobId: string, kind: string) => ({ jobId, kind, workspace: 'Acme', status: 'completed', phase: 'done', done: 1, total: 1, ratePerSec: null, etaMs: null, message: null, result: null, error: null, createdAt: '2026-06-15T00:00:00Z', finishedAt: '2026-06-15T00:00:01Z' });

describe('Data page backups', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let backups: { backup: string; workspace: string; createdAt: string; sizeBytes: number; daily: boolean }[];
  beforeEach(() => {
    backups = [];
    fake = fakeTransport({
      'workspace.backups': () => ({ backups }),
      'workspace.backup': () => {
        backups = [{ backup: 'Acme-20260615T101500Z.sqlite', workspace: 'Acme', createdAt: '2026-06-15T10:15:00Z', sizeBytes: 3 * 1024 * 1024, daily: false }];
        return { jobId: 'job-b', backup: backups[0]!.backup };
      },
      'workspace.restore': () => ({ jobId: 'job-r' }),
      'workspace.list': () => ({ workspaces: [] }),
      'jobs.get': (input: { jobId: string }) => job(input.jobId, input.jobId === 'job-b' ? 'workspace.backup' : 'workspace.restore'),
    });
    setTransport(fake.transport);
    useBackupStore.setState({ backups: [], error: null });
  });
  afterEach(() => setTransport(null));

  it('backs up the workspace, lists the new backup, and restores it under a new name', async () => {
    render(
      <MantineProvider>
        <BackupDialog workspace="Acme" opened onClose={() => {}} />
      </MantineProvider>,
    );
    expect(await screen.findByText('No backups yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back up now' }));
    expect(await screen.findByText('3.0 MB')).toBeTruthy();
    expect(fake.calls.find((c) => c.route === 'workspace.backup')?.input).toEqual({ workspace: 'Acme' });

    fireEvent.click(screen.getByRole('button', { name: 'Restore as…' }));
    const name = screen.getByLabelText('New workspace name');
    fireEvent.change(name, { target: { value: 'Acme copy' } });
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(fake.calls.find((c) => c.route === 'workspace.restore')?.input).toEqual({ backup: 'Acme-20260615T101500Z.sqlite', name: 'Acme copy' }));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'workspace.list')).toBe(true));
  });

  it('shows why a backup was refused', async () => {
    fake = fakeTransport({
      'workspace.backups': () => ({ backups: [] }),
      'workspace.backup': () => {
        throw new AppError('unavailable', 'Workspace "Acme" is on PostgreSQL: back it up on the server with pg_dump');
      },
    });
    setTransport(fake.transport);
    render(
      <MantineProvider>
        <BackupDialog workspace="Acme" opened onClose={() => {}} />
      </MantineProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Back up now' }));
    expect(await screen.findByText(/pg_dump/)).toBeTruthy();
  });
});
