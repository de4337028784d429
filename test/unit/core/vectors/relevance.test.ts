import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResult } from '../../../../src/shared/contract';
import { beatsFloor, floorFrom, NOISE_PROBE_COUNT, noiseProbes } from '../../../../src/main/core/vectors/relevance';
import { highlightSpans } from '../../../../src/main/core/vectors/snippets';
import { queryTerms } from '../../../../src/main/core/vectors/text/tokens';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { build } from '../../../fixtures/vectors';

describe('the relevance floor, in isolation', () => {
  it('probes are the same nonsense on every run', () => {
    const a = noiseProbes();
    expect(a).toHaveLength(NOISE_PROBE_COUNT);
    expect(noiseProbes()).toEqual(a);
    for (const p of a) expect(p).toMatch(/^[a-z]{4,10}( [a-z]{4,10}){0,2}$/);
    expect(new Set(a).size).toBe(a.length);
  });

  it('sits below the closest nonsense by the spread of the probes', () => {
    expect(floorFrom([0.8, 0.9, 0.85, 0.95])).toBeCloseTo(0.8 - (0.875 - 0.8), 10);
    expect(floorFrom([])).toBeNull();
    expect(floorFrom([Number.POSITIVE_INFINITY])).toBeNull();
    expect(floorFrom([0.1, 0.9])).toBe(0);
    expect(beatsFloor(0.5, 0.6)).toBe(true);
    expect(beatsFloor(0.6, 0.6)).toBe(false);
    expect(beatsFloor(null, 0.6)).toBe(false);
    expect(beatsFloor(0.9, null)).toBe(true);
  });
});

describe('search with the relevance floor (lexical index of a demo workspace)', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = makeTestCore();
    const { jobId } = await t.core.call('workspace.create', { name: 'w', demo: { scale: 0.3, seed: 11, anchorDate: '2026-03-31' } });
    await t.core.services.jobs.waitFor(jobId!);
    await build(t.core, { workspace: 'w' });
  });
  afterAll(async () => t.cleanup());

  const search = (query: string, extra: Record<string, unknown> = {}) => t.core.call('search.query', { workspace: 'w', query, k: 20, ...extra });
  const goodFirst = (results: SearchResult[]): void => {
    const firstWeak = results.findIndex((r) => r.belowFloor);
    if (firstWeak >= 0) expect(results.slice(firstWeak).every((r) => r.belowFloor)).toBe(true);
  };

  it('a nonsense query finds neighbours, every one of them below the floor, in hybrid and vector mode', async () => {
    for (const mode of ['hybrid', 'vector'] as const) {
      const r = await search('zzqxv flibbertigibbet', { mode });
      expect(r.results.length).toBeGreaterThan(0);
      expect(r.floor).toBeGreaterThan(0);
      expect(r.floor).toBeLessThan(1);
      expect(r.results.every((x) => x.belowFloor)).toBe(true);
    }
  });

  it('keyword matches are good, vector-only neighbours must beat the floor, and good ones come first', async () => {
    const subject = t.core.services.workspaces.open('w').prepare("SELECT subject FROM tickets WHERE subject LIKE '% %' ORDER BY id LIMIT 1").pluck().get() as string;
    const r = await search(subject);
    expect(r.results[0]!.belowFloor).toBe(false);
    for (const x of r.results) expect(x.belowFloor).toBe(x.scores.bm25Rank === null && !(x.scores.vectorDistance! < r.floor!));
    goodFirst(r.results);
  });

  it('a type filter no longer returns the whole type as matches: only records sharing a word are good', async () => {
    const r = await search('login outage', { filters: { sourceTypes: ['issues'] } });
    goodFirst(r.results);
    const good = r.results.filter((x) => !x.belowFloor);
    for (const x of good) expect(x.scores.bm25Rank !== null || x.scores.vectorDistance! < r.floor!).toBe(true);
    const issues = t.core.services.workspaces.open('w').prepare('SELECT count(*) FROM issues').pluck().get() as number;
    expect(r.results.length).toBe(Math.min(issues, 20));
    expect(good.length).toBeLessThan(r.results.length);
  });

  it('keyword mode has no floor: every BM25 hit shares a word with the query', async () => {
    const r = await search('login', { mode: 'keyword' });
    expect(r.floor).toBeNull();
    expect(r.results.every((x) => !x.belowFloor)).toBe(true);
  });
});

describe('highlights for codes', () => {
  it('marks the code that matched, not its neighbours (TCK-000467 is not TCK-000444)', () => {
    const text = 'TCK-000444 and TCK-000467 and TCK-000344';
    const spans = highlightSpans(text, queryTerms('TCK-000467'));
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['TCK-000467']);
    // Word forms still match by stem.
    expect(highlightSpans('two logins failed', queryTerms('login')).length).toBe(1);
  });
});
