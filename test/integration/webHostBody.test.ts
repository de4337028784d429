import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/main/host/server';
import { makeTestCore, tempDir, type TestCore } from '../fixtures/core';

/** The web host's body limit (issue 13 §3): a too-large request gets a 413 with the typed error, not a reset socket. */
describe('web host body limit', () => {
  let t: TestCore;
  let host: WebHost;
  beforeAll(async () => {
    t = makeTestCore();
    const staticDir = tempDir();
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
    host = await startWebHost({ core: t.core, staticDir, token: 'secret-token' });
  });
  afterAll(async () => {
    await host.close();
    await t.cleanup();
  });

  const body13MB = (): string => JSON.stringify({ route: 'import.stage', input: { chunk: 'x'.repeat(13 * 1024 * 1024) } });

  const expectTyped413 = async (res: Response): Promise<void> => {
    expect(res.status).toBe(413);
    const json = (await res.json()) as { ok: boolean; error: { code: string; message: string; details: { reason: string } } };
    expect(json).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/too large \(12 MB at most\)/), details: { reason: 'body_too_large' } } });
  };

  it('answers a 13 MB body with Content-Length with 413 and the typed error', async () => {
    const res = await fetch(`${host.url}api/invoke`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer secret-token' }, body: body13MB() });
    await expectTyped413(res);
  });

  it('answers a 13 MB chunked body (no Content-Length) with 413 too, after reading it away', async () => {
    const text = body13MB();
    const pieces = Array.from({ length: Math.ceil(text.length / 65536) }, (_, i) => text.slice(i * 65536, (i + 1) * 65536));
    const res = await fetch(`${host.url}api/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer secret-token' },
      body: Readable.toWeb(Readable.from(pieces)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    await expectTyped413(res);
  });

  it('sends the whole refused body over a raw socket and still reads the answer (no reset)', async () => {
    const text = body13MB();
    const answer = await new Promise<{ status: number; body: string }>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/api/invoke', method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer secret-token', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', fail);
      for (let i = 0; i < text.length; i += 1 << 20) req.write(text.slice(i, i + (1 << 20)));
      req.end();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { details: { reason: 'body_too_large' } } });
  });

  it('keeps answering normal requests afterwards', async () => {
    const res = await fetch(`${host.url}api/invoke`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer secret-token' }, body: JSON.stringify({ route: 'workspace.list', input: {} }) });
    expect(res.status).toBe(200);
  });
});
