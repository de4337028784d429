/**
 * Typed application errors. Every failure that crosses a boundary (IPC, HTTP, CLI) is an AppError with a
 * code from this list and a message a person can act on. Anything else is wrapped as `internal`.
 */
export const ERROR_CODES = [
  'validation',
  'not_found',
  'forbidden',
  'conflict',
  'budget_exceeded',
  'provider_error',
  'unavailable',
  'cancelled',
  'internal',
  'rate_limited',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a person should do about each code, used when a message alone would leave them stuck. */
export const ERROR_HINTS: Record<ErrorCode, string> = {
  validation: 'Check the highlighted fields and try again.',
  not_found: 'It may have been deleted or renamed; refresh and pick it again.',
  forbidden: 'Ask an admin to do this, or switch to an admin profile.',
  conflict: 'Something with that name already exists or changed meanwhile; pick another name or refresh.',
  budget_exceeded: 'Raise the limit under Configuration → Budgets, or wait for it to reset.',
  provider_error: 'Check the provider under Configuration → Providers and test the connection.',
  unavailable: 'The resource is busy or offline; try again in a moment.',
  cancelled: 'The operation was cancelled; nothing was changed.',
  internal: 'This is a bug. The details were logged; please report it.',
  rate_limited: 'Too many requests of this kind in a short time; wait the few seconds the message names and try again.',
};

export interface SerializedAppError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown> | undefined;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toJSON(): SerializedAppError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static is(value: unknown, code?: ErrorCode): value is AppError {
    return value instanceof AppError && (code === undefined || value.code === code);
  }

  /** Rebuilds an AppError on the far side of a transport. Unknown shapes become `internal`. */
  static fromJSON(value: unknown): AppError {
    if (value && typeof value === 'object') {
      const v = value as Partial<SerializedAppError>;
      if (typeof v.code === 'string' && (ERROR_CODES as readonly string[]).includes(v.code) && typeof v.message === 'string') {
        return new AppError(v.code, v.message, v.details ?? undefined);
      }
    }
    return new AppError('internal', 'An unexpected error crossed the app boundary.');
  }

  /** Wraps anything thrown into an AppError without leaking stack traces or secrets into the message. */
  static wrap(error: unknown, fallbackMessage = 'Something went wrong inside Intelligence Desk.'): AppError {
    if (error instanceof AppError) return error;
    if (error instanceof Error && error.name === 'AbortError') {
      return new AppError('cancelled', 'The operation was cancelled; nothing was changed.');
    }
    return new AppError('internal', fallbackMessage, undefined, { cause: error });
  }
}

export const appError = (code: ErrorCode, message: string, details?: Record<string, unknown>): AppError =>
  new AppError(code, message, details);
