import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { makeTestCore, demoWorkspace, type TestCore } from '../../../fixtures/core';
import { vectorProvider } from '../../../fixtures/vectorProvider';
import { seedAllSources, seedTickets } from '../../../fixtures/vectorData';
import { build, checkConsistency } from '../../../fixtures/vectors';
import { buildQuerySet, paraphrase, scoreQuery } from '../../../../src/main/core/vectors/evaluation';

let t: TestCore | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function seeded(name: string, tickets: number, core = t!.core): Promise<void> {
  await core.call('workspace.create', { name });
  const db = core.services.workspaces.open(name);
  seedAllSources(db);
  seedTickets(db, tickets);
}

describe('index versions', () => {
  it('builds a new version in the background while search keeps using the active one; switch, rollback, delete', async () => {
    t = makeTestCore();
    await seeded('w', 300);
    const provider = await vectorProvider(t.core, { dims: 128 });
    onTestFinished(() => provider.close());
    const changes: string[] = [];
    t.core.events.on('vectors.changed', (e) => changes.push(`${e.reason}:${e.versionId}`));
    const v1 = await build(t.core, { workspace: 'w' });
    expect(v1.versionId).toBe(1);

    // v2: another embedder and chunking. The stub provider holds its second batch, so the build is mid-way.
    const started = await t.core.call('vectors.build', { workspace: 'w', embedder: 'provider', chunking: { strategy: 'fixed', maxChars: 300, overlap: 60 } });
    expect(started).toMatchObject({ versionId: 2, action: 'build' });
    await provider.waitForRequests(3);
    const release = provider.hold();
    await provider.waitForRequests(4);
    // Mid-build: v1 still serves every search; v2 shows as building with its writer.
    const during = await t.core.call('search.query', { workspace: 'w', query: 'billing portal' });
    expect(during.versionId).toBe(1);
    const status = await t.core.call('vectors.status', { workspace: 'w' });
    expect(status.active?.id).toBe(1);
    expect(status.building.map((b) => [b.id, b.status, b.writer?.jobId])).toEqual([[2, 'building', started.jobId]]);
    await expect(t.core.call('vectors.switch', { workspace: 'w', version: 2 })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/only a ready version/) });
    await expect(t.core.call('vectors.deleteVersion', { workspace: 'w', version: 2 })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/running job/) });
    release();

    expect((await t.core.services.jobs.waitFor(started.jobId)).status).toBe('completed');
    expect((await t.core.call('search.query', { workspace: 'w', query: 'billing portal' })).versionId).toBe(2);
    // "index build" without a configuration brings the active version (here the provider one) up to date.
    expect(await build(t.core, { workspace: 'w' })).toMatchObject({ action: 'update', versionId: 2, embedded: 0 });

    // Rollback goes to the version active before; rolling back again returns.
    expect((await t.core.call('vectors.rollback', { workspace: 'w' })).id).toBe(1);
    expect((await t.core.call('search.query', { workspace: 'w', query: 'billing portal' })).versionId).toBe(1);
    expect((await t.core.call('vectors.rollback', { workspace: 'w' })).id).toBe(2);
    expect((await t.core.call('vectors.switch', { workspace: 'w', version: 1 })).active).toBe(true);
    // An older version can still be searched explicitly (to compare before switching).
    expect((await t.core.call('search.query', { workspace: 'w', query: 'billing portal', version: 2 })).versionId).toBe(2);

    await expect(t.core.call('vectors.deleteVersion', { workspace: 'w', version: 1 })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/active/) });
    expect(await t.core.call('vectors.deleteVersion', { workspace: 'w', version: 2 })).toEqual({ deleted: 2 });
    const db = t.core.services.workspaces.open('w');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'vec_v2%' OR name LIKE 'vec_fts_v2%' OR name = 'vec_f2'").all()).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM vec_chunks WHERE version_id = 2').pluck().get()).toBe(0);
    checkConsistency(db, 1);
    expect((await t.core.call('vectors.versions', { workspace: 'w' })).versions.map((v) => v.id)).toEqual([1]);
    await expect(t.core.call('vectors.rollback', { workspace: 'w' })).rejects.toMatchObject({ code: 'conflict' });
    expect(changes).toEqual(['built:1', 'built:2', 'updated:2', 'rolled_back:1', 'rolled_back:2', 'switched:1', 'deleted:2']);

    // --no-activate: the new version is ready but the active one stays.
    const v3 = await build(t.core, { workspace: 'w', embedder: 'builtin:256', activate: false });
    expect(v3).toMatchObject({ versionId: 3, activated: false });
    const versions = (await t.core.call('vectors.versions', { workspace: 'w' })).versions;
    expect(versions.map((v) => [v.id, v.active, v.status, v.dimensions, v.embedder.id])).toEqual([
      [3, false, 'ready', 256, 'builtin:lexical-v1'],
      [1, true, 'ready', 384, 'builtin:lexical-v1'],
    ]);
  });

  it('keeps workspaces apart: each searches only its own file, even with equal record and version ids', async () => {
    t = makeTestCore();
    for (const [name, animal] of [
      ['a', 'zebra'],
      ['b', 'giraffe'],
    ] as const) {
      await t.core.call('workspace.create', { name });
      const db = t.core.services.workspaces.open(name);
      seedTickets(db, 30);
      db.prepare("UPDATE tickets SET description = ? WHERE id = 1").run(`The ${animal} enclosure door sensor reports errors.`);
      await build(t.core, { workspace: name });
    }
    for (const [name, own, other] of [
      ['a', 'zebra', 'giraffe'],
      ['b', 'giraffe', 'zebra'],
    ] as const) {
      for (const mode of ['vector', 'keyword', 'hybrid'] as const) {
        const mine = await t.core.call('search.query', { workspace: name, query: `${own} enclosure`, mode });
        expect(mine.versionId).toBe(1);
        expect(mine.results[0]).toMatchObject({ sourceType: 'tickets', entityId: 1 });
        expect(mine.results[0]!.snippet).toContain(own);
        const foreign = await t.core.call('search.query', { workspace: name, query: other, mode, k: 50 });
        expect(foreign.results.every((r) => !r.snippet.includes(other))).toBe(true);
      }
      const rel = await t.core.call('vectors.related', { workspace: name, text: `${other} enclosure door`, k: 10, charBudget: 20_000 });
      expect(rel.snippets.every((s) => !s.text.includes(other))).toBe(true);
    }
    // Deleting one workspace leaves the other's index untouched.
    await t.core.call('workspace.delete', { workspace: 'b' });
    expect((await t.core.call('search.query', { workspace: 'a', query: 'zebra' })).results[0]!.entityId).toBe(1);
  });

  it('evaluates every ready version on a query set derived from the demo workspace and stores the results', async () => {
    t = makeTestCore();
    await demoWorkspace(t.core, 'demo', 0.3, 5);
    await build(t.core, { workspace: 'demo' });
    await build(t.core, { workspace: 'demo', chunking: { strategy: 'fixed', maxChars: 200, overlap: 40 }, activate: false });
    const { jobId } = await t.core.call('vectors.evaluate', { workspace: 'demo' });
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status).toBe('completed');
    const { evaluations } = await t.core.call('vectors.evaluations', { workspace: 'demo' });
    expect(evaluations).toHaveLength(6);
    expect(new Set(evaluations.map((e) => `${e.versionId}:${e.mode}`)).size).toBe(6);
    expect(new Set(evaluations.map((e) => e.querySet)).size).toBe(1);
    for (const e of evaluations) {
      expect(e.queries).toBeGreaterThan(10);
      expect(e.recallAtK).toBeGreaterThanOrEqual(0);
      expect(e.recallAtK).toBeLessThanOrEqual(1);
      expect(e.ndcgAtK).toBeLessThanOrEqual(1);
      expect(e.embedderId).toBe('builtin:lexical-v1');
    }
    // Exact codes are found by anything with BM25 in it.
    for (const e of evaluations.filter((x) => x.mode !== 'vector')) expect(e.byKind.code?.recall).toBe(1);
    // The query set is a pure function of the data.
    const db = t.core.services.workspaces.open('demo');
    expect(buildQuerySet(db)).toEqual(buildQuerySet(db));
  });

  it('starts an incremental update by itself after data changes (desktop and web hosts)', async () => {
    t = makeTestCore({ host: 'web' });
    await seeded('w', 20);
    await build(t.core, { workspace: 'w' });
    const db = t.core.services.workspaces.open('w');
    db.prepare("INSERT INTO issues (id, title, description, severity, status, created_at) VALUES (50, 'Forklift battery recall', 'Recall notice for forklift batteries', 'high', 'open', '2026-02-01T00:00:00Z')").run();
    const done = new Promise<string>((resolve) => t!.core.events.on('vectors.changed', (e) => e.reason === 'updated' && resolve(e.workspace)));
    t.core.services.events.emit('data.changed', { workspace: 'w', entities: ['issues'] });
    expect(await done).toBe('w');
    const res = await t.core.call('search.query', { workspace: 'w', query: 'forklift battery recall', mode: 'keyword' });
    expect(res.results[0]).toMatchObject({ sourceType: 'issues', entityId: 50 });
  });
});

describe('evaluation metrics', () => {
  it('scores recall@10 against min(|relevant|, 10) and nDCG against the ideal ranking', () => {
    expect(scoreQuery(['a', 'x', 'b'], ['a', 'b'])).toEqual({ recall: 1, ndcg: (1 + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3)) });
    expect(scoreQuery(['x', 'y'], ['a'])).toEqual({ recall: 0, ndcg: 0 });
    const many = Array.from({ length: 30 }, (_, i) => `r${i}`);
    expect(scoreQuery(many.slice(0, 10), many).recall).toBe(1);
    expect(scoreQuery(['r0'], many).recall).toBeCloseTo(0.1, 10);
  });

  it('derives code, title and paraphrase queries with their relevant records', async () => {
    t = makeTestCore();
    await seeded('w', 120);
    const q = buildQuerySet(t.core.services.workspaces.open('w'));
    const kinds = new Set(q.map((x) => x.kind));
    expect(kinds).toEqual(new Set(['code', 'title', 'paraphrase']));
    const code = q.find((x) => x.kind === 'code' && x.sourceType === 'tickets')!;
    expect(code.relevant).toEqual([`tickets:${Number(code.query.slice(4))}`]);
    const para = q.find((x) => x.kind === 'paraphrase' && x.sourceType === 'tickets')!;
    expect(para.relevant.length).toBeGreaterThan(0);
    expect(para.relevant.length).toBeLessThanOrEqual(50);
    expect(paraphrase('The customer cannot login because the invoice is wrong.')).toBe('client unable to sign in invoice incorrect'.replace('invoice', 'bill'));
  });
});
