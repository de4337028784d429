import { AppError } from '@shared/errors';

/** Full-jitter exponential backoff (AWS architecture blog): a random wait in [0, min(cap, base·2^attempt)]. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** Waits, or rejects with `cancelled` as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(new AppError('cancelled', 'The call was cancelled.')) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AppError('cancelled', 'The call was cancelled.'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AppError('cancelled', 'The call was cancelled.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive availability failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe call is let through. */
  cooldownMs: number;
}

/**
 * A circuit breaker for one endpoint. Closed: calls pass; N consecutive failures open it. Open: calls are refused
 * at once (the chain moves on to the next endpoint) until the cool-down passes. Half-open: exactly one probe call
 * passes; its success closes the circuit, its failure opens it again for another cool-down.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private stateValue: BreakerState = 'closed';

  constructor(
    private readonly options: BreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.stateValue === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) return 'half_open';
    return this.stateValue;
  }

  /** Milliseconds until an open circuit lets a probe through. */
  retryInMs(): number {
    return this.stateValue === 'open' ? Math.max(0, this.options.cooldownMs - (this.now() - this.openedAt)) : 0;
  }

  /** Asks to make a call. False means "skip this endpoint"; true obliges the caller to report success or failure. */
  tryAcquire(): boolean {
    const s = this.state;
    if (s === 'closed') return true;
    if (s === 'open') return false;
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    this.stateValue = 'half_open';
    return true;
  }

  success(): void {
    this.failures = 0;
    this.probeInFlight = false;
    this.stateValue = 'closed';
  }

  failure(): void {
    this.failures += 1;
    if (this.stateValue === 'half_open' || this.failures >= this.options.failureThreshold) {
      this.stateValue = 'open';
      this.openedAt = this.now();
    }
    this.probeInFlight = false;
  }

  /** A call that neither proved nor disproved the endpoint (cancelled, bad request): release a probe slot. */
  release(): void {
    if (this.stateValue === 'half_open') {
      this.probeInFlight = false;
      // Back to open but immediately eligible for another probe.
      this.stateValue = 'open';
      this.openedAt = this.now() - this.options.cooldownMs;
    }
  }
}
