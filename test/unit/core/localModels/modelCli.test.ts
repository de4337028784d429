import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../fixtures/core';
import { sha256, startModelServer, type ModelServer } from '../../../fixtures/modelServer';
import { writeTinyGguf } from '../../../fixtures/tinyGguf';
import { runCli } from '../../../fixtures/cli';

const cli = runCli;

describe('CLI: model list | add | download | test | remove', () => {
  const dataDir = tempDir('idesk-mcli-');
  const files = tempDir('idesk-mcli-files-');
  const model = join(files, 'tiny.gguf');
  let server: ModelServer;

  beforeAll(async () => {
    writeTinyGguf(model, { seed: 21 });
    server = await startModelServer();
    server.serve('/m/remote.gguf', { body: readFileSync(model), digest: 'none' });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it('adds, lists, tests and removes a model, in JSON and in text', async () => {
    const added = await cli('--data-dir', dataDir, '--json', 'model', 'add', model, '--name', 'Tiny');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.out).model).toMatchObject({ id: 'tiny', name: 'Tiny', kind: 'chat', status: 'ready' });

    const listed = await cli('--data-dir', dataDir, 'model', 'list');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^ID\s+KIND\s+STATUS/m);
    expect(listed.out).toMatch(/^tiny\s+chat\s+ready/m);
    expect(listed.out).toMatch(/qwen2\.5-1\.5b-instruct-q4km\s+analysis/);
    expect(listed.out).toContain(join(dataDir, 'models'));

    const tested = await cli('--data-dir', dataDir, '--json', 'model', 'test', 'tiny');
    expect(tested.code).toBe(0);
    expect(JSON.parse(tested.out)).toMatchObject({ id: 'tiny', kind: 'chat', alreadyLoaded: false });

    const removed = await cli('--data-dir', dataDir, 'model', 'remove', 'tiny');
    expect(removed.out).toMatch(/Removed tiny \(its file was left where it is\)/);
  });

  it('downloads from a URL with a checksum and reports it installed', async () => {
    const res = await cli('--data-dir', dataDir, '--json', 'model', 'download', server.url('/m/remote.gguf'), '--sha256', sha256(readFileSync(model)));
    expect(res.code).toBe(0);
    const body = JSON.parse(res.out);
    expect(body.model).toMatchObject({ id: 'remote', status: 'ready', verification: 'catalog', source: 'download' });
    expect(body.job).toMatchObject({ status: 'completed', kind: 'model.download' });
  });

  it('fails with one clear line and a non-zero exit code', async () => {
    const bad = await cli('--data-dir', dataDir, 'model', 'add', join(files, 'missing.gguf'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/There is no file at .*missing\.gguf\. \[not_found\]/);
    const unknown = await cli('--data-dir', dataDir, '--json', 'model', 'download', 'no-such-model');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.out).error).toMatchObject({ code: 'validation' });
  });
});
