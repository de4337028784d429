import { rename, rm } from 'node:fs/promises';
import { AppError } from '@shared/errors';
import type { EventBus } from '../eventBus';
import type { JobKind } from '../jobs/jobService';
import type { Logger } from '../logger';
import { downloadFile, type DownloadRequest, type Verification } from './downloader';
import { isGgmlHead, isGgufHead } from './ggmlInfo';
import type { GgufSummary } from './ggufInfo';
import type { ModelStore } from './modelStore';

export const DOWNLOAD_JOB = 'model.download';

export interface DownloadParams {
  modelId: string;
  url: string;
  /** Final path; bytes arrive in `${file}.part` until verified. */
  file: string;
  sha256: string | null;
  /** Published SHA-1 (whisper models); absent in jobs queued before it existed. */
  sha1?: string | null;
  sizeHint: number | null;
  /** Matches local_models.attempt while this is the current attempt. */
  attempt: string;
}

export interface DownloadJobResult {
  modelId: string;
  bytes: number;
  sha256: string;
  verification: Verification;
  resumedFrom: number;
  attempts: number;
}

export interface DownloadJobDeps {
  store: ModelStore;
  events: EventBus;
  logger: Logger;
  fetch?: typeof fetch | undefined;
  tuning?: Partial<Pick<DownloadRequest, 'retries' | 'retryBaseMs' | 'stallMs'>> | undefined;
  /** Jobs running in this process; a resumed job adds itself. */
  live: Set<string>;
  /** Validates the finished file and reads its metadata (LocalRuntime.inspect). */
  inspect: (path: string) => Promise<GgufSummary>;
}

export const partPath = (file: string): string => `${file}.part`;

const size = (n: number | null): string => (n === null ? '?' : n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`);

/**
 * The `model.download` job. Resumable: after a crash or quit the job runs again and the downloader continues from
 * the bytes already in the .part file (HTTP Range, guarded by If-Range with the ETag kept in the checkpoint).
 * A bad checksum or a file that is not GGUF deletes the .part; a network failure keeps it for the next try.
 */
export function downloadJob(deps: DownloadJobDeps): JobKind<DownloadParams, DownloadJobResult> {
  return {
    resumable: true,
    async run(p, ctx) {
      const record = deps.store.get(p.modelId);
      if (!record) throw new AppError('cancelled', 'The model was removed before its download started.');
      // Only the job the row names may write the file (a newer attempt supersedes a stale one left by a crash).
      if (record.attempt !== p.attempt) throw new AppError('cancelled', 'A newer download of this model took over.');
      if (record.status === 'ready') throw new AppError('cancelled', 'The model is already installed.');
      deps.live.add(ctx.jobId);
      deps.store.setDownloading(p.modelId, ctx.jobId);
      deps.events.emit('models.changed', { modelId: p.modelId, reason: 'downloading' });
      const part = partPath(p.file);
      const checkpoint = (ctx.resumeFrom ?? {}) as { etag?: string };
      let last = { done: 0, total: p.sizeHint };
      try {
        const result = await downloadFile({
          url: p.url,
          partPath: part,
          signal: ctx.signal,
          expectedSha256: p.sha256,
          expectedSha1: p.sha1 ?? null,
          sizeHint: p.sizeHint,
          validator: checkpoint.etag ?? null,
          fetch: deps.fetch,
          ...deps.tuning,
          onValidator: (etag) => ctx.progress({ phase: 'downloading', done: last.done, total: last.total, checkpoint: { etag } }),
          checkHead: (head) => {
            if (!isGgufHead(head) && !isGgmlHead(head)) {
              throw new AppError('validation', `${p.url} does not serve a GGUF (or whisper.cpp) model file (it starts with "${head.toString('latin1', 0, 12).replace(/[^\x20-\x7e]/g, '.')}"). Check that the link points to the .gguf file itself.`, {
                reason: 'not_gguf',
              });
            }
          },
          onProgress: (pr) => {
            last = { done: pr.received, total: pr.total };
            const rate = pr.ratePerSec ? ` at ${size(pr.ratePerSec)}/s` : '';
            ctx.progress({
              phase: 'downloading',
              done: pr.received,
              total: pr.total,
              message: `${size(pr.received)} of ${size(pr.total)}${rate}${pr.resumedFrom ? ` (resumed at ${size(pr.resumedFrom)})` : ''}`,
              ratePerSec: pr.ratePerSec,
              etaMs: pr.etaMs,
            });
          },
        });
        ctx.progress({ phase: 'verifying', done: result.bytes, total: result.bytes, message: 'Reading the model header', ratePerSec: null, etaMs: null });
        const info = await deps.inspect(part);
        await rename(part, p.file);
        deps.store.setReady(p.modelId, { ...info }, { sha256: result.sha256, verification: result.verification });
        deps.events.emit('models.changed', { modelId: p.modelId, reason: 'installed' });
        if (result.verification === 'none') deps.logger.warn('model downloaded without a checksum to verify against', { modelId: p.modelId, sha256: result.sha256 });
        return { modelId: p.modelId, bytes: result.bytes, sha256: result.sha256, verification: result.verification, resumedFrom: result.resumedFrom, attempts: result.attempts };
      } catch (error) {
        const e = AppError.wrap(error, `The download of ${p.modelId} failed unexpectedly.`);
        // Cancel and quit both abort; the model service cleans up after a cancel, and a quit resumes next start.
        if (e.code === 'cancelled') throw e;
        const reason = e.details?.reason;
        if (reason === 'checksum_mismatch' || reason === 'not_gguf' || reason === 'gguf_damaged' || reason === 'gguf_version' || reason === 'not_ggml' || reason === 'ggml_damaged') await rm(part, { force: true });
        deps.store.setFailed(p.modelId, e.message);
        deps.events.emit('models.changed', { modelId: p.modelId, reason: 'failed' });
        throw e;
      }
    },
  };
}
