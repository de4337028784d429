import { z } from 'zod';
import { catalogInfo, queryResult, querySpec, timeRange } from '../analytics/spec';
import { chartSpec } from '../charts/spec';
import { defineRoute } from './define';
import { workspaceName } from './common';

export const ASK_MODES = ['auto', 'model', 'patterns'] as const;

export const askResult = z.object({
  question: z.string(),
  /** The spec the answer ran (edit it and send it to analytics.query to change the answer without asking again). */
  spec: querySpec,
  result: queryResult,
  chart: chartSpec,
  /** Sentences whose every number comes from the result. */
  summary: z.string(),
  /** Who turned the question into the spec: the model, or the built-in question patterns. */
  method: z.enum(['model', 'patterns']),
  /** The pattern that matched (method "patterns"). */
  pattern: z.string().nullable(),
  /** Repairs, fallbacks and the like, for the person reading the answer. */
  warnings: z.array(z.string()),
  model: z
    .object({
      provider: z.string().nullable(),
      model: z.string().nullable(),
      endpoint: z.string().nullable(),
      attempts: z.number().int(),
      tokensIn: z.number(),
      tokensOut: z.number(),
      costUsd: z.number(),
      latencyMs: z.number(),
    })
    .nullable(),
});
export type AskResult = z.infer<typeof askResult>;

export const questionHistoryEntry = z.object({
  id: z.number().int(),
  question: z.string(),
  spec: querySpec,
  method: z.enum(['model', 'patterns']),
  askedAt: z.string(),
});
export type QuestionHistoryEntry = z.infer<typeof questionHistoryEntry>;

export const kpiTile = z.object({
  measure: z.string(),
  label: z.string(),
  chart: chartSpec,
  /** The spec behind the tile (the click-through opens it on the Analytics page). */
  spec: querySpec,
  value: z.number().nullable(),
  previous: z.number().nullable(),
});
export type KpiTile = z.infer<typeof kpiTile>;

export const DEFAULT_DASHBOARD_TILES = ['open_tickets', 'sla_breach_rate', 'pipeline_value', 'win_rate', 'csat', 'renewals_due'] as const;

export const analyticsEvalReport = z.object({
  total: z.number().int(),
  correct: z.number().int(),
  /** correct / total: answers whose result is identical to the expected spec's. */
  accuracy: z.number(),
  byMethod: z.object({ model: z.number().int(), patterns: z.number().int() }),
  elapsedMs: z.number(),
  items: z.array(z.object({ question: z.string(), ok: z.boolean(), method: z.enum(['model', 'patterns']).nullable(), spec: querySpec.nullable(), problem: z.string().nullable() })),
});
export type AnalyticsEvalReport = z.infer<typeof analyticsEvalReport>;

const question = z.string().trim().min(3, 'Ask a question of at least a few words.').max(500, 'Keep the question under 500 characters.');

export const analyticsRoutes = {
  'analytics.catalog': defineRoute({ summary: 'The metrics catalog: measures, dimensions, grains, presets, filter operators', role: 'member', input: z.object({}), output: catalogInfo }),
  'analytics.query': defineRoute({
    summary: 'Run a query spec (measures, dimensions, filters, time range, grain, compare) → columns, rows, totals, timing',
    role: 'member',
    input: z.object({ workspace: workspaceName, spec: querySpec }),
    output: queryResult,
  }),
  'analytics.ask': defineRoute({
    summary: 'A question in plain language → query spec (model or built-in patterns) → result, chart and summary',
    role: 'member',
    input: z.object({ workspace: workspaceName, question, mode: z.enum(ASK_MODES).default('auto'), record: z.boolean().default(true) }),
    output: askResult,
  }),
  'analytics.chart': defineRoute({
    summary: 'The chart and summary for a query spec (after editing a spec on the Analytics page)',
    role: 'member',
    input: z.object({ workspace: workspaceName, spec: querySpec, title: z.string().trim().max(200).optional() }),
    output: z.object({ result: queryResult, chart: chartSpec, summary: z.string() }),
  }),
  'analytics.eval': defineRoute({
    summary: 'Ask the evaluation questions and print exact-result accuracy for the configured model (or the patterns)',
    role: 'member',
    input: z.object({ workspace: workspaceName, mode: z.enum(ASK_MODES).default('auto'), limit: z.number().int().min(1).max(1000).optional() }),
    output: analyticsEvalReport,
  }),
  'analytics.history.list': defineRoute({
    summary: 'Questions this profile asked in the workspace, newest first',
    role: 'member',
    input: z.object({ workspace: workspaceName, limit: z.number().int().min(1).max(200).default(30) }),
    output: z.object({ items: z.array(questionHistoryEntry) }),
  }),
  'analytics.history.clear': defineRoute({
    summary: "Forget this profile's questions in the workspace",
    role: 'member',
    input: z.object({ workspace: workspaceName }),
    output: z.object({ removed: z.number().int() }),
  }),
  'analytics.tiles': defineRoute({
    summary: 'The Dashboard KPI tiles: each figure with its change against the previous period',
    role: 'member',
    input: z.object({ workspace: workspaceName, timeRange: timeRange.optional() }),
    output: z.object({ measures: z.array(z.string()), tiles: z.array(kpiTile) }),
  }),
  'analytics.tiles.set': defineRoute({
    summary: 'Choose the Dashboard KPI tiles (measure names from the catalog)',
    role: 'admin',
    input: z.object({ measures: z.array(z.string().trim().min(1).max(48)).min(1, 'Pick at least one tile.').max(8, 'At most eight tiles.') }),
    output: z.object({ measures: z.array(z.string()) }),
  }),
} as const;
