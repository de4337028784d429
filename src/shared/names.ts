import { z } from 'zod';

/**
 * Characters no user-visible name may hold (issue 13 §1): C0 controls (NUL, newline, escape …), DEL and C1 controls,
 * and the bidirectional marks, embeddings, overrides and isolates that can make a name read differently from what
 * it is ("admin‮nimda", names that reorder a CLI table or a log line).
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_NAME_CHARS = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export const UNSAFE_NAME_MESSAGE = 'Names cannot contain control characters or invisible text-direction marks; retype the name.';

/** True when the text holds a character UNSAFE_NAME_CHARS refuses. */
export const hasUnsafeNameChars = (text: string): boolean => UNSAFE_NAME_CHARS.test(text);

/**
 * The one schema for a user-visible name (profiles, workspaces, providers, local models, schedules …): trimmed,
 * required, at most `max` characters, no control or bidi characters.
 */
export function displayName(o: { max: number; required?: string; tooLong?: string }): z.ZodString {
  return z
    .string()
    .trim()
    .min(1, o.required ?? 'Give it a name.')
    .max(o.max, o.tooLong ?? `Use at most ${o.max} characters.`)
    .refine((s) => !hasUnsafeNameChars(s), UNSAFE_NAME_MESSAGE);
}
