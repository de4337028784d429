import type { UseCaseEntry } from './policyDoc';

/**
 * What a use case inherits, computed from the draft so the form's "inherited" hints follow unsaved edits too.
 * Mirrors the core's resolution (src/main/core/gateway/policyConfig.ts): built-in defaults ← `default` ← the
 * longest matching wildcard ← the exact entry. A test keeps BUILT_IN equal to the core's.
 */
export interface Resolved {
  model: string | null;
  temperature: number | undefined;
  maxTokens: number;
  topP: number | undefined;
  timeoutMs: number;
  retries: number;
  backoff: { baseMs: number; maxMs: number };
  fallback: (string | { endpoint: string; model?: string })[];
  cache: { ttlSeconds: number; sampled: boolean; streaming: boolean };
  stream: boolean;
}

export const BUILT_IN: Resolved = {
  model: null,
  temperature: undefined,
  maxTokens: 1024,
  topP: undefined,
  timeoutMs: 60_000,
  retries: 2,
  backoff: { baseMs: 250, maxMs: 8_000 },
  fallback: ['@primary', '@secondary', '@tertiary'],
  cache: { ttlSeconds: 0, sampled: false, streaming: false },
  stream: true,
};

export function applyEntry(base: Resolved, e: UseCaseEntry | null | undefined): Resolved {
  if (!e) return base;
  return {
    model: e.model === undefined ? base.model : e.model,
    temperature: e.temperature ?? base.temperature,
    maxTokens: e.max_tokens ?? base.maxTokens,
    topP: e.top_p ?? base.topP,
    timeoutMs: e.timeout_ms ?? base.timeoutMs,
    retries: e.retries ?? base.retries,
    backoff: { baseMs: e.backoff?.base_ms ?? base.backoff.baseMs, maxMs: e.backoff?.max_ms ?? base.backoff.maxMs },
    fallback: e.fallback ?? base.fallback,
    cache: { ttlSeconds: e.cache?.ttl_seconds ?? base.cache.ttlSeconds, sampled: e.cache?.sampled ?? base.cache.sampled, streaming: e.cache?.streaming ?? base.cache.streaming },
    stream: e.stream ?? base.stream,
  };
}

/** The entries a use case inherits from, most general first (its own entry excluded). */
export function parentsOf(entries: Record<string, UseCaseEntry | null>, useCase: string): string[] {
  const out: string[] = [];
  if (useCase !== 'default' && Object.hasOwn(entries, 'default')) out.push('default');
  if (useCase === 'default') return out;
  const wildcard = Object.keys(entries)
    .filter((k) => k.endsWith('.*') && k !== useCase && useCase.startsWith(k.slice(0, -1)))
    .sort((a, b) => b.length - a.length)[0];
  if (wildcard) out.push(wildcard);
  return out;
}

/** What applies to a use case when its own entry does not set a key. */
export function inherited(entries: Record<string, UseCaseEntry | null>, useCase: string): Resolved {
  return parentsOf(entries, useCase).reduce((p, key) => applyEntry(p, entries[key]), BUILT_IN);
}
