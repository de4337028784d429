import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { TaskContext } from '../workers/context';
import type { Embedder } from './embedders/types';
import { chunkOptionsFor, chunkSections, type ChunkingConfig } from './text/chunk';
import { SOURCES, type SourceDocument } from './sources';
import { SourceReader } from './sourceReader';
import { documentHash, sha1, VersionStore, type ChunkRow, type DocPlan } from './store';
import { getVersion, heartbeat } from './versions';
import { meanVector } from './bits';
import { f32 } from './schema';

export type IndexMode = 'build' | 'update';

/** Where a run is: persisted in vec_versions.cursor in the same transaction as each batch. */
export interface IndexCursor {
  mode: IndexMode;
  sourceIndex: number;
  afterId: number;
  stats: IndexStats;
  startedAt: string;
}

export interface IndexStats {
  documents: number;
  unchanged: number;
  chunksInserted: number;
  chunksRemoved: number;
  chunksKept: number;
  embedded: number;
  reused: number;
  deletedDocuments: number;
}

/** What one run did (a resumed run counts only its own work). */
export interface IndexRunResult extends IndexStats {
  versionId: number;
  mode: IndexMode;
  resumed: boolean;
  ms: number;
}

const emptyStats = (): IndexStats => ({ documents: 0, unchanged: 0, chunksInserted: 0, chunksRemoved: 0, chunksKept: 0, embedded: 0, reused: 0, deletedDocuments: 0 });

export interface IndexerOptions {
  versionId: number;
  mode: IndexMode;
  leaseToken: string;
  /** Documents per batch; each batch is embedded, then committed in one transaction. */
  batchDocs?: number;
  now?: () => Date;
}

/**
 * Brings one index version in line with the workspace data. Both a first build and an incremental update are the
 * same walk over every source in id order: a document whose hash is unchanged is skipped, a changed one is
 * re-chunked and only chunks whose text hash is new are embedded; documents of deleted records are removed at the
 * end of each source. Each batch commits its chunk rows, vectors, FTS rows and the cursor together, so a crash at
 * any point resumes from the last commit with nothing duplicated and nothing orphaned.
 */
export class Indexer {
  private readonly reader: SourceReader;
  private store!: VersionStore;
  /** Vectors embedded for the centroid sample, by text hash, used instead of embedding those chunks again. */
  private readonly sampled = new Map<string, Float32Array>();
  private readonly chunking: ChunkingConfig;
  private readonly now: () => Date;

  constructor(
    private readonly db: Db,
    private readonly embedder: Embedder,
    private readonly options: IndexerOptions,
  ) {
    const v = getVersion(db, options.versionId);
    if (v.dimensions !== embedder.dimensions) throw new AppError('internal', `Index version ${v.id} has ${v.dimensions} dimensions but the embedder gives ${embedder.dimensions}.`);
    this.reader = new SourceReader(db);
    this.chunking = JSON.parse(v.chunking) as ChunkingConfig;
    this.now = options.now ?? (() => new Date());
  }

  async run(ctx: TaskContext): Promise<IndexRunResult> {
    const started = Date.now();
    await this.ensureCentroid(ctx);
    const v = getVersion(this.db, this.options.versionId);
    this.store = new VersionStore(this.db, { id: v.id, dimensions: v.dimensions, prefilter: v.binary_prefilter === 1, centroid: v.centroid });
    const saved = v.cursor ? (JSON.parse(v.cursor) as IndexCursor) : null;
    const resumed = saved !== null && saved.mode === this.options.mode;
    const cursor: IndexCursor = resumed ? saved : { mode: this.options.mode, sourceIndex: 0, afterId: 0, stats: emptyStats(), startedAt: this.now().toISOString() };
    const batch = this.options.batchDocs ?? 200;
    const atStart = { ...cursor.stats };

    const totals = SOURCES.map((s) => this.reader.count(s));
    const total = totals.reduce((a, b) => a + b, 0);
    const doneBefore = (i: number, afterId: number): number =>
      totals.slice(0, i).reduce((a, b) => a + b, 0) + (i < SOURCES.length ? (this.db.prepare(`SELECT count(*) FROM ${SOURCES[i]!.table} WHERE id <= ?`).pluck().get(afterId) as number) : 0);
    let done = doneBefore(cursor.sourceIndex, cursor.afterId);
    const runStartDone = done;
    const rate = (): number | null => {
      const s = (Date.now() - started) / 1000;
      return s > 0.5 && done > runStartDone ? (done - runStartDone) / s : null;
    };
    // No job checkpoint: the resume point is the cursor committed in the workspace file with each batch, which is
    // also where a new `index build` after a crash finds it. Progress messages stay small and throttled.
    const report = (phase: string): void => {
      const r = rate();
      const etaS = r ? Math.round((total - done) / r) : null;
      ctx.progress({
        phase,
        done,
        total,
        ratePerSec: r,
        message: `${cursor.stats.embedded.toLocaleString('en-US')} chunks embedded, ${cursor.stats.unchanged.toLocaleString('en-US')} documents unchanged${r ? ` · ${Math.round(r)} docs/s` : ''}${etaS !== null ? ` · ETA ${etaS}s` : ''}`,
      });
    };
    report(resumed ? 'resuming' : 'starting');

    for (let i = cursor.sourceIndex; i < SOURCES.length; i++) {
      const src = SOURCES[i]!;
      if (i !== cursor.sourceIndex) {
        cursor.sourceIndex = i;
        cursor.afterId = 0;
      }
      for (;;) {
        ctx.throwIfCancelled();
        const docs = this.reader.next(src, cursor.afterId, batch);
        if (docs.length === 0) break;
        const plans = this.plan(docs, cursor.stats);
        await this.embed(plans, cursor.stats, ctx);
        ctx.throwIfCancelled();
        cursor.afterId = docs[docs.length - 1]!.entityId;
        this.commit(plans, cursor);
        done += docs.length;
        report(`indexing ${src.label.toLowerCase()}s`);
      }
      // Records deleted since the last run: their documents go, with chunks and vectors, in one transaction.
      const gone = this.reader.missingIds(src, this.options.versionId);
      const next: IndexCursor = { ...cursor, sourceIndex: i + 1, afterId: 0 };
      this.db.transaction(() => {
        for (const id of gone) {
          cursor.stats.chunksRemoved += this.store.deleteDocument(src.type, id);
          cursor.stats.deletedDocuments++;
        }
        this.saveCursor(next);
      })();
      Object.assign(cursor, next);
    }
    report('finishing');
    // The cursor's stats cover the whole build across resumes; the result reports what this run did.
    const run = Object.fromEntries(Object.entries(cursor.stats).map(([k, v]) => [k, v - atStart[k as keyof IndexStats]])) as unknown as IndexStats;
    return { versionId: this.options.versionId, mode: this.options.mode, resumed, ms: Date.now() - started, ...run };
  }

  /**
   * The prefilter's bit codes are centered on the mean vector of the index (bits.ts). It is estimated once, before
   * the first vector is stored, from a sample of chunks spread over the sources in proportion to their size (up to
   * 2,048 chunks; 256 when embedding costs money), and never changes afterwards.
   */
  private async ensureCentroid(ctx: TaskContext): Promise<void> {
    const v = getVersion(this.db, this.options.versionId);
    if (v.binary_prefilter !== 1 || v.centroid) return;
    ctx.progress({ phase: 'sampling', done: 0 });
    const cap = this.embedder.reuseByHash ? 256 : 2048;
    const counts = SOURCES.map((s) => this.reader.count(s));
    const total = counts.reduce((a, b) => a + b, 0);
    const texts: string[] = [];
    SOURCES.forEach((src, i) => {
      if (!counts[i] || texts.length >= cap) return;
      const want = Math.max(8, Math.round((cap * counts[i]!) / Math.max(1, total)));
      for (const doc of this.reader.next(src, 0, want)) {
        for (const p of chunkSections(doc.sections, chunkOptionsFor(this.chunking, doc.sourceType))) texts.push(`${doc.title}\n${p.text}`);
      }
    });
    const sample = [...new Set(texts)].slice(0, cap);
    const vectors: Float32Array[] = [];
    for (let i = 0; i < sample.length; i += this.embedder.maxBatch) {
      ctx.throwIfCancelled();
      vectors.push(...(await this.embedder.embed(sample.slice(i, i + this.embedder.maxBatch))));
    }
    // The sampled chunks are the first of each source, so the build meets them again: keep their vectors.
    if (this.embedder.reuseByHash) sample.forEach((t, i) => this.sampled.set(sha1(t), vectors[i]!));
    const centroid = meanVector(vectors, this.embedder.dimensions);
    this.db.prepare('UPDATE vec_versions SET centroid = ? WHERE id = ? AND centroid IS NULL').run(f32(centroid), v.id);
  }

  /** Diffs each document against what the version holds. No writes. */
  private plan(docs: SourceDocument[], stats: IndexStats): DocPlan[] {
    const plans: DocPlan[] = [];
    const stored = docs.length ? this.store.docHashes(docs[0]!.sourceType, docs.map((d) => d.entityId)) : new Map<number, string>();
    for (const doc of docs) {
      stats.documents++;
      const docHash = documentHash(doc);
      const previous = stored.get(doc.entityId);
      if (previous === docHash) {
        stats.unchanged++;
        continue;
      }
      const old = previous === undefined ? [] : this.store.chunksOf(doc.sourceType, doc.entityId);
      const byHash = new Map<string, ChunkRow[]>();
      for (const c of old) {
        const list = byHash.get(c.hash);
        if (list) list.push(c);
        else byHash.set(c.hash, [c]);
      }
      const pieces = chunkSections(doc.sections, chunkOptionsFor(this.chunking, doc.sourceType));
      const chunks = pieces.map((p) => {
        const embedText = `${doc.title}\n${p.text}`;
        const hash = sha1(embedText);
        const keep = byHash.get(hash)?.shift();
        return { field: p.field, text: p.text, embedText, hash, access: p.access, ...(keep ? { keepId: keep.id } : {}) };
      });
      const kept = new Set(chunks.flatMap((c) => (c.keepId !== undefined ? [c.keepId] : [])));
      stats.chunksKept += kept.size;
      plans.push({ doc, docHash, chunks, remove: old.filter((c) => !kept.has(c.id)).map((c) => c.id), existing: new Map(old.map((c) => [c.id, c])) });
    }
    return plans;
  }

  /** Fills in vectors for new chunks: copied from an identical chunk when the embedder is costly, else embedded once per distinct text. */
  private async embed(plans: DocPlan[], stats: IndexStats, ctx: TaskContext): Promise<void> {
    const need = new Map<string, { text: string; targets: { vector?: Float32Array }[] }>();
    for (const p of plans) {
      for (const c of p.chunks) {
        if (c.keepId !== undefined) continue;
        const entry = need.get(c.hash);
        if (entry) entry.targets.push(c);
        else need.set(c.hash, { text: c.embedText, targets: [c] });
      }
    }
    if (this.embedder.reuseByHash) {
      for (const [hash, entry] of need) {
        const v = this.sampled.get(hash) ?? this.store.vectorByHash(hash);
        if (!v) continue;
        for (const t of entry.targets) t.vector = v;
        stats.reused += entry.targets.length;
        need.delete(hash);
      }
    }
    const todo = [...need.values()];
    for (let i = 0; i < todo.length; i += this.embedder.maxBatch) {
      ctx.throwIfCancelled();
      const slice = todo.slice(i, i + this.embedder.maxBatch);
      const vectors = await this.embedder.embed(slice.map((e) => e.text));
      if (vectors.length !== slice.length) throw new AppError('provider_error', `The embedder returned ${vectors.length} vectors for ${slice.length} texts.`);
      slice.forEach((e, j) => {
        const v = vectors[j]!;
        if (v.length !== this.embedder.dimensions) throw new AppError('provider_error', `The embedder returned a ${v.length}-dimension vector; this index expects ${this.embedder.dimensions}.`);
        for (const t of e.targets) t.vector = v;
      });
      stats.embedded += slice.length;
      stats.reused += slice.reduce((a, e) => a + e.targets.length - 1, 0);
    }
  }

  private commit(plans: DocPlan[], cursor: IndexCursor): void {
    const now = this.now();
    const iso = now.toISOString();
    this.db
      .transaction(() => {
        heartbeat(this.db, this.options.versionId, this.options.leaseToken, now);
        for (const p of plans) {
          const r = this.store.apply(p, iso);
          cursor.stats.chunksInserted += r.inserted;
          cursor.stats.chunksRemoved += r.removed;
        }
        this.saveCursor(cursor);
      })
      .immediate();
  }

  private saveCursor(cursor: IndexCursor): void {
    this.db.prepare('UPDATE vec_versions SET cursor = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(cursor), this.now().toISOString(), this.options.versionId);
  }
}
