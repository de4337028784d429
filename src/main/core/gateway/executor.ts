import { AppError } from '@shared/errors';
import type { Hop } from './adapterPool';
import { providerDetails, providerError, toProviderError } from './errors';
import type { Policy } from './policyConfig';
import { backoffDelay } from './resilience';

export interface AttemptContext {
  signal: AbortSignal;
  /** Streams call this on every chunk: the timeout then measures silence, not total length. */
  touch(): void;
  attempt: number;
}

export interface ExecuteOptions {
  policy: Policy;
  signal?: AbortSignal | undefined;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  /** Before the first attempt at each hop (budget re-reservation for its model); may throw to stop the chain. */
  beforeHop?: (hop: Hop, index: number) => void;
  /** Streams: true once output reached the caller, after which retrying or falling back would repeat it. */
  committed?: () => boolean;
}

export interface Attempted {
  attempts: number;
  /** The hop that answered, or the last one tried. */
  hop: Hop | null;
  fallbackUsed: boolean;
}

export type Executed<T> = ({ ok: true; value: T; hop: Hop } | { ok: false; error: AppError }) & Attempted;

interface AttemptTimer {
  signal: AbortSignal;
  touch(): void;
  readonly timedOut: boolean;
  /** Settles when the attempt is aborted (timeout or cancel), so an adapter that ignores its signal cannot hang us. */
  aborted: Promise<never>;
  dispose(): void;
}

function attemptTimer(parent: AbortSignal | undefined, ms: number): AttemptTimer {
  const ctrl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctrl.abort();
  }, ms);
  const onParent = (): void => ctrl.abort();
  if (parent?.aborted) ctrl.abort();
  else parent?.addEventListener('abort', onParent, { once: true });
  const aborted = new Promise<never>((_, reject) => {
    const fire = (): void => reject(new AppError('cancelled', 'The attempt was aborted.'));
    if (ctrl.signal.aborted) fire();
    else ctrl.signal.addEventListener('abort', fire, { once: true });
  });
  aborted.catch(() => undefined);
  return {
    signal: ctrl.signal,
    touch: () => timer.refresh(),
    aborted,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

const cancelled = (): AppError => new AppError('cancelled', 'The call was cancelled.', { failure: 'cancelled', retryable: false, breaker: false });

/**
 * Runs one call along its fallback chain. Per hop: skip it if its circuit is open or its adapter could not be
 * built; otherwise try up to 1 + retries times with a per-attempt timeout, backing off with full jitter between
 * attempts and honouring Retry-After (a wait longer than backoff.max_ms moves on to the next hop instead).
 * Non-retryable failures (bad request, auth) go straight to the next hop. Cancellation stops everything.
 */
export async function execute<T>(hops: readonly Hop[], run: (hop: Hop, ctx: AttemptContext) => Promise<T>, o: ExecuteOptions): Promise<Executed<T>> {
  const failures: { endpoint: string; error: AppError }[] = [];
  let attempts = 0;
  let lastHop: Hop | null = null;
  const { policy } = o;

  for (let h = 0; h < hops.length; h++) {
    const hop = hops[h]!;
    const name = hop.endpoint.name;
    if (o.signal?.aborted) return { ok: false, error: cancelled(), attempts, hop: lastHop, fallbackUsed: h > 0 };
    if (hop.error) {
      failures.push({ endpoint: name, error: hop.error });
      continue;
    }
    if (!hop.breaker.tryAcquire()) {
      const secs = Math.ceil(hop.breaker.retryInMs() / 1000);
      failures.push({
        endpoint: name,
        error: providerError(`${name} is paused after repeated failures; it is tried again in about ${secs} s.`, { endpoint: name, failure: 'circuit_open', retryable: false, breaker: false }),
      });
      continue;
    }
    try {
      o.beforeHop?.(hop, h);
    } catch (error) {
      hop.breaker.release();
      return { ok: false, error: AppError.wrap(error), attempts, hop: lastHop ?? hop, fallbackUsed: h > 0 };
    }
    lastHop = hop;
    let lastError: AppError | null = null;
    for (let attempt = 0; attempt <= policy.retries; attempt++) {
      attempts++;
      const timer = attemptTimer(o.signal, policy.timeoutMs);
      try {
        const value = await Promise.race([run(hop, { signal: timer.signal, touch: timer.touch, attempt }), timer.aborted]);
        hop.breaker.success();
        return { ok: true, value, hop, attempts, fallbackUsed: h > 0 };
      } catch (raw) {
        if (o.signal?.aborted) {
          hop.breaker.release();
          return { ok: false, error: cancelled(), attempts, hop, fallbackUsed: h > 0 };
        }
        let err = providerDetails(raw) ? (raw as AppError) : toProviderError(raw, { endpoint: name, sanitizer: hop.sanitizer, signal: timer.signal });
        if (timer.timedOut) {
          err = providerError(`${name} did not answer within ${policy.timeoutMs} ms.`, { endpoint: name, failure: 'timeout', retryable: true, breaker: true });
        }
        const d = providerDetails(err);
        if (d?.breaker) hop.breaker.failure();
        else hop.breaker.release();
        lastError = err;
        if (o.committed?.()) {
          // Output already reached the caller: a retry or another endpoint would repeat or contradict it.
          const partial = typeof d?.partialChars === 'number' ? d.partialChars : null;
          return {
            ok: false,
            error: providerError(`The answer from ${name} broke off${partial !== null ? ` after ${partial} characters` : ''}: ${err.message} Ask again to get a complete answer.`, {
              endpoint: name,
              failure: 'stream_broken',
              retryable: false,
              breaker: false,
            }),
            attempts,
            hop,
            fallbackUsed: h > 0,
          };
        }
        if (!d?.retryable || attempt === policy.retries || hop.breaker.state !== 'closed') break;
        if (d.retryAfterMs !== undefined && d.retryAfterMs > policy.backoff.maxMs) break;
        const delay = Math.max(backoffDelay(attempt, policy.backoff.baseMs, policy.backoff.maxMs, o.random), d.retryAfterMs ?? 0);
        try {
          await o.sleep(delay, o.signal);
        } catch {
          return { ok: false, error: cancelled(), attempts, hop, fallbackUsed: h > 0 };
        }
      } finally {
        timer.dispose();
      }
    }
    if (lastError) failures.push({ endpoint: name, error: lastError });
  }
  return { ok: false, error: combine(policy.useCase, failures), attempts, hop: lastHop, fallbackUsed: hops.length > 1 && lastHop !== hops[0] };
}

/** One endpoint's error speaks for itself; several are joined so the person sees every reason at once. */
function combine(useCase: string, failures: { endpoint: string; error: AppError }[]): AppError {
  if (failures.length === 1) return failures[0]!.error;
  const unavailable = failures.every((f) => f.error.code === 'unavailable');
  const last = failures[failures.length - 1]!;
  return new AppError(
    unavailable ? 'unavailable' : 'provider_error',
    `No endpoint could answer for "${useCase}" — ${failures.map((f) => `${f.endpoint}: ${f.error.message}`).join(' | ')}`,
    {
      ...(providerDetails(last.error) ?? {}),
      failures: failures.map((f) => ({ endpoint: f.endpoint, code: f.error.code, message: f.error.message })),
    },
  );
}
