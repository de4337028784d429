import { create } from 'zustand';
import { call, errorMessage, on } from '../api/client';

interface DataState {
  workspace: string | null;
  counts: Record<string, number> | null;
  loading: boolean;
  error: string | null;
  loadCounts(workspace: string): Promise<void>;
  /** Bumps when data in the current workspace changed (imports), so tables refetch. */
  version: number;
}

export const useDataStore = create<DataState>((set, get) => ({
  workspace: null,
  counts: null,
  loading: false,
  error: null,
  version: 0,
  async loadCounts(workspace) {
    set({ loading: true, workspace, ...(get().workspace !== workspace ? { counts: null } : {}) });
    try {
      const { counts } = await call('data.stats', { workspace });
      if (get().workspace === workspace) set({ counts, loading: false, error: null });
    } catch (e) {
      set({ loading: false, error: errorMessage(e) });
    }
  },
}));

export function bindDataEvents(): () => void {
  return on('data.changed', (e) => {
    const s = useDataStore.getState();
    if (s.workspace === e.workspace) {
      useDataStore.setState({ version: s.version + 1 });
      void s.loadCounts(e.workspace);
    }
  });
}
