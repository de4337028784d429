import { z } from 'zod';
import { Cron } from 'croner';
import { reportParams } from '../reports/templates';
import { defineRoute } from './define';
import { workspaceName } from './common';

/** Report templates, runs (history) and schedules (ADR 0084). Rendering itself is ADR 0080. */

export const templateKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{2,40}$/, 'Template keys are lower-case words joined by _ (list them with: report templates).');

const absolutePath = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'Give an absolute path.');

export const timeZoneName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'Unknown time zone: use an IANA name such as Europe/London or UTC.');

/** Five-field cron (minute hour day month weekday), checked by croner, the scheduler's parser. */
export const cronExpression = z
  .string()
  .trim()
  .min(9)
  .max(120)
  .superRefine((expr, ctx) => {
    if (expr.split(/\s+/).length !== 5) {
      ctx.addIssue({ code: 'custom', message: 'Use five cron fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1" for Mondays at 09:00.' });
      return;
    }
    try {
      new Cron(expr, { paused: true, mode: '5-part' });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `Not a valid cron expression: ${error instanceof Error ? error.message : String(error)}.` });
    }
  });

export const REPORT_RUN_STATUSES = ['running', 'ok', 'failed', 'cancelled'] as const;
export const reportRunStatus = z.enum(REPORT_RUN_STATUSES);

export const reportRunInfo = z.object({
  id: z.string(),
  template: z.string(),
  title: z.string(),
  params: z.record(z.string(), z.string()),
  status: reportRunStatus,
  /** Why the run failed: the failed sections with their reasons, or the error. */
  failure: z.string().nullable(),
  fingerprint: z.string().nullable(),
  /** Narrative numbers the figures do not contain (flagged in the report). */
  flagged: z.number().int(),
  format: z.enum(['pdf', 'html']),
  file: z.string().nullable(),
  csvDir: z.string().nullable(),
  bytes: z.number().int().nullable(),
  pages: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  jobId: z.string().nullable(),
  scheduleId: z.string().nullable(),
  trigger: z.enum(['manual', 'schedule', 'cli']),
  createdBy: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Whether the file is still where the run put it. */
  fileExists: z.boolean(),
});
export type ReportRunInfo = z.infer<typeof reportRunInfo>;

export const reportScheduleInfo = z.object({
  id: z.string(),
  template: z.string(),
  params: z.record(z.string(), z.string()),
  cron: z.string(),
  timezone: z.string(),
  outDir: z.string(),
  enabled: z.boolean(),
  nextRunAt: z.string().nullable(),
  /** The next few run times (ISO, UTC), for the list and the form. */
  upcoming: z.array(z.string()),
  lastRunAt: z.string().nullable(),
  lastStatus: z.string().nullable(),
  lastRunId: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
});
export type ReportScheduleInfo = z.infer<typeof reportScheduleInfo>;

const templateSummary = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  parameters: z.array(z.string()),
  defaultRange: z.object({ days: z.number(), direction: z.enum(['past', 'future']) }),
  compareWith: z.string(),
  sections: z.array(z.object({ kind: z.string(), id: z.string(), title: z.string() })),
});

const runInput = z.object({
  workspace: workspaceName,
  template: templateKey,
  params: reportParams.default({ compare: 'previous_period' }),
  /** The PDF (or HTML) file to write; default: a dated file in the app's reports folder. */
  out: absolutePath.optional(),
  format: z.enum(['pdf', 'html']).default('pdf'),
  /** Also write each table as CSV into this folder. */
  csvDir: absolutePath.optional(),
});

const runOutput = z.object({ run: reportRunInfo, jobId: z.string() });

export const reportRoutes = {
  'reports.templates': defineRoute({
    summary: 'Report templates: parameters and sections',
    role: 'member',
    input: z.object({}).default({}),
    output: z.object({ templates: z.array(templateSummary) }),
  }),
  'reports.run': defineRoute({
    summary: 'Generate a report (PDF or HTML, optionally CSV of each table) as a job; it appears in the history',
    role: 'member',
    input: runInput,
    output: runOutput,
  }),
  'reports.rerun': defineRoute({
    summary: 'Generate a report again with the same template and parameters',
    role: 'member',
    input: z.object({ workspace: workspaceName, id: z.string().min(1).max(64) }),
    output: runOutput,
  }),
  'reports.preview': defineRoute({
    summary: 'A report as self-contained HTML (no file is written, no history entry)',
    role: 'member',
    input: z.object({ workspace: workspaceName, template: templateKey, params: reportParams.default({ compare: 'previous_period' }), theme: z.enum(['light', 'dark']).default('light') }),
    output: z.object({
      html: z.string(),
      status: z.enum(['ok', 'failed']),
      failures: z.array(z.object({ sectionId: z.string(), title: z.string(), reason: z.string() })),
      flagged: z.number().int(),
      fingerprint: z.string(),
    }),
  }),
  'reports.history': defineRoute({
    summary: 'Report runs, newest first',
    role: 'member',
    input: z.object({ workspace: workspaceName, template: templateKey.optional(), limit: z.number().int().min(1).max(500).default(50) }),
    output: z.object({ runs: z.array(reportRunInfo) }),
  }),
  'reports.get': defineRoute({
    summary: 'One report run',
    role: 'member',
    input: z.object({ workspace: workspaceName, id: z.string().min(1).max(64) }),
    output: reportRunInfo,
  }),
  'reports.delete': defineRoute({
    summary: 'Delete a report run from the history (and its files, unless keepFiles)',
    role: 'member',
    input: z.object({ workspace: workspaceName, id: z.string().min(1).max(64), keepFiles: z.boolean().default(false) }),
    output: z.object({ deleted: z.boolean(), filesRemoved: z.number().int() }),
  }),
  'reports.open': defineRoute({
    summary: "Open a report's file (or show it in its folder) with the system's viewer; the web host downloads instead",
    role: 'member',
    input: z.object({ workspace: workspaceName, id: z.string().min(1).max(64), reveal: z.boolean().default(false) }),
    output: z.object({ opened: z.boolean(), path: z.string(), reason: z.string().nullable() }),
  }),
  'reports.download': defineRoute({
    summary: "A report's file as base64, for hosts that download instead of opening (web)",
    role: 'member',
    input: z.object({ workspace: workspaceName, id: z.string().min(1).max(64) }),
    output: z.object({ name: z.string(), mime: z.string(), base64: z.string() }),
  }),
  'reports.schedules.list': defineRoute({
    summary: 'Report schedules with their next runs and last status',
    role: 'member',
    input: z.object({ workspace: workspaceName }),
    output: z.object({ schedules: z.array(reportScheduleInfo) }),
  }),
  'reports.schedules.add': defineRoute({
    summary: 'Schedule a report: cron in a time zone, an output folder',
    role: 'member',
    input: z.object({
      workspace: workspaceName,
      template: templateKey,
      params: reportParams.default({ compare: 'previous_period' }),
      cron: cronExpression,
      timezone: timeZoneName.default('UTC'),
      outDir: absolutePath,
    }),
    output: reportScheduleInfo,
  }),
  'reports.schedules.remove': defineRoute({
    summary: 'Remove a report schedule (its past runs stay in the history)',
    role: 'member',
    input: z.object({ workspace: workspaceName, id: z.string().min(1).max(64) }),
    output: z.object({ removed: z.boolean() }),
  }),
  'reports.schedules.preview': defineRoute({
    summary: 'The next run times of a cron expression in a time zone',
    role: 'member',
    input: z.object({ cron: cronExpression, timezone: timeZoneName.default('UTC'), count: z.number().int().min(1).max(20).default(5) }),
    output: z.object({ next: z.array(z.string()) }),
  }),
} as const;
