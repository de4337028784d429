import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../../src/shared/contract';
import { SOURCES } from '../../../../src/main/core/vectors/sources';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { vectorProvider } from '../../../fixtures/vectorProvider';
import { seedAllSources, seedTickets } from '../../../fixtures/vectorData';
import { build, checkConsistency, update } from '../../../fixtures/vectors';

let t: TestCore | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function workspace(tickets = 300): Promise<{ t: TestCore; db: ReturnType<TestCore['core']['services']['workspaces']['open']> }> {
  t = makeTestCore();
  await t.core.call('workspace.create', { name: 'w' });
  const db = t.core.services.workspaces.open('w');
  seedAllSources(db);
  seedTickets(db, tickets);
  return { t, db };
}

/** Resolves once the job has indexed at least `done` tickets (so it holds the version's lease). */
function progressed(t: TestCore, jobId: string, done: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const off = t.core.events.on('job.progress', (j) => {
      if (j.jobId === jobId && j.phase === 'indexing tickets' && j.done >= done) {
        off();
        resolve();
      }
    });
  });
}

describe('indexing', () => {
  it('builds every source in a worker, with chunk rows, vectors and FTS rows in step and a clean quality report', async () => {
    const { t, db } = await workspace();
    const progress: JobInfo[] = [];
    t.core.events.on('job.progress', (j) => progress.push(j));
    const r = await build(t.core, { workspace: 'w' });
    expect(r.action).toBe('build');
    expect(r.activated).toBe(true);
    const rows = SOURCES.reduce((a, s) => a + (db.prepare(`SELECT count(*) FROM ${s.table}`).pluck().get() as number), 0);
    expect(r.documents).toBe(rows);
    expect(r.embedded).toBeGreaterThanOrEqual(rows);
    const { chunks, documents } = checkConsistency(db, r.versionId);
    expect(documents).toBe(rows);
    expect(chunks).toBe(r.chunksInserted);
    // Progress counts records against the workspace total and ends with the quality check (phases in between are
    // throttled, so which ones show depends on speed).
    const last = progress[progress.length - 1]!;
    expect(last).toMatchObject({ status: 'completed', phase: 'checking quality' });
    expect(last.total).toBe(rows);
    expect(last.done).toBe(rows);
    const q = await t.core.call('vectors.quality', { workspace: 'w' });
    expect(q).toMatchObject({ vectors: chunks, chunks, dimensionConsistent: true, zeroVectors: 0, orphanVectors: 0, missingVectors: 0, missingFts: 0 });
    expect(q.normMean).toBeCloseTo(1, 4);
    expect(q.score).toBeCloseTo(1 - q.zeroRate - q.duplicateRate, 6);
  });

  it('an incremental update with nothing changed embeds nothing', async () => {
    const { t, db } = await workspace();
    const first = await build(t.core, { workspace: 'w' });
    const before = db.prepare('SELECT id, hash FROM vec_chunks ORDER BY id').all();
    const again = await update(t.core, 'w');
    expect(again).toMatchObject({ mode: 'update', embedded: 0, chunksInserted: 0, chunksRemoved: 0, deletedDocuments: 0, unchanged: first.documents, documents: first.documents });
    expect(db.prepare('SELECT id, hash FROM vec_chunks ORDER BY id').all()).toEqual(before);
    // `index build` with the same configuration is the same incremental update.
    const viaBuild = await build(t.core, { workspace: 'w' });
    expect(viaBuild).toMatchObject({ action: 'update', embedded: 0, versionId: first.versionId });
  });

  it('a changed record re-embeds only its new chunks; its other chunks keep their ids and vectors', async () => {
    const { t, db } = await workspace(50);
    const v = (await build(t.core, { workspace: 'w', chunking: { strategy: 'sentence', maxChars: 120, overlap: 0 } })).versionId;
    const before = db.prepare("SELECT id, hash, text FROM vec_chunks WHERE source_type = 'tickets' AND entity_id = 7 ORDER BY ordinal").all() as { id: number; hash: string }[];
    expect(before.length).toBeGreaterThan(1);
    db.prepare("INSERT INTO ticket_comments (ticket_id, author_type, author_name, body, internal, created_at) VALUES (7, 'customer', 'Aiko', 'Zanzibar quokka confirmed the fix works.', 0, '2026-02-01T00:00:00Z')").run();
    const r = await update(t.core, 'w');
    expect(r.embedded).toBe(1);
    expect(r.unchanged).toBe(r.documents - 1);
    const after = db.prepare("SELECT id, hash FROM vec_chunks WHERE source_type = 'tickets' AND entity_id = 7 ORDER BY ordinal").all() as { id: number; hash: string }[];
    expect(after.slice(0, before.length).map((c) => c.id)).toEqual(before.map((c) => c.id));
    expect(after).toHaveLength(before.length + 1);
    checkConsistency(db, v);
    const found = await t.core.call('search.query', { workspace: 'w', query: 'zanzibar quokka', mode: 'keyword' });
    expect(found.results[0]).toMatchObject({ sourceType: 'tickets', entityId: 7, chunkId: after[after.length - 1]!.id });
  });

  it('deleting a record removes its chunks and vectors on the next run, and removeRecord removes them at once', async () => {
    const { t, db } = await workspace(40);
    const v = (await build(t.core, { workspace: 'w' })).versionId;
    const chunksOf = (id: number): number => db.prepare("SELECT count(*) FROM vec_chunks WHERE source_type = 'tickets' AND entity_id = ?").pluck().get(id) as number;
    expect(chunksOf(12)).toBeGreaterThan(0);
    db.prepare('DELETE FROM tickets WHERE id = 12').run();
    const r = await update(t.core, 'w');
    expect(r).toMatchObject({ deletedDocuments: 1, embedded: 0 });
    expect(chunksOf(12)).toBe(0);
    checkConsistency(db, v);
    // Immediate removal, for records that must leave search now (and from every version).
    const v2 = (await build(t.core, { workspace: 'w', chunking: { strategy: 'fixed', maxChars: 200, overlap: 20 }, activate: false })).versionId;
    const removed = t.core.services.vectors.removeRecord('w', 'tickets', 13);
    expect(removed).toBeGreaterThanOrEqual(2);
    expect(chunksOf(13)).toBe(0);
    checkConsistency(db, v);
    checkConsistency(db, v2);
    const hits = await t.core.call('search.query', { workspace: 'w', query: 'TCK-000013', mode: 'hybrid', k: 20 });
    expect(hits.results.some((h) => h.entityId === 13 && h.sourceType === 'tickets')).toBe(false);
  });

  it('a cancelled build keeps every committed batch consistent and the next build resumes it', async () => {
    const { t, db } = await workspace(2500);
    const started = await t.core.call('vectors.build', { workspace: 'w' });
    await progressed(t, started.jobId, 400);
    await t.core.call('jobs.cancel', { jobId: started.jobId });
    expect((await t.core.services.jobs.waitFor(started.jobId)).status).toBe('cancelled');
    const mid = await t.core.call('vectors.versions', { workspace: 'w' });
    expect(mid.versions[0]).toMatchObject({ id: started.versionId, status: 'cancelled', active: false, writer: null });
    expect(mid.versions[0]!.progress?.documents).toBeGreaterThan(0);
    const partial = checkConsistency(db, started.versionId);
    const total = SOURCES.reduce((a, s) => a + (db.prepare(`SELECT count(*) FROM ${s.table}`).pluck().get() as number), 0);
    expect(partial.documents).toBeLessThan(total);
    // Search refuses an unfinished index rather than returning partial results silently.
    await expect(t.core.call('search.query', { workspace: 'w', query: 'portal' })).rejects.toMatchObject({ code: 'conflict' });
    const resumed = await build(t.core, { workspace: 'w' });
    expect(resumed).toMatchObject({ action: 'resume', versionId: started.versionId, resumed: true, activated: true });
    // Batches committed before the cancel were not embedded again.
    expect(resumed.embedded).toBeLessThan(resumed.chunksInserted + partial.chunks);
    const final = checkConsistency(db, started.versionId);
    expect(final.documents).toBe(total);
    expect(resumed.embedded).toBe(final.chunks - partial.chunks);
  });

  it('refuses a second writer on the same version while one runs', async () => {
    const { t } = await workspace(1500);
    const first = await t.core.call('vectors.build', { workspace: 'w' });
    await progressed(t, first.jobId, 200);
    await expect(t.core.call('vectors.build', { workspace: 'w' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/already being built/) });
    expect((await t.core.services.jobs.waitFor(first.jobId)).status).toBe('completed');
  });

  it('builds with provider embeddings through the gateway (worker → host call), reusing vectors of identical text', async () => {
    const { t, db } = await workspace(20);
    // Two issues with identical text: their chunks share a hash, so the second is copied, not embedded.
    db.exec("INSERT INTO issues (id, title, description, severity, status, created_at) VALUES (901, 'Same words', 'Identical body text.', 'low', 'open', '2026-01-01T00:00:00Z'), (902, 'Same words', 'Identical body text.', 'low', 'open', '2026-01-01T00:00:00Z')");
    const provider = await vectorProvider(t.core);
    try {
      const r = await build(t.core, { workspace: 'w', embedder: 'provider' });
      const versions = (await t.core.call('vectors.versions', { workspace: 'w' })).versions;
      expect(versions[0]!.embedder).toMatchObject({ id: 'provider:fake-embed', kind: 'provider', lexical: false });
      expect(versions[0]!.dimensions).toBe(256);
      expect(r.reused).toBeGreaterThanOrEqual(1);
      // Every text sent is the dimension probe, a centroid sample or an indexed chunk; none is sent twice.
      const sent = provider.texts().slice(1);
      expect(new Set(sent).size).toBe(sent.length);
      expect(sent.length).toBeLessThanOrEqual(r.embedded + 256);
      expect(r.embedded + r.reused).toBeGreaterThanOrEqual(r.chunksInserted);
      const requests = provider.fake.requests.filter((x) => x.route === 'embeddings').slice(1);
      expect(requests.every((x) => (x.body.input as string[]).length <= 64 && x.body.model === 'fake-embed')).toBe(true);
      checkConsistency(db, r.versionId);
      // The gateway recorded the usage under the embeddings use case.
      const usage = await t.core.call('usage.list', { workspace: 'w', limit: 500 });
      expect(usage.rows.filter((u) => u.useCase === 'embeddings' && u.operation === 'embed' && u.status === 'ok').length).toBe(requests.length + 1);
      const res = await t.core.call('search.query', { workspace: 'w', query: 'scanner batteries overheat', mode: 'vector' });
      expect(res.embedder.id).toBe('provider:fake-embed');
      expect(res.results[0]).toMatchObject({ sourceType: 'vendors', entityId: 1 });
    } finally {
      await provider.close();
    }
  });
});
