import { createHash } from 'node:crypto';
import type { Db } from '../db/open';
import { BitEncoder } from './bits';
import { f32, fromBlob, PREFILTER_PARTITIONS, versionTables, type VersionTables } from './schema';
import { accessCode, getSource, type SourceDocument } from './sources';

export interface ChunkRow {
  id: number;
  version_id: number;
  source_type: string;
  entity_id: number;
  field: string;
  ordinal: number;
  text: string;
  hash: string;
  access: string;
  ts: number;
  prev_id: number | null;
  next_id: number | null;
}

/** One chunk of a document as the indexer wants it stored. */
export interface PlannedChunk {
  field: string;
  /** The chunk body (what snippets show). */
  text: string;
  /** What is embedded and indexed for BM25: the document title, a newline, the body. */
  embedText: string;
  hash: string;
  access: string;
  /** Id of an existing chunk with the same hash that is kept (never re-embedded). */
  keepId?: number;
  vector?: Float32Array;
}

export interface DocPlan {
  doc: SourceDocument;
  docHash: string;
  chunks: PlannedChunk[];
  /** Existing chunk ids that the new document no longer has. */
  remove: number[];
  /** Existing chunks by id, for comparing positions and metadata. */
  existing: Map<number, ChunkRow>;
}

export const sha1 = (text: string): string => createHash('sha1').update(text).digest('base64url');

/** The hash that decides whether a document must be looked at again. */
export const documentHash = (doc: SourceDocument): string => sha1(JSON.stringify([doc.title, doc.ts, doc.sections]));

export interface VersionShape {
  id: number;
  dimensions: number;
  prefilter: boolean;
  /** The prefilter codes' centroid; required to insert vectors into a version with a prefilter. */
  centroid?: Buffer | null | undefined;
}

/** The bit encoder of a version with a prefilter (null without one, or before its centroid exists). */
export function encoderFor(v: VersionShape): BitEncoder | null {
  return v.prefilter && v.centroid ? new BitEncoder(v.dimensions, fromBlob(v.centroid)) : null;
}

/**
 * Reads and writes one index version's rows on one connection. Every write method expects to run inside the
 * caller's transaction: a document's chunk rows, vectors and FTS rows change together or not at all, which is what
 * makes a crash leave neither duplicates nor orphans.
 */
export class VersionStore {
  readonly tables: VersionTables;
  private readonly st: ReturnType<VersionStore['prepare']>;
  private readonly encoder: BitEncoder | null;

  constructor(
    private readonly db: Db,
    readonly version: VersionShape,
  ) {
    this.tables = versionTables(version.id);
    this.st = this.prepare();
    this.encoder = encoderFor(version);
  }

  private prepare() {
    const { vec, bits, fts, floats } = this.tables;
    const db = this.db;
    const p = this.version.prefilter;
    return {
      docHash: db.prepare('SELECT doc_hash FROM vec_documents WHERE version_id = ? AND source_type = ? AND entity_id = ?').pluck(),
      docHashes: db.prepare('SELECT entity_id, doc_hash FROM vec_documents WHERE version_id = ? AND source_type = ? AND entity_id IN (SELECT value FROM json_each(?))'),
      maxChunkId: db.prepare('SELECT max(id) FROM vec_chunks').pluck(),
      chunksOf: db.prepare('SELECT * FROM vec_chunks WHERE version_id = ? AND source_type = ? AND entity_id = ? ORDER BY ordinal'),
      idByHash: db.prepare('SELECT id FROM vec_chunks WHERE version_id = ? AND hash = ? LIMIT 1').pluck(),
      vectorFloat: p ? db.prepare(`SELECT v FROM ${floats} WHERE id = ?`).pluck() : null,
      vectorVec: db.prepare(`SELECT embedding FROM ${vec} WHERE rowid = ?`).pluck(),
      insertChunk: db.prepare(
        'INSERT INTO vec_chunks (id, version_id, source_type, entity_id, field, ordinal, text, hash, access, ts, prev_id, next_id) VALUES (@id, @version_id, @source_type, @entity_id, @field, @ordinal, @text, @hash, @access, @ts, @prev_id, @next_id)',
      ),
      insertVec: db.prepare(`INSERT INTO ${vec} (rowid, embedding, source, entity_id, access, ts) VALUES (?, ?, ?, ?, ?, ?)`),
      insertBits: p ? db.prepare(`INSERT INTO ${bits} (rowid, part, bq, source, entity_id, access, ts) VALUES (?, ?, vec_quantize_binary(?), ?, ?, ?, ?)`) : null,
      insertFloat: p ? db.prepare(`INSERT INTO ${floats} (id, v) VALUES (?, ?)`) : null,
      insertFts: db.prepare(`INSERT INTO ${fts} (rowid, text) VALUES (?, ?)`),
      deleteChunk: db.prepare('DELETE FROM vec_chunks WHERE id = ?'),
      deleteVec: db.prepare(`DELETE FROM ${vec} WHERE rowid = ?`),
      deleteBits: p ? db.prepare(`DELETE FROM ${bits} WHERE rowid = ?`) : null,
      deleteFloat: p ? db.prepare(`DELETE FROM ${floats} WHERE id = ?`) : null,
      deleteFts: db.prepare(`DELETE FROM ${fts} WHERE rowid = ?`),
      setOrdinal: db.prepare('UPDATE vec_chunks SET ordinal = ? WHERE id = ?'),
      setMeta: db.prepare('UPDATE vec_chunks SET field = ?, access = ?, ts = ? WHERE id = ?'),
      setVecMeta: db.prepare(`UPDATE ${vec} SET access = ?, ts = ? WHERE rowid = ?`),
      setBitsMeta: p ? db.prepare(`UPDATE ${bits} SET access = ?, ts = ? WHERE rowid = ?`) : null,
      setLinks: db.prepare('UPDATE vec_chunks SET prev_id = ?, next_id = ? WHERE id = ?'),
      upsertDoc: db.prepare(
        `INSERT INTO vec_documents (version_id, source_type, entity_id, title, doc_hash, chunk_count, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (version_id, source_type, entity_id) DO UPDATE SET title = excluded.title, doc_hash = excluded.doc_hash, chunk_count = excluded.chunk_count, indexed_at = excluded.indexed_at`,
      ),
      deleteDoc: db.prepare('DELETE FROM vec_documents WHERE version_id = ? AND source_type = ? AND entity_id = ?'),
      chunkIdsOf: db.prepare('SELECT id FROM vec_chunks WHERE version_id = ? AND source_type = ? AND entity_id = ?').pluck(),
    };
  }

  docHash(sourceType: string, entityId: number): string | undefined {
    return this.st.docHash.get(this.version.id, sourceType, entityId) as string | undefined;
  }

  /** Stored document hashes of many records of one source, in one query. */
  docHashes(sourceType: string, entityIds: readonly number[]): Map<number, string> {
    const rows = this.st.docHashes.all(this.version.id, sourceType, JSON.stringify(entityIds)) as { entity_id: number; doc_hash: string }[];
    return new Map(rows.map((r) => [r.entity_id, r.doc_hash]));
  }

  chunksOf(sourceType: string, entityId: number): ChunkRow[] {
    return this.st.chunksOf.all(this.version.id, sourceType, entityId) as ChunkRow[];
  }

  /** The stored vector of any chunk of this version with this text hash (to copy instead of re-embedding). */
  vectorByHash(hash: string): Float32Array | null {
    const id = this.st.idByHash.get(this.version.id, hash) as number | undefined;
    if (id === undefined) return null;
    const blob = (this.st.vectorFloat?.get(id) ?? this.st.vectorVec.get(BigInt(id))) as Buffer | undefined;
    return blob ? fromBlob(blob) : null;
  }

  /**
   * Applies a document plan. Call inside an IMMEDIATE transaction: new chunk ids are allocated from max(id) so that
   * each row is written once with its neighbour links (no second UPDATE), which is only safe while no other
   * connection can insert chunks. Returns chunks inserted and removed.
   */
  apply(plan: DocPlan, now: string): { inserted: number; removed: number } {
    const st = this.st;
    const { doc } = plan;
    const src = getSource(doc.sourceType);
    if (!src) throw new Error(`unknown source ${doc.sourceType}`);
    for (const id of plan.remove) this.deleteChunk(id);

    // Kept chunks that move: park them on negative ordinals first so the unique position index never collides.
    const moving = plan.chunks.map((c, i) => ({ c, i })).filter(({ c, i }) => c.keepId !== undefined && plan.existing.get(c.keepId)!.ordinal !== i);
    for (const { c, i } of moving) st.setOrdinal.run(-1 - i, c.keepId);

    let nextId = ((st.maxChunkId.get() as number | null) ?? 0) + 1;
    const ids = plan.chunks.map((c) => c.keepId ?? nextId++);
    let inserted = 0;
    plan.chunks.forEach((c, i) => {
      if (c.keepId !== undefined) {
        const old = plan.existing.get(c.keepId)!;
        if (old.field !== c.field || old.access !== c.access || old.ts !== doc.ts) {
          st.setMeta.run(c.field, c.access, doc.ts, c.keepId);
          st.setVecMeta.run(accessCode(c.access), BigInt(doc.ts), BigInt(c.keepId));
          st.setBitsMeta?.run(accessCode(c.access), BigInt(doc.ts), BigInt(c.keepId));
        }
        return;
      }
      if (!c.vector) throw new Error('planned chunk has no vector');
      const id = ids[i]!;
      st.insertChunk.run({
        id,
        version_id: this.version.id,
        source_type: doc.sourceType,
        entity_id: doc.entityId,
        field: c.field,
        ordinal: i,
        text: c.text,
        hash: c.hash,
        access: c.access,
        ts: doc.ts,
        prev_id: ids[i - 1] ?? null,
        next_id: ids[i + 1] ?? null,
      });
      const blob = f32(c.vector);
      const meta = [BigInt(src.code), BigInt(doc.entityId), accessCode(c.access), BigInt(doc.ts)] as const;
      st.insertVec.run(BigInt(id), blob, ...meta);
      if (st.insertBits) {
        if (!this.encoder) throw new Error(`index version ${this.version.id} has a prefilter but no centroid yet`);
        st.insertBits.run(BigInt(id), BigInt(id % PREFILTER_PARTITIONS), f32(this.encoder.project(c.vector)), ...meta);
      }
      st.insertFloat?.run(id, blob);
      st.insertFts.run(id, c.embedText);
      inserted++;
    });
    for (const { c, i } of moving) st.setOrdinal.run(i, c.keepId);

    // Kept chunks whose neighbours changed get their links fixed; new ones were written with theirs.
    ids.forEach((id, i) => {
      const old = plan.existing.get(id);
      const prev = ids[i - 1] ?? null;
      const next = ids[i + 1] ?? null;
      if (old && (old.prev_id !== prev || old.next_id !== next)) st.setLinks.run(prev, next, id);
    });
    st.upsertDoc.run(this.version.id, doc.sourceType, doc.entityId, doc.title, plan.docHash, ids.length, now);
    return { inserted, removed: plan.remove.length };
  }

  /** Removes a record's document: its chunks, vectors and FTS rows. Call inside a transaction. */
  deleteDocument(sourceType: string, entityId: number): number {
    const ids = this.st.chunkIdsOf.all(this.version.id, sourceType, entityId) as number[];
    for (const id of ids) this.deleteChunk(id);
    this.st.deleteDoc.run(this.version.id, sourceType, entityId);
    return ids.length;
  }

  private deleteChunk(id: number): void {
    this.st.deleteChunk.run(id);
    this.st.deleteVec.run(BigInt(id));
    this.st.deleteBits?.run(BigInt(id));
    this.st.deleteFloat?.run(id);
    this.st.deleteFts.run(id);
  }
}

/** Row counts of a version's tables; equal counts (and the id checks in quality.ts) mean no orphans. */
export function versionCounts(db: Db, version: VersionShape): { chunks: number; vectors: number; fts: number; bits: number | null; floats: number | null; documents: number } {
  const t = versionTables(version.id);
  const one = (sql: string, ...args: unknown[]): number => (db.prepare(sql).pluck().get(...args) as number | undefined) ?? 0;
  return {
    chunks: one('SELECT count(*) FROM vec_chunks WHERE version_id = ?', version.id),
    vectors: one(`SELECT count(*) FROM ${t.vec}`),
    fts: one(`SELECT count(*) FROM ${t.fts}_docsize`),
    bits: version.prefilter ? one(`SELECT count(*) FROM ${t.bits}`) : null,
    floats: version.prefilter ? one(`SELECT count(*) FROM ${t.floats}`) : null,
    documents: one('SELECT count(*) FROM vec_documents WHERE version_id = ?', version.id),
  };
}
