import { create } from 'zustand';
import type { ChunkingInput, EvaluationInfo, IndexVersionInfo, QualityReportInfo, RouteOutput } from '@shared/contract';
import { call, errorMessage, on } from '../api/client';
import { useJobsStore } from './jobsStore';

export type IndexStatus = RouteOutput<'vectors.status'>;
export type EmbedderOption = RouteOutput<'vectors.embedders'>['embedders'][number];
export type SourceOption = RouteOutput<'vectors.sources'>['sources'][number];
export type BuildStarted = RouteOutput<'vectors.build'>;

export interface BuildRequest {
  embedder: string;
  chunking: ChunkingInput;
  rebuild: boolean;
  activate: boolean;
}

interface VectorsState {
  workspace: string | null;
  status: IndexStatus | null;
  versions: IndexVersionInfo[];
  evaluations: EvaluationInfo[];
  embedders: EmbedderOption[];
  sources: SourceOption[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  /** The build or update job shown with its progress bar (started here, or found running when the tab loaded). */
  buildJobId: string | null;
  evalJobId: string | null;
  /** Per version id (or 'rollback'): an action in flight. */
  busy: Record<string, string | undefined>;
  /** Quality reports recomputed from this window, by version id. */
  quality: Record<number, QualityReportInfo | undefined>;
  load(workspace: string): Promise<void>;
  refresh(): Promise<void>;
  /** Loads what the search page needs (status and source types) without the versions and evaluations. */
  loadForSearch(workspace: string): Promise<void>;
  build(request: BuildRequest): Promise<BuildStarted>;
  /** Continues an interrupted build or update of a version where it stopped. */
  resume(version: IndexVersionInfo): Promise<BuildStarted>;
  update(): Promise<BuildStarted>;
  cancelBuild(): Promise<void>;
  switchTo(version: number): Promise<IndexVersionInfo>;
  rollback(): Promise<IndexVersionInfo>;
  deleteVersion(version: number): Promise<void>;
  recomputeQuality(version: number): Promise<QualityReportInfo>;
  evaluate(): Promise<string>;
  dismissJob(kind: 'build' | 'eval'): void;
}

/** The `embedder` value that rebuilds or resumes a version with the embedder it was built with. */
export function embedderSpecOf(v: Pick<IndexVersionInfo, 'embedder' | 'dimensions'>): string {
  if (v.embedder.kind === 'builtin') return v.dimensions === 384 ? 'builtin' : `builtin:${v.dimensions}`;
  return `${v.embedder.kind}:${v.embedder.model}`;
}

/** A version whose build or update stopped before the end (killed, cancelled or failed) and can continue. */
export function isInterrupted(v: IndexVersionInfo): boolean {
  return v.progress !== null && v.writer === null;
}

let loadSeq = 0;

export const useVectorsStore = create<VectorsState>((set, get) => {
  const ws = (): string => {
    const w = get().workspace;
    if (!w) throw new Error('Pick a workspace first.');
    return w;
  };
  const busy = async <T>(key: string, what: string, fn: () => Promise<T>): Promise<T> => {
    set((s) => ({ busy: { ...s.busy, [key]: what } }));
    try {
      return await fn();
    } finally {
      set((s) => ({ busy: { ...s.busy, [key]: undefined } }));
    }
  };
  const follow = (jobId: string): void => {
    void useJobsStore
      .getState()
      .track(jobId)
      .catch(() => undefined);
  };
  /** A job writing a version that this window did not start (another window, the CLI, a resumed job). */
  const adoptRunning = (status: IndexStatus): void => {
    const running = status.building.find((v) => v.writer?.jobId)?.writer?.jobId;
    const shown = get().buildJobId;
    const shownJob = shown ? useJobsStore.getState().jobs[shown] : undefined;
    const shownRunning = shownJob ? shownJob.status === 'queued' || shownJob.status === 'running' : !!shown;
    if (running && running !== shown && !shownRunning) {
      set({ buildJobId: running });
      follow(running);
    }
  };
  return {
    workspace: null,
    status: null,
    versions: [],
    evaluations: [],
    embedders: [],
    sources: [],
    loaded: false,
    loading: false,
    error: null,
    buildJobId: null,
    evalJobId: null,
    busy: {},
    quality: {},
    async load(workspace) {
      if (get().workspace !== workspace) {
        set({ workspace, status: null, versions: [], evaluations: [], loaded: false, error: null, buildJobId: null, evalJobId: null, quality: {} });
      }
      const seq = ++loadSeq;
      set({ loading: true });
      try {
        const [status, versions, evaluations, embedders, sources] = await Promise.all([
          call('vectors.status', { workspace }),
          call('vectors.versions', { workspace }),
          call('vectors.evaluations', { workspace, limit: 100 }),
          call('vectors.embedders', {}),
          call('vectors.sources', {}),
        ]);
        if (seq !== loadSeq) return;
        set({ status, versions: versions.versions, evaluations: evaluations.evaluations, embedders: embedders.embedders, sources: sources.sources, loaded: true, loading: false, error: null });
        adoptRunning(status);
      } catch (e) {
        if (seq === loadSeq) set({ loaded: true, loading: false, error: errorMessage(e) });
      }
    },
    async refresh() {
      const w = get().workspace;
      if (w) await get().load(w);
    },
    async loadForSearch(workspace) {
      if (get().workspace !== workspace) set({ workspace, status: null, versions: [], evaluations: [], loaded: false, error: null, buildJobId: null, evalJobId: null, quality: {} });
      const seq = ++loadSeq;
      try {
        const [status, sources] = await Promise.all([call('vectors.status', { workspace }), get().sources.length ? Promise.resolve({ sources: get().sources }) : call('vectors.sources', {})]);
        if (seq !== loadSeq) return;
        set({ status, sources: sources.sources, error: null });
      } catch (e) {
        if (seq === loadSeq) set({ error: errorMessage(e) });
      }
    },
    async build(request) {
      const res = await call('vectors.build', { workspace: ws(), embedder: request.embedder, chunking: request.chunking, rebuild: request.rebuild, activate: request.activate });
      set({ buildJobId: res.jobId });
      follow(res.jobId);
      await get().refresh();
      return res;
    },
    async resume(version) {
      const run = async (): Promise<BuildStarted> => {
        // An interrupted incremental update of the active version continues with an update; a build resumes by
        // asking for the same embedder and chunking again (the core finds the version and continues its cursor).
        if (version.progress?.mode === 'update' && version.active) return call('vectors.update', { workspace: ws() });
        const { perSource, ...chunking } = version.chunking;
        return call('vectors.build', { workspace: ws(), embedder: embedderSpecOf(version), chunking: { ...chunking, ...(perSource ? { perSource } : {}) }, rebuild: false, activate: true });
      };
      const res = await busy(String(version.id), 'resume', run);
      set({ buildJobId: res.jobId });
      follow(res.jobId);
      await get().refresh();
      return res;
    },
    async update() {
      const res = await call('vectors.update', { workspace: ws() });
      set({ buildJobId: res.jobId });
      follow(res.jobId);
      await get().refresh();
      return res;
    },
    async cancelBuild() {
      const id = get().buildJobId;
      if (id) await useJobsStore.getState().cancel(id);
    },
    async switchTo(version) {
      const v = await busy(String(version), 'switch', () => call('vectors.switch', { workspace: ws(), version }));
      await get().refresh();
      return v;
    },
    async rollback() {
      const v = await busy('rollback', 'rollback', () => call('vectors.rollback', { workspace: ws() }));
      await get().refresh();
      return v;
    },
    async deleteVersion(version) {
      await busy(String(version), 'delete', () => call('vectors.deleteVersion', { workspace: ws(), version }));
      set((s) => ({ versions: s.versions.filter((v) => v.id !== version) }));
      await get().refresh();
    },
    async recomputeQuality(version) {
      const q = await busy(String(version), 'quality', () => call('vectors.quality', { workspace: ws(), version, recompute: true }));
      set((s) => ({ quality: { ...s.quality, [version]: q } }));
      return q;
    },
    async evaluate() {
      const { jobId } = await call('vectors.evaluate', { workspace: ws() });
      set({ evalJobId: jobId });
      follow(jobId);
      return jobId;
    },
    dismissJob(kind) {
      set(kind === 'build' ? { buildJobId: null } : { evalJobId: null });
    },
  };
});

/** The active version, from the status answer. */
export const selectActive = (s: VectorsState): IndexVersionInfo | null => s.status?.active ?? null;

/** Keeps the tab and the search page current when an index is built, switched or removed anywhere. */
export function bindVectorsEvents(): () => void {
  return on('vectors.changed', (e) => {
    const s = useVectorsStore.getState();
    if (e.workspace !== s.workspace) return;
    if (s.loaded) void s.refresh();
    else void s.loadForSearch(e.workspace);
  });
}
