import { create } from 'zustand';
import type { BudgetState, LimitValue, RouteInput } from '@shared/contract';
import { call, errorMessage, on } from '../api/client';

export type BudgetPatch = Omit<RouteInput<'budgets.set'>, 'workspace'>;

interface BudgetsState {
  workspace: string | null;
  state: BudgetState | null;
  loading: boolean;
  error: string | null;
  saving: boolean;
  load(workspace: string): Promise<void>;
  /** Throws the core's AppError (a refused document keeps the old limits in force). */
  save(patch: BudgetPatch): Promise<BudgetState>;
}

export const useBudgetsStore = create<BudgetsState>((set, get) => ({
  workspace: null,
  state: null,
  loading: false,
  error: null,
  saving: false,
  async load(workspace) {
    if (get().workspace !== workspace) set({ workspace, state: null });
    set({ loading: true });
    try {
      const state = await call('budgets.get', { workspace });
      if (get().workspace === workspace) set({ state, loading: false, error: null });
    } catch (e) {
      if (get().workspace === workspace) set({ loading: false, error: errorMessage(e) });
    }
  },
  async save(patch) {
    const workspace = get().workspace;
    if (!workspace) throw new Error('No workspace');
    set({ saving: true });
    try {
      const state = await call('budgets.set', { workspace, ...patch });
      set({ state, saving: false, error: null });
      return state;
    } catch (e) {
      set({ saving: false });
      throw e;
    }
  },
}));

/** A limit as the form edits it: '' means "no limit"; any other string is half-typed input (an error). */
export interface LimitDraft {
  usd: number | string;
  tokens: number | string;
}

export const toDraft = (l: LimitValue | null | undefined): LimitDraft => ({ usd: l?.usd ?? '', tokens: l?.tokens ?? '' });

/** null removes the limit; undefined leaves it unchanged. */
export function toPatch(draft: LimitDraft, original: LimitValue | null | undefined): LimitValue | null | undefined {
  const before = toDraft(original);
  if (before.usd === draft.usd && before.tokens === draft.tokens) return undefined;
  if (draft.usd === '' && draft.tokens === '') return null;
  return { ...(typeof draft.usd === 'number' ? { usd: draft.usd } : {}), ...(typeof draft.tokens === 'number' ? { tokens: draft.tokens } : {}) };
}

export function limitErrors(d: LimitDraft): { usd?: string; tokens?: string } {
  const out: { usd?: string; tokens?: string } = {};
  if (d.usd !== '' && (typeof d.usd !== 'number' || !Number.isFinite(d.usd) || d.usd < 0)) out.usd = 'Use an amount of 0 or more.';
  if (d.tokens !== '' && (typeof d.tokens !== 'number' || !Number.isInteger(d.tokens) || d.tokens < 0)) out.tokens = 'Use a whole number of tokens, 0 or more.';
  return out;
}

/** Reloads when the limits change, and when calls spend against them (today's counters move). */
export function bindBudgetsEvents(): () => void {
  const offs = [
    on('gateway.changed', (e) => {
      const s = useBudgetsStore.getState();
      if (s.workspace && (e.what === 'budgets' || e.what === 'policies') && e.workspace === s.workspace) void s.load(s.workspace);
    }),
    on('usage.changed', (e) => {
      const s = useBudgetsStore.getState();
      if (s.workspace && e.workspace === s.workspace && !s.loading) void s.load(s.workspace);
    }),
  ];
  return () => offs.forEach((off) => off());
}
