import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { defineRoute } from './define';
import { id, jobRef } from './common';

export const jobStatus = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted']);
export type JobStatus = z.infer<typeof jobStatus>;

export const serializedError = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const jobInfo = z.object({
  jobId: id,
  kind: z.string(),
  workspace: z.string().nullable(),
  status: jobStatus,
  phase: z.string(),
  done: z.number(),
  total: z.number().nullable(),
  ratePerSec: z.number().nullable(),
  etaMs: z.number().nullable(),
  message: z.string().nullable(),
  result: z.unknown().nullable(),
  error: serializedError.nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type JobInfo = z.infer<typeof jobInfo>;

export const isFinished = (s: JobStatus): boolean => s !== 'queued' && s !== 'running';

export const jobRoutes = {
  'jobs.list': defineRoute({
    summary: 'Recent background jobs (imports, demo generation, indexing, scans)',
    role: 'member',
    input: z.object({ workspace: z.string().optional(), limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }),
    output: z.object({ jobs: z.array(jobInfo) }),
  }),
  'jobs.get': defineRoute({ summary: 'One job with its progress', role: 'member', input: jobRef, output: jobInfo }),
  'jobs.cancel': defineRoute({ summary: 'Cancel a running job; its partial work is rolled back', role: 'member', input: jobRef, output: jobInfo }),
} as const;
