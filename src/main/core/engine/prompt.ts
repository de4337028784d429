import { createHash } from 'node:crypto';
import { getEntity } from '@shared/entities';
import type { ChatMessage } from '../gateway/types';
import type { BuiltContext } from '../context/build';
import { COMMON_INSTRUCTIONS, outputJsonSchema } from '../personas/common';
import type { PersonaSpec } from '../personas/types';
import { UNTRUSTED_NOTE, untrustedBlock } from '../prompt/untrusted';

const promptVersions = new WeakMap<PersonaSpec, string>();

/** A short hash of everything that shapes the model's task: system prompt, shared instructions and output schema. */
export function promptVersion(spec: PersonaSpec): string {
  let v = promptVersions.get(spec);
  if (!v) {
    v = createHash('sha256').update(spec.systemPrompt).update(COMMON_INSTRUCTIONS).update(UNTRUSTED_NOTE).update(JSON.stringify(outputJsonSchema(spec))).digest('hex').slice(0, 12);
    promptVersions.set(spec, v);
  }
  return v;
}

export const systemMessage = (spec: PersonaSpec): string => `${spec.systemPrompt}\n\n${COMMON_INSTRUCTIONS}\n\n${UNTRUSTED_NOTE}`;

/**
 * The messages for one analysis. The current time sits in the user message, outside the context, so the context
 * (and its hash) depends on the data alone; it is given to the hour, so identical requests within the hour can be
 * answered from the gateway's response cache. The context and the related records go in untrusted blocks: both
 * texts have passed the untrusted-text step (context/build.ts, context/grounding.ts), so neither can close them.
 */
export function buildMessages(spec: PersonaSpec, ctx: BuiltContext, now: string, related?: string): ChatMessage[] {
  const label = (getEntity(spec.entityType)?.label ?? spec.entityType).toLowerCase().replace(/s$/, '');
  return [
    { role: 'system', content: systemMessage(spec) },
    {
      role: 'user',
      content:
        `Current time: ${now.slice(0, 13)}:00Z (to the hour).\nAnalyse this ${label} (${ctx.entityType}#${ctx.entityId}).${ctx.truncated ? ' Some older or less relevant lines were left out to fit; they are marked.' : ''}\n\n${untrustedBlock('context', ctx.text)}` +
        (related ? `\n\nRecords the search index finds related (background; cite them only where they matter):\n${untrustedBlock('related', related)}` : ''),
    },
  ];
}

