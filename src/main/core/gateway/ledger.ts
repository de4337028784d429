import { randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { Limit } from './policyConfig';
import type { ProviderKind } from './types';

export type Operation = 'chat' | 'stream' | 'embed' | 'transcribe';
export type UsageStatus = 'pending' | 'ok' | 'cached' | 'error' | 'cancelled' | 'refused';
export type BudgetScope = 'workspace' | 'user' | 'use_case';

export interface Spend {
  tokens: number;
  usd: number;
}

/** A limit checked against one call's estimate. */
export interface RequestLimit {
  /** How the refusal names it: 'per-request limit', 'per-request limit of persona.ticket_analyst'. */
  name: string;
  limit: Limit;
}

/** A limit checked against a day's running total. */
export interface DailyLimit {
  name: string;
  scope: BudgetScope;
  key: string;
  limit: Limit | undefined;
}

export interface CallIdentity {
  at: string;
  day: string;
  workspace: string;
  profileId: string | null;
  useCase: string;
  subject: string | null;
  operation: Operation;
  /** What started the call (on_demand, scheduled, event), or null. */
  trigger?: string | null;
}

export interface Outcome {
  status: Exclude<UsageStatus, 'pending'>;
  providerKind: ProviderKind | null;
  endpoint: string | null;
  model: string | null;
  tokensIn: number;
  tokensOut: number;
  cachedTokens: number;
  costUsd: number;
  priceKnown: boolean;
  latencyMs: number;
  errorCode: string | null;
  errorMessage: string | null;
  fallbackUsed: boolean;
  attempts: number;
  cacheHit: boolean;
}

export interface Reservation {
  id: string;
  day: string;
  scopes: { scope: BudgetScope; key: string }[];
  reserved: Spend;
}

let lastMs = 0;
let seq = 0;
/**
 * A time-ordered id (like UUIDv7: milliseconds, a counter, then randomness), so usage rows append to the end of the
 * primary-key index and sort by creation.
 */
export function usageId(now = Date.now()): string {
  if (now === lastMs) seq += 1;
  else {
    lastMs = now;
    seq = 0;
  }
  return `u${now.toString(36).padStart(9, '0')}${seq.toString(36).padStart(3, '0')}${randomBytes(6).toString('hex')}`;
}

const usd = (n: number): string => `$${n < 0.01 && n > 0 ? n.toFixed(4) : n.toFixed(2)}`;
const tok = (n: number): string => `${Math.round(n).toLocaleString('en-US')} tokens`;

/**
 * The usage ledger and budget counters of one workspace database.
 *
 * Budgets are enforced by reservation: before a call, its estimated cost is checked against every limit and, in the
 * same immediate (write-locked) transaction, added to the day's counters with a 'pending' usage row. Concurrent
 * calls therefore see each other's reservations and can never jointly pass a limit — better-sqlite3 runs the
 * transaction synchronously, so nothing interleaves in this process, and the write lock covers other processes.
 * When the call ends, the row and the counters are settled to the actual cost.
 */
export class Ledger {
  private readonly getCounter: Statement<[string, string, string], Spend>;
  private readonly addCounter: Statement<[string, string, string, number, number]>;
  private readonly insert: Statement<Record<string, unknown>>;
  private readonly settleStmt: Statement<Record<string, unknown>>;
  private readonly reserveTx: (input: { identity: CallIdentity; estimate: Spend; perRequest: RequestLimit[]; daily: DailyLimit[]; plan: Pick<Outcome, 'providerKind' | 'endpoint' | 'model'> }) => Reservation;
  private readonly settleTx: (batch: readonly { r: Reservation; outcome: Outcome }[]) => void;
  /** Settlements written behind the answer, in one transaction per event-loop turn (see settle). */
  private queue: { r: Reservation; outcome: Outcome }[] = [];
  private flushScheduled: NodeJS.Immediate | null = null;
  private readonly adjustTx: (r: Reservation, estimate: Spend, perRequest: RequestLimit[], daily: DailyLimit[]) => void;
  private readonly reservedStmt: Statement<[number, number, string]>;

  constructor(private readonly db: Db) {
    this.getCounter = db.prepare<[string, string, string], Spend>('SELECT tokens, usd FROM gateway_budget_counters WHERE day = ? AND scope = ? AND key = ?');
    this.addCounter = db.prepare<[string, string, string, number, number]>(
      'INSERT INTO gateway_budget_counters (day, scope, key, tokens, usd) VALUES (?, ?, ?, ?, ?) ON CONFLICT(day, scope, key) DO UPDATE SET tokens = tokens + excluded.tokens, usd = usd + excluded.usd',
    );
    this.insert = db.prepare(
      `INSERT INTO gateway_usage (id, at, day, workspace, profile_id, use_case, subject, operation, provider_kind, endpoint, model, tokens_in, tokens_out,
         cached_tokens, cost_usd, reserved_tokens, reserved_usd, price_known, latency_ms, status, error_code, error_message, fallback_used, attempts, cache_hit, trigger)
       VALUES (@id, @at, @day, @workspace, @profileId, @useCase, @subject, @operation, @providerKind, @endpoint, @model, @tokensIn, @tokensOut,
         @cachedTokens, @costUsd, @reservedTokens, @reservedUsd, @priceKnown, @latencyMs, @status, @errorCode, @errorMessage, @fallbackUsed, @attempts, @cacheHit, @trigger)`,
    );
    this.settleStmt = db.prepare(
      `UPDATE gateway_usage SET provider_kind = @providerKind, endpoint = @endpoint, model = @model, tokens_in = @tokensIn, tokens_out = @tokensOut,
         cached_tokens = @cachedTokens, cost_usd = @costUsd, price_known = @priceKnown, latency_ms = @latencyMs, status = @status, error_code = @errorCode,
         error_message = @errorMessage, fallback_used = @fallbackUsed, attempts = @attempts, cache_hit = @cacheHit WHERE id = @id`,
    );
    const reserve = db.transaction((input: { identity: CallIdentity; estimate: Spend; perRequest: RequestLimit[]; daily: DailyLimit[]; plan: Pick<Outcome, 'providerKind' | 'endpoint' | 'model'> }): Reservation => {
      const { identity, estimate } = input;
      this.check(identity.day, estimate, input.perRequest, input.daily);
      const id = usageId();
      const scopes = input.daily.map((d) => ({ scope: d.scope, key: d.key }));
      for (const s of scopes) this.addCounter.run(identity.day, s.scope, s.key, estimate.tokens, estimate.usd);
      this.insert.run(this.row(id, identity, { ...input.plan, status: 'pending' }, estimate));
      return { id, day: identity.day, scopes, reserved: { ...estimate } };
    });
    this.reserveTx = (input) => reserve.immediate(input);
    // Transactions are built once: wrapping a function per call costs more than the statements inside it.
    this.reservedStmt = db.prepare<[number, number, string]>('UPDATE gateway_usage SET reserved_tokens = ?, reserved_usd = ? WHERE id = ?');
    const settle = db.transaction((batch: readonly { r: Reservation; outcome: Outcome }[]) => {
      for (const { r, outcome } of batch) {
        const actual = { tokens: outcome.tokensIn + outcome.tokensOut, usd: outcome.costUsd };
        for (const s of r.scopes) this.addCounter.run(r.day, s.scope, s.key, actual.tokens - r.reserved.tokens, actual.usd - r.reserved.usd);
        this.settleStmt.run(this.outcomeParams(r.id, outcome));
      }
    });
    this.settleTx = (batch) => settle.immediate(batch);
    const adjust = db.transaction((r: Reservation, estimate: Spend, perRequest: RequestLimit[], daily: DailyLimit[]) => {
      const delta = { tokens: estimate.tokens - r.reserved.tokens, usd: estimate.usd - r.reserved.usd };
      this.check(r.day, estimate, perRequest, []);
      if (delta.tokens > 0 || delta.usd > 0) this.check(r.day, { tokens: Math.max(0, delta.tokens), usd: Math.max(0, delta.usd) }, [], daily);
      for (const s of r.scopes) this.addCounter.run(r.day, s.scope, s.key, delta.tokens, delta.usd);
      this.reservedStmt.run(estimate.tokens, estimate.usd, r.id);
    });
    this.adjustTx = (r, estimate, perRequest, daily) => adjust.immediate(r, estimate, perRequest, daily);
    this.recoverAbandoned();
  }

  /** Calls still 'pending' from a process that died keep their reserved cost (they may have been billed). */
  private recoverAbandoned(): void {
    const cutoff = new Date(Date.now() - 60 * 60_000).toISOString();
    // Budgets look back one day; a week covers any crash that could still matter, using the day index.
    const since = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    this.db
      .prepare("UPDATE gateway_usage SET status = 'error', error_code = 'internal', error_message = 'The app stopped before this call finished.', cost_usd = reserved_usd WHERE day >= ? AND status = 'pending' AND at < ?")
      .run(since, cutoff);
  }

  spent(day: string, scope: BudgetScope, key: string): Spend {
    return this.getCounter.get(day, scope, key) ?? { tokens: 0, usd: 0 };
  }

  /** Writes queued settlements now. Readers of usage and budgets call this first; so does shutdown. */
  flush(): void {
    if (this.flushScheduled) {
      clearImmediate(this.flushScheduled);
      this.flushScheduled = null;
    }
    if (this.queue.length === 0 || !this.db.open) {
      this.queue = [];
      return;
    }
    const batch = this.queue;
    this.queue = [];
    this.settleTx(batch);
    this.onWritten?.();
  }

  private check(day: string, estimate: Spend, perRequest: RequestLimit[], daily: DailyLimit[]): void {
    for (const r of perRequest) {
      if (r.limit.usd !== undefined && estimate.usd > r.limit.usd + 1e-12) {
        throw refusal(`This call could cost up to ${usd(estimate.usd)}, above the ${r.name} of ${usd(r.limit.usd)}. Lower max_tokens or shorten the input, or raise the limit.`, {
          limit: r.name,
          limitUsd: r.limit.usd,
          neededUsd: estimate.usd,
          remainingUsd: r.limit.usd,
        });
      }
      if (r.limit.tokens !== undefined && estimate.tokens > r.limit.tokens) {
        throw refusal(`This call could use up to ${tok(estimate.tokens)}, above the ${r.name} of ${tok(r.limit.tokens)}. Lower max_tokens or shorten the input, or raise the limit.`, {
          limit: r.name,
          limitTokens: r.limit.tokens,
          neededTokens: estimate.tokens,
          remainingTokens: r.limit.tokens,
        });
      }
    }
    for (const d of daily) {
      if (!d.limit) continue;
      const s = this.spent(day, d.scope, d.key);
      if (d.limit.usd !== undefined && s.usd + estimate.usd > d.limit.usd + 1e-12) {
        const remaining = Math.max(0, d.limit.usd - s.usd);
        throw refusal(`The ${d.name} of ${usd(d.limit.usd)} would be exceeded: ${usd(remaining)} remains today and this call could cost up to ${usd(estimate.usd)}. It resets at 00:00 UTC.`, {
          limit: d.name,
          scope: d.scope,
          limitUsd: d.limit.usd,
          remainingUsd: remaining,
          neededUsd: estimate.usd,
        });
      }
      if (d.limit.tokens !== undefined && s.tokens + estimate.tokens > d.limit.tokens) {
        const remaining = Math.max(0, d.limit.tokens - s.tokens);
        throw refusal(`The ${d.name} of ${tok(d.limit.tokens)} would be exceeded: ${tok(remaining)} remain today and this call could use up to ${tok(estimate.tokens)}. It resets at 00:00 UTC.`, {
          limit: d.name,
          scope: d.scope,
          limitTokens: d.limit.tokens,
          remainingTokens: remaining,
          neededTokens: estimate.tokens,
        });
      }
    }
  }

  /** Reserves the estimate against every limit, or throws budget_exceeded (and records the refusal). */
  reserve(identity: CallIdentity, estimate: Spend, perRequest: RequestLimit[], daily: DailyLimit[], plan: Pick<Outcome, 'providerKind' | 'endpoint' | 'model'>): Reservation {
    try {
      return this.reserveTx({ identity, estimate, perRequest, daily, plan });
    } catch (error) {
      if (AppError.is(error, 'budget_exceeded')) {
        this.record(identity, { ...plan, status: 'refused', tokensIn: 0, tokensOut: 0, cachedTokens: 0, costUsd: 0, priceKnown: true, latencyMs: 0, errorCode: 'budget_exceeded', errorMessage: error.message, fallbackUsed: false, attempts: 0, cacheHit: false });
      }
      throw error;
    }
  }

  /**
   * Moves a reservation to a new estimate (a fallback endpoint with another model and price), checking the limits
   * for the difference only.
   */
  adjust(r: Reservation, estimate: Spend, perRequest: RequestLimit[], daily: DailyLimit[]): void {
    this.adjustTx(r, estimate, perRequest, daily);
    r.reserved = { ...estimate };
  }

  /**
   * Ends a reserved call: the counters move from the estimate to the actual spend. The write happens behind the
   * answer — queued, then flushed in one transaction at the next turn of the event loop — so the caller does not
   * wait for a commit, and concurrent calls share one. Until then the counters still hold the reservation, which is
   * at least the actual cost, so budget checks in between only err on the safe side.
   */
  settle(r: Reservation, outcome: Outcome): void {
    this.queue.push({ r, outcome });
    this.flushScheduled ??= setImmediate(() => {
      this.flushScheduled = null;
      try {
        this.flush();
      } catch (error) {
        this.onFlushError?.(error);
      }
    });
  }

  /** Where a failed background flush is reported (the gateway logs it). */
  onFlushError: ((error: unknown) => void) | null = null;

  /** Told after usage rows were written (settled or recorded), so readers can refresh. */
  onWritten: (() => void) | null = null;

  /** A call that needed no reservation (cache hit, refusal, failure before routing). */
  record(identity: CallIdentity, outcome: Outcome): string {
    const id = usageId();
    this.insert.run({ ...this.row(id, identity, outcome, { tokens: 0, usd: 0 }), ...this.outcomeParams(id, outcome) });
    this.onWritten?.();
    return id;
  }

  private row(id: string, i: CallIdentity, o: Partial<Omit<Outcome, 'status'>> & { status: UsageStatus }, reserved: Spend): Record<string, unknown> {
    return {
      id,
      at: i.at,
      day: i.day,
      workspace: i.workspace,
      profileId: i.profileId,
      useCase: i.useCase,
      subject: i.subject,
      operation: i.operation,
      trigger: i.trigger ?? null,
      providerKind: o.providerKind ?? null,
      endpoint: o.endpoint ?? null,
      model: o.model ?? null,
      tokensIn: 0,
      tokensOut: 0,
      cachedTokens: 0,
      costUsd: 0,
      reservedTokens: reserved.tokens,
      reservedUsd: reserved.usd,
      priceKnown: 1,
      latencyMs: null,
      status: o.status,
      errorCode: null,
      errorMessage: null,
      fallbackUsed: 0,
      attempts: 0,
      cacheHit: 0,
    };
  }

  private outcomeParams(id: string, o: Outcome): Record<string, unknown> {
    return {
      id,
      providerKind: o.providerKind,
      endpoint: o.endpoint,
      model: o.model,
      tokensIn: o.tokensIn,
      tokensOut: o.tokensOut,
      cachedTokens: o.cachedTokens,
      costUsd: o.costUsd,
      priceKnown: o.priceKnown ? 1 : 0,
      latencyMs: Math.round(o.latencyMs),
      status: o.status,
      errorCode: o.errorCode,
      errorMessage: o.errorMessage,
      fallbackUsed: o.fallbackUsed ? 1 : 0,
      attempts: o.attempts,
      cacheHit: o.cacheHit ? 1 : 0,
    };
  }
}

function refusal(message: string, details: Record<string, unknown>): AppError {
  return new AppError('budget_exceeded', message, details);
}
