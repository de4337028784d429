import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestFromHeaders, downloadFile, type DownloadProgress } from '../../../../src/main/core/localModels/downloader';
import { AppError } from '../../../../src/shared/errors';
import { tempDir } from '../../../fixtures/core';
import { sha256, startModelServer, type ModelServer } from '../../../fixtures/modelServer';

const MB = 1024 * 1024;
const fast = { retryBaseMs: 20, stallMs: 5000 };

describe('downloader (real fetch against a local HTTP server)', () => {
  let server: ModelServer;
  const dir = tempDir('idesk-dl-');
  const body = randomBytes(3 * MB);
  let n = 0;
  const part = (): string => join(dir, `f${++n}.part`);

  beforeAll(async () => {
    server = await startModelServer();
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('downloads with progress (bytes, total, rate, ETA) and verifies against the checksum it was given', async () => {
    server.serve('/plain.bin', { body, digest: 'none', chunk: 64 * 1024, delayMs: 20 });
    const seen: DownloadProgress[] = [];
    const p = part();
    const res = await downloadFile({ url: server.url('/plain.bin'), partPath: p, signal: new AbortController().signal, expectedSha256: sha256(body), onProgress: (x) => seen.push(x), ...fast });
    expect(res).toMatchObject({ bytes: body.length, sha256: sha256(body), verification: 'catalog', resumedFrom: 0, attempts: 1 });
    expect(readFileSync(p).equals(body)).toBe(true);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((s, i) => i === 0 || s.received >= seen[i - 1]!.received)).toBe(true);
    expect(seen[seen.length - 1]).toMatchObject({ received: body.length, total: body.length });
    expect(seen.some((s) => s.ratePerSec !== null && s.ratePerSec > 0 && s.etaMs !== null)).toBe(true);
  });

  it('resumes after the connection is cut: bytes before the cut are not downloaded again', async () => {
    server.serve('/cut.bin', { body, cutAfter: Math.floor(1.25 * MB), digest: 'none' });
    const p = part();
    const res = await downloadFile({ url: server.url('/cut.bin'), partPath: p, signal: new AbortController().signal, expectedSha256: sha256(body), ...fast });
    expect(res.attempts).toBe(2);
    expect(readFileSync(p).equals(body)).toBe(true);
    const requests = server.log.filter((l) => l.path === '/cut.bin');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ range: null, status: 200 });
    // The second request starts exactly where the first stopped …
    expect(requests[1]!.range).toBe(`bytes=${requests[0]!.sent}-`);
    expect(requests[1]!.status).toBe(206);
    // … so the server sent the file once in total.
    expect(server.sentFor('/cut.bin')).toBe(body.length);
  });

  it('resumes a .part left by an earlier run (a crash), with If-Range, and hashes the whole file', async () => {
    const etag = '"v1"';
    server.serve('/resume.bin', { body, etag, digest: 'none' });
    const p = part();
    writeFileSync(p, body.subarray(0, 2 * MB));
    const progress: DownloadProgress[] = [];
    const res = await downloadFile({ url: server.url('/resume.bin'), partPath: p, signal: new AbortController().signal, expectedSha256: sha256(body), validator: etag, onProgress: (x) => progress.push(x), ...fast });
    expect(res).toMatchObject({ resumedFrom: 2 * MB, bytes: body.length, verification: 'catalog' });
    expect(server.log.filter((l) => l.path === '/resume.bin').map((l) => [l.range, l.ifRange, l.status])).toEqual([[`bytes=${2 * MB}-`, etag, 206]]);
    expect(server.sentFor('/resume.bin')).toBe(body.length - 2 * MB);
    expect(progress[0]!.resumedFrom).toBe(2 * MB);
  });

  it('starts over when the file changed upstream (If-Range no longer matches)', async () => {
    server.serve('/changed.bin', { body, etag: '"v2"', digest: 'none' });
    const p = part();
    writeFileSync(p, randomBytes(MB)); // bytes of an older version
    const res = await downloadFile({ url: server.url('/changed.bin'), partPath: p, signal: new AbortController().signal, validator: '"v1"', ...fast });
    expect(res.sha256).toBe(sha256(body));
    expect(readFileSync(p).equals(body)).toBe(true);
  });

  it('verifies against the X-Linked-ETag of a Hugging Face-style redirect', async () => {
    server.serve('/cdn/hf.bin', { body, digest: 'x-linked-etag' });
    const res = await downloadFile({ url: server.url('/resolve/hf.bin'), partPath: part(), signal: new AbortController().signal, ...fast });
    expect(res).toMatchObject({ verification: 'server', serverSha256: sha256(body) });
  });

  it('verifies against an RFC 3230 Digest header, and says when nothing could be verified', async () => {
    server.serve('/digest.bin', { body, digest: 'digest' });
    expect(await downloadFile({ url: server.url('/digest.bin'), partPath: part(), signal: new AbortController().signal, ...fast })).toMatchObject({ verification: 'server' });
    server.serve('/none.bin', { body, digest: 'none' });
    const res = await downloadFile({ url: server.url('/none.bin'), partPath: part(), signal: new AbortController().signal, ...fast });
    expect(res).toMatchObject({ verification: 'none', serverSha256: null, sha256: sha256(body) });
  });

  it('a wrong checksum is a typed provider_error naming both hashes', async () => {
    const wrong = sha256(Buffer.from('something else'));
    server.serve('/cdn/bad.bin', { body, digest: 'x-linked-etag', advertisedSha256: wrong });
    const err = await downloadFile({ url: server.url('/resolve/bad.bin'), partPath: part(), signal: new AbortController().signal, ...fast }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'provider_error', details: { reason: 'checksum_mismatch', expected: wrong, actual: sha256(body) } });
    // A published checksum wins over what the server says.
    const ok = await downloadFile({ url: server.url('/resolve/bad.bin'), partPath: part(), signal: new AbortController().signal, expectedSha256: sha256(body), ...fast });
    expect(ok.verification).toBe('catalog');
  });

  it('fails fast on a wrong link: the head check runs on the first bytes', async () => {
    server.serve('/page.html', { body: Buffer.concat([Buffer.from('<!DOCTYPE html><html>'), randomBytes(2 * MB)]), digest: 'none', chunk: 16 * 1024, delayMs: 2 });
    const err = await downloadFile({
      url: server.url('/page.html'),
      partPath: part(),
      signal: new AbortController().signal,
      checkHead: (head) => {
        if (head.toString('latin1', 0, 4) !== 'GGUF') throw new AppError('validation', 'not gguf', { reason: 'not_gguf' });
      },
      ...fast,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'validation', details: { reason: 'not_gguf' } });
    expect(server.sentFor('/page.html')).toBeLessThan(MB);
  });

  it('cancels promptly, keeping what arrived so far on disk', async () => {
    server.serve('/slow.bin', { body, digest: 'none', chunk: 32 * 1024, delayMs: 10 });
    const controller = new AbortController();
    const p = part();
    const run = downloadFile({
      url: server.url('/slow.bin'),
      partPath: p,
      signal: controller.signal,
      onProgress: (x) => {
        if (x.received > 256 * 1024) controller.abort();
      },
      ...fast,
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(statSync(p).size).toBeGreaterThan(0);
    expect(statSync(p).size).toBeLessThan(body.length);
  });

  it('offline: a clear unavailable error that says the partial file is kept', async () => {
    // A port that was just free: connection refused, like a dead network.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const a = s.address() as { port: number };
        s.close(() => resolve(a.port));
      });
    });
    const p = part();
    writeFileSync(p, body.subarray(0, MB));
    const err = await downloadFile({ url: `http://127.0.0.1:${port}/x.gguf`, partPath: p, signal: new AbortController().signal, ...fast }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', details: { reason: 'offline', code: 'ECONNREFUSED', bytesKept: MB } });
    expect((err as AppError).message).toMatch(/offline/);
    expect((err as AppError).message).toMatch(/resumes/);
    expect(existsSync(p)).toBe(true);
  });

  it('404 is not_found and 403 explains gated models; 503 is retried then reported', async () => {
    await expect(downloadFile({ url: server.url('/missing.bin'), partPath: part(), signal: new AbortController().signal, ...fast })).rejects.toMatchObject({ code: 'not_found' });
    server.serve('/gated.bin', { body, status: 403 });
    await expect(downloadFile({ url: server.url('/gated.bin'), partPath: part(), signal: new AbortController().signal, ...fast })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/gated/),
    });
    server.serve('/busy.bin', { body, status: 503 });
    await expect(downloadFile({ url: server.url('/busy.bin'), partPath: part(), signal: new AbortController().signal, retries: 2, retryBaseMs: 5 })).rejects.toMatchObject({
      code: 'unavailable',
      details: { reason: 'network' },
    });
    expect(server.log.filter((l) => l.path === '/busy.bin')).toHaveLength(3);
  });

  it('reads digests from X-Linked-ETag, Digest and Repr-Digest', () => {
    const hex = sha256(Buffer.from('x'));
    const b64 = Buffer.from(hex, 'hex').toString('base64');
    expect(digestFromHeaders(new Headers({ 'x-linked-etag': `"${hex}"` }))).toBe(hex);
    expect(digestFromHeaders(new Headers({ digest: `md5=abc, SHA-256=${b64}` }))).toBe(hex);
    expect(digestFromHeaders(new Headers({ 'repr-digest': `sha-256=:${b64}:` }))).toBe(hex);
    expect(digestFromHeaders(new Headers({ etag: `"${hex}"` }))).toBeNull();
    expect(digestFromHeaders(new Headers({ 'x-linked-etag': '"abc"' }))).toBeNull();
  });
});
