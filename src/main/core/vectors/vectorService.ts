import type { ChunkingInput, EvaluationInfo, IndexVersionInfo, QualityReportInfo, RouteArgs, RouteOutput } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { EventBus } from '../eventBus';
import type { JobService } from '../jobs/jobService';
import type { Logger } from '../logger';
import type { WorkerLauncher } from '../ports';
import type { WorkspaceRow, WorkspaceService } from '../workspaces/workspaceService';
import { createEmbedder, embedderFor, parseEmbedderSpec, type EmbedderSources } from './embedders/resolve';
import { LexicalEmbedder } from './embedders/lexical';
import { related, unavailable, type RelatedRequest, type RelatedResult } from './grounding';
import type { IndexMode } from './indexer';
import { listEvaluations, versionInfo } from './info';
import { computeQuality } from './quality';
import { VersionSearch } from './search';
import { VersionStore } from './store';
import { tuneForSearch } from './schema';
import { EXCLUDED_ENTITIES, getSource, SOURCES } from './sources';
import { CHUNK_STRATEGIES, DEFAULT_CHUNKING, type ChunkingConfig } from './text/chunk';
import { BUILD_JOB, EVALUATE_JOB, VectorJobs, type BuildJobParams } from './vectorJobs';
import { activate, activeVersion, configKeyOf, createVersion, deleteVersion, findByConfig, getVersion, listVersions, liveLease, rollback, type VersionRow } from './versions';

export interface VectorServiceDeps {
  workspaces: WorkspaceService;
  jobs: JobService;
  events: EventBus;
  logger: Logger;
  now: () => Date;
  launchWorker: WorkerLauncher;
  embedders: EmbedderSources;
  /** Whether provider embeddings can be tried now (e.g. no endpoint configured), for the embedder picker. */
  providerStatus?: () => { available: boolean; reason: string | null };
  /** Lists installed local embedding models for the embedder picker (from the model manager), when present. */
  localEmbeddingModels?: () => { id: string; label: string }[];
  /** Start an incremental update after data changes (debounced). The desktop app and web host turn it on. */
  autoUpdate?: boolean;
}

type BuildStarted = { jobId: string; versionId: number; action: 'build' | 'resume' | 'update' };

/**
 * The local vector store of each workspace: index versions, their builds and updates (as jobs), search, quality,
 * evaluation and grounding. Each workspace's index lives in its own SQLite file (docs/vectors.md).
 */
export class VectorService {
  private readonly searchers = new Map<string, VersionSearch>();
  private readonly jobsRunner: VectorJobs;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: (() => void) | null;

  constructor(private readonly d: VectorServiceDeps) {
    this.jobsRunner = new VectorJobs({ ...d, searcher: (db, ws, v, profileId) => this.searcherFor(db, ws, v, profileId), invalidate: (id) => this.invalidate(id) });
    this.unsubscribe = d.autoUpdate ? d.events.on('data.changed', (e) => this.scheduleUpdate(e.workspace)) : null;
  }

  sources(): RouteOutput<'vectors.sources'> {
    return {
      sources: SOURCES.map((s) => ({ type: s.type, label: s.label, childEntities: s.childEntities ?? [] })),
      excluded: Object.entries(EXCLUDED_ENTITIES).map(([entity, reason]) => ({ entity, reason })),
    };
  }

  embedders(): RouteOutput<'vectors.embedders'> {
    const builtin = new LexicalEmbedder();
    const gateway = this.d.embedders.gateway?.();
    const provider = gateway ? (this.d.providerStatus?.() ?? { available: true, reason: null }) : { available: false, reason: 'No model provider is configured (Configuration → Providers).' };
    const models = this.d.localEmbeddingModels?.() ?? [];
    return {
      embedders: [
        { spec: 'builtin', kind: 'builtin', label: builtin.label, lexical: true, available: true, reason: null },
        {
          spec: 'provider',
          kind: 'provider',
          label: 'Provider embeddings (the model of the "embeddings" policy)',
          lexical: false,
          available: provider.available,
          reason: provider.reason,
        },
        ...(models.length
          ? models.map((m) => ({ spec: `local:${m.id}`, kind: 'local' as const, label: `Local model embeddings (${m.label})`, lexical: false, available: true, reason: null }))
          : [{ spec: 'local:MODEL', kind: 'local' as const, label: 'Local model embeddings (GGUF embedding model)', lexical: false, available: false, reason: 'No local embedding model is installed (Configuration → Local models).' }]),
      ],
    };
  }

  status(workspace: string): RouteOutput<'vectors.status'> {
    const { row, db } = this.open(workspace);
    const versions = listVersions(db);
    const active = versions.find((v) => v.active === 1);
    return {
      workspace: row.name,
      active: active ? versionInfo(db, active) : null,
      building: versions.filter((v) => v.status === 'building' || liveLease(v)).map((v) => versionInfo(db, v)),
      versions: versions.length,
    };
  }

  versions(workspace: string): IndexVersionInfo[] {
    const { db } = this.open(workspace);
    return listVersions(db).map((v) => versionInfo(db, v));
  }

  /**
   * Starts building. No embedder and no chunking given: an incremental update of the active version (or, without
   * one, a first build with the built-in embedder). The same embedder and chunking as an existing version resumes it
   * (unfinished) or updates it incrementally (ready); anything else, or `rebuild`, creates a new version built in the
   * background while search keeps using the active one.
   */
  async build(
    workspace: string,
    input: { embedder?: string | undefined; chunking?: ChunkingInput | undefined; rebuild: boolean; activate: boolean; binaryPrefilter: boolean },
    profileId: string | null,
  ): Promise<BuildStarted> {
    const { row, db } = this.open(workspace);
    // Without a configuration, "build" means: bring the active index up to date.
    if (input.embedder === undefined && input.chunking === undefined && !input.rebuild && activeVersion(db)) return this.update(workspace, profileId);
    const spec = parseEmbedderSpec(input.embedder);
    const chunking = normalizeChunking(input.chunking);
    const embedder = await createEmbedder(spec, this.d.embedders, { workspace: row.name, profileId, subject: 'index build' });
    const existing = input.rebuild ? undefined : findByConfig(db, configKeyOf(embedder.id, embedder.dimensions, chunking));
    if (existing) {
      const lease = liveLease(existing);
      if (lease) throw new AppError('conflict', `Index version ${existing.id} is already being built${lease.jobId ? ` (job ${lease.jobId})` : ''}; follow or cancel that job.`);
      const mode: IndexMode = existing.status === 'ready' ? 'update' : 'build';
      const jobId = this.startJob(row, { workspaceId: row.id, versionId: existing.id, mode, activate: input.activate, profileId });
      return { jobId, versionId: existing.id, action: mode === 'update' ? 'update' : 'resume' };
    }
    const v = createVersion(db, { embedder, chunking, prefilter: input.binaryPrefilter, createdBy: profileId, now: this.d.now().toISOString() });
    const jobId = this.startJob(row, { workspaceId: row.id, versionId: v.id, mode: 'build', activate: input.activate, profileId });
    return { jobId, versionId: v.id, action: 'build' };
  }

  /** Incremental update of the active version. */
  update(workspace: string, profileId: string | null): BuildStarted {
    const { row, db } = this.open(workspace);
    const active = activeVersion(db);
    if (!active) throw new AppError('conflict', `Workspace "${row.name}" has no index yet; build one first (index build).`);
    const lease = liveLease(active);
    if (lease) throw new AppError('conflict', `Index version ${active.id} is already being updated${lease.jobId ? ` (job ${lease.jobId})` : ''}.`);
    const jobId = this.startJob(row, { workspaceId: row.id, versionId: active.id, mode: 'update', activate: false, profileId });
    return { jobId, versionId: active.id, action: 'update' };
  }

  switchTo(workspace: string, version: number, by: string | null): IndexVersionInfo {
    const { row, db } = this.open(workspace);
    const v = activate(db, version, 'switch', by, this.d.now().toISOString());
    this.changed(row, 'switched', v.id);
    return versionInfo(db, v);
  }

  rollback(workspace: string, by: string | null): IndexVersionInfo {
    const { row, db } = this.open(workspace);
    const v = rollback(db, by, this.d.now().toISOString());
    this.changed(row, 'rolled_back', v.id);
    return versionInfo(db, v);
  }

  deleteVersion(workspace: string, version: number): number {
    const { row, db } = this.open(workspace);
    deleteVersion(db, version);
    this.changed(row, 'deleted', version);
    return version;
  }

  quality(workspace: string, version: number | undefined, recompute: boolean): QualityReportInfo {
    const { db } = this.open(workspace);
    const v = version !== undefined ? getVersion(db, version) : this.requireActive(db, workspace);
    if (!recompute && v.quality) return JSON.parse(v.quality) as QualityReportInfo;
    const q = computeQuality(db, v, this.d.now());
    db.prepare('UPDATE vec_versions SET quality = ? WHERE id = ?').run(JSON.stringify(q), v.id);
    return q;
  }

  evaluate(workspace: string, input: { versions?: number[] | undefined; modes?: ('vector' | 'keyword' | 'hybrid')[] | undefined }, profileId: string | null): string {
    const { row } = this.open(workspace);
    const params = { workspaceId: row.id, versionIds: input.versions ?? null, modes: input.modes ?? ['vector', 'keyword', 'hybrid'], profileId };
    return this.d.jobs.start(EVALUATE_JOB, params, { workspaceId: row.id, createdBy: profileId }).jobId;
  }

  evaluations(workspace: string, limit: number): EvaluationInfo[] {
    return listEvaluations(this.open(workspace).db, limit);
  }

  async search(args: RouteArgs<'search.query'>, profileId: string | null, signal?: AbortSignal): Promise<RouteOutput<'search.query'>> {
    const { row, db } = this.open(args.workspace);
    const v = args.version !== undefined ? getVersion(db, args.version) : this.requireActive(db, row.name);
    if (v.status !== 'ready') throw new AppError('conflict', `Index version ${v.id} is ${v.status}; search a ready version.`);
    for (const t of args.filters.sourceTypes ?? []) if (!getSource(t)) throw new AppError('validation', `Unknown source type "${t}". Known: ${SOURCES.map((s) => s.type).join(', ')}.`);
    const searcher = this.searcherFor(db, row, v, profileId);
    const out = await searcher.search({ query: args.query, mode: args.mode, k: args.k, filters: args.filters, perSource: true, prefilter: args.prefilter, relevanceFloor: true }, signal);
    return {
      results: out.hits,
      floor: out.floor,
      mode: args.mode,
      versionId: v.id,
      embedder: { id: v.embedder_id, label: v.embedder_label, lexical: v.lexical === 1 },
      prefilterUsed: out.prefilterUsed,
      timings: out.timings,
      warnings: out.warnings,
    };
  }

  /** Grounding for persona context builders (docs/vectors.md#grounding). Never throws for a missing index. */
  async related(workspace: string, req: RelatedRequest, profileId: string | null = null, signal?: AbortSignal): Promise<RelatedResult> {
    const { row, db } = this.open(workspace);
    const v = activeVersion(db);
    if (!v) return unavailable(`Workspace "${row.name}" has no search index yet.`);
    return related(db, this.searcherFor(db, row, v, profileId), req, signal);
  }

  /**
   * Removes a deleted record from every index version of the workspace at once (chunks, vectors, FTS rows). The
   * next incremental update would find it too; call this when a record must disappear from search now.
   */
  removeRecord(workspace: string, sourceType: string, entityId: number): number {
    const { row, db } = this.open(workspace);
    if (!getSource(sourceType)) throw new AppError('validation', `"${sourceType}" is not an indexed source type.`);
    let removed = 0;
    db.transaction(() => {
      for (const v of listVersions(db)) {
        removed += new VersionStore(db, { id: v.id, dimensions: v.dimensions, prefilter: v.binary_prefilter === 1 }).deleteDocument(sourceType, entityId);
      }
    })();
    if (removed > 0) this.changed(row, 'removed', null);
    return removed;
  }

  dispose(): void {
    this.unsubscribe?.();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.searchers.clear();
  }

  private startJob(row: WorkspaceRow, params: BuildJobParams): string {
    return this.d.jobs.start(BUILD_JOB, params, { workspaceId: row.id, createdBy: params.profileId }).jobId;
  }

  private scheduleUpdate(workspace: string): void {
    clearTimeout(this.timers.get(workspace));
    const timer = setTimeout(() => {
      this.timers.delete(workspace);
      try {
        const { db } = this.open(workspace);
        const active = activeVersion(db);
        if (active && !liveLease(active)) this.update(workspace, null);
      } catch (error) {
        this.d.logger.warn('automatic index update did not start', { workspace, error: error instanceof Error ? error.message : String(error) });
      }
    }, 3000);
    timer.unref();
    this.timers.set(workspace, timer);
  }

  private open(workspace: string): { row: WorkspaceRow; db: Db } {
    const row = this.d.workspaces.resolve(workspace);
    return { row, db: this.d.workspaces.openRow(row) };
  }

  private requireActive(db: Db, workspace: string): VersionRow {
    const v = activeVersion(db);
    if (!v) throw new AppError('conflict', `Workspace "${workspace}" has no search index yet. Build one: index build --workspace "${workspace}".`);
    return v;
  }

  private searcherFor(db: Db, ws: WorkspaceRow, v: VersionRow, profileId: string | null): VersionSearch {
    const key = `${ws.id}:${v.id}:${v.embedder_kind === 'builtin' ? '' : (profileId ?? '')}`;
    let s = this.searchers.get(key);
    if (!s) {
      let embedder = null;
      try {
        embedder = embedderFor(v, this.d.embedders, { workspace: ws.name, profileId, subject: 'search' });
      } catch (error) {
        if (!AppError.is(error, 'unavailable')) throw error;
      }
      tuneForSearch(db);
      s = new VersionSearch(db, v, embedder);
      // Only cache searchers that have their embedder, so one that lacked it gets it once it is configured.
      if (embedder) this.searchers.set(key, s);
    }
    return s;
  }

  private invalidate(workspaceId: string): void {
    for (const key of [...this.searchers.keys()]) if (key.startsWith(`${workspaceId}:`)) this.searchers.delete(key);
  }

  private changed(row: WorkspaceRow, reason: 'switched' | 'rolled_back' | 'deleted' | 'removed', versionId: number | null): void {
    this.invalidate(row.id);
    this.d.events.emit('vectors.changed', { workspace: row.name, reason, versionId });
  }
}

/** Fills in defaults and checks a chunking request. */
export function normalizeChunking(input: ChunkingInput | undefined): ChunkingConfig {
  const c: ChunkingConfig = {
    strategy: input?.strategy ?? DEFAULT_CHUNKING.strategy,
    maxChars: input?.maxChars ?? DEFAULT_CHUNKING.maxChars,
    overlap: input?.overlap ?? (input?.strategy === 'paragraph' ? 0 : DEFAULT_CHUNKING.overlap),
  };
  if (c.overlap >= c.maxChars / 2) throw new AppError('validation', `Overlap (${c.overlap}) must be less than half the chunk size (${c.maxChars}).`);
  if (!CHUNK_STRATEGIES.includes(c.strategy)) throw new AppError('validation', `Unknown chunking strategy "${c.strategy}".`);
  if (input?.perSource && Object.keys(input.perSource).length) {
    for (const t of Object.keys(input.perSource)) if (!getSource(t)) throw new AppError('validation', `perSource names an unknown source type "${t}".`);
    c.perSource = input.perSource;
  }
  return c;
}
