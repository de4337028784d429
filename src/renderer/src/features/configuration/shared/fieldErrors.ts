import type { z } from 'zod';
import { AppError } from '@shared/errors';

export type FieldErrors = Record<string, string>;

/** zod issues → the first message per field, keyed by the dotted path ('headers.X-Team', 'apiKey'). */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * A refusal from the core → field errors. Contract validation failures carry `details.issues` with paths; other
 * refusals (a name already taken, a kind missing what it needs) are matched to a field where the message makes it
 * clear, else reported for the whole form.
 */
export function appFieldErrors(error: unknown, hints: Record<string, RegExp> = {}): FieldErrors {
  const e = error instanceof AppError ? error : AppError.wrap(error);
  const issues = e.details?.issues;
  if (Array.isArray(issues) && issues.length > 0) {
    const out: FieldErrors = {};
    for (const raw of issues as { path?: unknown; message?: unknown }[]) {
      const path = Array.isArray(raw.path) ? raw.path.map(String).join('.') : '';
      if (typeof raw.message === 'string') out[path || '_form'] ??= raw.message;
    }
    return out;
  }
  for (const [field, pattern] of Object.entries(hints)) if (pattern.test(e.message)) return { [field]: e.message };
  return { _form: e.message };
}
