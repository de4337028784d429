import { create } from 'zustand';
import type { CoachingReport, RouteOutput } from '@shared/contract';
import { call, errorMessage, on } from '../api/client';
import { useJobsStore } from './jobsStore';

export type DashboardSummary = RouteOutput<'dashboard.summary'>;

interface DashboardState {
  workspace: string | null;
  summary: DashboardSummary | null;
  coaching: { report: CoachingReport | null; stale: boolean } | null;
  error: string | null;
  coachingError: string | null;
  /** Jobs started from the dashboard, kept across page changes so their progress stays visible. */
  coachingJobId: string | null;
  detectorsJobId: string | null;
  load(workspace: string): Promise<void>;
  loadCoaching(workspace: string): Promise<void>;
  refreshCoaching(workspace: string): Promise<void>;
  runDetectors(workspace: string): Promise<void>;
}

export const useDashboardStore = create<DashboardState>((set, get) => ({
  workspace: null,
  summary: null,
  coaching: null,
  error: null,
  coachingError: null,
  coachingJobId: null,
  detectorsJobId: null,
  async load(workspace) {
    if (get().workspace !== workspace) set({ workspace, summary: null, coaching: null, error: null, coachingError: null, coachingJobId: null, detectorsJobId: null });
    try {
      const summary = await call('dashboard.summary', { workspace });
      if (get().workspace === workspace) set({ summary, error: null });
    } catch (e) {
      if (get().workspace === workspace) set({ error: errorMessage(e) });
    }
  },
  async loadCoaching(workspace) {
    try {
      const coaching = await call('coaching.get', { workspace });
      if (get().workspace === workspace) set({ coaching, coachingError: null });
    } catch (e) {
      if (get().workspace === workspace) set({ coachingError: errorMessage(e) });
    }
  },
  async refreshCoaching(workspace) {
    set({ coachingError: null });
    try {
      const { jobId } = await call('coaching.refresh', { workspace });
      set({ coachingJobId: jobId });
      await useJobsStore.getState().track(jobId);
    } catch (e) {
      set({ coachingError: errorMessage(e) });
    }
  },
  async runDetectors(workspace) {
    set({ error: null });
    try {
      const { jobId } = await call('detectors.run', { workspace });
      set({ detectorsJobId: jobId });
      await useJobsStore.getState().track(jobId);
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
}));

/** New insights and a new coaching report refresh the dashboard (coalesced: a scan emits one event per insight). */
export function bindDashboardEvents(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const offInsights = on('insights.changed', (e) => {
    if (useDashboardStore.getState().workspace !== e.workspace) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const s = useDashboardStore.getState();
      if (s.workspace) void s.load(s.workspace);
    }, 500);
  });
  const offCoaching = on('coaching.changed', (e) => {
    const s = useDashboardStore.getState();
    if (s.workspace === e.workspace) {
      void s.loadCoaching(e.workspace);
      void s.load(e.workspace);
    }
  });
  return () => {
    offInsights();
    offCoaching();
    if (timer) clearTimeout(timer);
  };
}
