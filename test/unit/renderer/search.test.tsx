import { render } from '@testing-library/react';
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
