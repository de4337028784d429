import type { RouteOutput, SearchAnswer, SearchResult } from '@shared/contract';
import type { Gateway } from '../gateway/types';
import { runModelStep, textOutput } from '../model/modelStep';
import { neutralize, UNTRUSTED_NOTE, untrustedBlock } from '../prompt/untrusted';
import { checkCitations } from './citations';

export const SEARCH_ANSWER_USE_CASE = 'search.answer';

const keyOf = (r: SearchResult): string => `${r.sourceType}:${r.entityId}`;

/**
 * search.answer: the search's best matches (above the relevance floor) as numbered sources in a data block, one
 * model step, and the answer's citations checked against those sources (others are dropped and counted).
 */
export async function answerFromSearch(
  gateway: Gateway,
  input: { workspace: string; profileId: string; query: string; signal?: AbortSignal | undefined },
  search: RouteOutput<'search.query'>,
  k: number,
): Promise<SearchAnswer> {
  const hits = search.results.filter((r) => !r.belowFloor);
  const seen = new Set<string>();
  const sources = hits.filter((r) => (seen.has(keyOf(r)) ? false : (seen.add(keyOf(r)), true))).slice(0, k);
  const block = sources.map((r) => `[${keyOf(r)}] ${neutralize(r.title).text}: ${neutralize(r.snippet).text}`).join('\n');
  const step = await runModelStep(gateway, {
    meta: { workspace: input.workspace, useCase: SEARCH_ANSWER_USE_CASE, profileId: input.profileId, subject: 'search.answer' },
    messages: [
      {
        role: 'system',
        content: `Answer the question from the search results only, in at most 120 words. Cite each result you use as its [table:id] tag exactly as given. If the results do not answer it, say so.\n\n${UNTRUSTED_NOTE}`,
      },
      { role: 'user', content: `Question: ${neutralize(input.query).text}\n\n${untrustedBlock('data', block || 'no results')}` },
    ],
    output: textOutput(),
    retries: 0,
    signal: input.signal,
  });
  const checked = checkCitations(step.value, new Set(sources.map(keyOf)));
  const cited = new Set(checked.citations.map((c) => `${c.entity}:${c.id}`));
  return {
    text: checked.text,
    sources: sources.filter((r) => cited.has(keyOf(r))).map((r) => ({ entity: r.sourceType, id: r.entityId, title: r.title, snippet: r.snippet })),
    droppedCitations: checked.dropped,
    model: step.tally.model ?? '',
    endpoint: step.tally.endpoint ?? '',
    costUsd: step.tally.costUsd,
  };
}
