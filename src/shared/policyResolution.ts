/**
 * How a use case's policy is resolved from the policy document, shared by the gateway (which compiles it for the
 * hot path) and the policy form (which shows what a use case inherits, unsaved edits included):
 * built-in defaults ← `default` ← the longest matching wildcard ('persona.*') ← the use case's own entry.
 */

/** A fallback-chain entry as written: an endpoint name, a role ('@primary'), or an endpoint with a model. */
export type PolicyChainEntry = string | { endpoint: string; model?: string | undefined };

/** One use case's own entry in the document (snake_case, as written; nothing inherited). */
export interface PolicyEntry {
  model?: string | null | undefined;
  temperature?: number | undefined;
  max_tokens?: number | undefined;
  top_p?: number | undefined;
  timeout_ms?: number | undefined;
  /** Total time one call may take, every attempt and stream chunk included (default: 4 × timeout_ms). */
  deadline_ms?: number | undefined;
  retries?: number | undefined;
  backoff?: { base_ms?: number | undefined; max_ms?: number | undefined } | undefined;
  fallback?: PolicyChainEntry[] | undefined;
  cache?: { ttl_seconds?: number | undefined; sampled?: boolean | undefined; streaming?: boolean | undefined } | undefined;
  stream?: boolean | undefined;
  budget?: { per_request?: { usd?: number | undefined; tokens?: number | undefined } | undefined; daily?: { usd?: number | undefined; tokens?: number | undefined } | undefined } | undefined;
}

/** A use case's settings with every default applied (budgets aside: they are not inherited). */
export interface ResolvedPolicy {
  model: string | null;
  temperature: number | undefined;
  maxTokens: number;
  topP: number | undefined;
  timeoutMs: number;
  /** null: four times timeoutMs. */
  deadlineMs: number | null;
  retries: number;
  backoff: { baseMs: number; maxMs: number };
  fallback: PolicyChainEntry[];
  cache: { ttlSeconds: number; sampled: boolean; streaming: boolean };
  stream: boolean;
}

/** What applies when the document says nothing. */
export const BUILT_IN_POLICY: ResolvedPolicy = {
  model: null,
  temperature: undefined,
  maxTokens: 1024,
  topP: undefined,
  timeoutMs: 60_000,
  deadlineMs: null,
  retries: 2,
  backoff: { baseMs: 250, maxMs: 8_000 },
  fallback: ['@primary', '@secondary', '@tertiary'],
  cache: { ttlSeconds: 0, sampled: false, streaming: false },
  stream: true,
};

/** `base` with the keys `e` sets replaced; `model: null` in an entry clears an inherited model. */
export function applyPolicyEntry(base: ResolvedPolicy, e: PolicyEntry | null | undefined): ResolvedPolicy {
  if (!e) return base;
  return {
    model: e.model === undefined ? base.model : e.model,
    temperature: e.temperature ?? base.temperature,
    maxTokens: e.max_tokens ?? base.maxTokens,
    topP: e.top_p ?? base.topP,
    timeoutMs: e.timeout_ms ?? base.timeoutMs,
    deadlineMs: e.deadline_ms ?? base.deadlineMs,
    retries: e.retries ?? base.retries,
    backoff: { baseMs: e.backoff?.base_ms ?? base.backoff.baseMs, maxMs: e.backoff?.max_ms ?? base.backoff.maxMs },
    fallback: e.fallback ?? base.fallback,
    cache: { ttlSeconds: e.cache?.ttl_seconds ?? base.cache.ttlSeconds, sampled: e.cache?.sampled ?? base.cache.sampled, streaming: e.cache?.streaming ?? base.cache.streaming },
    stream: e.stream ?? base.stream,
  };
}

/**
 * The document entries a use case is built from, most general first: 'default', the longest wildcard that matches
 * it (never itself), then its own entry. Only entries the document has are listed.
 */
export function policyChain(entries: Record<string, unknown>, useCase: string): string[] {
  const out: string[] = [];
  if (Object.hasOwn(entries, 'default')) out.push('default');
  if (useCase === 'default') return out;
  const wildcard = Object.keys(entries)
    .filter((k) => k.endsWith('.*') && k !== useCase && useCase.startsWith(k.slice(0, -1)))
    .sort((a, b) => b.length - a.length)[0];
  if (wildcard) out.push(wildcard);
  if (Object.hasOwn(entries, useCase)) out.push(useCase);
  return out;
}

/** Applies the entries of `chain` in order, starting from the built-in defaults. */
export function resolvePolicyChain(entries: Record<string, PolicyEntry | null | undefined>, chain: readonly string[]): ResolvedPolicy {
  return chain.reduce((p, key) => applyPolicyEntry(p, entries[key]), BUILT_IN_POLICY);
}
