import { createHash } from 'node:crypto';
import { getEntity } from '@shared/entities';
import type { ChatMessage } from '../gateway/types';
import type { BuiltContext } from '../context/build';
import { COMMON_INSTRUCTIONS, outputJsonSchema } from '../personas/common';
import type { PersonaSpec } from '../personas/types';

const promptVersions = new WeakMap<PersonaSpec, string>();

/** A short hash of everything that shapes the model's task: system prompt, shared instructions and output schema. */
export function promptVersion(spec: PersonaSpec): string {
  let v = promptVersions.get(spec);
  if (!v) {
    v = createHash('sha256').update(spec.systemPrompt).update(COMMON_INSTRUCTIONS).update(JSON.stringify(outputJsonSchema(spec))).digest('hex').slice(0, 12);
    promptVersions.set(spec, v);
  }
  return v;
}

export const systemMessage = (spec: PersonaSpec): string => `${spec.systemPrompt}\n\n${COMMON_INSTRUCTIONS}`;

/**
 * The messages for one analysis. The current time sits in the user message, outside the context, so the context
 * (and its hash) depends on the data alone; it is given to the hour, so identical requests within the hour can be
 * answered from the gateway's response cache.
 */
export function buildMessages(spec: PersonaSpec, ctx: BuiltContext, now: string, related?: string): ChatMessage[] {
  const label = (getEntity(spec.entityType)?.label ?? spec.entityType).toLowerCase().replace(/s$/, '');
  return [
    { role: 'system', content: systemMessage(spec) },
    {
      role: 'user',
      content:
        `Current time: ${now.slice(0, 13)}:00Z (to the hour).\nAnalyse this ${label} (${ctx.entityType}#${ctx.entityId}).${ctx.truncated ? ' Some older or less relevant lines were left out to fit; they are marked.' : ''}\n\n<context>\n${ctx.text}\n</context>` +
        (related ? `\n\nRecords the search index finds related (background; cite them only where they matter):\n<related>\n${related}\n</related>` : ''),
    },
  ];
}

export const retryMessage = (problem: string): ChatMessage => ({
  role: 'user',
  content: `That answer could not be used (${problem}). Reply again with only the JSON object described above: no prose, no Markdown fences.`,
});
