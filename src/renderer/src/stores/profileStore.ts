import { create } from 'zustand';
import type { Profile } from '@shared/contract';
import { call, errorMessage } from '../api/client';
import { useSessionStore } from './sessionStore';

interface ProfileState {
  profiles: Profile[];
  error: string | null;
  load(): Promise<void>;
  create(name: string, role: 'member' | 'admin'): Promise<boolean>;
  setRole(id: string, role: 'member' | 'admin', passphrase?: string): Promise<boolean>;
  /** A protected profile needs its passphrase (ADR 0093). */
  switchTo(id: string, passphrase?: string): Promise<boolean>;
  protect(id: string, passphrase: string): Promise<boolean>;
  unprotect(id: string, passphrase: string): Promise<boolean>;
}

export const useProfileStore = create<ProfileState>((set, get) => {
  /** Runs a change, reloads the list and the session; a refusal becomes the store's error. */
  const change = async (fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await fn();
      set({ error: null });
      await Promise.all([get().load(), useSessionStore.getState().load()]);
      return true;
    } catch (e) {
      set({ error: errorMessage(e) });
      return false;
    }
  };
  return {
    profiles: [],
    error: null,
    async load() {
      try {
        set({ profiles: (await call('profiles.list', {})).profiles });
      } catch (e) {
        set({ error: errorMessage(e) });
      }
    },
    create: (name, role) => change(() => call('profiles.create', { name, role })),
    setRole: (id, role, passphrase) => change(() => call('profiles.setRole', { id, role, ...(passphrase ? { passphrase } : {}) })),
    switchTo: (id, passphrase) => change(() => call('profiles.switch', { id, ...(passphrase ? { passphrase } : {}) })),
    protect: (id, passphrase) => change(() => call('profiles.protect', { id, passphrase })),
    unprotect: (id, passphrase) => change(() => call('profiles.unprotect', { id, passphrase })),
  };
});
