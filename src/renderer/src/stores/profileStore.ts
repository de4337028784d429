import { create } from 'zustand';
import type { Profile } from '@shared/contract';
import { call, errorMessage } from '../api/client';
import { useSessionStore } from './sessionStore';

interface ProfileState {
  profiles: Profile[];
  error: string | null;
  load(): Promise<void>;
  create(name: string, role: 'member' | 'admin'): Promise<boolean>;
  setRole(id: string, role: 'member' | 'admin'): Promise<void>;
  switchTo(id: string): Promise<void>;
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
    setRole: async (id, role) => void (await change(() => call('profiles.setRole', { id, role }))),
    switchTo: async (id) => void (await change(() => call('profiles.switch', { id }))),
  };
});
