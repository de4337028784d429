import type { EvaluationInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import { isShutdown } from '../jobs/shutdown';
import { getSqliteNativeBinding, type Db } from '../db/open';
import type { EventBus } from '../eventBus';
import type { JobRunContext, JobService } from '../jobs/jobService';
import type { Logger } from '../logger';
import type { WorkerLauncher } from '../ports';
import { runTask } from '../workers/runTask';
import type { WorkspaceRow, WorkspaceService } from '../workspaces/workspaceService';
import { embedderFor, type EmbedderSources } from './embedders/resolve';
import { buildQuerySet, evaluate, querySetId } from './evaluation';
import type { IndexMode } from './indexer';
import { listEvaluations } from './info';
import type { SearchMode, VersionSearch } from './search';
import { EMBED_HOST_CALL, type IndexTaskResult } from './task';
import { acquireLease, activate, activeVersion, getVersion, releaseLease, type VersionRow } from './versions';

export const BUILD_JOB = 'vectors.build';
export const EVALUATE_JOB = 'vectors.evaluate';

export interface BuildJobParams {
  workspaceId: string;
  versionId: number;
  mode: IndexMode;
  activate: boolean;
  profileId: string | null;
}

export type BuildJobResult = (Omit<IndexTaskResult, 'quality'> & { qualityScore: number; activated: boolean }) | { versionId: number; skipped: string };

export interface EvaluateJobParams {
  workspaceId: string;
  versionIds: number[] | null;
  modes: SearchMode[];
  profileId: string | null;
}

export interface VectorJobDeps {
  workspaces: WorkspaceService;
  jobs: JobService;
  events: EventBus;
  logger: Logger;
  now: () => Date;
  launchWorker: WorkerLauncher;
  embedders: EmbedderSources;
  /** A searcher for a version (cached by the service); throws if the version cannot be searched. */
  searcher(db: Db, workspace: WorkspaceRow, version: VersionRow, profileId: string | null): VersionSearch;
  /** Drops cached searchers of a workspace after its versions changed. */
  invalidate(workspaceId: string): void;
}

/**
 * The vector store's background jobs. Building runs in a worker thread (vectors.index task) and is resumable: its
 * progress lives in the workspace file (vec_versions.cursor), so a resumed job, or a new build of the same
 * configuration after a crash, continues where the last committed batch ended.
 */
export class VectorJobs {
  constructor(private readonly d: VectorJobDeps) {
    d.jobs.register<BuildJobParams, BuildJobResult>(BUILD_JOB, { resumable: true, run: (p, ctx) => this.runBuild(p, ctx) });
    d.jobs.register<EvaluateJobParams, { querySet: string; evaluations: EvaluationInfo[] }>(EVALUATE_JOB, { resumable: false, run: (p, ctx) => this.runEvaluate(p, ctx) });
  }

  private workspace(id: string): { row: WorkspaceRow; db: Db } {
    const row = this.d.workspaces.byId(id);
    if (!row) throw new AppError('not_found', 'The workspace of this job no longer exists.');
    return { row, db: this.d.workspaces.openRow(row) };
  }

  private async runBuild(p: BuildJobParams, ctx: JobRunContext): Promise<BuildJobResult> {
    const { row, db } = this.workspace(p.workspaceId);
    const v = getVersion(db, p.versionId);
    // A resumed job whose version another run (e.g. the CLI) already finished has nothing left to do.
    if (p.mode === 'build' && v.status === 'ready') return { versionId: v.id, skipped: 'already built' };
    const lease = acquireLease(db, v.id, ctx.jobId, this.d.now());
    const emit = (reason: 'built' | 'updated' | 'failed' | 'cancelled'): void => {
      this.d.invalidate(row.id);
      this.d.events.emit('vectors.changed', { workspace: row.name, reason, versionId: v.id });
    };
    try {
      if (p.mode === 'build' && v.status !== 'building') db.prepare("UPDATE vec_versions SET status = 'building', error = NULL WHERE id = ?").run(v.id);
      const host = v.embedder_kind === 'builtin' ? null : embedderFor(v, this.d.embedders, { workspace: row.name, profileId: p.profileId, subject: `index v${v.id}` });
      const result = await runTask(
        this.d.launchWorker,
        'vectors.index',
        {
          dbFile: this.d.workspaces.fileOf(row),
          versionId: v.id,
          mode: p.mode,
          leaseToken: lease.token,
          embedder: { id: v.embedder_id, kind: v.embedder_kind as 'builtin', label: v.embedder_label, model: v.model, dimensions: v.dimensions, normalized: true, lexical: v.lexical === 1 },
        },
        {
          signal: ctx.signal,
          onProgress: ctx.progress,
          nativeBinding: getSqliteNativeBinding(),
          hostCalls: host ? { [EMBED_HOST_CALL]: (payload) => host.embed((payload as { texts: string[] }).texts, { signal: ctx.signal }) } : {},
        },
      );
      const iso = this.d.now().toISOString();
      const stamp = p.mode === 'build' ? 'built_at' : 'updated_at';
      db.prepare(`UPDATE vec_versions SET status = 'ready', quality = ?, cursor = NULL, error = NULL, ${stamp} = ? WHERE id = ?`).run(JSON.stringify(result.quality), iso, v.id);
      releaseLease(db, v.id, lease.token);
      const activated = p.mode === 'build' && (p.activate || !activeVersion(db));
      if (activated) activate(db, v.id, 'build', p.profileId, iso);
      this.d.logger.info('vector index ready', { workspace: row.name, version: v.id, mode: p.mode, documents: result.documents, embedded: result.embedded, ms: result.ms });
      emit(p.mode === 'build' ? 'built' : 'updated');
      const { quality, ...rest } = result;
      return { ...rest, qualityScore: quality.score, activated };
    } catch (error) {
      releaseLease(db, v.id, lease.token);
      const e = AppError.wrap(error);
      // Quitting is not cancelling: the version stays 'building' and the job resumes from its cursor next start.
      if (isShutdown(ctx.signal)) throw e;
      const cancelled = e.code === 'cancelled';
      if (p.mode === 'build') db.prepare('UPDATE vec_versions SET status = ?, error = ? WHERE id = ?').run(cancelled ? 'cancelled' : 'failed', cancelled ? null : e.message, v.id);
      else if (!cancelled) db.prepare('UPDATE vec_versions SET error = ? WHERE id = ?').run(`Last update failed: ${e.message}`, v.id);
      emit(cancelled ? 'cancelled' : 'failed');
      throw e;
    }
  }

  private async runEvaluate(p: EvaluateJobParams, ctx: JobRunContext): Promise<{ querySet: string; evaluations: EvaluationInfo[] }> {
    const { row, db } = this.workspace(p.workspaceId);
    ctx.progress({ phase: 'deriving queries', done: 0 });
    const queries = buildQuerySet(db);
    if (queries.length === 0) throw new AppError('validation', `Workspace "${row.name}" has no records to derive evaluation queries from (it needs tickets, projects, deals …).`);
    const setId = querySetId(queries);
    const versions = (p.versionIds ?? (db.prepare("SELECT id FROM vec_versions WHERE status = 'ready' ORDER BY id").pluck().all() as number[])).map((id) => getVersion(db, id));
    if (versions.length === 0) throw new AppError('conflict', `Workspace "${row.name}" has no ready index to evaluate; build one first (index build).`);
    const total = versions.length * p.modes.length;
    let done = 0;
    const ids: number[] = [];
    for (const v of versions) {
      if (v.status !== 'ready') throw new AppError('conflict', `Index version ${v.id} is ${v.status}; only ready versions can be evaluated.`);
      const searcher = this.d.searcher(db, row, v, p.profileId);
      for (const mode of p.modes) {
        ctx.progress({ phase: `version ${v.id}, ${mode}`, done, total, message: `${queries.length} queries` });
        const r = await evaluate(searcher, queries, mode, 10, ctx.signal);
        const info = db
          .prepare('INSERT INTO vec_evaluations (version_id, embedder_id, embedder_label, mode, k, queries, recall, ndcg, by_kind, query_set, ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(v.id, v.embedder_id, v.embedder_label, mode, r.k, r.n, r.recall, r.ndcg, JSON.stringify(r.byKind), setId, r.ms, this.d.now().toISOString());
        ids.push(Number(info.lastInsertRowid));
        done++;
      }
    }
    this.d.events.emit('vectors.changed', { workspace: row.name, reason: 'evaluated', versionId: null });
    const all = listEvaluations(db, 500);
    return { querySet: setId, evaluations: all.filter((e) => ids.includes(e.id)) };
  }
}
