import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, truncate } from 'node:fs/promises';
import { AppError } from '@shared/errors';

export interface DownloadProgress {
  /** Bytes on disk, including any resumed from an earlier run. */
  received: number;
  total: number | null;
  /** Recent transfer rate (bytes/s) over the last few seconds. */
  ratePerSec: number | null;
  etaMs: number | null;
  resumedFrom: number;
}

export interface DownloadRequest {
  url: string;
  /** The partial file; an existing one is resumed with an HTTP Range request. */
  partPath: string;
  signal: AbortSignal;
  /** Known sha256 (from the catalog or the user); wins over anything the server says. */
  expectedSha256?: string | null | undefined;
  /** A published SHA-1 (whisper.cpp lists only those); checked in addition to any sha256. */
  expectedSha1?: string | null | undefined;
  /** Size to show before the server tells us (catalog); never enforced. */
  sizeHint?: number | null | undefined;
  onProgress?: ((p: DownloadProgress) => void) | undefined;
  /** ETag remembered from an earlier run: sent as If-Range, so a file changed upstream restarts from zero. */
  validator?: string | null | undefined;
  onValidator?: ((etag: string) => void) | undefined;
  /** Checks the first bytes (e.g. the GGUF magic), so a wrong link fails within a kilobyte, not after gigabytes. */
  checkHead?: ((head: Buffer) => void) | undefined;
  fetch?: typeof fetch;
  /** Retries of transient failures (dropped connection, 5xx, 429, stall). Default 5. */
  retries?: number;
  retryBaseMs?: number;
  /** No byte for this long aborts the attempt and retries. Default 30 s. */
  stallMs?: number;
}

export type Verification = 'catalog' | 'server' | 'none';

export interface DownloadResult {
  bytes: number;
  sha256: string;
  /** Which checksum the file was verified against; 'none' means it could not be verified. */
  verification: Verification;
  serverSha256: string | null;
  resumedFrom: number;
  attempts: number;
}

const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNREFUSED', 'ENETDOWN']);
const TRANSIENT_CODES = new Set([...OFFLINE_CODES, 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'STALL', 'TRUNCATED']);
const MB = 1024 * 1024;

class TransientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

const mb = (n: number): string => `${(n / MB).toFixed(1)} MB`;

function errorCode(error: unknown): string | undefined {
  if (error instanceof TransientError) return error.code;
  const e = error as { code?: unknown; cause?: { code?: unknown; cause?: { code?: unknown } } };
  const code = e?.cause?.code ?? e?.code ?? e?.cause?.cause?.code;
  if (typeof code === 'string') return code;
  if (error instanceof TypeError && /terminated|fetch failed|other side closed/i.test(error.message)) return 'UND_ERR_SOCKET';
  return undefined;
}

/** sha256 from response headers: Hugging Face's X-Linked-ETag, RFC 3230 Digest, RFC 9530 Repr-Digest. */
export function digestFromHeaders(headers: Headers): string | null {
  const linked = headers.get('x-linked-etag');
  const hex = linked && /^(?:W\/)?"?([a-f0-9]{64})"?$/i.exec(linked.trim());
  if (hex) return hex[1]!.toLowerCase();
  for (const name of ['repr-digest', 'digest']) {
    const value = headers.get(name);
    if (!value) continue;
    for (const part of value.split(',')) {
      const m = /^\s*sha-256\s*=\s*:?([A-Za-z0-9+/=]+):?\s*$/i.exec(part);
      if (!m) continue;
      const bytes = Buffer.from(m[1]!, 'base64');
      if (bytes.length === 32) return bytes.toString('hex');
    }
  }
  return null;
}

function retryAfter(headers: Headers): number | null {
  const v = headers.get('retry-after');
  if (!v) return null;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.min(60_000, Math.max(0, secs * 1000));
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.min(60_000, Math.max(0, at - Date.now())) : null;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashFile(path: string, hashes: (Hash | null)[]): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * MB })) for (const h of hashes) h?.update(chunk as Buffer);
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Follows redirects by hand: Hugging Face puts the file's sha256 (X-Linked-ETag) on the redirect, not the file. */
async function request(f: typeof fetch, url: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ res: Response; digest: string | null }> {
  let current = url;
  let digest: string | null = null;
  for (let hop = 0; hop < 10; hop++) {
    const res = await f(current, { headers, signal, redirect: 'manual' });
    digest ??= digestFromHeaders(res.headers);
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      await res.body?.cancel().catch(() => undefined);
      current = new URL(res.headers.get('location')!, current).href;
      continue;
    }
    return { res, digest };
  }
  throw new AppError('unavailable', `${new URL(url).host} redirected the download more than 10 times.`);
}

/**
 * Downloads `url` into `partPath`, resuming what is already there, hashing as it writes, retrying dropped
 * connections from the byte where they stopped. The file is left at `partPath`; the caller renames it once it
 * has checked the content.
 */
export async function downloadFile(req: DownloadRequest): Promise<DownloadResult> {
  const f = req.fetch ?? fetch;
  const host = new URL(req.url).host;
  const retries = req.retries ?? 5;
  const baseMs = req.retryBaseMs ?? 500;
  const stallMs = req.stallMs ?? 30_000;
  let offset = await sizeOf(req.partPath);
  const resumedFrom = offset;
  let hash = createHash('sha256');
  // SHA-1 only when a publisher gave one to check against: it costs a second pass over every byte.
  const newSha1 = (): Hash | null => (req.expectedSha1 ? createHash('sha1') : null);
  let sha1 = newSha1();
  if (offset > 0) await hashFile(req.partPath, [hash, sha1]);
  let headChecked = offset >= 16;
  let total: number | null = req.sizeHint ?? null;
  let serverSha: string | null = null;
  let validator = req.validator ?? null;
  let attempts = 0;
  const samples: [number, number][] = [];
  let lastReport = 0;
  /** Received but not yet written (at most 1 MB): counts for progress, not for resuming. */
  let pendingBytes = 0;

  const report = (force = false): void => {
    const now = performance.now();
    if (!force && now - lastReport < 250) return;
    lastReport = now;
    const received = offset + pendingBytes;
    samples.push([now, received]);
    while (samples.length > 2 && now - samples[0]![0] > 5000) samples.shift();
    const [t0, b0] = samples[0]!;
    const rate = now - t0 > 200 ? ((received - b0) / (now - t0)) * 1000 : null;
    req.onProgress?.({ received, total, ratePerSec: rate, etaMs: rate && total ? Math.max(0, ((total - received) / rate) * 1000) : null, resumedFrom });
  };
  const restart = async (): Promise<void> => {
    await truncate(req.partPath, 0).catch(() => undefined);
    offset = 0;
    hash = createHash('sha256');
    sha1 = newSha1();
    headChecked = false;
  };

  for (;;) {
    if (req.signal.aborted) throw new AppError('cancelled', 'The download was cancelled.');
    attempts++;
    const attempt = new AbortController();
    const onAbort = (): void => attempt.abort();
    req.signal.addEventListener('abort', onAbort, { once: true });
    let stall: NodeJS.Timeout | null = null;
    const armStall = (): void => {
      if (stall) clearTimeout(stall);
      stall = setTimeout(() => attempt.abort(new TransientError('STALL', `no data for ${stallMs / 1000} s`)), stallMs);
    };
    try {
      armStall();
      const headers: Record<string, string> = { 'user-agent': 'IntelligenceDesk-ModelManager', 'accept-encoding': 'identity' };
      if (offset > 0) {
        headers.range = `bytes=${offset}-`;
        if (validator) headers['if-range'] = validator;
      }
      const { res, digest } = await request(f, req.url, headers, attempt.signal);
      serverSha = digest ?? serverSha;
      const etag = res.headers.get('etag');
      if (etag && !etag.startsWith('W/') && etag !== validator) {
        validator = etag;
        req.onValidator?.(etag);
      }
      if (res.status === 416) {
        const whole = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '');
        await res.body?.cancel().catch(() => undefined);
        if (whole && Number(whole[1]) === offset) {
          total = offset;
          break; // Everything was already here.
        }
        await restart();
        continue;
      }
      if (res.status === 404 || res.status === 410) throw new AppError('not_found', `There is nothing to download at ${req.url} (${res.status}). Check the link.`);
      if (res.status === 401 || res.status === 403) {
        throw new AppError('forbidden', `${host} refused the download (${res.status}). The model may be gated: accept its license on the website, or download it in a browser and add the file instead.`);
      }
      if (res.status === 429 || res.status >= 500) throw new TransientError(`HTTP_${res.status}`, `${host} answered ${res.status}`, retryAfter(res.headers));
      if (res.status !== 200 && res.status !== 206) throw new AppError('unavailable', `${host} answered ${res.status} ${res.statusText} to the download request.`);

      if (res.status === 206) {
        const range = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)/.exec(res.headers.get('content-range') ?? '');
        if (!range || Number(range[1]) !== offset) {
          await res.body?.cancel().catch(() => undefined);
          await restart();
          continue;
        }
        if (range[3] !== '*') total = Number(range[3]);
      } else {
        // 200: the server ignored the range, or the file changed upstream (If-Range): start over.
        if (offset > 0) await restart();
        const length = Number(res.headers.get('content-length'));
        if (Number.isFinite(length) && length > 0) total = length;
      }
      if (!res.body) throw new TransientError('TRUNCATED', 'empty response body');

      const fh = await open(req.partPath, offset > 0 ? 'a' : 'w');
      let pending: Buffer[] = [];
      const flush = async (): Promise<void> => {
        if (!pendingBytes) return;
        const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        await fh.write(buf);
        hash.update(buf);
        sha1?.update(buf);
        offset += buf.length;
      };
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          armStall();
          const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          pending.push(buf);
          pendingBytes += buf.length;
          if (!headChecked && req.checkHead && offset === 0 && pendingBytes >= 16) {
            req.checkHead(Buffer.concat(pending, pendingBytes));
            headChecked = true;
          }
          if (pendingBytes >= MB) await flush();
          report();
        }
      } finally {
        // Bytes that arrived intact are kept even when the connection then drops: the retry resumes after them.
        await flush().finally(() => fh.close());
      }
      report(true);
      if (!headChecked && req.checkHead && offset > 0) {
        const fhr = await open(req.partPath, 'r');
        const head = Buffer.alloc(Math.min(16, offset));
        await fhr.read(head, 0, head.length, 0).finally(() => fhr.close());
        req.checkHead(head);
      }
      if (total !== null && offset < total) throw new TransientError('TRUNCATED', `the connection closed after ${mb(offset)} of ${mb(total)}`);
      total ??= offset;
      break;
    } catch (error) {
      if (req.signal.aborted) throw new AppError('cancelled', 'The download was cancelled.');
      const reason: unknown = attempt.signal.aborted ? attempt.signal.reason : error;
      if (reason instanceof AppError) throw reason;
      const code = errorCode(reason) ?? (reason instanceof TransientError ? reason.code : undefined);
      const transient = reason instanceof TransientError || (code !== undefined && TRANSIENT_CODES.has(code));
      // Offline errors before any byte: retry a little, a flaky network often recovers; a dead one fails fast.
      const limit = code && OFFLINE_CODES.has(code) ? Math.min(2, retries) : retries;
      if (!transient || attempts > limit) throw finalError(reason, code, host, offset);
      const wait = (reason instanceof TransientError && reason.retryAfterMs) || baseMs * 2 ** (attempts - 1) * (0.5 + Math.random());
      await sleep(Math.min(wait, 30_000), req.signal);
      offset = await sizeOf(req.partPath);
    } finally {
      if (stall) clearTimeout(stall);
      req.signal.removeEventListener('abort', onAbort);
    }
  }

  const sha256 = hash.digest('hex');
  const expected = req.expectedSha256?.toLowerCase() ?? serverSha;
  if (expected && expected !== sha256) {
    throw new AppError(
      'provider_error',
      `The downloaded file does not match its ${req.expectedSha256 ? 'published' : 'server-reported'} sha256 checksum (expected ${expected.slice(0, 12)}…, got ${sha256.slice(0, 12)}…). It was damaged in transit or changed upstream; it was deleted, so try again.`,
      { reason: 'checksum_mismatch', expected, actual: sha256 },
    );
  }
  const gotSha1 = sha1?.digest('hex') ?? null;
  if (req.expectedSha1 && gotSha1 !== req.expectedSha1.toLowerCase()) {
    throw new AppError(
      'provider_error',
      `The downloaded file does not match its published SHA-1 checksum (expected ${req.expectedSha1.slice(0, 12)}…, got ${gotSha1?.slice(0, 12)}…). It was damaged in transit or changed upstream; it was deleted, so try again.`,
      { reason: 'checksum_mismatch', expected: req.expectedSha1, actual: gotSha1 },
    );
  }
  return { bytes: offset, sha256, verification: req.expectedSha256 || req.expectedSha1 ? 'catalog' : serverSha ? 'server' : 'none', serverSha256: serverSha, resumedFrom, attempts };
}

function finalError(reason: unknown, code: string | undefined, host: string, kept: number): AppError {
  if (code === 'ENOSPC') return new AppError('unavailable', 'The disk is full. Free some space and start the download again; it resumes where it stopped.', { reason: 'disk_full', bytesKept: kept });
  const keptText = kept > 0 ? ` The ${mb(kept)} downloaded so far are kept; starting the download again resumes from there.` : '';
  if (code && OFFLINE_CODES.has(code)) {
    return new AppError('unavailable', `Cannot reach ${host} (${code}): this computer seems to be offline, or the server is down.${keptText}`, { reason: 'offline', code, bytesKept: kept });
  }
  const why = reason instanceof Error ? reason.message : String(reason);
  return new AppError('unavailable', `The download from ${host} kept failing (${code ?? why}).${keptText}`, { reason: 'network', code: code ?? null, bytesKept: kept });
}
