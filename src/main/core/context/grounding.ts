import { mergeEvents, neutralize, type FilterEvent } from '../prompt/untrusted';
import { clip } from './sql';
import { createRedactor, type RedactionCounts, type RedactionSettings } from './redact';

/** What the engine needs from the search index (the vector store's `related`), kept minimal so either can change. */
export interface GroundingSnippet {
  entityType: string;
  entityId: number;
  title: string;
  text: string;
  /** What the provider's own filtering changed (the vector store's safe-context filter), if it says. */
  filtered?: readonly FilterEvent[];
}

export interface GroundingResult {
  available: boolean;
  reason: string | null;
  snippets: GroundingSnippet[];
}

export interface GroundingProvider {
  related(
    workspace: string,
    req: { entityType: string; entityId: number; k: number; charBudget: number },
    profileId: string | null,
    signal?: AbortSignal,
  ): Promise<GroundingResult>;
}

export interface Grounded {
  /** The block added to the prompt, redacted; empty when nothing related was found. */
  text: string;
  /** [entityType#id] tags it shows, which the model may cite. */
  refs: string[];
  redactions: RedactionCounts;
  /** What the untrusted-text step changed, the provider's filtering included. */
  filtered: FilterEvent[];
  count: number;
}

/**
 * Records related to the analysed one, from the search index, as a neutralised and redacted prompt block. The
 * engine does not rely on the provider having filtered the snippets: titles and text pass the untrusted-text step
 * here too (it is idempotent, so filtered text comes through unchanged). The block is kept out of the context hash:
 * a rebuilt index must not make every record look changed to the scheduler.
 */
export async function ground(
  provider: GroundingProvider,
  workspace: string,
  target: { entityType: string; entityId: number },
  options: { k: number; charBudget: number; redaction: RedactionSettings; profileId: string | null; signal?: AbortSignal | undefined },
): Promise<Grounded | null> {
  const res = await provider.related(workspace, { ...target, k: options.k, charBudget: options.charBudget }, options.profileId, options.signal);
  if (!res.available || res.snippets.length === 0) return null;
  const redactor = createRedactor(options.redaction, { tokenPrefix: 'R' });
  const refs: string[] = [];
  const lines: string[] = [];
  const filtered: (readonly FilterEvent[])[] = [];
  let used = 0;
  for (const s of res.snippets) {
    if (s.entityType === target.entityType && s.entityId === target.entityId) continue;
    const title = neutralize(clip(s.title, 160));
    const text = neutralize(clip(s.text, 700));
    const line = redactor.redact(`[${s.entityType}#${s.entityId}] ${title.text}: ${text.text}`);
    if (used + line.length > options.charBudget) break;
    used += line.length + 1;
    lines.push(line);
    refs.push(`${s.entityType}#${s.entityId}`);
    filtered.push(s.filtered ?? [], title.events, text.events);
  }
  if (lines.length === 0) return null;
  return { text: lines.join('\n'), refs, redactions: { ...redactor.counts }, filtered: mergeEvents(filtered), count: lines.length };
}
