import type { RecordRef } from '@shared/contract/copilot';

/** `[tickets:42]`: a table name, a colon, a numeric id, in square brackets (ADR 0063). Several may share brackets: `[tickets:42, deals:7]`. */
const CITATION = /\[((?:[a-z][a-z0-9_]*:\d+)(?:\s*[,;]\s*[a-z][a-z0-9_]*:\d+)*)\]/g;

export const refKey = (r: RecordRef): string => `${r.entity}:${r.id}`;

export function parseRefKey(key: string): RecordRef | null {
  const m = /^([a-z][a-z0-9_]*):(\d+)$/.exec(key);
  return m ? { entity: m[1]!, id: Number(m[2]) } : null;
}

/**
 * Keeps the citations of records the agent read in this conversation and drops the rest from the text (a cited
 * record the tools never returned is a hallucination: it is counted, never shown). Citations come back unique, in
 * the order they first appear.
 */
export function checkCitations(text: string, read: ReadonlySet<string>): { text: string; citations: RecordRef[]; dropped: number } {
  const kept = new Map<string, RecordRef>();
  let dropped = 0;
  const out = text.replace(CITATION, (_whole, inner: string) => {
    const keys = inner.split(/\s*[,;]\s*/);
    const ok = keys.filter((k) => read.has(k));
    dropped += keys.length - ok.length;
    for (const k of ok) if (!kept.has(k)) kept.set(k, parseRefKey(k)!);
    return ok.length ? `[${ok.join(', ')}]` : '';
  });
  return { text: out.replace(/[ \t]+([.,;:!?])/g, '$1').replace(/[ \t]{2,}/g, ' '), citations: [...kept.values()], dropped };
}
