import { clip } from './sql';
import { createRedactor, type RedactionCounts, type RedactionSettings } from './redact';

/** What the engine needs from the search index (the vector store's `related`), kept minimal so either can change. */
export interface GroundingSnippet {
  entityType: string;
  entityId: number;
  title: string;
  text: string;
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
  count: number;
}

/**
 * Records related to the analysed one, from the search index, as a redacted prompt block. It is kept out of the
 * context hash: a rebuilt index must not make every record look changed to the scheduler.
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
  let used = 0;
  for (const s of res.snippets) {
    if (s.entityType === target.entityType && s.entityId === target.entityId) continue;
    const line = redactor.redact(`[${s.entityType}#${s.entityId}] ${clip(s.title, 160)}: ${clip(s.text, 700)}`);
    if (used + line.length > options.charBudget) break;
    used += line.length + 1;
    lines.push(line);
    refs.push(`${s.entityType}#${s.entityId}`);
  }
  if (lines.length === 0) return null;
  return { text: lines.join('\n'), refs, redactions: { ...redactor.counts }, count: lines.length };
}
