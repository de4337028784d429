import { AppError } from '@shared/errors';
import { checkpointAndClose, openDatabase } from '../db/open';
import type { TaskContext } from '../workers/context';
import { LexicalEmbedder } from './embedders/lexical';
import type { Embedder, EmbedderInfo } from './embedders/types';
import { Indexer, type IndexMode, type IndexRunResult } from './indexer';
import { computeQuality, type QualityReport } from './quality';
import { getVersion } from './versions';

export interface IndexTaskParams {
  dbFile: string;
  versionId: number;
  mode: IndexMode;
  leaseToken: string;
  embedder: EmbedderInfo;
  batchDocs?: number;
}

export interface IndexTaskResult extends IndexRunResult {
  quality: QualityReport;
}

/** The host-call name the indexing worker uses to get embeddings from the main thread (gateway, local model). */
export const EMBED_HOST_CALL = 'vectors.embed';

/** Embeds through the main thread: the gateway and in-process models live there, not in the worker. */
class HostEmbedder implements Embedder {
  readonly maxBatch = 64;
  readonly reuseByHash = true;
  readonly id: string;
  readonly kind: EmbedderInfo['kind'];
  readonly label: string;
  readonly model: string;
  readonly dimensions: number;
  readonly normalized: boolean;
  readonly lexical: boolean;

  constructor(
    info: EmbedderInfo,
    private readonly ctx: TaskContext,
  ) {
    this.id = info.id;
    this.kind = info.kind;
    this.label = info.label;
    this.model = info.model;
    this.dimensions = info.dimensions;
    this.normalized = info.normalized;
    this.lexical = info.lexical;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return (await this.ctx.callHost(EMBED_HOST_CALL, { texts })) as Float32Array[];
  }
}

export function embedderInWorker(info: EmbedderInfo, ctx: TaskContext): Embedder {
  if (info.kind === 'builtin') return new LexicalEmbedder(info.dimensions);
  return new HostEmbedder(info, ctx);
}

/**
 * Worker task: index (build or update) one version of a workspace's vector store, then measure its quality. The
 * workspace file is opened on its own connection; WAL lets the app keep reading (and searching) meanwhile.
 */
export async function vectorsIndexTask(params: IndexTaskParams, ctx: TaskContext): Promise<IndexTaskResult> {
  const db = openDatabase(params.dbFile);
  try {
    const v = getVersion(db, params.versionId);
    if (v.embedder_id !== params.embedder.id) throw new AppError('internal', `Version ${v.id} was built with ${v.embedder_id}, not ${params.embedder.id}.`);
    const indexer = new Indexer(db, embedderInWorker(params.embedder, ctx), { versionId: params.versionId, mode: params.mode, leaseToken: params.leaseToken, batchDocs: params.batchDocs });
    const result = await indexer.run(ctx);
    ctx.progress({ phase: 'checking quality', done: result.documents, total: result.documents });
    const quality = computeQuality(db, v);
    return { ...result, quality };
  } finally {
    checkpointAndClose(db);
  }
}
