import type { Db } from '../db/open';
import { codeBits } from './bits';

/**
 * The bit-code table is split into this many vec0 partitions (by chunk id). sqlite-vec's KNN costs about
 * rows × k, so 16 scans for k/16 candidates each cost a sixteenth of one scan for k (ADR 0032). Part of the table
 * layout: changing it means rebuilding indexes.
 */
export const PREFILTER_PARTITIONS = 16;

/**
 * Per-version tables. Each index version owns tables whose shape depends on its embedder:
 *  - vec_v{N}: sqlite-vec vec0 with the float vector (L2 metric on unit vectors, so ranking equals cosine) and
 *    metadata columns (source code, entity id, access level, date) that KNN queries filter on;
 *  - vec_fts_v{N}: FTS5 over the same chunk text for BM25 (contentless, rows deleted with the chunk);
 *  - with the binary prefilter (ADR 0032), vec_b{N}: a second vec0 with the bit code, the same metadata and a
 *    partition key (a bit column inside vec_v{N} made its float scans ~1.6× slower), and vec_f{N}: the float vectors again in a
 *    plain rowid table, read for rescoring (a vec0 point lookup costs ~80 µs, a rowid B-tree lookup a few µs).
 * Chunk ids (vec_chunks.id) are the rowids of all of them.
 */
export interface VersionTables {
  vec: string;
  bits: string;
  fts: string;
  floats: string;
}

export const versionTables = (versionId: number): VersionTables => {
  if (!Number.isSafeInteger(versionId) || versionId <= 0) throw new Error(`bad index version ${versionId}`);
  return { vec: `vec_v${versionId}`, bits: `vec_b${versionId}`, fts: `vec_fts_v${versionId}`, floats: `vec_f${versionId}` };
};

const METADATA = 'source integer, entity_id integer, access integer, ts integer';

export function createVersionTables(db: Db, versionId: number, dimensions: number, prefilter: boolean): void {
  if (!Number.isInteger(dimensions) || dimensions <= 0 || dimensions > 8192) throw new Error(`Vector dimensions must be 1–8192 (got ${dimensions}).`);
  if (prefilter && !prefilterPossible(dimensions)) throw new Error(`A binary prefilter needs a code length divisible by 8 (got ${dimensions}).`);
  const t = versionTables(versionId);
  db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS ${t.vec} USING vec0(embedding float[${dimensions}], ${METADATA});
    CREATE VIRTUAL TABLE IF NOT EXISTS ${t.fts} USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2', content = '', contentless_delete = 1);
  `);
  if (prefilter) {
    db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS ${t.bits} USING vec0(part integer partition key, bq bit[${codeBits(dimensions)}], ${METADATA});
      CREATE TABLE IF NOT EXISTS ${t.floats} (id INTEGER PRIMARY KEY, v BLOB NOT NULL);
    `);
  }
}

/** The codes have blocks × dims bits, packed 8 a byte. */
export const prefilterPossible = (dimensions: number): boolean => codeBits(dimensions) % 8 === 0;

export function dropVersionTables(db: Db, versionId: number): void {
  const t = versionTables(versionId);
  db.exec(`DROP TABLE IF EXISTS ${t.vec}; DROP TABLE IF EXISTS ${t.bits}; DROP TABLE IF EXISTS ${t.fts}; DROP TABLE IF EXISTS ${t.floats};`);
}

export function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')").get(name) !== undefined;
}

export const f32 = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
export const fromBlob = (b: Buffer): Float32Array => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

const tuned = new WeakSet<Db>();

/**
 * Read tuning for a connection that searches: memory-mapped I/O. vec0 scans read every vector chunk blob through
 * the pager; with mmap the pages are used in place instead of copied, which made exact KNN on an incrementally built
 * index ~1.5× faster (and as fast as a freshly bulk-loaded table). Safe in WAL mode; idempotent; the cap is SQLite's
 * default compile-time maximum.
 */
export function tuneForSearch(db: Db): void {
  if (tuned.has(db)) return;
  db.pragma('mmap_size = 2147418112');
  tuned.add(db);
}
