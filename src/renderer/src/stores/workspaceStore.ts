import { create } from 'zustand';
import type { ConnectionReport, TeamSchemaInfo, WorkspaceInfo } from '@shared/contract';
import { call, errorMessage, on } from '../api/client';

const CURRENT_KEY = 'intelligence-desk.workspace';

interface WorkspaceState {
  workspaces: WorkspaceInfo[];
  current: string | null;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  select(name: string | null): void;
  /** Creates a workspace; for a demo, returns the generation job id. */
  create(name: string, demo?: { scale: number; seed: number }): Promise<string | null>;
  remove(name: string): Promise<void>;
  /** Team workspaces on PostgreSQL: the connection test (throws the typed error), create, and join. */
  testConnection(url: string, schema?: string): Promise<ConnectionReport>;
  createTeam(name: string, url: string, demo?: { scale: number; seed: number }): Promise<string | null>;
  /** Joins an existing team workspace; null workspace: none matched, pick one of the schemas. */
  attach(name: string, url: string, schema?: string): Promise<{ workspace: WorkspaceInfo | null; schemas: TeamSchemaInfo[] }>;
}

const remembered = (): string | null => {
  try {
    return localStorage.getItem(CURRENT_KEY);
  } catch {
    return null;
  }
};

export const useWorkspaceStore = create<WorkspaceState>((set, get) => ({
  workspaces: [],
  current: remembered(),
  loaded: false,
  error: null,
  async load() {
    try {
      const { workspaces } = await call('workspace.list', {});
      const ready = workspaces.filter((w) => w.status === 'ready');
      const current = get().current;
      const keep = current && workspaces.some((w) => w.name === current) ? current : (ready[0]?.name ?? null);
      set({ workspaces, loaded: true, error: null });
      if (keep !== current) get().select(keep);
    } catch (e) {
      set({ error: errorMessage(e), loaded: true });
    }
  },
  select(name) {
    try {
      if (name) localStorage.setItem(CURRENT_KEY, name);
      else localStorage.removeItem(CURRENT_KEY);
    } catch {
      // Private windows may refuse storage; the choice then lasts for this session only.
    }
    set({ current: name });
  },
  async create(name, demo) {
    const res = await call('workspace.create', { name, demo });
    await get().load();
    if (!demo) get().select(res.workspace.name);
    return res.jobId;
  },
  async remove(name) {
    await call('workspace.delete', { workspace: name });
    await get().load();
  },
  testConnection: (url, schema) => call('workspace.testConnection', { postgres: { url, ...(schema ? { schema } : {}) } }),
  async createTeam(name, url, demo) {
    const res = await call('workspace.create', { name, postgres: { url }, ...(demo ? { demo } : {}) });
    await get().load();
    if (!demo) get().select(res.workspace.name);
    return res.jobId;
  },
  async attach(name, url, schema) {
    const res = await call('workspace.attach', { name, postgres: { url, ...(schema ? { schema } : {}) } });
    if (res.workspace) {
      await get().load();
      get().select(res.workspace.name);
    }
    return res;
  },
}));

/** "SQLite" or "PostgreSQL db.example.com/sales": where a workspace's data lives, without credentials. */
export const workspaceWhere = (w: Pick<WorkspaceInfo, 'kind' | 'server'>): string => (w.server ? `PostgreSQL ${w.server.host}/${w.server.database}` : w.kind === 'postgres' ? 'PostgreSQL' : 'SQLite');

export const selectCurrentWorkspace = (s: WorkspaceState): WorkspaceInfo | undefined => s.workspaces.find((w) => w.name === s.current);

export function bindWorkspaceEvents(): () => void {
  return on('workspace.changed', (e) => {
    const store = useWorkspaceStore.getState();
    void store.load().then(() => {
      // A demo that just finished becomes the current workspace if none was chosen.
      if (e.reason === 'ready' && !useWorkspaceStore.getState().current && e.workspace) store.select(e.workspace);
    });
  });
}
