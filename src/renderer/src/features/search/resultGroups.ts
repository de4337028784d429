import type { SearchResult } from '@shared/contract';

/** Good matches and the weak ones below the relevance floor (the core sends good ones first). */
export function splitByFloor(results: readonly SearchResult[]): { good: SearchResult[]; weak: SearchResult[] } {
  return { good: results.filter((r) => !r.belowFloor), weak: results.filter((r) => r.belowFloor) };
}

export interface ResultGroup {
  lead: SearchResult;
  /** Later results with the same type and title ("URGENT: nobody can log in" × 9), folded under the first. */
  same: SearchResult[];
}

const titleKey = (r: SearchResult): string => `${r.sourceType}|${r.title.trim().toLowerCase().replace(/\s+/g, ' ')}`;

/** Folds results that repeat an earlier result's title, keeping the rank order of the first of each. */
export function groupSameTitle(results: readonly SearchResult[]): ResultGroup[] {
  const groups: ResultGroup[] = [];
  const byKey = new Map<string, ResultGroup>();
  for (const r of results) {
    const k = titleKey(r);
    const g = byKey.get(k);
    if (g) g.same.push(r);
    else {
      const ng = { lead: r, same: [] };
      byKey.set(k, ng);
      groups.push(ng);
    }
  }
  return groups;
}
