import { create } from 'zustand';
import type { CatalogInfo, QueryResult, QuerySpec } from '@shared/analytics/spec';
import type { AskResult, KpiTile, QuestionHistoryEntry } from '@shared/contract';
import type { ChartSpec } from '@shared/charts/spec';
import { call, errorMessage } from '../api/client';

/** The answer on screen: from a question, or from an edited spec (then no new question was asked). */
export interface Answer {
  question: string | null;
  spec: QuerySpec;
  result: QueryResult;
  chart: ChartSpec;
  summary: string;
  method: AskResult['method'] | 'spec';
  pattern: string | null;
  warnings: string[];
}

interface AnalyticsState {
  catalog: CatalogInfo | null;
  answer: Answer | null;
  history: QuestionHistoryEntry[];
  busy: boolean;
  error: string | null;
  tiles: KpiTile[] | null;
  tilesError: string | null;
  loadCatalog(): Promise<void>;
  ask(workspace: string, question: string): Promise<void>;
  /** Re-runs an edited spec (chips) without asking again. */
  run(workspace: string, spec: QuerySpec, question?: string | null): Promise<void>;
  loadHistory(workspace: string): Promise<void>;
  clearHistory(workspace: string): Promise<void>;
  loadTiles(workspace: string): Promise<void>;
  setTiles(workspace: string, measures: string[]): Promise<void>;
}

export const useAnalyticsStore = create<AnalyticsState>((set, get) => ({
  catalog: null,
  answer: null,
  history: [],
  busy: false,
  error: null,
  tiles: null,
  tilesError: null,
  async loadCatalog() {
    if (get().catalog) return;
    try {
      set({ catalog: await call('analytics.catalog', {}) });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
  async ask(workspace, question) {
    set({ busy: true, error: null });
    try {
      const r = await call('analytics.ask', { workspace, question });
      set({ answer: { question: r.question, spec: r.spec, result: r.result, chart: r.chart, summary: r.summary, method: r.method, pattern: r.pattern, warnings: r.warnings }, busy: false });
      void get().loadHistory(workspace);
    } catch (e) {
      set({ busy: false, error: errorMessage(e) });
    }
  },
  async run(workspace, spec, question = get().answer?.question ?? null) {
    set({ busy: true, error: null });
    try {
      const r = await call('analytics.chart', { workspace, spec });
      set({ answer: { question, spec: r.result.spec, result: r.result, chart: r.chart, summary: r.summary, method: 'spec', pattern: null, warnings: [] }, busy: false });
    } catch (e) {
      set({ busy: false, error: errorMessage(e) });
    }
  },
  async loadHistory(workspace) {
    try {
      set({ history: (await call('analytics.history.list', { workspace, limit: 30 })).items });
    } catch {
      set({ history: [] });
    }
  },
  async clearHistory(workspace) {
    await call('analytics.history.clear', { workspace });
    set({ history: [] });
  },
  async loadTiles(workspace) {
    try {
      set({ tiles: (await call('analytics.tiles', { workspace })).tiles, tilesError: null });
    } catch (e) {
      set({ tilesError: errorMessage(e) });
    }
  },
  async setTiles(workspace, measures) {
    try {
      await call('analytics.tiles.set', { measures });
      await get().loadTiles(workspace);
    } catch (e) {
      set({ tilesError: errorMessage(e) });
    }
  },
}));
