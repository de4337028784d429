import { create } from 'zustand';
import type { UsageRow, UsageSummary } from '@shared/contract';
import { call, errorMessage, on } from '../api/client';

export type UsageRange = UsageSummary['range'];
export type UsageStatus = UsageRow['status'];

const PAGE = 200;

interface UsageState {
  workspace: string | null;
  range: UsageRange;
  summary: UsageSummary | null;
  loading: boolean;
  error: string | null;
  rows: UsageRow[];
  total: number | null;
  rowsLoading: boolean;
  rowsError: string | null;
  status: UsageStatus | null;
  useCase: string | null;
  load(workspace: string): Promise<void>;
  /** New calls were recorded: the summary is fetched again, and the list too unless the user paged further down. */
  refresh(): Promise<void>;
  setRange(range: UsageRange): Promise<void>;
  setFilter(filter: { status?: UsageStatus | null; useCase?: string | null }): Promise<void>;
  loadMore(): Promise<void>;
}

let summarySeq = 0;
let rowsSeq = 0;

export const useUsageStore = create<UsageState>((set, get) => {
  /** `quiet` keeps the shown rows until the new ones arrive (a live refresh should not flash an empty list). */
  const fetchRows = async (reset: boolean, quiet = false): Promise<void> => {
    const { workspace, status, useCase } = get();
    if (!workspace) return;
    const seq = ++rowsSeq;
    const offset = reset ? 0 : get().rows.length;
    set({ rowsLoading: true, ...(reset && !quiet ? { rows: [], total: null } : {}) });
    try {
      const res = await call('usage.list', { workspace, offset, limit: PAGE, ...(status ? { status } : {}), ...(useCase ? { useCase } : {}) });
      if (seq !== rowsSeq) return;
      set((s) => ({ rows: reset ? res.rows : [...s.rows, ...res.rows], total: !reset && res.rows.length === 0 ? offset : res.total, rowsLoading: false, rowsError: null }));
    } catch (e) {
      if (seq === rowsSeq) set({ rowsLoading: false, rowsError: errorMessage(e) });
    }
  };
  const fetchSummary = async (): Promise<void> => {
    const { workspace, range } = get();
    if (!workspace) return;
    const seq = ++summarySeq;
    set({ loading: true });
    try {
      const summary = await call('usage.summary', { workspace, range });
      if (seq === summarySeq) set({ summary, loading: false, error: null });
    } catch (e) {
      if (seq === summarySeq) set({ loading: false, error: errorMessage(e) });
    }
  };
  return {
    workspace: null,
    range: '7d',
    summary: null,
    loading: false,
    error: null,
    rows: [],
    total: null,
    rowsLoading: false,
    rowsError: null,
    status: null,
    useCase: null,
    async load(workspace) {
      if (get().workspace !== workspace) set({ workspace, summary: null, rows: [], total: null, status: null, useCase: null });
      await Promise.all([fetchSummary(), fetchRows(true)]);
    },
    async refresh() {
      const { workspace, rows } = get();
      if (!workspace) return;
      await Promise.all([fetchSummary(), rows.length <= PAGE ? fetchRows(true, true) : Promise.resolve()]);
    },
    async setRange(range) {
      set({ range });
      await fetchSummary();
    },
    async setFilter(filter) {
      set({ ...(filter.status !== undefined ? { status: filter.status } : {}), ...(filter.useCase !== undefined ? { useCase: filter.useCase } : {}) });
      await fetchRows(true);
    },
    async loadMore() {
      const { rows, total, rowsLoading } = get();
      if (rowsLoading || total === null || rows.length >= total) return;
      await fetchRows(false);
    },
  };
});

/** Keeps Usage & Costs current while it is open: every `usage.changed` of the shown workspace refreshes it. */
export function bindUsageEvents(): () => void {
  return on('usage.changed', (e) => {
    const s = useUsageStore.getState();
    if (s.workspace && e.workspace === s.workspace) void s.refresh();
  });
}
