import type { EvaluationInfo, IndexVersionInfo, QualityReportInfo } from '@shared/contract';
import type { Db } from '../db/open';
import type { IndexCursor } from './indexer';
import type { ChunkingConfig } from './text/chunk';
import { liveLease, type VersionRow } from './versions';

/** A version row as the contract shows it, with live counts. */
export function versionInfo(db: Db, row: VersionRow): IndexVersionInfo {
  const count = (sql: string): number => db.prepare(sql).pluck().get(row.id) as number;
  const lease = liveLease(row);
  const cursor = row.cursor ? (JSON.parse(row.cursor) as IndexCursor) : null;
  return {
    id: row.id,
    embedder: { id: row.embedder_id, kind: row.embedder_kind as IndexVersionInfo['embedder']['kind'], label: row.embedder_label, model: row.model, lexical: row.lexical === 1 },
    dimensions: row.dimensions,
    chunking: JSON.parse(row.chunking) as ChunkingConfig,
    binaryPrefilter: row.binary_prefilter === 1,
    status: row.status,
    active: row.active === 1,
    documents: count('SELECT count(*) FROM vec_documents WHERE version_id = ?'),
    chunks: count('SELECT count(*) FROM vec_chunks WHERE version_id = ?'),
    writer: lease ? { jobId: lease.jobId, pid: lease.pid, since: lease.at } : null,
    progress: cursor ? { mode: cursor.mode, sourceIndex: cursor.sourceIndex, afterId: cursor.afterId, documents: cursor.stats.documents, embedded: cursor.stats.embedded } : null,
    quality: row.quality ? (JSON.parse(row.quality) as QualityReportInfo) : null,
    error: row.error,
    createdAt: row.created_at,
    createdBy: row.created_by,
    builtAt: row.built_at,
    updatedAt: row.updated_at,
    activatedAt: row.activated_at,
  };
}

interface EvaluationRow {
  id: number;
  version_id: number | null;
  embedder_id: string;
  embedder_label: string;
  mode: EvaluationInfo['mode'];
  k: number;
  queries: number;
  recall: number;
  ndcg: number;
  by_kind: string;
  query_set: string;
  ms: number;
  created_at: string;
}

export function listEvaluations(db: Db, limit: number): EvaluationInfo[] {
  const rows = db.prepare('SELECT * FROM vec_evaluations ORDER BY id DESC LIMIT ?').all(limit) as EvaluationRow[];
  return rows.map((r) => ({
    id: r.id,
    versionId: r.version_id,
    embedderId: r.embedder_id,
    embedderLabel: r.embedder_label,
    mode: r.mode,
    k: r.k,
    queries: r.queries,
    recallAtK: r.recall,
    ndcgAtK: r.ndcg,
    byKind: JSON.parse(r.by_kind) as EvaluationInfo['byKind'],
    querySet: r.query_set,
    ms: r.ms,
    createdAt: r.created_at,
  }));
}
