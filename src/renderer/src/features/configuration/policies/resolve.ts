import { BUILT_IN_POLICY, policyChain, resolvePolicyChain, type ResolvedPolicy } from '@shared/policyResolution';
import type { UseCaseEntry } from './policyDoc';

/**
 * What a use case inherits, computed from the draft so the form's "inherited" hints follow unsaved edits too. The
 * rules are the gateway's own (src/shared/policyResolution.ts).
 */
export type Resolved = ResolvedPolicy;
export const BUILT_IN = BUILT_IN_POLICY;
export { applyPolicyEntry as applyEntry } from '@shared/policyResolution';

/** The entries a use case inherits from, most general first (its own entry excluded). */
export const parentsOf = (entries: Record<string, UseCaseEntry | null>, useCase: string): string[] => policyChain(entries, useCase).filter((k) => k !== useCase);

/** What applies to a use case when its own entry does not set a key. */
export const inherited = (entries: Record<string, UseCaseEntry | null>, useCase: string): Resolved => resolvePolicyChain(entries, parentsOf(entries, useCase));
