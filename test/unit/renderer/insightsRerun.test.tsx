import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobInfo } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/errors';
import type { Insight } from '../../../src/shared/insights';
import { setTransport } from '../../../src/renderer/src/api/client';
import { InsightDetail } from '../../../src/renderer/src/features/insights/InsightDetail';
import { bindJobEvents } from '../../../src/renderer/src/stores/jobsStore';
import { fakeTransport } from './fakeTransport';
import { full, persona } from './insightFixtures';
import './hub/helpers';

const job = (status: JobInfo['status'], result: unknown): JobInfo =>
  ({ jobId: 'job_1', kind: 'engine.analyze', workspace: 'Acme', status, phase: status, done: status === 'running' ? 0 : 1, total: 1, ratePerSec: null, etaMs: null, message: null, result, error: null, createdAt: '2026-03-01T09:00:00Z', finishedAt: null });

describe('Insight detail: retry, delete, Analyze again, dropped evidence', () => {
  afterEach(() => setTransport(null));

  const renderDetail = (onOpen = vi.fn(), onDeleted = vi.fn()) => {
    const router = createMemoryRouter([{ path: '*', element: <InsightDetail workspace="Acme" id="ins_7" version={0} personas={[persona]} onChanged={vi.fn()} onOpen={onOpen} onDeleted={onDeleted} /> }], { initialEntries: ['/insights'] });
    render(
      <MantineProvider>
        <RouterProvider router={router} />
      </MantineProvider>,
    );
    return { onOpen, onDeleted };
  };
  const failed = (): Insight => full({ status: 'failed', severity: null, errorCode: 'unavailable', errorMessage: 'Provider down.', title: 'TCK-7: Ticket Analyst could not analyse this' });

  it('a failed insight offers Retry: the job it starts opens the new insight when it finishes', async () => {
    const fake = fakeTransport({ 'insights.get': () => failed(), 'profiles.list': () => ({ profiles: [], activeId: 'pr_1' }), 'insights.retry': () => ({ jobId: 'job_1' }), 'jobs.get': () => job('running', null) });
    setTransport(fake.transport);
    const stop = bindJobEvents();
    const { onOpen } = renderDetail();
    fireEvent.click(await screen.findByTestId('insight-retry'));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'jobs.get')).toBe(true));
    expect(fake.calls.find((c) => c.route === 'insights.retry')!.input).toEqual({ workspace: 'Acme', id: 'ins_7' });
    expect(onOpen).not.toHaveBeenCalled();
    fake.emit('job.progress', job('completed', { insightId: 'ins_new', status: 'completed', errorCode: null }));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith('ins_new'));
    expect(screen.queryByTestId('insight-analyze-again')).toBeNull();
    stop();
  });

  it('a failed insight can be deleted from the pane', async () => {
    const fake = fakeTransport({ 'insights.get': () => failed(), 'profiles.list': () => ({ profiles: [], activeId: 'pr_1' }), 'insights.delete': (i: { id: string }) => ({ deleted: i.id }) });
    setTransport(fake.transport);
    const { onDeleted } = renderDetail();
    fireEvent.click(await screen.findByTestId('insight-delete'));
    await waitFor(() => expect(onDeleted).toHaveBeenCalledWith('ins_7'));
    expect(fake.calls.find((c) => c.route === 'insights.delete')!.input).toEqual({ workspace: 'Acme', id: 'ins_7' });
  });

  it('a refused delete shows why and keeps the insight', async () => {
    const fake = fakeTransport({
      'insights.get': () => failed(),
      'profiles.list': () => ({ profiles: [], activeId: 'pr_1' }),
      'insights.delete': () => {
        throw new AppError('conflict', 'This insight is completed; only failed or superseded insights can be deleted.');
      },
    });
    setTransport(fake.transport);
    const { onDeleted } = renderDetail();
    fireEvent.click(await screen.findByTestId('insight-delete'));
    expect((await screen.findByTestId('rerun-error')).textContent).toMatch(/only failed or superseded/);
    expect(onDeleted).not.toHaveBeenCalled();
  });

  it('an open insight offers Analyze again (force) and no Retry or Delete', async () => {
    const fake = fakeTransport({ 'insights.get': () => full(), 'profiles.list': () => ({ profiles: [], activeId: 'pr_1' }), 'insights.analyze': () => ({ jobId: 'job_1' }), 'jobs.get': () => job('completed', { insightId: 'ins_8', status: 'completed', errorCode: null }) });
    setTransport(fake.transport);
    const { onOpen } = renderDetail();
    fireEvent.click(await screen.findByTestId('insight-analyze-again'));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith('ins_8'));
    expect(fake.calls.find((c) => c.route === 'insights.analyze')!.input).toEqual({ workspace: 'Acme', persona: 'ticket_analyst', entityId: 7, force: true });
    expect(screen.queryByTestId('insight-retry')).toBeNull();
    expect(screen.queryByTestId('insight-delete')).toBeNull();
  });

  it('says how many evidence references were dropped, and says nothing when none were', async () => {
    const fake = fakeTransport({ 'insights.get': () => full({ evidenceDropped: 2 }), 'profiles.list': () => ({ profiles: [], activeId: 'pr_1' }) });
    setTransport(fake.transport);
    renderDetail();
    expect((await screen.findByTestId('evidence-dropped')).textContent).toMatch(/2 references to records the model was not shown were removed/);
  });

  it('no dropped-evidence note for a clean answer', async () => {
    const fake = fakeTransport({ 'insights.get': () => full(), 'profiles.list': () => ({ profiles: [], activeId: 'pr_1' }) });
    setTransport(fake.transport);
    renderDetail();
    await screen.findByTestId('insight-detail');
    expect(screen.queryByTestId('evidence-dropped')).toBeNull();
  });
});

describe('history labels', () => {
  it('reads the engine’s new events as words, never as raw keys', async () => {
    const { historyLabel } = await import('../../../src/renderer/src/features/insights/format');
    expect(historyLabel('insight.superseded', { by: 'ins_2' })).toBe('Superseded by a newer analysis');
    expect(historyLabel('context.filtered', { counts: { role_marker: 1 } })).toBe('Text that tried to steer the model was neutralised');
    for (const key of ['insight.superseded', 'insight.deleted', 'analysis.cancelled', 'context.filtered']) expect(historyLabel(key, null)).not.toMatch(/[._]/);
  });
});
