import { create } from 'zustand';
import type { RouteOutput } from '@shared/contract';
import { call, errorMessage, on } from '../api/client';

type Session = RouteOutput<'session.get'>;

interface SessionState {
  session: Session | null;
  error: string | null;
  load(): Promise<void>;
}

export const useSessionStore = create<SessionState>((set) => ({
  session: null,
  error: null,
  async load() {
    try {
      set({ session: await call('session.get', {}), error: null });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
}));

export const selectIsAdmin = (s: SessionState): boolean => s.session?.profile.role === 'admin';

/** Reload the session when another window switches profile. */
export function bindSessionEvents(): () => void {
  return on('profile.changed', () => void useSessionStore.getState().load());
}
