import { z } from 'zod';
import { hasUnsafeNameChars, UNSAFE_NAME_MESSAGE } from '../names';
import { defineRoute } from './define';
import { id, workspaceName } from './common';
import { serializedError } from './jobs';

/**
 * The model gateway's contract: providers (endpoints), policies, the playground, usage, budgets and prices.
 * Secrets never cross it: API keys and header values leave the core only masked ('sk-…abcd').
 */

export const PERSONA_KEYS = [
  'ticket_analyst',
  'project_advisor',
  'inbox_analyst',
  'campaign_optimizer',
  'dispatch_planner',
  'vendor_analyst',
  'performance_coach',
  'customer_success',
] as const;

/** Every use case the app makes model calls for; a policy may name others (with a warning). */
export const KNOWN_USE_CASES: readonly { key: string; label: string; operation: 'chat' | 'embed' | 'transcribe' }[] = [
  { key: 'default', label: 'Anything without its own policy', operation: 'chat' },
  ...PERSONA_KEYS.map((k) => ({ key: `persona.${k}`, label: `Persona analysis: ${k.replace(/_/g, ' ')}`, operation: 'chat' as const })),
  { key: 'coaching', label: 'Coaching notes', operation: 'chat' },
  { key: 'copilot.chat', label: 'Copilot chat', operation: 'chat' },
  ...['sales', 'operations', 'success', 'builder', 'analyst'].map((a) => ({ key: `copilot.${a}`, label: `Copilot: the ${a} agent (else copilot.chat)`, operation: 'chat' as const })),
  { key: 'embeddings', label: 'Embeddings for search', operation: 'embed' },
  { key: 'voice.intent', label: 'Voice command intent', operation: 'chat' },
  { key: 'voice.transcribe', label: 'Voice transcription', operation: 'transcribe' },
  { key: 'report.narrative', label: 'Report narratives', operation: 'chat' },
  { key: 'search.answer', label: 'Search answers with sources', operation: 'chat' },
  { key: 'analytics.ask', label: 'Analytics questions → query specs', operation: 'chat' },
];

export const providerKind = z.enum(['openai', 'openai-compatible', 'azure', 'anthropic', 'gemini', 'local']);
export const endpointRole = z.enum(['primary', 'secondary', 'tertiary', 'standby']);
export const endpointName = z
  .string()
  .trim()
  .min(1, 'Give the provider a name.')
  .max(64, 'Use at most 64 characters.')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Use letters, digits, dots, dashes or underscores, starting with a letter or digit.')
  .refine((s) => !hasUnsafeNameChars(s), UNSAFE_NAME_MESSAGE);
export const useCaseKey = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'Use case keys look like "copilot.chat" or "persona.ticket_analyst".');

const baseUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((s) => /^https?:\/\/[^\s/]+/i.test(s), 'Use an http:// or https:// URL.');
const modelName = z.string().trim().min(1).max(200);
const headerMap = z.record(
  z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'Header names use letters, digits and dashes.'),
  z.string().max(4000),
);

export const modelInfo = z.object({ id: z.string(), kind: z.enum(['chat', 'embedding', 'audio', 'unknown']), contextLength: z.number().int().optional() });

export const providerTestResult = z.object({
  ok: z.boolean(),
  latencyMs: z.number(),
  /** How the connection was checked: listing models, or (where that is unsupported) a one-token chat. */
  method: z.enum(['models', 'chat']),
  models: z.array(modelInfo),
  error: serializedError.nullable(),
  testedAt: z.string(),
});
export type ProviderTestResult = z.infer<typeof providerTestResult>;

/** An endpoint as the renderer sees it: every secret masked. */
export const providerInfo = z.object({
  id,
  name: z.string(),
  kind: providerKind,
  baseUrl: z.string().nullable(),
  model: z.string().nullable(),
  embeddingModel: z.string().nullable(),
  transcriptionModel: z.string().nullable(),
  role: endpointRole,
  enabled: z.boolean(),
  /** 'sk-…abcd', '••••' for short keys, null when no key is stored. */
  apiKeyMasked: z.string().nullable(),
  /** Header names with masked values. */
  headersMasked: z.record(z.string(), z.string()),
  apiVersion: z.string().nullable(),
  modelPath: z.string().nullable(),
  contextSize: z.number().int().nullable(),
  threads: z.number().int().nullable(),
  /** Models seen at the last successful test. */
  models: z.array(z.string()),
  lastTest: providerTestResult.nullable(),
  breaker: z.enum(['closed', 'open', 'half_open']),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProviderInfo = z.infer<typeof providerInfo>;

const providerFields = {
  baseUrl: baseUrl.nullable().optional(),
  model: modelName.nullable().optional(),
  embeddingModel: modelName.nullable().optional(),
  transcriptionModel: modelName.nullable().optional(),
  headers: headerMap.optional(),
  apiVersion: z.string().trim().min(1).max(40).nullable().optional(),
  modelPath: z.string().trim().min(1).max(4096).nullable().optional(),
  contextSize: z.number().int().min(256).max(1_048_576).nullable().optional(),
  threads: z.number().int().min(1).max(256).nullable().optional(),
  enabled: z.boolean().optional(),
};

export const providerAddInput = z.object({
  name: endpointName,
  kind: providerKind,
  apiKey: z.string().trim().min(1).max(4000).optional(),
  /** Omitted: primary if no endpoint is primary yet, otherwise standby. */
  role: endpointRole.optional(),
  ...providerFields,
});
export type ProviderAddInput = z.infer<typeof providerAddInput>;

export const providerUpdateInput = z.object({
  name: endpointName,
  rename: endpointName.optional(),
  /** A new key; null removes the stored key; omitted keeps it. */
  apiKey: z.string().trim().min(1).max(4000).nullable().optional(),
  role: endpointRole.optional(),
  ...providerFields,
});
export type ProviderUpdateInput = z.infer<typeof providerUpdateInput>;

const limit = z.object({ usd: z.number().nonnegative().optional(), tokens: z.number().int().nonnegative().optional() });
export type LimitValue = z.infer<typeof limit>;

export const configIssue = z.object({
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  path: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
});

const chainRef = z.object({ endpoint: z.string().optional(), role: z.string().optional(), model: z.string().optional() });

export const effectivePolicy = z.object({
  useCase: z.string(),
  label: z.string().nullable(),
  from: z.array(z.string()),
  model: z.string().nullable(),
  temperature: z.number().nullable(),
  maxTokens: z.number().int(),
  topP: z.number().nullable(),
  timeoutMs: z.number().int(),
  retries: z.number().int(),
  backoff: z.object({ baseMs: z.number(), maxMs: z.number() }),
  fallback: z.array(chainRef),
  /** The chain as it resolves now: which endpoints, in order, with the model each would be asked for. */
  chain: z.array(z.object({ endpoint: z.string(), kind: providerKind, model: z.string().nullable(), breaker: z.enum(['closed', 'open', 'half_open']) })),
  cache: z.object({ ttlSeconds: z.number().int(), sampled: z.boolean(), streaming: z.boolean() }),
  stream: z.boolean(),
  budget: z.object({ perRequest: limit.nullable(), daily: limit.nullable() }),
});
export type EffectivePolicy = z.infer<typeof effectivePolicy>;

export const policyState = z.object({
  workspace: z.string(),
  yaml: z.string(),
  rev: z.number().int(),
  source: z.enum(['default', 'workspace']),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  policies: z.array(effectivePolicy),
  /** Warnings (and, for a stored document the configuration has since outgrown, errors) against today's setup. */
  issues: z.array(configIssue),
});
export type PolicyState = z.infer<typeof policyState>;

export const askInput = z.object({
  workspace: workspaceName,
  useCase: useCaseKey.default('default'),
  prompt: z.string().min(1, 'Write a prompt.').max(200_000),
  system: z.string().max(100_000).optional(),
  /** Overrides of the policy for this call (the playground's knobs). */
  model: modelName.optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional(),
});

export const askAnswer = z.object({
  text: z.string(),
  provider: providerKind,
  model: z.string(),
  endpoint: z.string(),
  fallbackUsed: z.boolean(),
  cached: z.boolean(),
  attempts: z.number().int(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costUsd: z.number(),
  latencyMs: z.number(),
  usageId: z.string(),
});
export type AskAnswer = z.infer<typeof askAnswer>;

export const usageRange = z.enum(['1d', '7d', '30d', '90d']);

const usageTotals = z.object({
  calls: z.number().int(),
  ok: z.number().int(),
  /** Calls that failed (the provider or the app); cancelled calls and budget refusals are counted apart. */
  errors: z.number().int(),
  cancelled: z.number().int(),
  refused: z.number().int(),
  cached: z.number().int(),
  fallbacks: z.number().int(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  cachedTokens: z.number().int(),
  costUsd: z.number(),
  avgLatencyMs: z.number().nullable(),
});
const usageGroup = usageTotals.extend({ key: z.string() });

export const usageSummary = z.object({
  workspace: z.string(),
  range: usageRange,
  from: z.string(),
  to: z.string(),
  totals: usageTotals,
  byProvider: z.array(usageGroup),
  byModel: z.array(usageGroup),
  byUseCase: z.array(usageGroup),
  byEndpoint: z.array(usageGroup),
  daily: z.array(usageTotals.extend({ day: z.string() })),
  /** Models that answered but have no price: their calls were recorded at cost 0. */
  unpricedModels: z.array(z.string()),
});
export type UsageSummary = z.infer<typeof usageSummary>;

export const usageRow = z.object({
  id: z.string(),
  at: z.string(),
  workspace: z.string(),
  profileId: z.string().nullable(),
  profileName: z.string().nullable(),
  useCase: z.string(),
  subject: z.string().nullable(),
  /** What started the call: on_demand, scheduled (background), event (a record changed); null when not said. */
  trigger: z.enum(['on_demand', 'scheduled', 'event']).nullable(),
  operation: z.enum(['chat', 'stream', 'embed', 'transcribe']),
  providerKind: z.string().nullable(),
  endpoint: z.string().nullable(),
  model: z.string().nullable(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  cachedTokens: z.number().int(),
  costUsd: z.number(),
  priceKnown: z.boolean(),
  latencyMs: z.number().nullable(),
  status: z.enum(['pending', 'ok', 'cached', 'error', 'cancelled', 'refused']),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  fallbackUsed: z.boolean(),
  attempts: z.number().int(),
  /** What was wrong with the provider's reported usage and how it was corrected; null when nothing was. */
  anomaly: z.string().nullable().optional(),
});
export type UsageRow = z.infer<typeof usageRow>;

const spend = z.object({ usd: z.number(), tokens: z.number().int() });
const limitState = z.object({ limit: limit.nullable(), spent: spend, remaining: z.object({ usd: z.number().nullable(), tokens: z.number().int().nullable() }) });

export const budgetState = z.object({
  workspace: z.string(),
  /** The UTC day the daily counters cover, and when they reset. */
  day: z.string(),
  resetsAt: z.string(),
  perRequest: limit.nullable(),
  workspaceDaily: limitState,
  /** The calling profile's own spend against the per-user limit. */
  perUserDaily: limitState,
  useCases: z.array(z.object({ useCase: z.string(), perRequest: limit.nullable(), daily: limitState })),
});
export type BudgetState = z.infer<typeof budgetState>;

const limitPatch = limit.nullable().optional();

export const priceEntry = z.object({
  match: z.string(),
  input: z.number().nullable(),
  cachedInput: z.number().nullable(),
  output: z.number().nullable(),
  perMinute: z.number().nullable(),
});
export const priceState = z.object({
  yaml: z.string(),
  source: z.enum(['default', 'custom']),
  updatedAt: z.string().nullable(),
  models: z.array(priceEntry),
  endpoints: z.array(priceEntry),
  issues: z.array(configIssue),
});
export type PriceState = z.infer<typeof priceState>;

export const gatewayRoutes = {
  'providers.list': defineRoute({
    summary: 'Configured model providers (endpoints), secrets masked',
    role: 'member',
    input: z.object({}).default({}),
    output: z.object({ providers: z.array(providerInfo) }),
  }),
  'providers.add': defineRoute({ summary: 'Add a model provider endpoint', role: 'admin', input: providerAddInput, output: providerInfo }),
  'providers.update': defineRoute({ summary: 'Change a provider endpoint (omitted fields stay as they are)', role: 'admin', input: providerUpdateInput, output: providerInfo }),
  'providers.remove': defineRoute({ summary: 'Remove a provider endpoint and its stored key', role: 'admin', input: z.object({ name: endpointName }), output: z.object({ removed: z.string() }) }),
  'providers.test': defineRoute({
    summary: 'Test the connection: latency and the model list',
    role: 'admin',
    input: z.object({ name: endpointName }),
    output: providerTestResult,
  }),
  'providers.setRole': defineRoute({
    summary: 'Give an endpoint a routing role (primary, secondary, tertiary are held by one endpoint each)',
    role: 'admin',
    input: z.object({ name: endpointName, role: endpointRole }),
    output: z.object({ providers: z.array(providerInfo) }),
  }),

  'policies.get': defineRoute({
    summary: "The workspace's policy document and every use case's effective policy",
    role: 'member',
    input: z.object({ workspace: workspaceName, useCase: useCaseKey.optional() }),
    output: policyState,
  }),
  'policies.validate': defineRoute({
    summary: 'Check a policy document without saving it; problems come with line numbers',
    role: 'member',
    input: z.object({ workspace: workspaceName, yaml: z.string().max(1_000_000) }),
    output: z.object({ ok: z.boolean(), issues: z.array(configIssue) }),
  }),
  'policies.set': defineRoute({
    summary: 'Replace the policy document; a document with errors is refused and the old one stays in force',
    role: 'admin',
    input: z.object({ workspace: workspaceName, yaml: z.string().max(1_000_000) }),
    output: policyState,
  }),
  'policies.reset': defineRoute({
    summary: 'Go back to the default policy document',
    role: 'admin',
    input: z.object({ workspace: workspaceName }),
    output: policyState,
  }),

  'gateway.ask': defineRoute({ summary: 'Send one prompt through a use case policy and wait for the answer', role: 'member', input: askInput, output: askAnswer }),
  'gateway.streamStart': defineRoute({
    summary: 'Start a streamed answer; deltas arrive as gateway.stream events with this streamId',
    role: 'member',
    input: askInput.extend({ streamId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional() }),
    output: z.object({ streamId: z.string() }),
  }),
  'gateway.streamCancel': defineRoute({
    summary: 'Stop a streamed answer',
    role: 'member',
    input: z.object({ streamId: z.string().min(1).max(64) }),
    output: z.object({ cancelled: z.boolean() }),
  }),

  'usage.summary': defineRoute({
    summary: 'Model usage and cost: totals, by provider, model and use case, and a daily series',
    role: 'member',
    input: z.object({ workspace: workspaceName, range: usageRange.default('7d') }),
    output: usageSummary,
  }),
  'usage.list': defineRoute({
    summary: 'Individual model calls, newest first',
    role: 'member',
    input: z.object({
      workspace: workspaceName,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
      useCase: z.string().max(100).optional(),
      status: usageRow.shape.status.optional(),
    }),
    output: z.object({ rows: z.array(usageRow), total: z.number().int() }),
  }),

  'budgets.get': defineRoute({ summary: "Budget limits and today's spend against them", role: 'member', input: z.object({ workspace: workspaceName }), output: budgetState }),
  'budgets.set': defineRoute({
    summary: 'Change budget limits (null removes a limit); written into the policy document',
    role: 'admin',
    input: z.object({
      workspace: workspaceName,
      perRequest: limitPatch,
      perUserDaily: limitPatch,
      workspaceDaily: limitPatch,
      useCases: z.record(useCaseKey, z.object({ perRequest: limitPatch, daily: limitPatch })).optional(),
    }),
    output: budgetState,
  }),

  'prices.get': defineRoute({ summary: 'The model price table', role: 'member', input: z.object({}).default({}), output: priceState }),
  'prices.set': defineRoute({
    summary: 'Replace the price table (YAML); with dryRun only validate it',
    role: 'admin',
    input: z.object({ yaml: z.string().max(1_000_000), dryRun: z.boolean().default(false) }),
    output: priceState.extend({ ok: z.boolean() }),
  }),
} as const;

/** Main → renderer: a streamed answer in pieces. `seq` orders them; the last is 'done' or 'error'. */
export const gatewayStreamEvent = z.object({
  streamId: z.string(),
  seq: z.number().int(),
  type: z.enum(['delta', 'done', 'error']),
  text: z.string().optional(),
  answer: askAnswer.optional(),
  error: serializedError.optional(),
});
export type GatewayStreamPayload = z.infer<typeof gatewayStreamEvent>;

export const gatewayChangedEvent = z.object({
  workspace: z.string().nullable(),
  what: z.enum(['providers', 'policies', 'prices', 'budgets']),
});
