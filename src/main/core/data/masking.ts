import { getEntity } from '@shared/entities';
import { MASK, sensitiveColumns, type MaskRole } from '@shared/masking';
import type { RecordRepo } from '../repositories';

interface TextHit {
  sourceType: string;
  entityId: number;
  title: string;
  snippet: string;
  highlights: readonly unknown[];
  titleHighlights: readonly unknown[];
}

/**
 * Search hits for a member: the index holds record text as written (a contact's email and phone sit in its details
 * section), so every sensitive value of the records hit is looked up and blanked out of the title and snippet.
 * Highlight spans of a changed text no longer line up and are dropped.
 */
export async function maskSearchHits<T extends TextHit>(repo: RecordRepo, hits: readonly T[], role: MaskRole): Promise<T[]> {
  if (role === 'admin' || hits.length === 0) return [...hits];
  const values = new Map<string, string[]>();
  const byType = new Map<string, Set<number>>();
  for (const h of hits) {
    if (sensitiveColumns(h.sourceType).length === 0) continue;
    let ids = byType.get(h.sourceType);
    if (!ids) byType.set(h.sourceType, (ids = new Set()));
    ids.add(h.entityId);
  }
  await Promise.all(
    [...byType].map(async ([type, ids]) => {
      const spec = getEntity(type)!;
      const cols = sensitiveColumns(type);
      for (const row of await repo.byIds(spec.table, ['id', ...cols], [...ids])) {
        const secret = cols.map((c) => row[c]).filter((v): v is string => typeof v === 'string' && v.length > 0);
        values.set(`${type}:${String(row.id)}`, secret);
      }
    }),
  );
  return hits.map((h) => {
    const secret = values.get(`${h.sourceType}:${h.entityId}`);
    if (!secret?.length) return h;
    const blank = (text: string) => secret.reduce((t, v) => t.split(v).join(MASK), text);
    const title = blank(h.title);
    const snippet = blank(h.snippet);
    return { ...h, title, snippet, highlights: snippet === h.snippet ? h.highlights : [], titleHighlights: title === h.title ? h.titleHighlights : [] };
  });
}
