import { ENTITY_KEYS } from '@shared/entities';
import { INSIGHT_STATUSES, INSIGHT_TYPES, SEVERITIES, type InsightStatus, type InsightType, type Severity } from '@shared/insights';
import { DEFAULT_FILTERS, type InsightFilters, type SortColumn } from '../../stores/insightsStore';

/**
 * The Insights filters live in the address, as the Search page's do:
 * #/insights?severity=critical,high&status=completed&domain=support&persona=ticket_analyst&kind=anomaly
 *   &entity=tickets&record=575&from=2026-11-01&to=2026-11-30&q=outage&sort=severity&asc=1&closed=1&id=ins_…
 * Reload, Back/Forward and a shared link restore them; anything malformed is ignored, never an error.
 */
const SORTS: readonly SortColumn[] = ['createdAt', 'severity', 'confidence', 'title', 'status'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Keys this codec owns; everything else in the address (id, scan, analyze) is left alone. */
export const FILTER_KEYS = ['q', 'severity', 'status', 'domain', 'persona', 'kind', 'entity', 'record', 'from', 'to', 'sort', 'asc', 'closed'] as const;

const list = (v: string | null): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const oneOf = <T extends string>(values: readonly T[], v: string | null): T[] => [...new Set(list(v).filter((x): x is T => (values as readonly string[]).includes(x)))];

export function readInsightParams(params: URLSearchParams): InsightFilters {
  const sort = params.get('sort') as SortColumn | null;
  const entity = params.get('entity');
  const record = (params.get('record') ?? '').trim();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    ...DEFAULT_FILTERS,
    search: params.get('q') ?? '',
    severity: oneOf<Severity>(SEVERITIES, params.get('severity')),
    status: oneOf<InsightStatus>(INSIGHT_STATUSES, params.get('status')),
    type: oneOf<InsightType>(INSIGHT_TYPES, params.get('kind')),
    domain: [...new Set(list(params.get('domain')))],
    persona: [...new Set(list(params.get('persona')))],
    entityType: entity && ENTITY_KEYS.includes(entity) ? entity : null,
    entityId: /^#?\d{1,15}$/.test(record) ? record : '',
    from: DATE.test(from) ? from : '',
    to: DATE.test(to) ? to : '',
    sort: sort && SORTS.includes(sort) ? { column: sort, desc: params.get('asc') !== '1' } : DEFAULT_FILTERS.sort,
    showClosed: params.get('closed') === '1',
  };
}

/** Only what differs from the defaults goes into the address. */
export function writeInsightParams(f: InsightFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.search) out.q = f.search;
  if (f.severity.length) out.severity = f.severity.join(',');
  if (f.status.length) out.status = f.status.join(',');
  if (f.domain.length) out.domain = f.domain.join(',');
  if (f.persona.length) out.persona = f.persona.join(',');
  if (f.type.length) out.kind = f.type.join(',');
  if (f.entityType) out.entity = f.entityType;
  const record = f.entityId.trim().replace(/^#/, '');
  if (/^\d{1,15}$/.test(record)) out.record = record;
  if (DATE.test(f.from)) out.from = f.from;
  if (DATE.test(f.to)) out.to = f.to;
  if (f.sort.column !== DEFAULT_FILTERS.sort.column || f.sort.desc !== DEFAULT_FILTERS.sort.desc) {
    out.sort = f.sort.column;
    if (!f.sort.desc) out.asc = '1';
  }
  if (f.showClosed) out.closed = '1';
  return out;
}

/** The address with the filter keys replaced by `f` and every other key (id, …) kept. */
export function withInsightFilters(params: URLSearchParams, f: InsightFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const k of FILTER_KEYS) next.delete(k);
  for (const [k, v] of Object.entries(writeInsightParams(f))) next.set(k, v);
  return next;
}

/** A link to the Insights list with some filters set (Dashboard tiles, the palette, the record drawer). */
export const insightsLink = (patch: Partial<InsightFilters>): string => {
  const qs = new URLSearchParams(writeInsightParams({ ...DEFAULT_FILTERS, ...patch })).toString();
  return qs ? `/insights?${qs}` : '/insights';
};
