import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogModel } from '@shared/contract';
import { makeTestCore, tempDir, type TestCore } from '../../../fixtures/core';
import { startModelServer, type ModelServer } from '../../../fixtures/modelServer';
import { speak, speechAvailable, SPEECH_MISSING } from '../../../fixtures/speech';
import { writeWhisperGgml } from '../../../fixtures/tinyGgml';
import { runCli } from '../../../fixtures/cli';

const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');

describe('speech models: catalog downloads (SHA-1 verified, resumable), add, remove', () => {
  const files = tempDir('voice-models-');
  let server: ModelServer;
  let body: Buffer;
  let catalog: CatalogModel[];
  let t: TestCore | undefined;

  beforeAll(async () => {
    body = readFileSync((writeWhisperGgml(join(files, 'ggml-micro.bin'), 'micro'), join(files, 'ggml-micro.bin')));
    server = await startModelServer();
    // Served like Hugging Face, but the catalog's SHA-1 is what vouches for the file.
    server.serve('/whisper/ggml-micro.bin', { body, digest: 'none', chunk: 256 * 1024, delayMs: 2, cutAfter: 3 * 1024 * 1024 });
    server.serve('/whisper/ggml-tampered.bin', { body, digest: 'none' });
    server.serve('/whisper/index.html', { body: Buffer.from('<!DOCTYPE html><html>Sign in</html>'.repeat(40)), digest: 'none' });
    const entry = (id: string, path: string, hash: string): CatalogModel => ({ id, name: id, purpose: 'transcription', description: 'test', url: server.url(path), sizeBytes: body.length, sha256: null, sha1: hash, license: 'MIT', parameters: '1M', contextLength: 448 });
    catalog = [entry('whisper-micro', '/whisper/ggml-micro.bin', sha1(body)), entry('whisper-tampered', '/whisper/ggml-tampered.bin', sha1(Buffer.from('something else'))), entry('whisper-page', '/whisper/index.html', sha1(body))];
  });
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });
  afterAll(async () => {
    await server.close();
    rmSync(files, { recursive: true, force: true });
  });
  const core = (): TestCore => makeTestCore({ localModels: { catalog, downloadTuning: { retryBaseMs: 10, stallMs: 5000 } } });

  it('downloads a whisper model as a job, resuming after a dropped connection, verified against the published SHA-1', async () => {
    t = core();
    const { jobId, model } = await t.core.call('models.download', { source: 'whisper-micro' });
    expect(model.file.endsWith('ggml-micro.bin')).toBe(true);
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status, JSON.stringify(job.error)).toBe('completed');
    expect(job.result).toMatchObject({ modelId: 'whisper-micro', bytes: body.length, verification: 'catalog' });
    expect((job.result as { attempts: number }).attempts).toBeGreaterThan(1);
    // The retry asked only for the bytes after the cut.
    expect(server.log.filter((l) => l.path === '/whisper/ggml-micro.bin').some((l) => l.range?.startsWith('bytes=') && l.range !== 'bytes=0-')).toBe(true);
    const { models, catalog: listed } = await t.core.call('models.list', {});
    expect(models.find((m) => m.id === 'whisper-micro')).toMatchObject({ kind: 'whisper', status: 'ready', verification: 'catalog' });
    expect(listed.find((c) => c.id === 'whisper-micro')?.status).toBe('installed');
  });

  it('a file that does not match its SHA-1 is deleted and nothing is installed; a web page fails at its first bytes', async () => {
    t = core();
    const bad = await t.core.call('models.download', { source: 'whisper-tampered' });
    const job = await t.core.services.jobs.waitFor(bad.jobId);
    expect(job.status).toBe('failed');
    expect(job.error?.message).toMatch(/SHA-1/);
    expect(existsSync(`${bad.model.file}.part`)).toBe(false);
    const page = await t.core.call('models.download', { source: 'whisper-page' });
    const pjob = await t.core.services.jobs.waitFor(page.jobId);
    expect(pjob.status).toBe('failed');
    expect(pjob.error?.message).toMatch(/does not serve a GGUF \(or whisper\.cpp\) model file/);
  });
});

const cli = runCli;

describe('CLI: voice transcribe | voice models', () => {
  const dataDir = tempDir('voice-cli-');
  const files = tempDir('voice-cli-files-');
  const model = join(files, 'ggml-micro.bin');
  let wav: string;

  beforeAll(() => {
    writeWhisperGgml(model, 'micro');
    if (!speechAvailable) console.warn(SPEECH_MISSING);
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it.skipIf(!speechAvailable)('adds a speech model, transcribes a spoken command with it (text and --json), and removes it', async () => {
    wav = speak(files, 'Open the tickets for Acme');
    const added = await cli('--data-dir', dataDir, '--json', 'voice', 'models', 'add', model, '--name', 'Micro');
    expect(added.code, added.err).toBe(0);
    expect(JSON.parse(added.out).model).toMatchObject({ id: 'micro', kind: 'whisper' });
    const listed = await cli('--data-dir', dataDir, 'voice', 'models', 'list');
    expect(listed.out).toMatch(/^micro\s+Micro\s+ready/m);
    expect(listed.out).toMatch(/whisper-base\.en/);

    const json = await cli('--data-dir', dataDir, '--json', 'voice', 'transcribe', wav, '--engine', 'local', '--model', 'micro', '--language', 'en');
    expect(json.code, json.err).toBe(0);
    const r = JSON.parse(json.out) as Record<string, unknown>;
    expect(r).toMatchObject({ engine: 'local', model: 'micro', language: 'en' });
    expect(typeof r.text).toBe('string');
    expect(r.audioMs).toBeGreaterThan(800);
    expect(r.elapsedMs).toBeGreaterThan(0);
    const text = await cli('--data-dir', dataDir, 'voice', 'transcribe', wav, '--engine', 'local');
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/local engine, micro; \d+\.\d s of audio in \d+ ms/);

    const removed = await cli('--data-dir', dataDir, 'voice', 'models', 'remove', 'micro');
    expect(removed.out).toMatch(/Removed micro/);
    expect(existsSync(model)).toBe(true);
  });

  it('refuses what it cannot do, with a reason and a non-zero exit', async () => {
    const notGgml = join(files, 'x.bin');
    (await import('node:fs')).writeFileSync(notGgml, Buffer.alloc(100, 1));
    const add = await cli('--data-dir', dataDir, 'voice', 'models', 'add', notGgml);
    expect(add.code).toBe(2);
    expect(add.err).toMatch(/not a whisper\.cpp model file/);
    const missing = await cli('--data-dir', dataDir, 'voice', 'transcribe', join(files, 'nope.wav'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no readable file/);
    const engine = await cli('--data-dir', dataDir, 'voice', 'transcribe', model, '--engine', 'cloud');
    expect(engine.code).toBe(2);
    const notCatalog = await cli('--data-dir', dataDir, 'voice', 'models', 'download', 'qwen2.5-0.5b-instruct-q4km');
    expect(notCatalog.err).toMatch(/not a speech model of the catalog/);
  });

  it('voice command: a read opens at once; a write is printed with its diff and left pending unless --approve', async () => {
    const made = await cli('--data-dir', dataDir, 'workspace', 'create', 'cmd', '--demo', '--scale', '0.05', '--seed', '2', '--anchor-date', '2026-06-15');
    expect(made.code, made.err).toBe(0);
    const open = await cli('--data-dir', dataDir, 'voice', 'command', '--workspace', 'cmd', '--text', 'open ticket three');
    expect(open.code, open.err).toBe(0);
    expect(open.out).toMatch(/Opens \/data\?entity=tickets&id=3/);
    const pending = await cli('--data-dir', dataDir, '--json', 'voice', 'command', '--workspace', 'cmd', '--text', 'create a task to send the contract due tomorrow', '--time-zone', 'UTC');
    expect(pending.code, pending.err).toBe(0);
    const p = JSON.parse(pending.out) as { status: string; approval: { id: string; status: string } };
    expect(p).toMatchObject({ status: 'confirm', approval: { status: 'pending' } });
    const text = await cli('--data-dir', dataDir, 'voice', 'command', '--workspace', 'cmd', '--text', 'create a task to call the vendor', '--approve');
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/title: — → "Call the vendor"/);
    expect(text.out).toMatch(/Done: tasks #\d+/);
    const history = await cli('--data-dir', dataDir, 'voice', 'history', '--workspace', 'cmd');
    expect(history.out).toMatch(/done\s+create a task to call the vendor/);
    expect(history.out).toMatch(/confirm\s+create a task to send the contract/);
    const both = await cli('--data-dir', dataDir, 'voice', 'command', '--workspace', 'cmd');
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/Give a WAV file or --text/);
  });
});
