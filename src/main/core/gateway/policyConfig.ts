import { z } from 'zod';
import { KNOWN_USE_CASES } from '@shared/contract/gateway';
import { BUILT_IN_POLICY, policyChain, resolvePolicyChain } from '@shared/policyResolution';
import { positionOf, type ConfigIssue, type ParsedDoc } from './yamlDoc';

/** A limit in USD and/or tokens; either may be omitted. */
const limit = z
  .object({
    usd: z.number().nonnegative('must be 0 or more').optional(),
    tokens: z.number().int('must be a whole number').nonnegative('must be 0 or more').optional(),
  })
  .strict();

const chainEntry = z.union([
  z.string().min(1),
  z.object({ endpoint: z.string().min(1), model: z.string().min(1).optional() }).strict(),
]);

const useCasePolicy = z
  .object({
    model: z.string().min(1).nullable().optional(),
    temperature: z.number().min(0, 'must be between 0 and 2').max(2, 'must be between 0 and 2').optional(),
    max_tokens: z.number().int().min(1).max(1_000_000).optional(),
    top_p: z.number().gt(0, 'must be above 0').max(1, 'must be at most 1').optional(),
    timeout_ms: z.number().int().min(100, 'must be at least 100 ms').max(3_600_000, 'must be at most an hour').optional(),
    deadline_ms: z.number().int().min(100, 'must be at least 100 ms').max(4 * 3_600_000, 'must be at most four hours').optional(),
    retries: z.number().int().min(0).max(10, 'must be at most 10').optional(),
    backoff: z
      .object({ base_ms: z.number().int().min(0).max(60_000).optional(), max_ms: z.number().int().min(0).max(600_000).optional() })
      .strict()
      .optional(),
    fallback: z.array(chainEntry).max(10, 'use at most 10 endpoints').optional(),
    cache: z
      .object({ ttl_seconds: z.number().int().min(0).max(30 * 86_400, 'must be at most 30 days').optional(), sampled: z.boolean().optional(), streaming: z.boolean().optional() })
      .strict()
      .optional(),
    stream: z.boolean().optional(),
    budget: z.object({ per_request: limit.optional(), daily: limit.optional() }).strict().optional(),
  })
  .strict();

export const USE_CASE_KEY = /^[a-z][a-z0-9_]*(\.([a-z][a-z0-9_]*|\*))*$/;

export const policyDocument = z
  .object({
    version: z.literal(1, 'must be 1'),
    budgets: z
      .object({ per_request: limit.optional(), per_user_daily: limit.optional(), workspace_daily: limit.optional() })
      .strict()
      .nullable()
      .optional(),
    use_cases: z
      .record(z.string().regex(USE_CASE_KEY, 'use case keys look like "copilot.chat" or "persona.*"'), useCasePolicy.nullable())
      .optional(),
  })
  .strict();

export type PolicyDocument = z.infer<typeof policyDocument>;

export interface Limit {
  usd?: number | undefined;
  tokens?: number | undefined;
}

export type ChainRef = { endpoint: string; model?: string | undefined } | { role: 'primary' | 'secondary' | 'tertiary'; model?: string | undefined };

/** A use case's effective policy, with every default applied. */
export interface Policy {
  useCase: string;
  /** Which document entries made it, most general first ('default', 'persona.*', 'persona.ticket_analyst'). */
  from: string[];
  model: string | null;
  temperature: number | undefined;
  maxTokens: number;
  topP: number | undefined;
  timeoutMs: number;
  /** Total time for one call, all attempts included; null: DEADLINE_FACTOR × timeoutMs. */
  deadlineMs: number | null;
  retries: number;
  backoff: { baseMs: number; maxMs: number };
  fallback: ChainRef[];
  cache: { ttlSeconds: number; sampled: boolean; streaming: boolean };
  stream: boolean;
  budget: { perRequest?: Limit | undefined; daily?: Limit | undefined };
}

export interface WorkspaceBudgets {
  perRequest?: Limit | undefined;
  perUserDaily?: Limit | undefined;
  workspaceDaily?: Limit | undefined;
}

const ROLE_REF = /^@(primary|secondary|tertiary)$/;

export function toChainRef(entry: string | { endpoint: string; model?: string | undefined }): ChainRef {
  const name = typeof entry === 'string' ? entry : entry.endpoint;
  const model = typeof entry === 'string' ? undefined : entry.model;
  const role = ROLE_REF.exec(name)?.[1] as 'primary' | 'secondary' | 'tertiary' | undefined;
  return role ? { role, model } : { endpoint: name, model };
}

/** What applies when the document says nothing (the shared defaults, with the fallback chain as roles). */
export const BUILT_IN: Omit<Policy, 'useCase' | 'from' | 'budget'> = { ...BUILT_IN_POLICY, fallback: BUILT_IN_POLICY.fallback.map((e) => toChainRef(e)) };

const limitOf = (l: z.infer<typeof limit> | undefined): Limit | undefined => (l && (l.usd !== undefined || l.tokens !== undefined) ? { usd: l.usd, tokens: l.tokens } : undefined);

/**
 * A validated document, ready for the hot path: policies are resolved once per use case and memoised, so a call
 * costs a Map lookup. Resolution: built-in defaults ← `default` ← the longest matching wildcard ('persona.*') ←
 * the exact entry. A use case's budget comes only from the entry that serves it (budgets are not inherited).
 */
export class CompiledPolicies {
  private readonly memo = new Map<string, Policy>();
  readonly budgets: WorkspaceBudgets;

  constructor(
    readonly doc: PolicyDocument,
    readonly rev: number,
  ) {
    const b = doc.budgets ?? {};
    this.budgets = { perRequest: limitOf(b.per_request), perUserDaily: limitOf(b.per_user_daily), workspaceDaily: limitOf(b.workspace_daily) };
  }

  /** Use cases the document names (without wildcards), plus the known ones. */
  useCases(): string[] {
    const named = Object.keys(this.doc.use_cases ?? {}).filter((k) => !k.includes('*'));
    return [...new Set([...KNOWN_USE_CASES.map((u) => u.key), ...named])].sort();
  }

  resolve(useCase: string): Policy {
    const hit = this.memo.get(useCase);
    if (hit) return hit;
    const entries = this.doc.use_cases ?? {};
    const from = policyChain(entries, useCase);
    const p = resolvePolicyChain(entries, from);
    // The budget comes only from the most specific entry that serves the use case.
    const budgetEntry = from.length ? entries[from[from.length - 1]!] : undefined;
    const policy: Policy = {
      ...p,
      fallback: p.fallback.map((e) => toChainRef(e)),
      useCase,
      from,
      budget: { perRequest: limitOf(budgetEntry?.budget?.per_request), daily: limitOf(budgetEntry?.budget?.daily) },
    };
    this.memo.set(useCase, policy);
    return policy;
  }
}

/** What the semantic checks need to know about the rest of the configuration. */
export interface PolicyContext {
  endpoints: { name: string; role: string; models: string[] }[];
  isKnownModel(model: string): boolean;
}

/**
 * Checks that go beyond the schema, each with its line: endpoints named in fallback chains must exist, models must
 * be known (in the price table, an endpoint's defaults, or an endpoint's model list). Roles nobody holds yet and
 * unfamiliar use-case names are warnings: the document stays valid before any provider is configured.
 */
export function checkPolicyDocument(parsed: ParsedDoc<PolicyDocument>, ctx: PolicyContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = (path: (string | number)[], message: string, severity: 'error' | 'warning'): void => {
    const pos = positionOf(parsed.doc, parsed.lines, path);
    issues.push({ line: pos?.line ?? null, column: pos?.column ?? null, path: path.join('.'), message, severity });
  };
  const names = new Map(ctx.endpoints.map((e) => [e.name.toLowerCase(), e]));
  const known = new Set(KNOWN_USE_CASES.map((u) => u.key));
  const endpointList = ctx.endpoints.length ? ctx.endpoints.map((e) => e.name).join(', ') : 'none yet — add one with provider add';
  const checkModel = (model: string, path: (string | number)[]): void => {
    if (!ctx.isKnownModel(model)) {
      at(path, `unknown model "${model}": add it to the price table, make it an endpoint's default, or test a provider that lists it`, 'error');
    }
  };
  for (const [key, entry] of Object.entries(parsed.value.use_cases ?? {})) {
    if (!key.includes('*') && key !== 'default' && !known.has(key)) at(['use_cases', key], `"${key}" is not a use case the app makes calls for (check the spelling)`, 'warning');
    if (!entry) continue;
    if (entry.model) checkModel(entry.model, ['use_cases', key, 'model']);
    (entry.fallback ?? []).forEach((raw, i) => {
      const ref = toChainRef(raw);
      const path = typeof raw === 'string' ? ['use_cases', key, 'fallback', i] : ['use_cases', key, 'fallback', i, 'endpoint'];
      if ('role' in ref) {
        if (!ctx.endpoints.some((e) => e.role === ref.role)) at(path, `no endpoint has the role ${ref.role} yet; this entry is skipped until one does`, 'warning');
      } else if (!names.has(ref.endpoint.toLowerCase())) {
        at(path, `unknown endpoint "${ref.endpoint}" (endpoints: ${endpointList})`, 'error');
      }
      if (ref.model) checkModel(ref.model, ['use_cases', key, 'fallback', i, 'model']);
    });
    if (entry.backoff?.base_ms !== undefined && entry.backoff.max_ms !== undefined && entry.backoff.base_ms > entry.backoff.max_ms) {
      at(['use_cases', key, 'backoff', 'base_ms'], 'base_ms must not exceed max_ms', 'error');
    }
  }
  if (!parsed.value.use_cases?.default) at(['use_cases'], 'there is no "default" entry; built-in defaults apply to unlisted use cases', 'warning');
  return issues;
}
