import { mergeEvents, neutralize, type FilterEvent, type FilterRule, type NeutralizeOptions, type SafeText } from '../prompt/untrusted';

/**
 * The safe-context filter for search snippets: the untrusted-text step (src/main/core/prompt/untrusted.ts) with a
 * length cap, since a snippet has to fit the grounding budget. The rules live in one place, there; this module only
 * keeps the snippet-sized default (ADR 0034, ADR 0090).
 */

export type { FilterEvent, FilterRule, SafeText };
export { mergeEvents };

export type SafeOptions = Omit<NeutralizeOptions, 'maxChars'> & { maxChars?: number };

export const SAFE_DEFAULTS = { maxChars: 1200, maxRun: 12, maxToken: 64 } as const;

export function safeContext(input: string, options: SafeOptions = {}): SafeText {
  return neutralize(input, { ...options, maxChars: options.maxChars ?? SAFE_DEFAULTS.maxChars });
}
