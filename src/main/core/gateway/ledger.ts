import { randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { Limit } from './policyConfig';
import type { ProviderKind } from './types';
import { cleanCount, cleanUsd } from './usageGuard';

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
  /** What was wrong with the provider's reported usage and how it was corrected (usageGuard.ts). */
  anomaly?: string | null | undefined;
}

export interface Reservation {
  id: string;
  day: string;
  scopes: { scope: BudgetScope; key: string }[];
  reserved: Spend;
}

/** How long past its lease a reservation is kept when no lease was written (rows from before migration 090). */
const LEGACY_LEASE_MS = 60 * 60_000;

/** Whether a process of this machine still runs (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A finite delta for a counter (a bad value must never reach one). */
const finite = (n: number): number => (Number.isFinite(n) ? n : 0);

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
  private readonly reserveTx: (input: ReserveInput) => Reservation;
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
         cached_tokens, cost_usd, reserved_tokens, reserved_usd, price_known, latency_ms, status, error_code, error_message, fallback_used, attempts, cache_hit,
         anomaly, lease_pid, lease_until, trigger)
       VALUES (@id, @at, @day, @workspace, @profileId, @useCase, @subject, @operation, @providerKind, @endpoint, @model, @tokensIn, @tokensOut,
         @cachedTokens, @costUsd, @reservedTokens, @reservedUsd, @priceKnown, @latencyMs, @status, @errorCode, @errorMessage, @fallbackUsed, @attempts, @cacheHit,
         @anomaly, @leasePid, @leaseUntil, @trigger)`,
    );
    this.settleStmt = db.prepare(
      `UPDATE gateway_usage SET provider_kind = @providerKind, endpoint = @endpoint, model = @model, tokens_in = @tokensIn, tokens_out = @tokensOut,
         cached_tokens = @cachedTokens, cost_usd = @costUsd, price_known = @priceKnown, latency_ms = @latencyMs, status = @status, error_code = @errorCode,
         error_message = @errorMessage, fallback_used = @fallbackUsed, attempts = @attempts, cache_hit = @cacheHit, anomaly = @anomaly,
         lease_pid = NULL, lease_until = NULL WHERE id = @id AND status = 'pending'`,
    );
    const reserve = db.transaction((input: ReserveInput): Reservation => {
      const { identity } = input;
      const estimate = { tokens: cleanCount(input.estimate.tokens), usd: cleanUsd(input.estimate.usd) };
      this.check(identity.day, estimate, input.perRequest, input.daily);
      const id = usageId();
      const scopes = input.daily.map((d) => ({ scope: d.scope, key: d.key }));
      for (const s of scopes) this.addCounter.run(identity.day, s.scope, s.key, estimate.tokens, estimate.usd);
      const leaseUntil = new Date(Date.parse(identity.at) + Math.max(0, input.leaseMs)).toISOString();
      this.insert.run({ ...this.row(id, identity, { ...input.plan, status: 'pending' }, estimate), leasePid: process.pid, leaseUntil });
      return { id, day: identity.day, scopes, reserved: { ...estimate } };
    });
    this.reserveTx = (input) => reserve.immediate(input);
    // Transactions are built once: wrapping a function per call costs more than the statements inside it.
    this.reservedStmt = db.prepare<[number, number, string]>('UPDATE gateway_usage SET reserved_tokens = ?, reserved_usd = ? WHERE id = ?');
    const settle = db.transaction((batch: readonly { r: Reservation; outcome: Outcome }[]) => {
      for (const { r, outcome } of batch) {
        const params = this.outcomeParams(r.id, outcome);
        // A reservation already released (its lease ran out while the call still ran) is no longer counted.
        if (this.settleStmt.run(params).changes === 0) {
          this.lateSettle.run(params);
          for (const s of r.scopes) this.addCounter.run(r.day, s.scope, s.key, finite(params.tokensIn + params.tokensOut), finite(params.costUsd));
          continue;
        }
        const actual = { tokens: params.tokensIn + params.tokensOut, usd: params.costUsd };
        for (const s of r.scopes) this.addCounter.run(r.day, s.scope, s.key, finite(actual.tokens - r.reserved.tokens), finite(actual.usd - r.reserved.usd));
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
    this.lateSettle = db.prepare(
      `UPDATE gateway_usage SET tokens_in = @tokensIn, tokens_out = @tokensOut, cached_tokens = @cachedTokens, cost_usd = @costUsd, latency_ms = @latencyMs,
         anomaly = trim(coalesce(anomaly, '') || ' ' || coalesce(@anomaly, '') || ' The call ended after its reservation was released.') WHERE id = @id`,
    );
    const attemptTx = db.transaction((r: Reservation, identity: CallIdentity, outcome: Outcome): string => {
      const id = usageId();
      const params = this.outcomeParams(id, outcome);
      this.insert.run({ ...this.row(id, identity, outcome, { tokens: 0, usd: 0 }), ...params, leasePid: null, leaseUntil: null });
      for (const s of r.scopes) this.addCounter.run(r.day, s.scope, s.key, finite(params.tokensIn + params.tokensOut), finite(params.costUsd));
      return id;
    });
    this.attemptTx = (r, identity, outcome) => attemptTx.immediate(r, identity, outcome);
    this.sweepTx = db.transaction((now: number): number => this.releaseExpired(now));
    this.sweep();
  }

  private readonly lateSettle: Statement<Record<string, unknown>>;
  private readonly attemptTx: (r: Reservation, identity: CallIdentity, outcome: Outcome) => string;
  private readonly sweepTx: { immediate(now: number): number };

  /**
   * Releases reservations whose lease is over: the process that made them is gone (same machine), or the call
   * outlived its deadline plus a margin. Their counters drop the reserved amount and the row says what happened.
   * Runs at start and before every read of budgets and usage. Returns how many were released.
   */
  sweep(now = Date.now()): number {
    if (!this.db.open) return 0;
    const n = this.sweepTx.immediate(now);
    if (n > 0) this.onWritten?.();
    return n;
  }

  private releaseExpired(now: number): number {
    // Budgets look back one day; a week covers any crash that could still matter, using the day index.
    const since = new Date(now - 7 * 86_400_000).toISOString().slice(0, 10);
    const rows = this.db
      .prepare("SELECT id, at, day, profile_id, use_case, reserved_tokens, reserved_usd, lease_pid, lease_until FROM gateway_usage WHERE day >= ? AND status = 'pending'")
      .all(since) as { id: string; at: string; day: string; profile_id: string | null; use_case: string; reserved_tokens: number; reserved_usd: number; lease_pid: number | null; lease_until: string | null }[];
    let released = 0;
    const nowIso = new Date(now).toISOString();
    const release = this.db.prepare('UPDATE gateway_budget_counters SET tokens = max(0, tokens - ?), usd = max(0, usd - ?) WHERE day = ? AND scope = ? AND key = ?');
    const mark = this.db.prepare("UPDATE gateway_usage SET status = 'error', error_code = 'abandoned', error_message = ?, lease_pid = NULL, lease_until = NULL WHERE id = ? AND status = 'pending'");
    for (const r of rows) {
      const expired = r.lease_until !== null ? r.lease_until < nowIso : Date.parse(r.at) + LEGACY_LEASE_MS < now;
      const gone = r.lease_pid !== null && !processAlive(r.lease_pid);
      if (!expired && !gone) continue;
      const why = gone ? 'The process making this call stopped before it finished' : 'This call outlived its deadline';
      if (mark.run(`${why}; its budget reservation was released.`, r.id).changes === 0) continue;
      // Every reserved call holds the same three scopes (CallRunner.limits); a counter never drops below zero.
      const tokens = cleanCount(r.reserved_tokens);
      const usdDelta = cleanUsd(r.reserved_usd);
      release.run(tokens, usdDelta, r.day, 'workspace', '*');
      release.run(tokens, usdDelta, r.day, 'user', r.profile_id ?? 'system');
      release.run(tokens, usdDelta, r.day, 'use_case', r.use_case);
      released++;
    }
    return released;
  }

  /**
   * A day's running total for one scope. A counter that is not a finite, non-negative number (written before usage
   * was validated, or edited by hand) is rebuilt from the day's usage rows, each read defensively.
   */
  spent(day: string, scope: BudgetScope, key: string): Spend {
    const c = this.getCounter.get(day, scope, key);
    if (!c) return { tokens: 0, usd: 0 };
    const ok = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0;
    if (ok(c.tokens) && ok(c.usd)) return c;
    return this.rebuildCounter(day, scope, key);
  }

  private rebuildCounter(day: string, scope: BudgetScope, key: string): Spend {
    const where = scope === 'workspace' ? '' : scope === 'user' ? "AND coalesce(profile_id, 'system') = @key" : 'AND use_case = @key';
    const rows = this.db
      .prepare(`SELECT status, tokens_in, tokens_out, cost_usd, reserved_tokens, reserved_usd FROM gateway_usage WHERE day = @day AND status NOT IN ('refused', 'cached') ${where}`)
      .all({ day, key }) as { status: string; tokens_in: unknown; tokens_out: unknown; cost_usd: unknown; reserved_tokens: unknown; reserved_usd: unknown }[];
    const total = { tokens: 0, usd: 0 };
    for (const r of rows) {
      if (r.status === 'pending') {
        total.tokens += cleanCount(r.reserved_tokens);
        total.usd += cleanUsd(r.reserved_usd);
      } else {
        total.tokens += cleanCount(r.tokens_in) + cleanCount(r.tokens_out);
        total.usd += cleanUsd(r.cost_usd);
      }
    }
    this.db.prepare('UPDATE gateway_budget_counters SET tokens = ?, usd = ? WHERE day = ? AND scope = ? AND key = ?').run(total.tokens, total.usd, day, scope, key);
    return total;
  }

  /**
   * An attempt inside a reserved call that reached the provider and was billed, but whose answer was rejected (not
   * the JSON asked for, too large) before the call moved on: a usage row of its own, added to the day's counters.
   */
  recordAttempt(r: Reservation, identity: CallIdentity, outcome: Outcome): string {
    const id = this.attemptTx(r, identity, outcome);
    this.onWritten?.();
    return id;
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
  reserve(identity: CallIdentity, estimate: Spend, perRequest: RequestLimit[], daily: DailyLimit[], plan: Pick<Outcome, 'providerKind' | 'endpoint' | 'model'>, leaseMs = LEGACY_LEASE_MS): Reservation {
    try {
      try {
        return this.reserveTx({ identity, estimate, perRequest, daily, plan, leaseMs });
      } catch (error) {
        // A refusal may be caused by reservations of calls that are gone: release those, then look again.
        if (AppError.is(error, 'budget_exceeded') && this.sweep() > 0) return this.reserveTx({ identity, estimate, perRequest, daily, plan, leaseMs });
        throw error;
      }
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
    this.insert.run({ ...this.row(id, identity, outcome, { tokens: 0, usd: 0 }), ...this.outcomeParams(id, outcome), leasePid: null, leaseUntil: null });
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
      anomaly: null,
      leasePid: null,
      leaseUntil: null,
    };
  }

  /** What a usage row stores of an outcome; counts and costs are made finite and non-negative on the way in. */
  private outcomeParams(id: string, o: Outcome): Record<string, unknown> & { tokensIn: number; tokensOut: number; costUsd: number } {
    const bad = [o.tokensIn, o.tokensOut, o.cachedTokens, o.costUsd].some((n) => !Number.isFinite(n) || n < 0);
    return {
      id,
      providerKind: o.providerKind,
      endpoint: o.endpoint,
      model: o.model,
      tokensIn: cleanCount(o.tokensIn),
      tokensOut: cleanCount(o.tokensOut),
      cachedTokens: cleanCount(o.cachedTokens),
      costUsd: cleanUsd(o.costUsd),
      anomaly: o.anomaly ?? (bad ? 'a count or cost was not a finite, non-negative number and was stored as 0' : null),
      priceKnown: o.priceKnown ? 1 : 0,
      latencyMs: Number.isFinite(o.latencyMs) ? Math.round(o.latencyMs) : null,
      status: o.status,
      errorCode: o.errorCode,
      errorMessage: o.errorMessage,
      fallbackUsed: o.fallbackUsed ? 1 : 0,
      attempts: o.attempts,
      cacheHit: o.cacheHit ? 1 : 0,
    };
  }
}

interface ReserveInput {
  identity: CallIdentity;
  estimate: Spend;
  perRequest: RequestLimit[];
  daily: DailyLimit[];
  plan: Pick<Outcome, 'providerKind' | 'endpoint' | 'model'>;
  /** How long the reservation holds without its process settling it (the call's deadline plus a margin). */
  leaseMs: number;
}

function refusal(message: string, details: Record<string, unknown>): AppError {
  return new AppError('budget_exceeded', message, details);
}
