import { AppError } from '@shared/errors';
import type { SearchFilters } from './search';
import { accessCode, getSource } from './sources';

/** SQL constraints for search filters: on vec0 metadata columns (inside the KNN scan) and on the chunk table (BM25). */

export interface MetaFilter {
  sql: string;
  args: unknown[];
}

function toTs(value: string, endOfDay: boolean): number {
  const iso = value.length === 10 ? `${value}T${endOfDay ? '23:59:59' : '00:00:00'}Z` : value;
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) throw new AppError('validation', `"${value}" is not a date (use YYYY-MM-DD).`);
  return Math.floor(t / 1000);
}


/** Constraints on the vec0 metadata columns; vec0 applies them inside the KNN scan. */
export function vecFilter(f: SearchFilters): MetaFilter {
  const parts: string[] = [];
  const args: unknown[] = [];
  if (f.sourceTypes?.length) {
    parts.push('source IN (SELECT value FROM json_each(?))');
    args.push(JSON.stringify(f.sourceTypes.map((t) => getSource(t)?.code ?? -1)));
  }
  if (f.entityIds?.length) {
    parts.push('entity_id IN (SELECT value FROM json_each(?))');
    args.push(JSON.stringify(f.entityIds));
  }
  if (f.accessLevels?.length) {
    parts.push('access IN (SELECT value FROM json_each(?))');
    args.push(JSON.stringify(f.accessLevels.map((a) => Number(accessCode(a)))));
  }
  if (f.dateFrom) {
    parts.push('ts >= ?');
    args.push(BigInt(toTs(f.dateFrom, false)));
  }
  if (f.dateTo) {
    parts.push('ts <= ?');
    args.push(BigInt(toTs(f.dateTo, true)));
  }
  if (f.dateFrom || f.dateTo) parts.push('ts > 0');
  return { sql: parts.map((p) => ` AND ${p}`).join(''), args };
}

/** The same constraints on the chunk table, for keyword search. */
export function chunkFilter(f: SearchFilters): MetaFilter {
  const parts: string[] = [];
  const args: unknown[] = [];
  if (f.sourceTypes?.length) {
    parts.push('c.source_type IN (SELECT value FROM json_each(?))');
    args.push(JSON.stringify(f.sourceTypes));
  }
  if (f.entityIds?.length) {
    parts.push('c.entity_id IN (SELECT value FROM json_each(?))');
    args.push(JSON.stringify(f.entityIds));
  }
  if (f.accessLevels?.length) {
    parts.push('c.access IN (SELECT value FROM json_each(?))');
    args.push(JSON.stringify(f.accessLevels));
  }
  if (f.dateFrom) {
    parts.push('c.ts >= ?');
    args.push(toTs(f.dateFrom, false));
  }
  if (f.dateTo) {
    parts.push('c.ts <= ?');
    args.push(toTs(f.dateTo, true));
  }
  if (f.dateFrom || f.dateTo) parts.push('c.ts > 0');
  return { sql: parts.map((p) => ` AND ${p}`).join(''), args };
}
