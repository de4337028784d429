/**
 * `--embedder local:MODEL` end to end: a tiny GGUF embedding model registered with the model manager, run by
 * node-llama-cpp in-process, builds an index (through the worker's host calls) that vector search then uses.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeTestCore, tempDir, type TestCore } from '../../../fixtures/core';
import { writeTinyGguf } from '../../../fixtures/tinyGguf';
import { seedAllSources, seedTickets } from '../../../fixtures/vectorData';
import { build, checkConsistency } from '../../../fixtures/vectors';

const files = tempDir('idesk-vec-gguf-');
let t: TestCore | undefined;
afterAll(async () => {
  await t?.cleanup();
  rmSync(files, { recursive: true, force: true });
});

it('builds and searches an index with an in-process GGUF embedding model', async () => {
  const embedFile = join(files, 'tiny-embed.gguf');
  writeTinyGguf(embedFile, { variant: 'embedding', seed: 4 });
  t = makeTestCore({ localModels: { inProcess: true, threads: 1, idleUnloadMs: 0 } });
  await t.core.call('workspace.create', { name: 'w' });
  const db = t.core.services.workspaces.open('w');
  seedAllSources(db);
  seedTickets(db, 30);

  // Not registered yet: unavailable, with a pointer to the model manager.
  expect((await t.core.call('vectors.embedders', {})).embedders.filter((e) => e.kind === 'local')).toEqual([expect.objectContaining({ available: false })]);
  await expect(t.core.call('vectors.build', { workspace: 'w', embedder: 'local:tiny-embedder' })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/tiny-embedder/) });

  const { model } = await t.core.call('models.add', { path: embedFile, name: 'Tiny embedder' });
  expect(model).toMatchObject({ id: 'tiny-embedder', kind: 'embedding' });
  expect((await t.core.call('vectors.embedders', {})).embedders).toContainEqual(expect.objectContaining({ spec: 'local:tiny-embedder', kind: 'local', available: true, lexical: false }));

  const r = await build(t.core, { workspace: 'w', embedder: 'local:tiny-embedder' });
  const [v] = (await t.core.call('vectors.versions', { workspace: 'w' })).versions;
  expect(v).toMatchObject({ id: r.versionId, status: 'ready', active: true, dimensions: 32, embedder: { id: 'local:tiny-embedder', kind: 'local', lexical: false } });
  const { chunks } = checkConsistency(db, r.versionId);
  expect(r.embedded + r.reused).toBeGreaterThanOrEqual(chunks);
  expect(v!.quality).toMatchObject({ vectors: chunks, dimensionConsistent: true, zeroVectors: 0, orphanVectors: 0 });
  expect(v!.quality!.normMean).toBeCloseTo(1, 4);

  // Vector search embeds the query with the same model; the exact text of a chunk finds that chunk first.
  const chunk = db.prepare("SELECT c.id, d.title, c.text FROM vec_chunks c JOIN vec_documents d USING (version_id, source_type, entity_id) WHERE c.source_type = 'tickets' AND c.entity_id = 7 ORDER BY c.ordinal LIMIT 1").get() as { id: number; title: string; text: string };
  const res = await t.core.call('search.query', { workspace: 'w', query: `${chunk.title}\n${chunk.text}`, mode: 'vector', k: 3 });
  expect(res.embedder.id).toBe('local:tiny-embedder');
  expect(res.results[0]).toMatchObject({ sourceType: 'tickets', entityId: 7, chunkId: chunk.id });
  expect(res.results[0]!.scores.vectorDistance).toBeLessThan(1e-4);
});
