import { createHash } from 'node:crypto';
import type { Db } from '../db/open';
import { versionTables } from './schema';
import type { VersionRow } from './versions';

export interface QualityReport {
  versionId: number;
  computedAt: string;
  dimensions: number;
  chunks: number;
  vectors: number;
  /** Every stored vector has the version's dimensions (and the embedder's). */
  dimensionConsistent: boolean;
  wrongDimension: number;
  zeroVectors: number;
  zeroRate: number;
  normMean: number;
  normStd: number;
  /** Vectors identical to an earlier one (same bytes): duplicated text, or an embedder collapsing inputs. */
  duplicates: number;
  duplicateRate: number;
  /** Vectors with no chunk row, and chunk rows with no vector or no FTS row. All three are 0 in a healthy index. */
  orphanVectors: number;
  missingVectors: number;
  missingFts: number;
  /** 1 − zero-vector rate − duplicate rate, floored at 0. */
  score: number;
}

/**
 * Scans every vector of a version once: dimensions, zero vectors, norm statistics, exact duplicates, and the
 * chunk ↔ vector ↔ FTS correspondence. Runs in the indexing worker at the end of a build; O(n) time.
 */
export function computeQuality(db: Db, version: Pick<VersionRow, 'id' | 'dimensions' | 'binary_prefilter'>, now: Date = new Date()): QualityReport {
  const t = versionTables(version.id);
  const bytes = version.dimensions * 4;
  const source = version.binary_prefilter ? db.prepare(`SELECT id AS rowid, v AS embedding FROM ${t.floats}`) : db.prepare(`SELECT rowid, embedding FROM ${t.vec}`);
  const seen = new Set<string>();
  const vectorIds = new Set<number>();
  let n = 0;
  let wrong = 0;
  let zero = 0;
  let dup = 0;
  let sum = 0;
  let sumSq = 0;
  for (const row of source.iterate() as Iterable<{ rowid: number; embedding: Buffer }>) {
    n++;
    vectorIds.add(Number(row.rowid));
    const b = row.embedding;
    if (b.byteLength !== bytes) {
      wrong++;
      continue;
    }
    const v = new Float32Array(b.buffer, b.byteOffset, version.dimensions);
    let sq = 0;
    for (let i = 0; i < v.length; i++) sq += v[i]! * v[i]!;
    const norm = Math.sqrt(sq);
    sum += norm;
    sumSq += norm * norm;
    if (norm < 1e-6) zero++;
    const key = createHash('sha1').update(b).digest('base64');
    if (seen.has(key)) dup++;
    else seen.add(key);
  }
  // With a prefilter the scan above read the rescoring table; vec0 and the bit-code table must hold the same ids.
  const idSets = [vectorIds];
  if (version.binary_prefilter) for (const table of [t.vec, t.bits]) idSets.push(new Set(db.prepare(`SELECT rowid FROM ${table}`).pluck().all() as number[]));
  const chunkIds = db.prepare('SELECT id FROM vec_chunks WHERE version_id = ?').pluck().all(version.id) as number[];
  const chunkSet = new Set(chunkIds);
  let orphan = 0;
  for (const set of idSets) for (const id of set) if (!chunkSet.has(id)) orphan++;
  const missing = chunkIds.filter((id) => idSets.some((set) => !set.has(id))).length;
  const ftsIds = new Set(db.prepare(`SELECT id FROM ${t.fts}_docsize`).pluck().all() as number[]);
  const missingFts = chunkIds.filter((id) => !ftsIds.has(id)).length + [...ftsIds].filter((id) => !chunkSet.has(id)).length;
  const valid = n - wrong;
  const mean = valid ? sum / valid : 0;
  const variance = valid ? Math.max(0, sumSq / valid - mean * mean) : 0;
  const zeroRate = n ? zero / n : 0;
  const duplicateRate = n ? dup / n : 0;
  const r = (x: number): number => Math.round(x * 1e6) / 1e6;
  return {
    versionId: version.id,
    computedAt: now.toISOString(),
    dimensions: version.dimensions,
    chunks: chunkIds.length,
    vectors: n,
    dimensionConsistent: wrong === 0,
    wrongDimension: wrong,
    zeroVectors: zero,
    zeroRate: r(zeroRate),
    normMean: r(mean),
    normStd: r(Math.sqrt(variance)),
    duplicates: dup,
    duplicateRate: r(duplicateRate),
    orphanVectors: orphan,
    missingVectors: missing,
    missingFts,
    score: r(Math.max(0, 1 - zeroRate - duplicateRate)),
  };
}
