import type { Usage } from './types';

/**
 * A provider's reported token counts are untrusted input (ADR 0091): a negative count once drove a budget counter
 * below zero (and so switched budgets off), `1e999` parsed as Infinity and poisoned every counter, and 500k output
 * tokens were reported for a request capped at 2,000. Every count that reaches the ledger passes through here.
 */

/** What the request allowed, from what the gateway sent. */
export interface UsageBounds {
  /** The gateway's own estimate of the prompt it sent (tokens). 0 when it cannot tell (audio). */
  estimatedInput: number;
  /** The output the request allowed (max_tokens); null when nothing caps it. */
  maxOutput: number | null;
  /** Output estimated from the text that actually arrived, when known. */
  estimatedOutput?: number | undefined;
  /** A hard ceiling on input when there is no estimate (audio: its length). */
  maxInput?: number | undefined;
}

/** Input may exceed the estimate (tokenizers differ, templates add tokens), but not by more than this. */
export const INPUT_FACTOR = 3;
export const INPUT_SLACK = 512;
/** Output may exceed max_tokens by this much (some servers count the stop token or a template's tail). */
export const OUTPUT_SLACK = 64;
export const OUTPUT_FACTOR = 1.1;
/** No single call can plausibly use more than this; also the ceiling for a count when no bound is known. */
export const MAX_TOKENS_PER_CALL = 10_000_000;

export const maxInputFor = (b: UsageBounds): number =>
  Math.min(MAX_TOKENS_PER_CALL, b.estimatedInput > 0 ? Math.ceil(b.estimatedInput * INPUT_FACTOR + INPUT_SLACK) : (b.maxInput ?? MAX_TOKENS_PER_CALL));
export const maxOutputFor = (b: UsageBounds): number => (b.maxOutput === null ? MAX_TOKENS_PER_CALL : Math.min(MAX_TOKENS_PER_CALL, Math.ceil(b.maxOutput * OUTPUT_FACTOR + OUTPUT_SLACK)));

/** A count as stored: a finite, non-negative integer (anything else reads as 0). */
export const cleanCount = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.min(Math.round(n), Number.MAX_SAFE_INTEGER) : 0);
/** A cost as stored: finite and non-negative (anything else reads as 0). */
export const cleanUsd = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0);

export interface GuardedUsage {
  usage: Usage;
  /** What was corrected, for the usage row; null when the report was plausible. */
  anomaly: string | null;
}

const show = (v: unknown): string => (typeof v === 'number' ? String(v) : v === undefined ? 'missing' : JSON.stringify(v)?.slice(0, 40) ?? String(v));

/**
 * Validates and clamps one call's reported usage: each count must be a finite, non-negative integer; input at most
 * the estimate of what was sent times a margin; output at most max_tokens plus a margin; cached at most input.
 * A count that is not a number, is negative or not finite is replaced by the gateway's estimate (output: the estimate
 * from the text received, else the cap — billing errs high, never low). Input reported as 0 for a prompt that had
 * text (local models, some compatible servers) is estimated too.
 */
export function guardUsage(raw: Partial<Record<keyof Usage, unknown>> | null | undefined, b: UsageBounds): GuardedUsage {
  const notes: string[] = [];
  const maxIn = maxInputFor(b);
  const maxOut = maxOutputFor(b);
  const valid = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

  let input: number;
  const ri = raw?.inputTokens;
  if (!valid(ri)) {
    input = Math.min(maxIn, Math.ceil(b.estimatedInput));
    notes.push(`input tokens reported as ${show(ri)}, estimated as ${input}`);
  } else if (ri === 0 && b.estimatedInput > 0) {
    input = Math.min(maxIn, Math.ceil(b.estimatedInput));
    notes.push(`input tokens not reported, estimated as ${input}`);
  } else if (ri > maxIn) {
    input = maxIn;
    notes.push(`input tokens reported as ${show(ri)}, above ${maxIn} for what was sent; clamped`);
  } else input = Math.round(ri);

  let output: number;
  const ro = raw?.outputTokens;
  if (!valid(ro)) {
    output = Math.min(maxOut, Math.ceil(b.estimatedOutput ?? (b.maxOutput ?? 0)));
    notes.push(`output tokens reported as ${show(ro)}, ${b.estimatedOutput !== undefined ? 'estimated from the answer' : 'charged at the cap'} as ${output}`);
  } else if (ro === 0 && (b.estimatedOutput ?? 0) > 0) {
    output = Math.min(maxOut, Math.ceil(b.estimatedOutput!));
    notes.push(`output tokens not reported, estimated as ${output}`);
  } else if (ro > maxOut) {
    output = maxOut;
    notes.push(`output tokens reported as ${show(ro)}, above ${maxOut} for max_tokens ${b.maxOutput ?? 'unset'}; clamped`);
  } else output = Math.round(ro);

  let cached: number;
  const rc = raw?.cachedTokens;
  if (rc === undefined || rc === 0) cached = 0;
  else if (!valid(rc)) {
    cached = 0;
    notes.push(`cached tokens reported as ${show(rc)}; counted as 0`);
  } else if (rc > input) {
    cached = input;
    notes.push(`cached tokens reported as ${show(rc)}, above the input; clamped`);
  } else cached = Math.round(rc);

  return { usage: { inputTokens: input, outputTokens: output, cachedTokens: cached }, anomaly: notes.length ? notes.join('; ') : null };
}
