import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import type { SearchResult } from '../../../src/shared/contract';
import { fieldLabel } from '../../../src/renderer/src/features/search/ResultCard';
import { groupSameTitle, splitByFloor } from '../../../src/renderer/src/features/search/resultGroups';
import { SearchPage } from '../../../src/renderer/src/features/search/SearchPage';
import { useWorkspaceStore } from '../../../src/renderer/src/stores/workspaceStore';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { setTransport } from '../../../src/renderer/src/api/client';
import { HighlightedText, splitHighlights } from '../../../src/renderer/src/features/search/highlight';
import { readSearchParams, writeSearchParams } from '../../../src/renderer/src/features/search/searchParams';
import { EMPTY_FILTERS, hasFilters, useSearchStore, type SearchRequest } from '../../../src/renderer/src/stores/searchStore';
import { fakeTransport } from './fakeTransport';

describe('search URL state', () => {
  it('round-trips a query, mode and every filter through the address bar', () => {
    const state = { q: 'refund TCK-000077', mode: 'keyword' as const, filters: { sourceTypes: ['tickets', 'conversations'], dateFrom: '2026-01-01', dateTo: '2026-03-31', entityIds: [77, 112] } };
    const params = new URLSearchParams(writeSearchParams(state));
    expect(params.get('types')).toBe('tickets,conversations');
    expect(readSearchParams(params)).toEqual(state);
  });

  it('leaves defaults out of the URL and ignores what it cannot read', () => {
    expect(writeSearchParams({ q: '', mode: 'hybrid', filters: EMPTY_FILTERS })).toEqual({});
    const read = readSearchParams(new URLSearchParams('q=%20outage%20&mode=semantic&from=yesterday&to=2026-02-30x&ids=3,abc,-1,4.5,9'));
    expect(read).toEqual({ q: 'outage', mode: 'hybrid', filters: { ...EMPTY_FILTERS, entityIds: [3, 9] } });
  });

  it('knows when any filter is set', () => {
    expect(hasFilters(EMPTY_FILTERS)).toBe(false);
    expect(hasFilters({ ...EMPTY_FILTERS, dateTo: '2026-01-01' })).toBe(true);
    expect(hasFilters({ ...EMPTY_FILTERS, entityIds: [1] })).toBe(true);
  });
});

describe('highlighting', () => {
  it('marks the given ranges and keeps the rest as plain text', () => {
    expect(splitHighlights('Refund request for seats', [{ start: 0, end: 6 }, { start: 19, end: 24 }])).toEqual([
      { text: 'Refund', marked: true },
      { text: ' request for ', marked: false },
      { text: 'seats', marked: true },
    ]);
  });

  it('drops empty, overlapping and out-of-range spans rather than garbling the text', () => {
    const parts = splitHighlights('abcdef', [{ start: 4, end: 99 }, { start: 1, end: 3 }, { start: 2, end: 5 }, { start: 3, end: 3 }]);
    expect(parts.map((p) => p.text).join('')).toBe('abcdef');
    expect(parts.filter((p) => p.marked).map((p) => p.text)).toEqual(['bc', 'de', 'f']);
  });

  it('renders record text as characters, never as HTML', () => {
    const text = '<img src=x onerror=alert(1)> refund';
    const { container } = render(<HighlightedText text={text} spans={[{ start: 29, end: 35 }]} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('mark')?.textContent).toBe('refund');
    expect(container.textContent).toBe(text);
  });
});

describe('search store', () => {
  let fake: ReturnType<typeof fakeTransport>;
  const answer = (query: string) => ({ results: [], mode: 'hybrid', versionId: 1, embedder: { id: 'builtin', label: 'Built-in', lexical: true }, prefilterUsed: false, timings: { embedMs: 0, vectorMs: 1, keywordMs: 1, totalMs: 2 }, warnings: [], query });
  const request = (over: Partial<SearchRequest> = {}): SearchRequest => ({ workspace: 'Acme', query: 'refund', mode: 'hybrid', filters: EMPTY_FILTERS, k: 20, ...over });

  beforeEach(() => {
    fake = fakeTransport({
      'search.query': async (input: { query: string }) => {
        if (input.query === 'boom') throw new AppError('unavailable', 'The index of "Acme" is being rebuilt.');
        if (input.query === 'slow') await new Promise((r) => setTimeout(r, 40));
        return answer(input.query);
      },
    });
    setTransport(fake.transport);
    useSearchStore.getState().clear();
  });
  afterEach(() => useSearchStore.getState().clear());

  it('sends only the filters that are set', async () => {
    await useSearchStore.getState().search(request());
    expect(fake.calls[0]!.input).toEqual({ workspace: 'Acme', query: 'refund', mode: 'hybrid', k: 20, filters: {} });
    await useSearchStore.getState().search(request({ mode: 'keyword', filters: { sourceTypes: ['tickets'], dateFrom: '2026-01-01', dateTo: '', entityIds: [5] } }));
    expect(fake.calls[1]!.input.filters).toEqual({ sourceTypes: ['tickets'], entityIds: [5], dateFrom: '2026-01-01' });
    expect(fake.calls[1]!.input.mode).toBe('keyword');
  });

  it('does not send the same search twice unless forced', async () => {
    await useSearchStore.getState().search(request());
    await useSearchStore.getState().search(request());
    expect(fake.calls).toHaveLength(1);
    await useSearchStore.getState().search(request(), true);
    expect(fake.calls).toHaveLength(2);
  });

  it('keeps only the newest answer when searches overlap', async () => {
    const first = useSearchStore.getState().search(request({ query: 'slow' }));
    const second = useSearchStore.getState().search(request({ query: 'second' }));
    await Promise.all([first, second]);
    expect(useSearchStore.getState().request?.query).toBe('second');
    expect((useSearchStore.getState().response as unknown as { query: string }).query).toBe('second');
    expect(useSearchStore.getState().loading).toBe(false);
  });

  it('shows an error a person can act on, and no stale results', async () => {
    await useSearchStore.getState().search(request());
    expect(useSearchStore.getState().response).not.toBeNull();
    await useSearchStore.getState().search(request({ query: 'boom' }));
    const s = useSearchStore.getState();
    expect(s.response).toBeNull();
    expect(s.error).toEqual({ code: 'unavailable', message: 'The index of "Acme" is being rebuilt.' });
  });
});

describe('search relevance floor and result folding', () => {
  const result = (i: number, over: Partial<SearchResult> = {}): SearchResult => ({
    chunkId: i,
    sourceType: 'tickets',
    sourceLabel: 'Ticket',
    entityId: i,
    title: `Ticket ${i}`,
    field: 'description',
    access: 'standard',
    date: '2026-03-01T00:00:00Z',
    snippet: `Snippet ${i}`,
    highlights: [],
    titleHighlights: [],
    score: 0.5,
    scores: { vectorDistance: 0.8, vectorRank: i, bm25: null, bm25Rank: null, fused: 0.01 },
    prevChunkId: null,
    nextChunkId: null,
    belowFloor: false,
    ...over,
  });
  const version = { id: 1, embedder: { id: 'builtin', kind: 'builtin', label: 'Built-in lexical', model: 'lexical-v1', lexical: true }, dimensions: 384, chunking: { strategy: 'sentence', maxChars: 800, overlap: 120 }, binaryPrefilter: true, status: 'ready', active: true, documents: 10, chunks: 10, writer: null, progress: null, quality: null, error: null, createdAt: '2026-03-01T00:00:00Z', createdBy: null, builtAt: null, updatedAt: null, activatedAt: null };
  let fake: ReturnType<typeof fakeTransport>;
  let answer: SearchResult[];

  beforeEach(async () => {
    answer = [];
    fake = fakeTransport({
      'workspace.list': () => ({ workspaces: [{ id: 'ws_1', name: 'Acme', kind: 'sqlite', createdAt: '2026-01-01T00:00:00Z', schemaVersion: 1, sizeBytes: 1, demo: null, status: 'ready' }] }),
      'vectors.status': () => ({ workspace: 'Acme', active: version, building: [], versions: 1 }),
      'vectors.sources': () => ({ sources: [{ type: 'tickets', label: 'Ticket', childEntities: [] }], excluded: [] }),
      'search.query': () => ({ results: answer, floor: 0.7, mode: 'hybrid', versionId: 1, embedder: { id: 'builtin', label: 'Built-in lexical', lexical: true }, prefilterUsed: false, timings: { embedMs: 0, vectorMs: 1, keywordMs: 1, totalMs: 2 }, warnings: [] }),
    });
    setTransport(fake.transport);
    useSearchStore.getState().clear();
    await useWorkspaceStore.getState().load();
  });
  afterEach(() => setTransport(null));

  const renderSearch = (path: string) => {
    const router = createMemoryRouter([{ path: '/search', element: <SearchPage /> }], { initialEntries: [path] });
    return render(
      <MantineProvider>
        <RouterProvider router={router} />
      </MantineProvider>,
    );
  };

  it('says "no good match" when every result is below the floor, and shows the weak ones on request', async () => {
    answer = Array.from({ length: 20 }, (_, i) => result(i + 1, { belowFloor: true }));
    renderSearch('/search?q=zzqxv+flibbertigibbet');
    const empty = await screen.findByTestId('search-empty');
    expect(empty.getAttribute('data-reason')).toBe('floor');
    expect(empty.textContent).toContain('No good match for “zzqxv flibbertigibbet”');
    expect(screen.getByTestId('search-meta').textContent).toMatch(/^No good match/);
    expect(screen.queryAllByTestId('search-result')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Show 20 weak matches' }));
    expect(await screen.findAllByTestId('search-result')).toHaveLength(20);
    expect(screen.getAllByTestId('search-result').every((r) => r.getAttribute('data-weak') === 'true')).toBe(true);
  });

  it('divides good matches from weak ones and counts only the good', async () => {
    answer = [result(1, { scores: { vectorDistance: 0.6, vectorRank: 1, bm25: -3, bm25Rank: 1, fused: 0.03 } }), ...Array.from({ length: 10 }, (_, i) => result(i + 2, { belowFloor: true }))];
    renderSearch('/search?q=login+outage&types=tickets');
    await screen.findByTestId('floor-divider');
    expect(screen.getByTestId('search-meta').textContent).toMatch(/^1 good match/);
    expect(screen.getAllByTestId('search-result')).toHaveLength(1);
    expect(screen.getByTestId('floor-divider').textContent).toContain('10 weaker matches below the relevance floor');
    fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    expect(await screen.findAllByTestId('search-result')).toHaveLength(11);
  });

  it('folds repeats of one title under the first and says how many', async () => {
    answer = [result(1, { title: 'URGENT: nobody can log in' }), result(2, { title: 'Invoice' }), result(3, { title: 'urgent:  nobody can log in' }), result(4, { title: 'URGENT: nobody can log in' })];
    renderSearch('/search?q=log+in');
    await screen.findByTestId('search-meta');
    expect(screen.getAllByTestId('search-result')).toHaveLength(2);
    fireEvent.click(screen.getByTestId('same-title-toggle'));
    expect(screen.getAllByTestId('search-result')).toHaveLength(4);
  });

  it('never keeps the record ids message once the field is cleared or typed in again', async () => {
    answer = [result(1)];
    renderSearch('/search?q=refund');
    await screen.findByTestId('search-meta');
    const ids = screen.getByRole('combobox', { name: 'Record ids' });
    // Mantine ignores changes to a combobox input that does not have the focus (autofill); type as a person would.
    ids.focus();
    const enter = (text: string) => {
      fireEvent.change(ids, { target: { value: text } });
      fireEvent.keyDown(ids, { key: 'Enter' });
    };
    enter('abc');
    expect(await screen.findByText('Not a record id: abc')).toBeTruthy();
    fireEvent.change(ids, { target: { value: '1' } });
    await waitFor(() => expect(screen.queryByText('Not a record id: abc')).toBeNull());
    fireEvent.change(ids, { target: { value: '' } });
    enter('xyz');
    expect(await screen.findByText('Not a record id: xyz')).toBeTruthy();
    fireEvent.blur(ids);
    await waitFor(() => expect(screen.queryByText('Not a record id: xyz')).toBeNull());
    ids.focus();
    enter('-3');
    expect(await screen.findByText('Not a record id: -3')).toBeTruthy();
  });

  it('names the part that matched without internal ids', () => {
    expect(fieldLabel('comment:948')).toBe('a comment');
    expect(fieldLabel('comment:1, comment:2, description')).toBe('2 comments, description');
    expect(splitByFloor([result(1), result(2, { belowFloor: true })]).weak.map((r) => r.entityId)).toEqual([2]);
    expect(groupSameTitle([result(1, { title: 'A' }), result(2, { title: 'a' }), result(3, { title: 'B' })]).map((g) => [g.lead.entityId, g.same.length])).toEqual([
      [1, 1],
      [3, 0],
    ]);
  });
});
