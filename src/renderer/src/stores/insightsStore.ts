import { create } from 'zustand';
import type { PersonaInfo, RouteInput } from '@shared/contract';
import { INSIGHT_STATUSES, type InsightStatus, type InsightSummary, type InsightType, type Severity } from '@shared/insights';
import { call, errorMessage, on } from '../api/client';

export type SortColumn = 'createdAt' | 'severity' | 'confidence' | 'title' | 'status';

/** What the filter bar holds, as typed: the entity id stays text until it is a valid number. */
export interface InsightFilters {
  domain: string[];
  persona: string[];
  severity: Severity[];
  status: InsightStatus[];
  type: InsightType[];
  entityType: string | null;
  entityId: string;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  search: string;
  sort: { column: SortColumn; desc: boolean };
  /** Include dismissed, expired and superseded insights when no status is chosen (they are hidden by default). */
  showClosed: boolean;
}

/** Statuses the default list leaves out: nobody needs to act on them any more. */
export const CLOSED_STATUSES: readonly InsightStatus[] = ['dismissed', 'expired', 'superseded'];
const DEFAULT_STATUSES = INSIGHT_STATUSES.filter((s) => !CLOSED_STATUSES.includes(s));

export const DEFAULT_FILTERS: InsightFilters = {
  domain: [],
  persona: [],
  severity: [],
  status: [],
  type: [],
  entityType: null,
  entityId: '',
  from: '',
  to: '',
  search: '',
  sort: { column: 'createdAt', desc: true },
  showClosed: false,
};

export type InsightQuery = Omit<RouteInput<'insights.list'>, 'offset' | 'limit'>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The filter bar's state as an `insights.list` query: empty choices are left out (not sent as empty lists), the
 * entity id only counts when it is a whole number, dates only when complete, and a reversed range is put in order.
 * With no status chosen, dismissed, expired and superseded insights are left out unless `showClosed`.
 */
export function filtersToQuery(workspace: string, f: InsightFilters): InsightQuery {
  const q: InsightQuery = { workspace, sort: f.sort };
  if (f.domain.length) q.domain = f.domain;
  if (f.persona.length) q.persona = f.persona;
  if (f.severity.length) q.severity = f.severity;
  if (f.status.length) q.status = f.status;
  else if (!f.showClosed) q.status = [...DEFAULT_STATUSES];
  if (f.type.length) q.type = f.type;
  if (f.entityType) q.entityType = f.entityType;
  const id = f.entityId.trim().replace(/^#/, '');
  if (/^\d{1,15}$/.test(id)) q.entityId = Number(id);
  let from = DATE.test(f.from) ? f.from : '';
  let to = DATE.test(f.to) ? f.to : '';
  if (from && to && from > to) [from, to] = [to, from];
  if (from) q.from = from;
  if (to) q.to = to;
  const search = f.search.trim();
  if (search) q.search = search.slice(0, 200);
  return q;
}

/** How many filters (not search or sort) are set: shown on the "Clear" button. */
export function activeFilterCount(f: InsightFilters): number {
  return (
    [f.domain, f.persona, f.severity, f.status, f.type].filter((l) => l.length > 0).length +
    (f.entityType ? 1 : 0) +
    (/^#?\d+$/.test(f.entityId.trim()) ? 1 : 0) +
    (DATE.test(f.from) ? 1 : 0) +
    (DATE.test(f.to) ? 1 : 0) +
    (f.showClosed && !f.status.length ? 1 : 0)
  );
}

/** The first page only has to fill the screen, so a filter change paints sooner; scrolling then loads bigger pages. */
export const FIRST_PAGE = 50;
export const PAGE_SIZE = 200;

interface InsightsState {
  filters: InsightFilters;
  items: InsightSummary[];
  total: number | null;
  loading: boolean;
  error: string | null;
  /** Bumps on every insights.changed event for the current workspace: open details refetch. */
  version: number;
  /** New or expired insights arrived while the user was deep in the list: offered as a refresh, not forced. */
  stale: boolean;
  personas: PersonaInfo[];
  personasLoaded: boolean;
  /** The query the loaded items answer, so pages append only to their own list. */
  queryKey: string | null;
  /** The batch scan started from this window, kept across page changes so its progress stays visible. */
  scanJobId: string | null;
  setScanJob(jobId: string | null): void;
  setFilters(patch: Partial<InsightFilters>): void;
  resetFilters(): void;
  /**
   * Loads the first page for the current filters (search is passed already debounced). Without `force`, a query
   * that is already loaded or in flight is not asked again.
   */
  load(workspace: string, search: string, force?: boolean): Promise<void>;
  loadMore(): Promise<void>;
  /** Replaces rows in place after a status change, without reloading the list. */
  patchItems(updated: InsightSummary[]): void;
  loadPersonas(): Promise<void>;
}

let request = 0;
let lastQuery: InsightQuery | null = null;
let inFlight: string | null = null;

export const useInsightsStore = create<InsightsState>((set, get) => ({
  filters: DEFAULT_FILTERS,
  items: [],
  total: null,
  loading: false,
  error: null,
  version: 0,
  stale: false,
  personas: [],
  personasLoaded: false,
  queryKey: null,
  scanJobId: null,
  setScanJob(jobId) {
    set({ scanJobId: jobId });
  },
  setFilters(patch) {
    set((s) => ({ filters: { ...s.filters, ...patch } }));
    // Filters other than the search text apply at once: start the request now rather than after the next render.
    if (shownWorkspace && Object.keys(patch).some((k) => k !== 'search')) void get().load(shownWorkspace, lastQuery?.search ?? '');
  },
  resetFilters() {
    set((s) => ({ filters: { ...DEFAULT_FILTERS, sort: s.filters.sort } }));
  },
  async load(workspace, search, force = false) {
    const query = filtersToQuery(workspace, { ...get().filters, search });
    const key = JSON.stringify(query);
    if (!force && (key === inFlight || (key === get().queryKey && !get().loading && get().total !== null && !get().error))) return;
    const id = ++request;
    lastQuery = query;
    inFlight = key;
    set({ loading: true, stale: false, ...(get().queryKey !== key ? { queryKey: key } : {}) });
    try {
      const res = await call('insights.list', { ...query, offset: 0, limit: FIRST_PAGE });
      if (id !== request) return;
      set({ items: res.items, total: res.total, loading: false, error: null, queryKey: key });
    } catch (e) {
      if (id === request) set({ loading: false, error: errorMessage(e) });
    } finally {
      if (id === request) inFlight = null;
    }
  },
  async loadMore() {
    const { items, total, loading, queryKey } = get();
    if (loading || !lastQuery || total === null || items.length >= total) return;
    const id = ++request;
    set({ loading: true });
    try {
      const res = await call('insights.list', { ...lastQuery, offset: items.length, limit: PAGE_SIZE });
      if (id !== request || get().queryKey !== queryKey) return;
      // An empty page before the reported end means insights went away meanwhile: stop at what we have.
      set((s) => ({ items: [...s.items, ...res.items], total: res.items.length ? res.total : s.items.length, loading: false, error: null }));
    } catch (e) {
      if (id === request) set({ loading: false, error: errorMessage(e) });
    }
  },
  patchItems(updated) {
    const byId = new Map(updated.map((u) => [u.id, u]));
    set((s) => ({ items: s.items.map((i) => byId.get(i.id) ?? i) }));
  },
  async loadPersonas() {
    try {
      const { personas } = await call('personas.list', {});
      set({ personas, personasLoaded: true });
    } catch (e) {
      set({ personasLoaded: true, error: errorMessage(e) });
    }
  },
}));

/** The workspace whose insights are on screen; events for others are ignored. */
let shownWorkspace: string | null = null;
export const setShownWorkspace = (w: string | null): void => {
  shownWorkspace = w;
};

/**
 * Keeps the browser fresh: status changes patch the loaded rows in place; new or expired insights reload the first
 * page when the user is near the top, and otherwise raise a "new insights" hint so the list does not jump.
 */
export function bindInsightEvents(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const off = on('insights.changed', (e) => {
    const s = useInsightsStore.getState();
    useInsightsStore.setState({ version: s.version + 1 });
    if (e.workspace !== shownWorkspace || !lastQuery) return;
    if (e.reason === 'updated') {
      const loaded = new Set(s.items.map((i) => i.id));
      const ids = e.ids.filter((i) => loaded.has(i)).slice(0, 20);
      void Promise.all(ids.map((id) => call('insights.get', { workspace: e.workspace, id }).catch(() => null))).then((got) =>
        useInsightsStore.getState().patchItems(got.filter((g): g is NonNullable<typeof g> => g !== null)),
      );
      return;
    }
    if (s.items.length > FIRST_PAGE) {
      useInsightsStore.setState({ stale: true });
      return;
    }
    // A scan emits one event per insight: coalesce them into one reload.
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const cur = useInsightsStore.getState();
      if (shownWorkspace) void cur.load(shownWorkspace, lastQuery?.search ?? '', true);
    }, 400);
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}
