import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogModel, JobInfo } from '../../../../src/shared/contract';
import type { EventPayload } from '../../../../src/shared/events';
import { makeTestCore, tempDir, type TestCore } from '../../../fixtures/core';
import { sha256, startModelServer, type ModelServer } from '../../../fixtures/modelServer';
import { writeTinyGguf } from '../../../fixtures/tinyGguf';

const root = join(import.meta.dirname, '../../../..');

describe('model manager (services.models through the contract)', () => {
  let server: ModelServer;
  const files = tempDir('idesk-mm-');
  const chatFile = join(files, 'tiny-chat.gguf');
  const embedFile = join(files, 'tiny-embed.gguf');
  let big: Buffer;
  let catalog: CatalogModel[];
  let t: TestCore | undefined;

  const entry = (id: string, path: string, extra: Partial<CatalogModel> = {}): CatalogModel => ({
    id,
    name: `Test ${id}`,
    purpose: 'analysis',
    description: 'test model',
    url: server.url(path),
    sizeBytes: big.length,
    sha256: null,
    license: 'MIT',
    parameters: '1M',
    contextLength: 2048,
    ...extra,
  });
  const core = (dataDir?: string): TestCore =>
    // In-process keeps these tests fast: the worker-hosted path has its own tests (localAdapter.test.ts).
    makeTestCore({ ...(dataDir ? { dataDir } : {}), localModels: { inProcess: true, threads: 1, idleUnloadMs: 0, catalog, downloadTuning: { retryBaseMs: 20, stallMs: 5000 } } });
  const waitForProgress = (c: TestCore, jobId: string, minBytes: number): Promise<JobInfo> =>
    new Promise((resolve) => {
      const off = c.core.events.on('job.progress', (j) => {
        if (j.jobId === jobId && j.done >= minBytes) {
          off();
          resolve(j);
        }
      });
    });

  beforeAll(async () => {
    server = await startModelServer();
    writeTinyGguf(chatFile, { seed: 3 });
    writeTinyGguf(embedFile, { variant: 'embedding', seed: 4 });
    // A ~3 MB model, so downloads take several chunks.
    big = readFileSync(writeTinyGguf(join(files, 'big.gguf'), { embedding: 128, layers: 4, feedForward: 256, seed: 9 }).path);
    server.serve('/cdn/big.gguf', { body: big, digest: 'x-linked-etag', chunk: 32 * 1024, delayMs: 8 });
    server.serve('/cdn/bad-sum.gguf', { body: big, digest: 'x-linked-etag', advertisedSha256: sha256(Buffer.from('other')) });
    server.serve('/slow/big.gguf', { body: big, digest: 'none', chunk: 32 * 1024, delayMs: 25 });
    server.serve('/not-a-model.gguf', { body: Buffer.from('<!DOCTYPE html><html><body>Sign in</body></html>'.repeat(50)), digest: 'none' });
    catalog = [
      entry('tiny-analyst', '/resolve/big.gguf'),
      entry('tiny-published', '/slow/big.gguf', { sha256: sha256(big) }),
      entry('tiny-bad', '/resolve/bad-sum.gguf'),
    ];
  });
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });
  afterAll(async () => {
    await server.close();
    rmSync(files, { recursive: true, force: true });
  });

  it('lists the catalog with statuses and the models folder', async () => {
    t = makeTestCore({ localModels: { catalog } });
    // The app's default: llama.cpp in the llama host worker, started on first use (nothing started yet).
    expect(t.core.services.localRuntime.mode).toBe('worker');
    const res = await t.core.call('models.list', {});
    expect(res.models).toEqual([]);
    expect(res.folder).toBe(join(t.dataDir, 'models'));
    expect(res.catalog.map((c) => [c.id, c.status])).toEqual([
      ['tiny-analyst', 'available'],
      ['tiny-published', 'available'],
      ['tiny-bad', 'available'],
    ]);
  });

  it('registers a GGUF file in place with the metadata from its header, and rejects anything else clearly', async () => {
    t = core();
    const { model } = await t.core.call('models.add', { path: chatFile });
    expect(model).toMatchObject({ id: 'tiny-chat', source: 'file', status: 'ready', kind: 'chat', architecture: 'llama', contextLength: 2048, embeddingLength: 32, quantization: 'F32', loaded: false });
    expect(model.parameters).toBeGreaterThan(40_000);
    const { model: emb } = await t.core.call('models.add', { path: embedFile, name: 'Tiny embedder' });
    expect(emb).toMatchObject({ id: 'tiny-embedder', name: 'Tiny embedder', kind: 'embedding' });
    await expect(t.core.call('models.add', { path: chatFile })).rejects.toMatchObject({ code: 'conflict' });

    const notModel = join(files, 'notes.gguf');
    writeFileSync(notModel, '{"hello": "this is JSON, not a model"}');
    await expect(t.core.call('models.add', { path: notModel })).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/not a GGUF model file: it is a JSON file/) });
    const truncated = join(files, 'truncated.gguf');
    const whole = readFileSync(chatFile);
    writeFileSync(truncated, whole.subarray(0, whole.length - 1000)); // header intact, tensor data cut short
    await expect(t.core.call('models.add', { path: truncated })).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/damaged|truncated/) });
    await expect(t.core.call('models.add', { path: join(files, 'nope.gguf') })).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.core.call('models.add', { path: files })).rejects.toMatchObject({ code: 'validation' });
    expect((await t.core.call('models.list', {})).models.map((m) => m.id)).toEqual(['tiny-chat', 'tiny-embedder']);
  });

  it('downloads a catalog model as a job with byte progress, verified by the server checksum', async () => {
    t = core();
    const progress: JobInfo[] = [];
    const changes: EventPayload<'models.changed'>[] = [];
    t.core.events.on('job.progress', (j) => progress.push(j));
    t.core.events.on('models.changed', (c) => changes.push(c));
    const { jobId, model } = await t.core.call('models.download', { source: 'tiny-analyst' });
    expect(model).toMatchObject({ id: 'tiny-analyst', status: 'downloading', source: 'download', catalogId: 'tiny-analyst' });
    expect((await t.core.call('models.list', {})).catalog[0]).toMatchObject({ status: 'downloading', jobId });
    await expect(t.core.call('models.download', { source: 'tiny-analyst' })).rejects.toMatchObject({ code: 'conflict' });
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ modelId: 'tiny-analyst', bytes: big.length, sha256: sha256(big), verification: 'server', resumedFrom: 0 });
    const mine = progress.filter((p) => p.jobId === jobId && p.status === 'running' && p.phase === 'downloading');
    expect(mine.length).toBeGreaterThan(1);
    expect(mine.some((p) => p.total === big.length && p.done > 0 && p.done < big.length && p.message?.includes('MB'))).toBe(true);
    expect(changes.map((c) => c.reason)).toEqual(['downloading', 'installed']);

    const listed = await t.core.call('models.list', {});
    expect(listed.models[0]).toMatchObject({ id: 'tiny-analyst', status: 'ready', verification: 'server', sha256: sha256(big), kind: 'chat', sizeBytes: big.length, license: 'MIT' });
    expect(listed.catalog[0]).toMatchObject({ status: 'installed', modelId: 'tiny-analyst' });
    expect(readdirSync(join(t.dataDir, 'models'))).toEqual(['big.gguf']);
    await expect(t.core.call('models.download', { source: 'tiny-analyst' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/already installed/) });
  });

  it('a checksum mismatch fails the job with a typed error, deletes the bytes and installs nothing', async () => {
    t = core();
    const { jobId } = await t.core.call('models.download', { source: 'tiny-bad' });
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'provider_error', details: { reason: 'checksum_mismatch', actual: sha256(big) } });
    const listed = await t.core.call('models.list', {});
    expect(listed.models[0]).toMatchObject({ id: 'tiny-bad', status: 'failed', error: expect.stringMatching(/checksum/) });
    expect(listed.catalog[2]).toMatchObject({ status: 'failed' });
    expect(readdirSync(join(t.dataDir, 'models'))).toEqual([]);
    await expect(t.core.call('models.test', { id: 'tiny-bad' })).rejects.toMatchObject({ code: 'unavailable' });
    expect(await t.core.call('models.remove', { id: 'tiny-bad' })).toEqual({ removed: 'tiny-bad', deletedFile: false });
    expect((await t.core.call('models.list', {})).catalog[2]).toMatchObject({ status: 'available' });
  });

  it('a URL that serves a web page instead of GGUF fails within the first bytes', async () => {
    t = core();
    const { jobId } = await t.core.call('models.download', { source: server.url('/not-a-model.gguf') });
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.error).toMatchObject({ code: 'validation', details: { reason: 'not_gguf' } });
    expect(readdirSync(join(t.dataDir, 'models'))).toEqual([]);
  });

  it('cancel (jobs.cancel) stops the download and removes its partial file and entry', async () => {
    t = core();
    const { jobId } = await t.core.call('models.download', { source: 'tiny-published' });
    await waitForProgress(t, jobId, 256 * 1024);
    await t.core.call('jobs.cancel', { jobId });
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status).toBe('cancelled');
    const listed = await t.core.call('models.list', {});
    expect(listed.models).toEqual([]);
    expect(listed.catalog[1]).toMatchObject({ status: 'available' });
    expect(readdirSync(join(t.dataDir, 'models'))).toEqual([]);
  });

  it('a download survives the app quitting: the next start resumes it from the partial file', async () => {
    t = core();
    const dataDir = t.dataDir;
    const { jobId } = await t.core.call('models.download', { source: 'tiny-published' });
    await waitForProgress(t, jobId, 1024 * 1024);
    await t.core.dispose(); // quit: the job row stays 'running', the .part stays
    const part = join(dataDir, 'models', 'big.gguf.part');
    const kept = statSync(part).size;
    expect(kept).toBeGreaterThan(512 * 1024);
    const before = server.log.length;
    t = core(dataDir);
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ resumedFrom: kept, verification: 'catalog', sha256: sha256(big) });
    const resumed = server.log.slice(before).filter((l) => l.path === '/slow/big.gguf');
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ range: `bytes=${kept}-`, status: 206, sent: big.length - kept });
    expect(readFileSync(join(dataDir, 'models', 'big.gguf')).equals(big)).toBe(true);
  });

  it('survives a hard crash (kill -9 of a CLI download): the app resumes it without fetching the kept bytes again', async () => {
    const dataDir = tempDir('idesk-crash-');
    const url = server.url('/slow/big.gguf');
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/main/cli/index.ts'), '--data-dir', dataDir, 'model', 'download', url], { cwd: root, stdio: 'ignore' });
    const part = join(dataDir, 'models', 'big.gguf.part');
    const deadline = Date.now() + 40_000;
    while (!(existsSync(part) && statSync(part).size > 1024 * 1024) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const kept = statSync(part).size;
    expect(kept).toBeGreaterThan(1024 * 1024);
    expect(kept).toBeLessThan(big.length);
    const before = server.log.length;
    t = core(dataDir);
    const running = (await t.core.call('jobs.list', {})).jobs.find((j) => j.kind === 'model.download');
    expect(running).toBeDefined();
    const job = await t.core.services.jobs.waitFor(running!.jobId);
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ resumedFrom: kept, sha256: sha256(big), verification: 'none' });
    const resumed = server.log.slice(before).filter((l) => l.path === '/slow/big.gguf');
    expect(resumed[0]).toMatchObject({ range: `bytes=${kept}-`, sent: big.length - kept });
    expect((await t.core.call('models.list', {})).models[0]).toMatchObject({ status: 'ready', verification: 'none' });
  });

  it('tests a model (load + tiny generation or embedding) and reports timings', async () => {
    t = core();
    await t.core.call('models.add', { path: chatFile });
    await t.core.call('models.add', { path: embedFile });
    const chat = await t.core.call('models.test', { id: 'tiny-chat' });
    expect(chat).toMatchObject({ id: 'tiny-chat', kind: 'chat', alreadyLoaded: false, dimensions: null });
    expect(chat.loadMs).toBeGreaterThan(0);
    expect(chat.latencyMs).toBeGreaterThan(0);
    expect(chat.outputTokens).toBeGreaterThan(0);
    expect(chat.tokensPerSec).toBeGreaterThan(0);
    expect((await t.core.call('models.list', {})).models[0]).toMatchObject({ loaded: true, inUse: 0 });
    expect((await t.core.call('models.test', { id: 'tiny-chat' })).alreadyLoaded).toBe(true);
    const emb = await t.core.call('models.test', { id: 'tiny-embed' });
    expect(emb).toMatchObject({ kind: 'embedding', dimensions: 32, output: '32-dimensional vector' });
    expect(await t.core.call('models.unload', { id: 'tiny-chat' })).toEqual({ unloaded: true });
    expect((await t.core.call('models.list', {})).models[0]!.loaded).toBe(false);
  });

  it('removal: refused while the model answers, unloads it when idle, deletes only files the app downloaded', async () => {
    t = core();
    await t.core.call('models.add', { path: chatFile });
    const adapter = t.core.services.models.createAdapter('tiny-chat');
    const long = { name: 'long', schema: { type: 'object', properties: { text: { type: 'string', minLength: 1500, maxLength: 1500 } } } };
    const controller = new AbortController();
    const running = adapter.chat({ model: 'tiny-chat', messages: [{ role: 'user', content: 'go' }], responseSchema: long, maxTokens: 900 }, { signal: controller.signal }).catch((e: unknown) => e);
    while (t.core.services.localRuntime.inUse(chatFile) === 0 || !t.core.services.localRuntime.isLoaded(chatFile)) await new Promise((r) => setTimeout(r, 5));
    await expect(t.core.call('models.remove', { id: 'tiny-chat' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/answering/) });
    controller.abort();
    expect(await running).toMatchObject({ code: 'cancelled' });
    await adapter.dispose?.();
    expect(await t.core.call('models.remove', { id: 'tiny-chat' })).toEqual({ removed: 'tiny-chat', deletedFile: false });
    expect(existsSync(chatFile)).toBe(true); // registered in place: never deleted
    expect(t.core.services.localRuntime.isLoaded(chatFile)).toBe(false);

    const { jobId } = await t.core.call('models.download', { source: 'tiny-analyst' });
    await t.core.services.jobs.waitFor(jobId);
    await t.core.call('models.test', { id: 'tiny-analyst' }); // loaded, idle
    expect(await t.core.call('models.remove', { id: 'tiny-analyst' })).toEqual({ removed: 'tiny-analyst', deletedFile: true });
    expect(readdirSync(join(t.dataDir, 'models'))).toEqual([]);
    await expect(t.core.call('models.remove', { id: 'tiny-analyst' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('model management changes are admin-only; members can list and test', async () => {
    t = core();
    const member = t.core.services.profiles.create('Member', 'member');
    await expect(t.core.call('models.download', { source: 'tiny-analyst' }, { profileId: member.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(t.core.call('models.add', { path: chatFile }, { profileId: member.id })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await t.core.call('models.list', {}, { profileId: member.id })).catalog).toHaveLength(3);
  });
});
