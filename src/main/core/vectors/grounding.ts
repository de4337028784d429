import type { Db } from '../db/open';
import { safeContext, mergeEvents, type FilterEvent } from './safeContext';
import type { VersionSearch, SearchMode } from './search';
import { getSource, type AccessLevel } from './sources';
import { SourceReader } from './sourceReader';

export interface RelatedRequest {
  /** The record the persona is looking at; its own text is the query unless `text` is given. It is never returned. */
  entityType?: string | undefined;
  entityId?: number | undefined;
  text?: string | undefined;
  k?: number | undefined;
  /** Total characters of snippet text the caller can fit in its prompt. */
  charBudget?: number | undefined;
  sourceTypes?: string[] | undefined;
  /** Default: standard and internal; restricted text (agent reviews) only when asked for. */
  accessLevels?: AccessLevel[] | undefined;
  mode?: SearchMode | undefined;
}

export interface Citation {
  entityType: string;
  entityId: number;
  chunkId: number;
  score: number;
}

export interface RelatedSnippet extends Citation {
  title: string;
  sourceLabel: string;
  field: string;
  /** Safe-filtered text, ready to put in a prompt. */
  text: string;
  filtered: FilterEvent[];
}

export interface RelatedResult {
  available: boolean;
  reason: string | null;
  versionId: number | null;
  snippets: RelatedSnippet[];
  citations: Citation[];
  usedChars: number;
  /** Everything the safe-context filter changed, summed over the snippets (record it with the insight). */
  filtered: FilterEvent[];
}

export const RELATED_DEFAULTS = { k: 5, charBudget: 3000, perSnippet: 700, minSnippet: 80 } as const;

/** The query for "records like this one": its title and the start of its text. */
export function documentQuery(db: Db, entityType: string, entityId: number, maxChars = 1000): string | null {
  const src = getSource(entityType);
  if (!src) return null;
  const [doc] = new SourceReader(db).byIds(src, [entityId]);
  if (!doc) return null;
  return [doc.title, ...doc.sections.map((s) => s.text)].join('\n').slice(0, maxChars);
}

export const unavailable = (reason: string): RelatedResult => ({ available: false, reason, versionId: null, snippets: [], citations: [], usedChars: 0, filtered: [] });

/**
 * Grounding for persona context builders: the records most related to a record or a text, as safe-filtered
 * snippets that fit a character budget, each with the citation the insight's evidence must carry.
 */
export async function related(db: Db, searcher: VersionSearch, req: RelatedRequest, signal?: AbortSignal): Promise<RelatedResult> {
  const k = req.k ?? RELATED_DEFAULTS.k;
  const budget = req.charBudget ?? RELATED_DEFAULTS.charBudget;
  const query = req.text?.trim() || (req.entityType && req.entityId !== undefined ? documentQuery(db, req.entityType, req.entityId) : null);
  if (!query) return { ...unavailable(req.entityType ? `There is no ${req.entityType} record ${req.entityId}.` : 'Give a text or a record to relate to.'), versionId: searcher.version.id };
  const outcome = await searcher.search(
    {
      query,
      mode: req.mode ?? 'hybrid',
      k: k + 1,
      perSource: true,
      filters: { sourceTypes: req.sourceTypes, accessLevels: req.accessLevels ?? ['standard', 'internal'] },
      snippetChars: 200,
    },
    signal,
  );
  const snippets: RelatedSnippet[] = [];
  let used = 0;
  for (const hit of outcome.hits) {
    if (snippets.length >= k) break;
    if (hit.sourceType === req.entityType && hit.entityId === req.entityId) continue;
    const room = Math.min(RELATED_DEFAULTS.perSnippet, budget - used);
    if (room < RELATED_DEFAULTS.minSnippet) break;
    const safe = safeContext(`${hit.title}: ${hit.text}`, { maxChars: room });
    snippets.push({ entityType: hit.sourceType, entityId: hit.entityId, chunkId: hit.chunkId, score: hit.score, title: hit.title, sourceLabel: hit.sourceLabel, field: hit.field, text: safe.text, filtered: safe.events });
    used += safe.text.length;
  }
  return {
    available: true,
    reason: null,
    versionId: searcher.version.id,
    snippets,
    citations: snippets.map(({ entityType, entityId, chunkId, score }) => ({ entityType, entityId, chunkId, score })),
    usedChars: used,
    filtered: mergeEvents(snippets.map((s) => s.filtered)),
  };
}
