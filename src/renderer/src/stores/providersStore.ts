import { create } from 'zustand';
import type { ProviderAddInput, ProviderInfo, ProviderTestResult, ProviderUpdateInput } from '@shared/contract';
import { call, errorMessage, on } from '../api/client';

type Role = ProviderInfo['role'];

interface ProvidersState {
  providers: ProviderInfo[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  /** Names of endpoints whose connection test is running. */
  testing: Record<string, boolean>;
  /** The most recent test run from this window, shown in full (latency and model list). */
  lastResult: { name: string; result: ProviderTestResult } | null;
  load(): Promise<void>;
  /** Add and update throw the core's AppError so forms can put it next to the field. */
  add(input: ProviderAddInput): Promise<ProviderInfo>;
  update(input: ProviderUpdateInput): Promise<ProviderInfo>;
  remove(name: string): Promise<void>;
  test(name: string): Promise<ProviderTestResult>;
  setRole(name: string, role: Role): Promise<void>;
  setEnabled(name: string, enabled: boolean): Promise<void>;
  dismissResult(): void;
}

const replace = (list: ProviderInfo[], p: ProviderInfo, oldName = p.name): ProviderInfo[] => {
  const i = list.findIndex((x) => x.name === oldName);
  return i < 0 ? [...list, p] : list.map((x, j) => (j === i ? p : x));
};

export const useProvidersStore = create<ProvidersState>((set, get) => ({
  providers: [],
  loaded: false,
  loading: false,
  error: null,
  testing: {},
  lastResult: null,
  async load() {
    set({ loading: true });
    try {
      const { providers } = await call('providers.list', {});
      set({ providers, loaded: true, loading: false, error: null });
    } catch (e) {
      set({ loading: false, loaded: true, error: errorMessage(e) });
    }
  },
  async add(input) {
    const p = await call('providers.add', input);
    // A new primary demotes the old one: reload rather than guess.
    await get().load();
    return p;
  },
  async update(input) {
    const p = await call('providers.update', input);
    if (input.role) await get().load();
    else set((s) => ({ providers: replace(s.providers, p, input.name) }));
    return p;
  },
  async remove(name) {
    await call('providers.remove', { name });
    set((s) => ({ providers: s.providers.filter((p) => p.name !== name), lastResult: s.lastResult?.name === name ? null : s.lastResult }));
  },
  async test(name) {
    set((s) => ({ testing: { ...s.testing, [name]: true } }));
    try {
      const result = await call('providers.test', { name });
      set((s) => ({
        lastResult: { name, result },
        providers: s.providers.map((p) => (p.name === name ? { ...p, lastTest: result, ...(result.ok && result.models.length ? { models: result.models.map((m) => m.id) } : {}) } : p)),
      }));
      return result;
    } finally {
      set((s) => ({ testing: { ...s.testing, [name]: false } }));
    }
  },
  async setRole(name, role) {
    const { providers } = await call('providers.setRole', { name, role });
    set({ providers });
  },
  async setEnabled(name, enabled) {
    const p = await call('providers.update', { name, enabled });
    set((s) => ({ providers: replace(s.providers, p) }));
  },
  dismissResult() {
    set({ lastResult: null });
  },
}));

/** Every model any endpoint offers (defaults and tested lists), for pickers. */
export const selectKnownModels = (s: ProvidersState): string[] =>
  [...new Set(s.providers.flatMap((p) => [p.model, p.embeddingModel, p.transcriptionModel, ...p.models].filter((m): m is string => !!m)))].sort();

/** Keeps the list fresh when another window or the CLI changes providers. */
export function bindProvidersEvents(): () => void {
  return on('gateway.changed', (e) => {
    if (e.what === 'providers' && useProvidersStore.getState().loaded) void useProvidersStore.getState().load();
  });
}
