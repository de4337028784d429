import type { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { Logger } from '../logger';
import type { Hop } from './adapterPool';
import { execute, type AttemptContext } from './executor';
import type { CallIdentity, DailyLimit, Ledger, Outcome, RequestLimit, Spend } from './ledger';
import type { CompiledPolicies, Policy } from './policyConfig';
import type { PriceBook } from './priceBook';
import type { GatewayAnswerMeta, Usage } from './types';

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

  /** Reserve, run along the chain, settle: the one path every non-cached call takes. */
  async run<T>(ctx: CallCtx, spec: CallSpec<T>): Promise<{ value: T; meta: GatewayAnswerMeta }> {
    const limits = this.limits(ctx);
    const first = ctx.hops.find((h) => h.adapter) ?? ctx.hops[0]!;
    const reservation = ctx.ledger.reserve(ctx.identity, first.adapter ? spec.estimate(first) : { tokens: 0, usd: 0 }, limits.perRequest, limits.daily, {
      providerKind: first.endpoint.kind,
      endpoint: first.endpoint.name,
      model: first.model,
    });
    let reservedFor: Hop = first;
    const policy = spec.timeoutMs && spec.timeoutMs < ctx.policy.timeoutMs ? { ...ctx.policy, timeoutMs: spec.timeoutMs } : ctx.policy;
    const result = await execute(ctx.hops, spec.run, {
      policy,
      signal: spec.signal,
      sleep: this.d.sleep,
      random: this.d.random,
      committed: spec.committed,
      beforeHop: (hop) => {
        if (hop === reservedFor || !hop.adapter) return;
        ctx.ledger.adjust(reservation, spec.estimate(hop), limits.perRequest, limits.daily);
        reservedFor = hop;
      },
    });
    const latencyMs = this.d.monotonic() - ctx.t0;
    if (!result.ok) {
      const outcome = this.failureOutcome(result.error, result.hop, result.attempts, latencyMs, result.fallbackUsed);
      const partial = result.hop ? spec.partial?.(result.hop) : null;
      if (partial && result.hop) {
        const cost = this.costFor(result.hop, result.hop.model, partial);
        Object.assign(outcome, { tokensIn: partial.inputTokens, tokensOut: partial.outputTokens, costUsd: cost.usd, priceKnown: cost.known });
      }
      ctx.ledger.settle(reservation, outcome);
      this.d.logger.warn('model call failed', { useCase: ctx.identity.useCase, endpoint: outcome.endpoint, code: result.error.code, message: result.error.message, attempts: result.attempts });
      throw result.error;
    }
    const { usage, model, durationSec } = spec.account(result.value, result.hop);
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
    });
    return {
      value: result.value,
      meta: { endpoint: result.hop.endpoint.name, providerKind: result.hop.endpoint.kind, model, fallbackUsed: result.fallbackUsed, attempts: result.attempts, cached: false, costUsd: cost.usd, latencyMs, usage, usageId: reservation.id },
    };
  }

}
