import { z } from 'zod';
import { AppError } from '@shared/errors';
import type { ChatMessage, ChatResult, Gateway, GatewayAnswerMeta, GatewayCallMeta, GatewayChatRequest, JsonSchema, ProviderKind } from '../gateway/types';
import { neutralize } from '../prompt/untrusted';
import { parseModelOutput, type ParseMethod } from './parse';

/**
 * One model step: messages → gateway call (use case, policy, signal, subject) → lenient parse → validation → ask
 * again with a repair message → a tally of every attempt. Personas, coaching, analytics questions, report
 * narratives and voice intents all go through it, so a fix to how answers are read or re-asked lands everywhere at
 * once (GUIDE §6, ADR 0090). The step never builds prompts: record text must already have passed the untrusted-text
 * step (src/main/core/prompt/untrusted.ts) and sit in its blocks.
 */

export type Validation<T> = { ok: true; value: T; warnings?: readonly string[] } | { ok: false; problem: string };

/** A structured answer: JSON read leniently, then checked by `validate`. */
export interface JsonOutput<T> {
  kind: 'json';
  /** The name the provider sees (response_format.json_schema.name). */
  name: string;
  /** The JSON schema the provider sees; sent non-strict, so a flawed answer reaches `validate` instead of a refusal. */
  jsonSchema: JsonSchema;
  validate: (value: Record<string, unknown>) => Validation<T>;
}

/** A free-text answer (a narrative), optionally checked. */
export interface TextOutput<T> {
  kind: 'text';
  validate?: (text: string) => Validation<T>;
}

export type StepOutput<T> = JsonOutput<T> | TextOutput<T>;

export interface ModelStepRequest<T> {
  meta: GatewayCallMeta;
  messages: readonly ChatMessage[];
  output: StepOutput<T>;
  /** How many times an unusable answer is asked again (0: one attempt only). */
  retries: number;
  signal?: AbortSignal | undefined;
  /**
   * Request parameters. Normally absent: the workspace's policy for the use case sets model, temperature, output
   * cap and timeout, and a request value would override an admin's choice.
   */
  params?: Pick<GatewayChatRequest, 'temperature' | 'topP' | 'maxTokens' | 'seed' | 'stop'>;
  /** The message that asks again; the default names the problem and asks for the bare JSON (or text). */
  repair?: (problem: string) => ChatMessage;
  /** Called before each gateway call with the 1-based attempt number (progress displays). */
  onAttempt?: (attempt: number) => void;
}

export type CallOutcomeKind = 'accepted' | 'unparsable' | 'invalid' | 'refused' | 'error' | 'cancelled';

/** One gateway call of the step. */
export interface StepCall {
  attempt: number;
  outcome: CallOutcomeKind;
  problem: string | null;
  provider: ProviderKind | null;
  model: string | null;
  endpoint: string | null;
  fallbackUsed: boolean;
  /** Endpoint tries inside the gateway (its retries and fallbacks). */
  gatewayAttempts: number;
  cached: boolean;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number;
  usageId: string | null;
}

/** Every attempt's cost and who answered, summed. Field names match the engine's CallOutcome. */
export interface StepTally {
  calls: StepCall[];
  /** Who answered last (the accepted answer, when there is one). */
  provider: ProviderKind | null;
  model: string | null;
  endpoint: string | null;
  fallbackUsed: boolean;
  /** Endpoint tries across all calls. */
  attempts: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  /** Gateway-reported latency, summed. */
  latencyMs: number;
  /** Wall-clock time spent waiting for the gateway (the rest of a feature's time is its own overhead). */
  modelMs: number;
  cached: boolean;
}

export interface ModelStepResult<T> {
  value: T;
  /** The accepted answer as the model wrote it (JSON: as the gateway passed it on). */
  text: string;
  parse: ParseMethod | 'text';
  /** For the person reading the result: repairs, re-asks, cache hits, and the validator's own warnings. */
  warnings: string[];
  tally: StepTally;
}

/** How a step failed, with what it cost up to then: features record the tally with their failure. */
export class ModelStepError extends AppError {
  readonly tally: StepTally;
  /** 'invalid_output' when no answer could be used; otherwise the error code (budget_exceeded, cancelled, …). */
  readonly failure: string;
  /** Why the last answer could not be used (for invalid_output), for a feature's own message. */
  readonly problem: string | null;

  constructor(cause: AppError, tally: StepTally, failure: string, problem: string | null = null) {
    super(cause.code, cause.message, cause.details, { cause });
    this.name = 'ModelStepError';
    this.tally = tally;
    this.failure = failure;
    this.problem = problem;
  }
}

/**
 * The error code a feature records for a failure: 'invalid_output' when the model's answers could not be used
 * (by this step, or by the gateway, which marks answers that are not JSON the same way), otherwise the AppError code.
 */
export function failureCode(error: unknown): string {
  if (error instanceof ModelStepError) return error.failure;
  const e = AppError.wrap(error);
  return e.details?.reason === 'invalid_output' || e.details?.failure === 'invalid_output' ? 'invalid_output' : e.code;
}

export const emptyTally = (): StepTally => ({ calls: [], provider: null, model: null, endpoint: null, fallbackUsed: false, attempts: 0, tokensIn: 0, tokensOut: 0, costUsd: 0, latencyMs: 0, modelMs: 0, cached: false });

const ANSWER_ECHO_CHARS = 4_000;

export const defaultRepair =
  (kind: 'json' | 'text') =>
  (problem: string): ChatMessage => ({
    role: 'user',
    content:
      kind === 'json'
        ? `That answer could not be used (${problem}). Reply again with only the JSON object described above: no prose, no Markdown fences.`
        : `That answer could not be used (${problem}). Reply again with only the text asked for above.`,
  });

/** Zod issues as one short line: the first three, with their paths. */
export function zodProblem(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`)
    .join('; ');
}

/** The JSON schema of a zod schema as providers take it (no $schema key). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
}

/**
 * A JSON output checked by a zod schema, for analytics query specs, voice intents and the like. `coerce` runs first
 * for near-misses a model makes (enum case, a lone string for a list); `jsonSchema` overrides what the provider sees.
 */
export function zodOutput<S extends z.ZodType>(name: string, schema: S, options: { coerce?: (value: Record<string, unknown>) => unknown; jsonSchema?: JsonSchema } = {}): JsonOutput<z.output<S>> {
  return {
    kind: 'json',
    name,
    jsonSchema: options.jsonSchema ?? jsonSchemaOf(schema),
    validate: (value) => {
      const parsed = schema.safeParse(options.coerce ? options.coerce(value) : value);
      return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: zodProblem(parsed.error) };
    },
  };
}

/** A free-text output: the trimmed answer, which must not be empty (and passes `validate` if given). */
export function textOutput(validate?: (text: string) => Validation<string>): TextOutput<string> {
  return { kind: 'text', validate: (text) => (validate ? validate(text) : { ok: true, value: text }) };
}

type Answer = ChatResult & GatewayAnswerMeta;

function read<T>(output: StepOutput<T>, res: Answer): { ok: true; value: T; parse: ParseMethod | 'text'; warnings: readonly string[] } | { ok: false; outcome: 'unparsable' | 'invalid'; problem: string } {
  const cut = res.finishReason === 'length' ? '; it was cut off at the output limit, so answer more briefly' : '';
  if (output.kind === 'text') {
    const text = res.text.trim();
    if (!text) return { ok: false, outcome: 'unparsable', problem: res.toolCalls.length ? 'it called a tool instead of answering' : 'it was empty' };
    const v: Validation<T> = output.validate ? output.validate(text) : { ok: true, value: text as T };
    return v.ok ? { ok: true, value: v.value, parse: 'text', warnings: v.warnings ?? [] } : { ok: false, outcome: 'invalid', problem: v.problem + cut };
  }
  const parsed = parseModelOutput(res.text);
  if (!parsed) {
    const why = res.text.trim() ? 'it was not JSON' : res.toolCalls.length ? 'it called a tool instead of answering' : 'it was empty';
    return { ok: false, outcome: 'unparsable', problem: why + cut };
  }
  const v = output.validate(parsed.value);
  if (!v.ok) return { ok: false, outcome: 'invalid', problem: v.problem + cut };
  const warnings = parsed.method === 'repaired' ? ['The answer was malformed JSON and was repaired.', ...(v.warnings ?? [])] : [...(v.warnings ?? [])];
  return { ok: true, value: v.value, parse: parsed.method, warnings };
}

function add(tally: StepTally, call: StepCall): void {
  tally.calls.push(call);
  if (call.endpoint !== null) {
    tally.provider = call.provider;
    tally.model = call.model;
    tally.endpoint = call.endpoint;
  }
  tally.fallbackUsed ||= call.fallbackUsed;
  tally.cached ||= call.cached;
  tally.attempts += call.gatewayAttempts;
  tally.tokensIn += call.tokensIn;
  tally.tokensOut += call.tokensOut;
  tally.costUsd += call.costUsd;
  tally.latencyMs = Math.round(tally.latencyMs + call.latencyMs);
}

const answered = (attempt: number, res: Answer, outcome: CallOutcomeKind, problem: string | null): StepCall => ({
  attempt,
  outcome,
  problem,
  provider: res.providerKind,
  model: res.model,
  endpoint: res.endpoint,
  fallbackUsed: res.fallbackUsed,
  gatewayAttempts: res.attempts,
  cached: res.cached,
  tokensIn: res.usage.inputTokens,
  tokensOut: res.usage.outputTokens,
  costUsd: res.costUsd,
  latencyMs: res.latencyMs,
  usageId: res.usageId,
});

const failed = (attempt: number, outcome: CallOutcomeKind, problem: string): StepCall => ({
  attempt,
  outcome,
  problem,
  provider: null,
  model: null,
  endpoint: null,
  fallbackUsed: false,
  gatewayAttempts: 0,
  cached: false,
  tokensIn: 0,
  tokensOut: 0,
  costUsd: 0,
  latencyMs: 0,
  usageId: null,
});

const cancelled = (): AppError => new AppError('cancelled', 'The operation was cancelled; nothing was changed.');
const isGatewayRefusal = (e: AppError): boolean => e.details?.failure === 'invalid_output';

/**
 * Runs the step. Resolves with the validated value and the tally; rejects with a ModelStepError carrying the
 * tally: failure 'invalid_output' once every attempt was unusable, else the code of what stopped it (a budget
 * refusal, a provider failure after the gateway's own retries and fallbacks, a cancellation). Only unusable answers
 * are asked again; the gateway owns retrying transport failures.
 */
export async function runModelStep<T>(gateway: Gateway, req: ModelStepRequest<T>): Promise<ModelStepResult<T>> {
  const tally = emptyTally();
  const messages: ChatMessage[] = [...req.messages];
  const warnings: string[] = [];
  // A validator's problem can quote the answer, and the answer can quote the records: it passes the step too.
  const custom = req.repair ?? defaultRepair(req.output.kind);
  const repair = (problem: string): ChatMessage => custom(neutralize(problem, { maxChars: 400 }).text);
  const responseSchema = req.output.kind === 'json' ? { name: req.output.name, schema: req.output.jsonSchema, strict: false } : undefined;
  let problem = '';
  for (let attempt = 1; attempt <= req.retries + 1; attempt++) {
    if (req.signal?.aborted) throw new ModelStepError(cancelled(), tally, 'cancelled');
    if (attempt > 1) warnings.push(`${attempt === 2 ? 'The first answer' : `Answer ${attempt - 1}`} was unusable (${problem}); the model was asked again.`);
    req.onAttempt?.(attempt);
    const started = performance.now();
    let res: Answer;
    try {
      res = await gateway.chat(req.meta, { ...req.params, messages: [...messages], ...(responseSchema ? { responseSchema } : {}) }, { signal: req.signal });
    } catch (error) {
      tally.modelMs += performance.now() - started;
      const e = req.signal?.aborted && !AppError.is(error, 'cancelled') ? cancelled() : AppError.wrap(error);
      // The gateway refused an answer that was not JSON (after its own retries): as unusable as one we refuse.
      if (isGatewayRefusal(e) && !req.signal?.aborted) {
        problem = 'it was not JSON';
        add(tally, failed(attempt, 'refused', e.message));
        if (attempt <= req.retries) messages.push(repair(problem));
        continue;
      }
      add(tally, failed(attempt, e.code === 'cancelled' ? 'cancelled' : 'error', e.message));
      throw new ModelStepError(e, tally, failureCode(e));
    }
    tally.modelMs += performance.now() - started;
    if (res.cached) warnings.push('Answered from the gateway response cache: the same request was answered recently.');
    const got = read(req.output, res);
    if (got.ok) {
      add(tally, answered(attempt, res, 'accepted', null));
      warnings.push(...got.warnings);
      return { value: got.value, text: res.text, parse: got.parse, warnings, tally };
    }
    problem = got.problem;
    add(tally, answered(attempt, res, got.outcome, problem));
    if (attempt <= req.retries) messages.push({ role: 'assistant', content: res.text.slice(0, ANSWER_ECHO_CHARS) }, repair(problem));
  }
  const error = new AppError('provider_error', `The model's answer could not be used: ${problem}.`, { reason: 'invalid_output', attempts: tally.calls.length });
  throw new ModelStepError(error, tally, 'invalid_output', problem);
}
