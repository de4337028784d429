import { AppError } from '@shared/errors';
import type { Sanitizer } from './secrets';

/** Why one attempt at one endpoint failed; decides retry, fallback and the circuit breaker. */
export type FailureKind = 'http' | 'timeout' | 'network' | 'cancelled' | 'invalid_output' | 'config' | 'unsupported' | 'circuit_open' | 'stream_broken';

export interface ProviderErrorDetails {
  endpoint?: string;
  status?: number;
  failure: FailureKind;
  /** Worth trying the same endpoint again after a pause. */
  retryable: boolean;
  /** The server asked us to wait this long (Retry-After / retry-after-ms). */
  retryAfterMs?: number;
  /** Counts toward opening the endpoint's circuit breaker (availability failures, not bad requests). */
  breaker: boolean;
  [key: string]: unknown;
}

export const providerDetails = (e: unknown): ProviderErrorDetails | undefined =>
  e instanceof AppError && e.details && typeof e.details.failure === 'string' ? (e.details as ProviderErrorDetails) : undefined;

/**
 * The SDK's own error is deliberately not kept as `cause`: its body and headers can echo credentials, and a cause
 * travels into logs and crash reports. The scrubbed message and the details are all that leave.
 */
export function providerError(message: string, details: ProviderErrorDetails): AppError {
  const code = details.failure === 'cancelled' ? 'cancelled' : details.failure === 'circuit_open' || details.failure === 'config' || details.failure === 'unsupported' ? 'unavailable' : 'provider_error';
  return new AppError(code, message, details);
}

/** Parses Retry-After (seconds or an HTTP date) and the non-standard retry-after-ms. */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined | null, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const isAbort = (e: unknown): boolean => e instanceof Error && (e.name === 'AbortError' || e.name === 'APIUserAbortError');

interface HttpishError {
  status?: unknown;
  headers?: unknown;
  message?: unknown;
  name?: unknown;
}

const headerGetter = (h: unknown): { get(name: string): string | null } | undefined => {
  if (!h || typeof h !== 'object') return undefined;
  if (typeof (h as Headers).get === 'function') return h as Headers;
  const rec = h as Record<string, unknown>;
  return { get: (name) => (typeof rec[name] === 'string' ? (rec[name] as string) : null) };
};

/**
 * Turns whatever an SDK threw into a typed AppError with a scrubbed, actionable message. HTTP statuses decide:
 * 408/409/429/5xx are worth retrying; 400/401/403/404/422 are not (but the next endpoint in the chain may work).
 */
export function toProviderError(error: unknown, ctx: { endpoint: string; sanitizer: Sanitizer; signal?: AbortSignal | undefined }): AppError {
  if (error instanceof AppError) {
    if (providerDetails(error)) return error;
    return new AppError(error.code, ctx.sanitizer.clean(error.message), { ...error.details, endpoint: ctx.endpoint, failure: error.code === 'cancelled' ? 'cancelled' : 'config', retryable: false, breaker: false });
  }
  const e = error as HttpishError;
  const raw = ctx.sanitizer.clean(typeof e?.message === 'string' ? e.message : String(error)).slice(0, 500);
  const name = typeof e?.name === 'string' ? e.name : '';
  if (ctx.signal?.aborted || isAbort(error)) {
    return providerError(`The call to ${ctx.endpoint} was cancelled.`, { endpoint: ctx.endpoint, failure: 'cancelled', retryable: false, breaker: false });
  }
  if (name === 'APIConnectionTimeoutError' || /timed? ?out/i.test(raw)) {
    return providerError(`${ctx.endpoint} did not answer in time.`, { endpoint: ctx.endpoint, failure: 'timeout', retryable: true, breaker: true });
  }
  const status = typeof e?.status === 'number' ? e.status : undefined;
  if (status !== undefined) {
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    const hint =
      status === 401 || status === 403
        ? ' Check the API key and permissions of this provider.'
        : status === 404
          ? ' Check the model (or Azure deployment) name and the base URL.'
          : status === 429
            ? ' The provider is rate-limiting; calls back off and retry.'
            : '';
    const after = retryAfterMs(headerGetter(e.headers));
    return providerError(`${ctx.endpoint} answered ${status}: ${raw}${hint}`, {
      endpoint: ctx.endpoint,
      status,
      failure: 'http',
      retryable,
      breaker: retryable,
      ...(after !== undefined ? { retryAfterMs: after } : {}),
    });
  }
  if (error instanceof SyntaxError || /json|unexpected end|unexpected token/i.test(raw)) {
    return providerError(`${ctx.endpoint} sent a response that could not be read (${inParens(raw)}).`, { endpoint: ctx.endpoint, failure: 'invalid_output', retryable: true, breaker: true });
  }
  if (name === 'APIConnectionError' || /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|socket|network|fetch failed|terminated|other side closed/i.test(raw + String((error as { cause?: unknown })?.cause ?? ''))) {
    return providerError(`Could not reach ${ctx.endpoint} (${inParens(raw)}). Check the base URL and that the server is running.`, { endpoint: ctx.endpoint, failure: 'network', retryable: true, breaker: true });
  }
  return providerError(`${ctx.endpoint} failed: ${raw}`, { endpoint: ctx.endpoint, failure: 'network', retryable: true, breaker: true });
}

/** A library message quoted inside our own sentence: without its closing full stop ("(Connection error.)." reads badly). */
function inParens(raw: string): string {
  return raw.trim().replace(/[.\s]+$/u, '');
}
