import { create } from 'zustand';
import type { RouteOutput } from '@shared/contract';
import { AppError } from '@shared/errors';
import { call, errorMessage } from '../api/client';

export type SearchMode = 'hybrid' | 'vector' | 'keyword';
export type SearchResponse = RouteOutput<'search.query'>;

export interface SearchFilters {
  sourceTypes: string[];
  dateFrom: string;
  dateTo: string;
  entityIds: number[];
}

export interface SearchRequest {
  workspace: string;
  query: string;
  mode: SearchMode;
  filters: SearchFilters;
  k: number;
}

export const EMPTY_FILTERS: SearchFilters = { sourceTypes: [], dateFrom: '', dateTo: '', entityIds: [] };
export const PAGE_SIZE = 20;
export const MAX_RESULTS = 100;

interface SearchState {
  /** The request the shown answer (or the one in flight) belongs to. */
  request: SearchRequest | null;
  response: SearchResponse | null;
  loading: boolean;
  error: { code: string; message: string } | null;
  /** Runs a search; the same request as the one shown is not sent again unless `force` (e.g. the index changed). */
  search(request: SearchRequest, force?: boolean): Promise<void>;
  clear(): void;
}

export const hasFilters = (f: SearchFilters): boolean => f.sourceTypes.length > 0 || !!f.dateFrom || !!f.dateTo || f.entityIds.length > 0;

const sameRequest = (a: SearchRequest | null, b: SearchRequest): boolean => !!a && JSON.stringify(a) === JSON.stringify(b);

let seq = 0;

export const useSearchStore = create<SearchState>((set, get) => ({
  request: null,
  response: null,
  loading: false,
  error: null,
  async search(request, force = false) {
    // The page asks again whenever the URL changes; the same request twice in a row is one search.
    if (!force && sameRequest(get().request, request) && (get().loading || get().response)) return;
    const mine = ++seq;
    set({ request, loading: true, error: null });
    const { filters } = request;
    try {
      const response = await call('search.query', {
        workspace: request.workspace,
        query: request.query,
        mode: request.mode,
        k: request.k,
        filters: {
          ...(filters.sourceTypes.length ? { sourceTypes: filters.sourceTypes } : {}),
          ...(filters.entityIds.length ? { entityIds: filters.entityIds } : {}),
          ...(filters.dateFrom ? { dateFrom: filters.dateFrom } : {}),
          ...(filters.dateTo ? { dateTo: filters.dateTo } : {}),
        },
      });
      if (mine === seq) set({ response, loading: false });
    } catch (e) {
      if (mine === seq) set({ response: null, loading: false, error: { code: e instanceof AppError ? e.code : 'internal', message: errorMessage(e) } });
    }
  },
  clear() {
    seq++;
    set({ request: null, response: null, loading: false, error: null });
  },
}));
