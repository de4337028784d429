import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { Logger } from '../logger';
import type { Hop } from './adapterPool';
import { execute, type AttemptContext } from './executor';
import type { CallIdentity, DailyLimit, Ledger, Outcome, RequestLimit, Spend } from './ledger';
import type { CompiledPolicies, Policy } from './policyConfig';
import type { PriceBook } from './priceBook';
import { providerError } from './errors';
import type { GatewayAnswerMeta, Usage } from './types';
import { guardUsage, type GuardedUsage, type UsageBounds } from './usageGuard';

/** A call's total deadline when its policy names none: this many times its per-attempt timeout. */
export const DEADLINE_FACTOR = 4;
/** A reservation's lease runs this long past the call's deadline before another reader may release it. */
export const LEASE_MARGIN_MS = 60_000;

/** An answer that reached us and was billed, but was rejected: carried on the error so the attempt is recorded. */
export interface BilledRejection {
  usage: Usage;
  model: string;
  /** Output estimated from the answer received. */
  estimatedOutput?: number | undefined;
}

export const billedOf = (e: unknown): BilledRejection | null => {
  const b = e instanceof AppError ? (e.details?.billed as BilledRejection | undefined) : undefined;
  return b && typeof b === 'object' && 'usage' in b ? b : null;
};

/** Starts a timer; returns its cancel. Tests pass a controllable one. */
export type TimerFn = (fn: () => void, ms: number) => () => void;

export const realTimer: TimerFn = (fn, ms) => {
  const t = setTimeout(fn, ms);
  t.unref?.();
  return () => clearTimeout(t);
};

/** Everything one call carries from routing to its usage row. */
export interface CallCtx {
  db: Db;
  compiled: CompiledPolicies;
  policy: Policy;
  ledger: Ledger;
  identity: CallIdentity;
  hops: Hop[];
  t0: number;
}

export interface CallSpec<T> {
  estimate(hop: Hop): Spend;
  run(hop: Hop, a: AttemptContext): Promise<T>;
  account(value: T, hop: Hop): { usage: Usage; model: string; durationSec?: number | undefined };
  /** What the request allowed, to check the provider's reported usage against (usageGuard.ts). */
  bounds(hop: Hop, value?: T): UsageBounds;
  /** What a failed call still consumed (a stream that broke off after some output). */
  partial?: (hop: Hop) => Usage | null;
  signal?: AbortSignal | undefined;
  /** The caller's own timeout; the shorter of it and the policy's applies. */
  timeoutMs?: number | undefined;
  committed?: () => boolean;
}

export interface CallRunnerDeps {
  prices: PriceBook;
  logger: Logger;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  monotonic: () => number;
  /** The call's total deadline timer (default: setTimeout). */
  timer?: TimerFn | undefined;
}

/**
 * One call's life after routing: reserve its budget, run it along the chain (executor.ts), settle the reservation
 * to what it actually cost, and describe the answer. Every non-cached call of every operation goes through run().
 */
export class CallRunner {
  constructor(private readonly d: CallRunnerDeps) {}

  limits(ctx: CallCtx): { perRequest: RequestLimit[]; daily: DailyLimit[] } {
    const b = ctx.compiled.budgets;
    const p = ctx.policy.budget;
    const uc = ctx.identity.useCase;
    const perRequest: RequestLimit[] = [];
    if (b.perRequest) perRequest.push({ name: 'per-request limit', limit: b.perRequest });
    if (p.perRequest) perRequest.push({ name: `per-request limit of ${uc}`, limit: p.perRequest });
    return {
      perRequest,
      daily: [
        { name: 'workspace daily budget', scope: 'workspace', key: '*', limit: b.workspaceDaily },
        { name: 'per-user daily budget', scope: 'user', key: ctx.identity.profileId ?? 'system', limit: b.perUserDaily },
        { name: `daily budget of ${uc}`, scope: 'use_case', key: uc, limit: p.daily },
      ],
    };
  }

  /** The answered model's price, else the requested model's (Azure answers with the model behind a deployment). */
  costFor(hop: Hop, model: string, usage: Usage, durationSec?: number): { usd: number; known: boolean } {
    const c = this.d.prices.cost(hop.endpoint.kind, hop.endpoint.name, model, usage, durationSec);
    return c.known || model === hop.model ? c : this.d.prices.cost(hop.endpoint.kind, hop.endpoint.name, hop.model, usage, durationSec);
  }

  failureOutcome(error: AppError, hop: Hop | null, attempts: number, latencyMs: number, fallbackUsed: boolean): Outcome {
    return {
      status: error.code === 'cancelled' ? 'cancelled' : error.code === 'budget_exceeded' ? 'refused' : 'error',
      providerKind: hop?.endpoint.kind ?? null,
      endpoint: hop?.endpoint.name ?? null,
      model: hop?.model ?? null,
      tokensIn: 0,
      tokensOut: 0,
      cachedTokens: 0,
      costUsd: 0,
      priceKnown: true,
      latencyMs,
      errorCode: error.code,
      errorMessage: error.message.slice(0, 1000),
      fallbackUsed,
      attempts,
      cacheHit: false,
    };
  }

  /** The call's total deadline: the policy's deadline_ms, else DEADLINE_FACTOR × its (effective) timeout. */
  deadlineMs(policy: Policy): number {
    return policy.deadlineMs ?? DEADLINE_FACTOR * policy.timeoutMs;
  }

  /** Reserve, run along the chain, settle: the one path every non-cached call takes. */
  async run<T>(ctx: CallCtx, spec: CallSpec<T>): Promise<{ value: T; meta: GatewayAnswerMeta }> {
    const limits = this.limits(ctx);
    const first = ctx.hops.find((h) => h.adapter) ?? ctx.hops[0]!;
    const policy = spec.timeoutMs && spec.timeoutMs < ctx.policy.timeoutMs ? { ...ctx.policy, timeoutMs: spec.timeoutMs } : ctx.policy;
    const deadlineMs = this.deadlineMs(policy);
    const reservation = ctx.ledger.reserve(
      ctx.identity,
      first.adapter ? spec.estimate(first) : { tokens: 0, usd: 0 },
      limits.perRequest,
      limits.daily,
      { providerKind: first.endpoint.kind, endpoint: first.endpoint.name, model: first.model },
      deadlineMs + LEASE_MARGIN_MS,
    );
    let reservedFor: Hop = first;

    // The total deadline aborts the whole call, however its attempts and chunks are paced.
    const ctrl = new AbortController();
    let deadlineHit = false;
    const onCaller = (): void => ctrl.abort();
    if (spec.signal?.aborted) ctrl.abort();
    else spec.signal?.addEventListener('abort', onCaller, { once: true });
    const cancelTimer = (this.d.timer ?? realTimer)(() => {
      deadlineHit = true;
      ctrl.abort();
    }, deadlineMs);

    // A rejected answer that was billed becomes its own usage row when another attempt follows it; the last one is
    // accounted on the call's own row.
    let lastBilled: { hop: Hop; billed: BilledRejection; error: AppError } | null = null;
    const flushBilled = (): void => {
      if (!lastBilled) return;
      const { hop, billed, error } = lastBilled;
      lastBilled = null;
      const g = guardUsage(billed.usage, { ...spec.bounds(hop), estimatedOutput: billed.estimatedOutput });
      const cost = this.costFor(hop, billed.model, g.usage);
      ctx.ledger.recordAttempt(reservation, ctx.identity, {
        ...this.failureOutcome(error, hop, 1, 0, hop !== first),
        model: billed.model,
        tokensIn: g.usage.inputTokens,
        tokensOut: g.usage.outputTokens,
        cachedTokens: g.usage.cachedTokens,
        costUsd: cost.usd,
        priceKnown: cost.known,
        anomaly: g.anomaly,
      });
    };
    const run = async (hop: Hop, a: AttemptContext): Promise<T> => {
      flushBilled();
      try {
        return await spec.run(hop, a);
      } catch (error) {
        const billed = billedOf(error);
        if (billed) lastBilled = { hop, billed, error: error as AppError };
        throw error;
      }
    };

    let result: Awaited<ReturnType<typeof execute<T>>>;
    try {
      result = await execute(ctx.hops, run, {
        policy,
        signal: ctrl.signal,
        sleep: this.d.sleep,
        random: this.d.random,
        committed: spec.committed,
        beforeHop: (hop) => {
          if (hop === reservedFor || !hop.adapter) return;
          ctx.ledger.adjust(reservation, spec.estimate(hop), limits.perRequest, limits.daily);
          reservedFor = hop;
        },
      });
    } finally {
      cancelTimer();
      spec.signal?.removeEventListener('abort', onCaller);
    }
    if (!result.ok && deadlineHit && !spec.signal?.aborted) {
      const name = result.hop?.endpoint.name ?? first.endpoint.name;
      result = {
        ...result,
        error: providerError(`${name} did not finish within the call's deadline of ${deadlineMs} ms (policy deadline_ms).`, { endpoint: name, failure: 'timeout', retryable: false, breaker: false, deadline: true }),
      };
    }
    const latencyMs = this.d.monotonic() - ctx.t0;
    if (!result.ok) {
      const outcome = this.failureOutcome(result.error, result.hop, result.attempts, latencyMs, result.fallbackUsed);
      const billed = lastBilled as { hop: Hop; billed: BilledRejection } | null;
      const partial = billed ? null : result.hop ? spec.partial?.(result.hop) : null;
      const hop = billed?.hop ?? result.hop;
      if (hop && (billed || partial)) {
        const g: GuardedUsage = guardUsage(billed ? billed.billed.usage : partial, { ...spec.bounds(hop), estimatedOutput: billed?.billed.estimatedOutput ?? partial?.outputTokens });
        const cost = this.costFor(hop, billed?.billed.model ?? hop.model, g.usage);
        Object.assign(outcome, { tokensIn: g.usage.inputTokens, tokensOut: g.usage.outputTokens, cachedTokens: g.usage.cachedTokens, costUsd: cost.usd, priceKnown: cost.known, anomaly: g.anomaly });
      }
      ctx.ledger.settle(reservation, outcome);
      this.d.logger.warn('model call failed', { useCase: ctx.identity.useCase, endpoint: outcome.endpoint, code: result.error.code, message: result.error.message, attempts: result.attempts });
      throw result.error;
    }
    const accounted = spec.account(result.value, result.hop);
    const { model, durationSec } = accounted;
    const guarded = guardUsage(accounted.usage, spec.bounds(result.hop, result.value));
    const usage = guarded.usage;
    if (guarded.anomaly) this.d.logger.warn('provider reported implausible usage', { useCase: ctx.identity.useCase, endpoint: result.hop.endpoint.name, anomaly: guarded.anomaly });
    const cost = this.costFor(result.hop, model, usage, durationSec);
    ctx.ledger.settle(reservation, {
      status: 'ok',
      providerKind: result.hop.endpoint.kind,
      endpoint: result.hop.endpoint.name,
      model,
      tokensIn: usage.inputTokens,
      tokensOut: usage.outputTokens,
      cachedTokens: usage.cachedTokens,
      costUsd: cost.usd,
      priceKnown: cost.known,
      latencyMs,
      errorCode: null,
      errorMessage: null,
      fallbackUsed: result.fallbackUsed,
      attempts: result.attempts,
      cacheHit: false,
      anomaly: guarded.anomaly,
    });
    return {
      value: result.value,
      meta: { endpoint: result.hop.endpoint.name, providerKind: result.hop.endpoint.kind, model, fallbackUsed: result.fallbackUsed, attempts: result.attempts, cached: false, costUsd: cost.usd, latencyMs, usage, usageId: reservation.id },
    };
  }

}
