import { create } from 'zustand';
import type { CatalogEntry, LocalModelInfo, ModelTestResult } from '@shared/contract';
import { call, errorMessage, on } from '../api/client';
import { useJobsStore } from './jobsStore';

interface LocalModelsState {
  models: LocalModelInfo[];
  catalog: CatalogEntry[];
  folder: string | null;
  loaded: boolean;
  error: string | null;
  /** Per model id: an action in flight ('test', 'remove', 'unload', 'download'). */
  busy: Record<string, string | undefined>;
  /** Per model id: the last test run from this window. */
  tests: Record<string, ModelTestResult | undefined>;
  load(): Promise<void>;
  /** Registers a GGUF file in place; throws the core's AppError for the form. */
  addFile(path: string, name?: string): Promise<LocalModelInfo>;
  /** Starts or resumes a download (a catalog id or a URL); throws the core's AppError. */
  download(source: string, options?: { name?: string; sha256?: string }): Promise<{ jobId: string; model: LocalModelInfo }>;
  cancelDownload(model: LocalModelInfo): Promise<void>;
  remove(id: string): Promise<void>;
  unload(id: string): Promise<void>;
  test(id: string): Promise<ModelTestResult>;
}

export const useLocalModelsStore = create<LocalModelsState>((set, get) => {
  const busy = async <T>(id: string, what: string, fn: () => Promise<T>): Promise<T> => {
    set((s) => ({ busy: { ...s.busy, [id]: what } }));
    try {
      return await fn();
    } finally {
      set((s) => ({ busy: { ...s.busy, [id]: undefined } }));
    }
  };
  /** Download jobs already running when the list loads: fetch their progress now, events keep it fresh. */
  const trackDownloads = (models: LocalModelInfo[]): void => {
    const jobs = useJobsStore.getState();
    for (const m of models) if (m.status === 'downloading' && m.jobId && !jobs.jobs[m.jobId]) void jobs.track(m.jobId).catch(() => undefined);
  };
  return {
    models: [],
    catalog: [],
    folder: null,
    loaded: false,
    error: null,
    busy: {},
    tests: {},
    async load() {
      try {
        const { models, catalog, folder } = await call('models.list', {});
        set({ models, catalog, folder, loaded: true, error: null });
        trackDownloads(models);
      } catch (e) {
        set({ loaded: true, error: errorMessage(e) });
      }
    },
    async addFile(path, name) {
      const { model } = await call('models.add', { path, ...(name ? { name } : {}) });
      await get().load();
      return model;
    },
    async download(source, options = {}) {
      const res = await call('models.download', { source, ...(options.name ? { name: options.name } : {}), ...(options.sha256 ? { sha256: options.sha256 } : {}) });
      await useJobsStore
        .getState()
        .track(res.jobId)
        .catch(() => undefined);
      await get().load();
      return res;
    },
    async cancelDownload(model) {
      if (!model.jobId) return;
      await busy(model.id, 'cancel', () => useJobsStore.getState().cancel(model.jobId!));
    },
    async remove(id) {
      await busy(id, 'remove', () => call('models.remove', { id }));
      set((s) => ({ models: s.models.filter((m) => m.id !== id), tests: { ...s.tests, [id]: undefined } }));
      await get().load();
    },
    async unload(id) {
      await busy(id, 'unload', () => call('models.unload', { id }));
      await get().load();
    },
    async test(id) {
      const result = await busy(id, 'test', () => call('models.test', { id }));
      set((s) => ({ tests: { ...s.tests, [id]: result } }));
      return result;
    },
  };
});

export const selectReadyModels = (s: LocalModelsState): LocalModelInfo[] => s.models.filter((m) => m.status === 'ready');

export function bindLocalModelsEvents(): () => void {
  return on('models.changed', () => {
    if (useLocalModelsStore.getState().loaded) void useLocalModelsStore.getState().load();
  });
}
