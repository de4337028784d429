import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { Embedder } from './embedders/types';
import type { Statement } from 'better-sqlite3';
import type { BitEncoder } from './bits';
import { f32, PREFILTER_PARTITIONS } from './schema';
import { encoderFor } from './store';
import { makeSnippet, highlightSpans, type Span } from './snippets';
import { chunkFilter, vecFilter } from './filters';
import { getSource, type AccessLevel } from './sources';
import { versionTables } from './schema';
import { queryTerms } from './text/tokens';
import type { VersionRow } from './versions';
import { beatsFloor, floorFrom, noiseProbes } from './relevance';

export type SearchMode = 'vector' | 'keyword' | 'hybrid';

export interface SearchFilters {
  sourceTypes?: string[] | undefined;
  entityIds?: number[] | undefined;
  /** 'YYYY-MM-DD' or an ISO time; inclusive. Records without a date never match a date filter. */
  dateFrom?: string | undefined;
  dateTo?: string | undefined;
  accessLevels?: AccessLevel[] | undefined;
}

export interface SearchOptions {
  query: string;
  mode: SearchMode;
  k: number;
  filters?: SearchFilters | undefined;
  /** One result per record (default) or every matching chunk. */
  perSource?: boolean | undefined;
  /** Binary prefilter + float rescoring: on when the version has it and is large (auto), or forced. */
  prefilter?: 'auto' | 'on' | 'off' | undefined;
  snippetChars?: number | undefined;
  /**
   * Measure the version's relevance floor (relevance.ts) and put good matches first: a hit counts as good when it
   * matched a query word (BM25) or its vector is closer than the best any nonsense query gets. Off by default, so
   * grounding and evaluation keep pure rank order unless they ask.
   */
  relevanceFloor?: boolean | undefined;
}

export interface SearchScores {
  /** Cosine distance (0 = same direction, 2 = opposite) of the best vector match, or null if not a vector hit. */
  vectorDistance: number | null;
  vectorRank: number | null;
  /** FTS5 bm25() of the best keyword match (more negative is better), or null. */
  bm25: number | null;
  bm25Rank: number | null;
  /** Reciprocal rank fusion score (hybrid), else null. */
  fused: number | null;
}

export interface SearchHit {
  chunkId: number;
  sourceType: string;
  sourceLabel: string;
  entityId: number;
  title: string;
  field: string;
  access: string;
  /** ISO date of the record, or null. */
  date: string | null;
  text: string;
  snippet: string;
  highlights: Span[];
  titleHighlights: Span[];
  /** The mode's main score, higher is better: 1 − cosine distance (vector), −bm25 (keyword), fused (hybrid). */
  score: number;
  scores: SearchScores;
  prevChunkId: number | null;
  nextChunkId: number | null;
  /** Below the relevance floor: only a vector neighbour no closer than nonsense gets (false without a floor). */
  belowFloor: boolean;
}

export interface SearchTimings {
  embedMs: number;
  vectorMs: number;
  keywordMs: number;
  totalMs: number;
}

export interface SearchOutcome {
  hits: SearchHit[];
  /** The cosine distance a vector match had to beat, when the floor was asked for and an embedder answered. */
  floor: number | null;
  prefilterUsed: boolean;
  timings: SearchTimings;
  warnings: string[];
}

/** Reciprocal rank fusion constant (Cormack et al. 2009); ADR 0031. */
export const RRF_K = 60;
/** Below this many chunks the exact float scan is fast enough that the prefilter is not worth its recall loss. */
export const PREFILTER_MIN_CHUNKS = 20_000;
/**
 * Binary candidates per wanted result, spread over the code table's partitions (at least PREFILTER_MIN_PER_PARTITION
 * each): 20 (13 per partition for k = 10) gave recall@10 ≈ 0.95 against exact search on the 100k-chunk demo
 * workspace, whose templated text has many near-tied neighbours (bench/vectors.ts).
 */
export const PREFILTER_OVERSAMPLE = 20;
export const PREFILTER_MIN_PER_PARTITION = 4;
const VEC0_MAX_K = 4096;

interface Ranked {
  id: number;
  rank: number;
  value: number;
}

interface ChunkInfo {
  id: number;
  source_type: string;
  entity_id: number;
  field: string;
  text: string;
  access: string;
  ts: number;
  prev_id: number | null;
  next_id: number | null;
  title: string;
}

/**
 * Search over one index version of one workspace database. The database handle is the workspace's own file, so a
 * result can only ever come from that workspace.
 */
export class VersionSearch {
  private readonly tables;
  private readonly encoder: BitEncoder | null;
  private readonly statements = new Map<string, Statement<unknown[]>>();
  private readonly dfCache = new Map<string, number>();
  private chunkCountCache: { n: number; at: number } | null = null;
  /** The measured relevance floor; undefined until the first search that asks for it. */
  private floorCache: number | null | undefined;

  constructor(
    private readonly db: Db,
    readonly version: VersionRow,
    /** Null when the version's embedder cannot be reached (no gateway, model removed): keyword search still works. */
    private readonly embedder: Embedder | null,
  ) {
    this.tables = versionTables(version.id);
    this.encoder = encoderFor({ id: version.id, dimensions: version.dimensions, prefilter: version.binary_prefilter === 1, centroid: version.centroid });
  }

  /** Prepared statements by SQL text: preparing a vec0 query costs more than running a small one. */
  private stmt(sql: string): Statement<unknown[]> {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  chunkCount(): number {
    const now = Date.now();
    if (!this.chunkCountCache || now - this.chunkCountCache.at > 30_000) {
      this.chunkCountCache = { n: this.db.prepare('SELECT count(*) FROM vec_chunks WHERE version_id = ?').pluck().get(this.version.id) as number, at: now };
    }
    return this.chunkCountCache.n;
  }

  async search(opts: SearchOptions, signal?: AbortSignal): Promise<SearchOutcome> {
    const t0 = performance.now();
    const filters = opts.filters ?? {};
    const perSource = opts.perSource ?? true;
    const k = Math.max(1, Math.min(200, opts.k));
    // Fetch extra chunks so that k distinct records remain after collapsing chunks per record.
    const want = Math.min(VEC0_MAX_K, perSource ? k * 2 : k);
    const warnings: string[] = [];
    const timings: SearchTimings = { embedMs: 0, vectorMs: 0, keywordMs: 0, totalMs: 0 };
    let vectorList: Ranked[] = [];
    let keywordList: Ranked[] = [];
    let prefilterUsed = false;

    if (opts.mode !== 'keyword') {
      if (!this.embedder) {
        if (opts.mode === 'vector') throw new AppError('unavailable', `The embedder of index version ${this.version.id} (${this.version.embedder_label}) is not available; use keyword search or switch versions.`);
        warnings.push(`Vector search skipped: the embedder ${this.version.embedder_label} is not available. Showing keyword results.`);
      } else {
        const te = performance.now();
        // The first search that wants the floor embeds the probes with the query: one call, not two.
        const probes = opts.relevanceFloor && this.floorCache === undefined ? noiseProbes() : [];
        const [q, ...probeVectors] = await this.embedder.embed([opts.query, ...probes], { signal });
        timings.embedMs = performance.now() - te;
        const tv = performance.now();
        prefilterUsed = this.encoder !== null && (opts.prefilter === 'on' || (opts.prefilter !== 'off' && this.chunkCount() >= PREFILTER_MIN_CHUNKS));
        const knn = (v: Float32Array, n: number, f: SearchFilters): Ranked[] => (prefilterUsed ? this.knnPrefilter(v, n, f) : this.knnExact(v, n, f));
        if (probeVectors.length) this.floorCache = floorFrom(probeVectors.map((v) => knn(v, 1, {})[0]?.value ?? Number.POSITIVE_INFINITY));
        vectorList = knn(q!, want, filters);
        timings.vectorMs = performance.now() - tv;
      }
    }
    if (opts.mode !== 'vector') {
      const tk = performance.now();
      keywordList = this.bm25(opts.query, want, filters);
      timings.keywordMs = performance.now() - tk;
    }

    const floor = opts.relevanceFloor && opts.mode !== 'keyword' && this.embedder ? (this.floorCache ?? null) : null;
    const fused = this.fuse(opts.mode, vectorList, keywordList, perSource, k, opts.relevanceFloor ? floor : undefined);
    const info = this.chunks(fused.map((f) => f.id));
    const terms = queryTerms(opts.query);
    const hits: SearchHit[] = [];
    for (const f of fused) {
      const c = info.get(f.id);
      if (!c) continue;
      const snip = makeSnippet(c.text, terms, opts.snippetChars ?? 240);
      hits.push({
        chunkId: c.id,
        sourceType: c.source_type,
        sourceLabel: getSource(c.source_type)?.label ?? c.source_type,
        entityId: c.entity_id,
        title: c.title,
        field: c.field,
        access: c.access,
        date: c.ts > 0 ? new Date(c.ts * 1000).toISOString() : null,
        text: c.text,
        snippet: snip.snippet,
        highlights: snip.highlights,
        titleHighlights: highlightSpans(c.title, terms),
        score: f.score,
        scores: f.scores,
        prevChunkId: c.prev_id,
        nextChunkId: c.next_id,
        belowFloor: f.belowFloor,
      });
    }
    timings.totalMs = performance.now() - t0;
    return { hits, floor, prefilterUsed, timings, warnings };
  }

  /** Exact KNN over the float vectors (vec0 brute force, SIMD L2 on unit vectors). */
  knnExact(q: Float32Array, k: number, filters: SearchFilters): Ranked[] {
    const f = vecFilter(filters);
    // No ORDER BY: it would add a sorter over vec0's output; the k rows are ordered here.
    const rows = this.stmt(`SELECT rowid AS id, distance FROM ${this.tables.vec} WHERE embedding MATCH ? AND k = ?${f.sql}`).all(f32(q), k, ...f.args) as { id: number; distance: number }[];
    rows.sort((a, b) => a.distance - b.distance || a.id - b.id);
    return rows.map((r, i) => ({ id: r.id, rank: i + 1, value: (r.distance * r.distance) / 2 }));
  }

  /** Hamming KNN on the bit codes for oversampled candidates, then exact float distances on those. */
  knnPrefilter(q: Float32Array, k: number, filters: SearchFilters, oversample = PREFILTER_OVERSAMPLE): Ranked[] {
    if (!this.encoder) return this.knnExact(q, k, filters);
    const f = vecFilter(filters);
    // One Hamming scan per partition for its share of the candidates: sqlite-vec's KNN costs ~ rows × k.
    const perPart = Math.min(VEC0_MAX_K, Math.max(PREFILTER_MIN_PER_PARTITION, Math.ceil((k * oversample) / PREFILTER_PARTITIONS)));
    const scan = this.stmt(`SELECT rowid FROM ${this.tables.bits} WHERE bq MATCH vec_quantize_binary(?) AND k = ? AND part = ?${f.sql}`).pluck();
    const code = f32(this.encoder.project(q));
    const ids: number[] = [];
    for (let p = 0; p < PREFILTER_PARTITIONS; p++) for (const id of scan.all(code, perPart, BigInt(p), ...f.args) as number[]) ids.push(id);
    if (ids.length === 0) return [];
    const rows = this.stmt(`SELECT id, v FROM ${this.tables.floats} WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as { id: number; v: Buffer }[];
    const dims = this.version.dimensions;
    const scored = rows.map((r) => {
      const v = new Float32Array(r.v.buffer, r.v.byteOffset, dims);
      let dot = 0;
      for (let i = 0; i < dims; i++) dot += q[i]! * v[i]!;
      return { id: r.id, value: 1 - dot };
    });
    scored.sort((a, b) => a.value - b.value || a.id - b.id);
    return scored.slice(0, k).map((s, i) => ({ id: s.id, rank: i + 1, value: Math.max(0, s.value) }));
  }

  /**
   * BM25 over FTS5. All query terms first (AND: precise, and fast because the rarest term bounds the work); when
   * that finds fewer than k chunks, the selective terms (in at most 5% of chunks) are OR-ed for more. Common words
   * are left out of the OR: they would make FTS5 score a large part of the index while adding almost nothing to
   * BM25 (ADR 0031).
   */
  bm25(query: string, k: number, filters: SearchFilters): Ranked[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    const quote = (t: string): string => `"${t.replace(/"/g, '""')}"`;
    const f = chunkFilter(filters);
    const fts = this.tables.fts;
    const sql = f.sql
      ? `SELECT f.rowid AS id, bm25(${fts}) AS score FROM ${fts} f JOIN vec_chunks c ON c.id = f.rowid WHERE ${fts} MATCH ?${f.sql} ORDER BY score LIMIT ?`
      : `SELECT rowid AS id, bm25(${fts}) AS score FROM ${fts} WHERE ${fts} MATCH ? ORDER BY score LIMIT ?`;
    const run = (match: string): { id: number; score: number }[] => this.stmt(sql).all(match, ...f.args, k) as { id: number; score: number }[];
    const rows = run(terms.map(quote).join(' AND '));
    if (rows.length < k && terms.length > 1) {
      const limit = Math.max(50, this.chunkCount() * 0.05);
      const selective = terms.filter((t) => this.documentFrequency(quote(t)) <= limit);
      if (selective.length) {
        const seen = new Set(rows.map((r) => r.id));
        for (const r of run(selective.map(quote).join(' OR '))) {
          if (rows.length >= k) break;
          if (!seen.has(r.id)) rows.push(r);
        }
      }
    }
    return rows.map((r, i) => ({ id: r.id, rank: i + 1, value: r.score }));
  }

  /** Chunks containing a term (as FTS5 tokenizes and stems it), cached per searcher. */
  private documentFrequency(quoted: string): number {
    let n = this.dfCache.get(quoted);
    if (n === undefined) {
      n = this.stmt(`SELECT count(*) FROM ${this.tables.fts} WHERE ${this.tables.fts} MATCH ?`).pluck().get(quoted) as number;
      if (this.dfCache.size > 5000) this.dfCache.clear();
      this.dfCache.set(quoted, n);
    }
    return n;
  }

  /**
   * Orders chunk hits into results. Hybrid: reciprocal rank fusion, at record level when perSource. With a floor
   * (`floor` not undefined), good matches come first, each group in rank order, so weak ones can be cut or divided off.
   */
  private fuse(mode: SearchMode, vector: Ranked[], keyword: Ranked[], perSource: boolean, k: number, floor?: number | null): { id: number; score: number; scores: SearchScores; belowFloor: boolean }[] {
    const sourceOf = perSource ? this.sourceKeys([...vector, ...keyword].map((r) => r.id)) : null;
    const key = (id: number): string => (sourceOf ? (sourceOf.get(id) ?? `chunk:${id}`) : `chunk:${id}`);
    interface Entry {
      vector: Ranked | null;
      keyword: Ranked | null;
      vRank: number | null;
      kRank: number | null;
    }
    const entries = new Map<string, Entry>();
    const add = (list: Ranked[], which: 'vector' | 'keyword'): void => {
      let rank = 0;
      for (const r of list) {
        const kk = key(r.id);
        let e = entries.get(kk);
        if (!e) entries.set(kk, (e = { vector: null, keyword: null, vRank: null, kRank: null }));
        if (e[which]) continue; // a record's first (best) chunk in this list stands for it
        rank++;
        e[which] = r;
        if (which === 'vector') e.vRank = rank;
        else e.kRank = rank;
      }
    };
    add(vector, 'vector');
    add(keyword, 'keyword');
    const out = [...entries.values()].map((e) => {
      const fused = (e.vRank ? 1 / (RRF_K + e.vRank) : 0) + (e.kRank ? 1 / (RRF_K + e.kRank) : 0);
      // The chunk shown is the one from the list that ranked this record higher.
      const best = e.vector && (!e.keyword || (e.vRank ?? Infinity) <= (e.kRank ?? Infinity)) ? e.vector : e.keyword!;
      const scores: SearchScores = { vectorDistance: e.vector ? round(e.vector.value) : null, vectorRank: e.vRank, bm25: e.keyword ? round(e.keyword.value) : null, bm25Rank: e.kRank, fused: mode === 'hybrid' ? round(fused, 6) : null };
      const score = mode === 'hybrid' ? fused : mode === 'vector' ? 1 - (e.vector?.value ?? 2) : -(e.keyword?.value ?? 0);
      const belowFloor = floor !== undefined && !e.keyword && !beatsFloor(e.vector?.value ?? null, floor);
      return { id: best.id, score: round(score, 6), scores, belowFloor, order: mode === 'hybrid' ? -fused : mode === 'vector' ? (e.vRank ?? Infinity) : (e.kRank ?? Infinity) };
    });
    out.sort((a, b) => Number(a.belowFloor) - Number(b.belowFloor) || a.order - b.order || a.id - b.id);
    return out.slice(0, k).map(({ id, score, scores, belowFloor }) => ({ id, score, scores, belowFloor }));
  }

  private sourceKeys(ids: number[]): Map<number, string> {
    const out = new Map<number, string>();
    if (ids.length === 0) return out;
    const rows = this.db.prepare('SELECT id, source_type, entity_id FROM vec_chunks WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify([...new Set(ids)])) as { id: number; source_type: string; entity_id: number }[];
    for (const r of rows) out.set(r.id, `${r.source_type}:${r.entity_id}`);
    return out;
  }

  chunks(ids: number[]): Map<number, ChunkInfo> {
    const out = new Map<number, ChunkInfo>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare(
        `SELECT c.id, c.source_type, c.entity_id, c.field, c.text, c.access, c.ts, c.prev_id, c.next_id, d.title FROM vec_chunks c
         JOIN vec_documents d ON d.version_id = c.version_id AND d.source_type = c.source_type AND d.entity_id = c.entity_id
         WHERE c.id IN (SELECT value FROM json_each(?)) AND c.version_id = ?`,
      )
      .all(JSON.stringify(ids), this.version.id) as ChunkInfo[];
    for (const r of rows) out.set(r.id, r);
    return out;
  }
}

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;
