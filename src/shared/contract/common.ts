import { z } from 'zod';
import { hasUnsafeNameChars, UNSAFE_NAME_MESSAGE } from '../names';

/** Workspace names are also shown in file pickers and CLI output, so keep them printable and short. */
export const workspaceName = z
  .string()
  .trim()
  .min(1, 'Give the workspace a name.')
  .max(64, 'Use at most 64 characters.')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'Use letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.')
  .refine((s) => !hasUnsafeNameChars(s), UNSAFE_NAME_MESSAGE);

export const workspaceRef = z.object({ workspace: workspaceName });

export const isoDateTime = z.string().datetime({ offset: true });
export const id = z.string().min(1).max(128);

export const page = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
});

export const jobRef = z.object({ jobId: id });
export const jobStarted = z.object({ jobId: id });

export const ok = z.object({ ok: z.literal(true) });
