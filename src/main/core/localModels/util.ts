import { AppError } from '@shared/errors';
import type { CallOptions } from '../gateway/types';

export interface CallSignal {
  signal: AbortSignal;
  /** Turns whatever a call threw into an AppError, telling a timeout from a cancel. */
  translate(error: unknown, model: string): AppError;
  dispose(): void;
}

/** One signal for a call: the caller's cancel plus the optional timeout. */
export function callSignal(opts: CallOptions): CallSignal {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = (): void => controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) controller.abort(opts.signal.reason);
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    opts.timeoutMs && opts.timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new Error('timeout'));
        }, opts.timeoutMs)
      : null;
  return {
    signal: controller.signal,
    translate(error, model) {
      if (timedOut) {
        return new AppError('provider_error', `${model} did not finish within ${Math.round((opts.timeoutMs ?? 0) / 1000)} s. Raise the timeout, lower max tokens, or pick a smaller model.`, { reason: 'timeout', timeoutMs: opts.timeoutMs });
      }
      if (controller.signal.aborted) return new AppError('cancelled', 'The request to the local model was cancelled.');
      if (error instanceof AppError) return error;
      return new AppError('provider_error', `The local model ${model} failed: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
    },
    dispose() {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** A push-based async iterable: producers push from callbacks, one consumer iterates. */
export class EventQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((e: unknown) => void) | null = null;
  private ended = false;
  private error: unknown = null;

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = this.failWaiting = null;
      w({ value: item, done: false });
    } else this.items.push(item);
  }

  end(): void {
    this.ended = true;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = this.failWaiting = null;
      w({ value: undefined, done: true });
    }
  }

  fail(error: unknown): void {
    this.error = error ?? new Error('stream failed');
    this.ended = true;
    if (this.failWaiting) {
      const f = this.failWaiting;
      this.waiting = this.failWaiting = null;
      f(this.error);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length) return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.error) return Promise.reject(this.error);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.failWaiting = reject;
        });
      },
    };
  }
}

/**
 * Unit-length copy of a vector. With `dimensions` below the model's, keeps the leading dimensions first (the
 * Matryoshka truncation that models such as nomic-embed v1.5 are trained for); more than the model has is an error.
 */
export function l2normalize(vector: readonly number[] | Float32Array, dimensions?: number): Float32Array {
  if (dimensions !== undefined && dimensions > vector.length) {
    throw new AppError('validation', `This model produces ${vector.length}-dimensional vectors; ${dimensions} were asked for.`);
  }
  const n = dimensions ?? vector.length;
  const out = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = vector[i]!;
    out[i] = v;
    sum += v * v;
  }
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < n; i++) out[i]! /= norm;
  return out;
}
