import { z } from 'zod';
import { INSIGHT_STATUSES, INSIGHT_TYPES, SEVERITIES, dataPoint, insight, insightSummary } from '../insights';
import { defineRoute } from './define';
import { id, isoDateTime, jobStarted, workspaceName } from './common';

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);
const dateOrTime = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z)?$/, 'Use YYYY-MM-DD or an ISO UTC time.');
const note = z.string().trim().max(2_000, 'Keep the note under 2,000 characters.').optional();

export const COACHING_CATEGORIES = ['strategy', 'operations', 'finance', 'marketing', 'leadership'] as const;
export const COACHING_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;

export const coachingInsight = z.object({
  category: z.enum(COACHING_CATEGORIES),
  priority: z.enum(COACHING_PRIORITIES),
  title: z.string(),
  description: z.string(),
  suggestedActions: z.array(z.string()),
  metrics: z.array(z.object({ name: z.string(), value: z.string() })),
});
export type CoachingInsight = z.infer<typeof coachingInsight>;

export const coachingReport = z.object({
  id: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  insights: z.array(coachingInsight),
  summary: z.object({ byCategory: z.record(z.string(), z.number().int()), byPriority: z.record(z.string(), z.number().int()) }),
  /** Data sources that could not be read; the report was built from the rest. */
  missingSources: z.array(z.object({ source: z.string(), reason: z.string() })),
  sources: z.array(z.string()),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  fallbackUsed: z.boolean(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costUsd: z.number(),
});
export type CoachingReport = z.infer<typeof coachingReport>;

/** An anomaly or trend card on the dashboard: the summary plus the series it was found in. */
export const insightCard = insightSummary.extend({ dataPoints: z.array(dataPoint), fields: z.record(z.string(), z.unknown()) });
export type InsightCard = z.infer<typeof insightCard>;

const ref = z.object({ workspace: workspaceName, id });

export const insightRoutes = {
  'insights.list': defineRoute({
    summary: 'A page of insights with filters, full-text search and sort',
    role: 'member',
    input: z.object({
      workspace: workspaceName,
      type: oneOrMany(z.enum(INSIGHT_TYPES)).optional(),
      domain: oneOrMany(z.string().min(1)).optional(),
      persona: oneOrMany(z.string().min(1)).optional(),
      severity: oneOrMany(z.enum(SEVERITIES)).optional(),
      status: oneOrMany(z.enum(INSIGHT_STATUSES)).optional(),
      entityType: z.string().min(1).optional(),
      entityId: z.number().int().optional(),
      from: dateOrTime.optional(),
      to: dateOrTime.optional(),
      search: z.string().max(200).optional(),
      runId: z.string().optional(),
      sort: z.object({ column: z.enum(['createdAt', 'severity', 'confidence', 'title', 'status']), desc: z.boolean() }).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    output: z.object({ items: z.array(insightSummary), total: z.number().int() }),
  }),
  'insights.get': defineRoute({ summary: 'One insight with its fields, evidence, cost and history', role: 'member', input: ref, output: insight }),
  'insights.acknowledge': defineRoute({ summary: 'Acknowledge an insight, with an optional note', role: 'member', input: ref.extend({ note }), output: insight }),
  'insights.action': defineRoute({ summary: 'Mark an insight as actioned, with an optional note', role: 'member', input: ref.extend({ note }), output: insight }),
  'insights.dismiss': defineRoute({ summary: 'Dismiss an insight, with an optional note', role: 'member', input: ref.extend({ note }), output: insight }),
  'insights.undo': defineRoute({
    summary: 'Undo the latest acknowledge, action or dismiss (the toast’s Undo); recorded in the insight’s history',
    role: 'member',
    input: ref.extend({ status: z.enum(INSIGHT_STATUSES, { message: 'Give the status the insight has now.' }) }),
    output: insight,
  }),
  'insights.analyze': defineRoute({
    summary: 'Run a persona on one record now; a job whose result names the insight',
    role: 'member',
    input: z.object({
      workspace: workspaceName,
      persona: z.string().min(1),
      /** The record's id, or the code people see (TCK-000575, PRJ-0007) or "#12". */
      entityId: z.union([z.number().int().min(1), z.string().trim().min(1, 'Give the record’s id or code.').max(100)]),
      /**
       * "Analyze again": run even when the record did not change since its open insight (which the new one supersedes).
       * Without it, an unchanged record's job ends with status "unchanged" and the open insight's id.
       */
      force: z.boolean().default(false),
    }),
    output: jobStarted,
  }),
  'insights.scan': defineRoute({
    summary: "Run a persona over the records that need it (skipping unchanged ones); a job with progress and cancel",
    role: 'member',
    input: z.object({
      workspace: workspaceName,
      persona: z.string().min(1),
      limit: z.number().int().min(1).max(10_000).default(50),
      /** Re-analyse records even when their data did not change since the last live insight. */
      force: z.boolean().default(false),
    }),
    output: jobStarted,
  }),
  'insights.retry': defineRoute({
    summary: 'Run a failed analysis again; a job whose result names the new insight (the failed one is superseded)',
    role: 'member',
    input: ref,
    output: jobStarted,
  }),
  'insights.delete': defineRoute({
    summary: 'Delete a failed or superseded insight (open findings are dismissed, not deleted); recorded in the audit trail',
    role: 'member',
    input: ref,
    output: z.object({ deleted: z.string() }),
  }),
  'insights.expire': defineRoute({
    summary: 'Run the TTL sweep now: open insights past their expiry become expired',
    role: 'member',
    input: z.object({ workspace: workspaceName }),
    output: z.object({ expired: z.number().int() }),
  }),
  'coaching.get': defineRoute({
    summary: 'The cached workspace coaching report (null until generated), and whether it is older than a day',
    role: 'member',
    input: z.object({ workspace: workspaceName }),
    output: z.object({ report: coachingReport.nullable(), stale: z.boolean() }),
  }),
  'coaching.refresh': defineRoute({
    summary: 'Generate a fresh coaching report; a job whose result is the report',
    role: 'member',
    input: z.object({ workspace: workspaceName }),
    output: jobStarted,
  }),
  'detectors.run': defineRoute({
    summary: 'Run anomaly and trend detection over the workspace metrics (no model); a job',
    role: 'member',
    input: z.object({ workspace: workspaceName }),
    output: jobStarted,
  }),
  'dashboard.summary': defineRoute({
    summary: 'Open insights by severity, status and domain, with the latest anomaly and trend cards',
    role: 'member',
    input: z.object({ workspace: workspaceName }),
    output: z.object({
      severityCounts: z.record(z.string(), z.number().int()),
      statusCounts: z.record(z.string(), z.number().int()),
      domainCounts: z.record(z.string(), z.number().int()),
      openTotal: z.number().int(),
      last24h: z.number().int(),
      anomalies: z.array(insightCard),
      trends: z.array(insightCard),
      lastDetectorsRunAt: isoDateTime.nullable(),
      coaching: coachingReport.shape.summary.nullable(),
    }),
  }),
} as const;
