import { EMPTY_FILTERS, type SearchFilters, type SearchMode } from '../../stores/searchStore';

/** The search lives in the URL (#/search?q=…&mode=…&types=…&from=…&to=…&ids=…): shareable, and Back works. */
export interface SearchUrlState {
  q: string;
  mode: SearchMode;
  filters: SearchFilters;
}

const MODES: readonly SearchMode[] = ['hybrid', 'vector', 'keyword'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const list = (v: string | null): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function readSearchParams(params: URLSearchParams): SearchUrlState {
  const mode = params.get('mode') as SearchMode | null;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    q: (params.get('q') ?? '').trim(),
    mode: mode && MODES.includes(mode) ? mode : 'hybrid',
    filters: {
      ...EMPTY_FILTERS,
      sourceTypes: list(params.get('types')),
      dateFrom: DATE.test(from) ? from : '',
      dateTo: DATE.test(to) ? to : '',
      entityIds: list(params.get('ids'))
        .map(Number)
        .filter((n) => Number.isInteger(n) && n > 0),
    },
  };
}

/** Only what differs from the defaults goes into the URL. */
export function writeSearchParams(s: SearchUrlState): Record<string, string> {
  const out: Record<string, string> = {};
  if (s.q) out.q = s.q;
  if (s.mode !== 'hybrid') out.mode = s.mode;
  if (s.filters.sourceTypes.length) out.types = s.filters.sourceTypes.join(',');
  if (s.filters.dateFrom) out.from = s.filters.dateFrom;
  if (s.filters.dateTo) out.to = s.filters.dateTo;
  if (s.filters.entityIds.length) out.ids = s.filters.entityIds.join(',');
  return out;
}

const PALETTE = ['indigo', 'teal', 'grape', 'orange', 'cyan', 'pink', 'lime', 'blue', 'violet', 'green', 'red', 'yellow'] as const;
const FIXED: Record<string, (typeof PALETTE)[number]> = { tickets: 'indigo', conversations: 'cyan', accounts: 'teal', contacts: 'green', deals: 'grape', projects: 'orange', notes: 'yellow' };

/** A stable badge colour per source type. */
export function sourceColor(type: string): string {
  const fixed = FIXED[type];
  if (fixed) return fixed;
  let h = 0;
  for (const ch of type) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}
