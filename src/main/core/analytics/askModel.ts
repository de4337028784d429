import { z } from 'zod';
import { ANALYTICS_GRAINS, FILTER_OPS, querySpec, TIME_PRESETS, type QuerySpec } from '@shared/analytics/spec';
import { AppError } from '@shared/errors';
import type { ChatMessage, Gateway } from '../gateway/types';
import { runModelStep, type JsonOutput, type ModelStepResult } from '../model/modelStep';
import { neutralize, untrustedBlock } from '../prompt/untrusted';
import { DIMENSIONS, MEASURES, measureDimensions } from './catalog';
import { validateSpec } from './validate';

/**
 * Question → query spec through the gateway (use case `analytics.ask`). The model sees the catalog's names and
 * descriptions and answers with a spec whose names are constrained to the catalog (an enum in the JSON schema);
 * the answer is then checked like any spec (validate.ts) and asked again once with the refusal, which lists the
 * valid names nearest first. The model never writes SQL and never computes a figure.
 */

export const ASK_USE_CASE = 'analytics.ask';

const measureNames = MEASURES.map((m) => m.name) as [string, ...string[]];
const dimensionNames = DIMENSIONS.map((d) => d.name) as [string, ...string[]];

/** The spec with names limited to the catalog: what the provider is told to produce. */
export const modelSpecSchema = z.object({
  measures: z.array(z.enum(measureNames)).min(1).max(6),
  dimensions: z.array(z.enum(dimensionNames)).max(3).default([]),
  filters: z
    .array(z.object({ field: z.enum(dimensionNames), op: z.enum(FILTER_OPS), values: z.array(z.union([z.string(), z.number()])).default([]) }))
    .max(12)
    .default([]),
  timeRange: z.union([z.object({ preset: z.enum(TIME_PRESETS) }), z.object({ from: z.string(), to: z.string() })]).default({ preset: 'all_time' }),
  grain: z.enum(ANALYTICS_GRAINS).optional(),
  compare: z.boolean().default(false),
  sort: z.object({ by: z.string(), desc: z.boolean().default(true) }).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});

/** Near-misses models make: null for absent, "Win_Rate", a lone string for a list, a preset as a bare string. */
export function coerceSpec(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(typeof value.spec === 'object' && value.spec !== null ? (value.spec as Record<string, unknown>) : value) };
  for (const k of Object.keys(out)) if (out[k] === null) delete out[k];
  const list = (x: unknown): unknown => (typeof x === 'string' ? [x] : x);
  const lower = (x: unknown): unknown => (Array.isArray(x) ? x.map((s) => (typeof s === 'string' ? s.trim().toLowerCase().replace(/[\s-]+/g, '_') : s)) : x);
  if ('measures' in out) out.measures = lower(list(out.measures));
  if ('dimensions' in out) out.dimensions = lower(list(out.dimensions));
  if (typeof out.timeRange === 'string') out.timeRange = { preset: out.timeRange };
  if (typeof out.grain === 'string') out.grain = out.grain.toLowerCase();
  if (Array.isArray(out.filters)) {
    out.filters = out.filters.map((f: unknown) => {
      if (typeof f !== 'object' || f === null) return f;
      const g = { ...(f as Record<string, unknown>) };
      if ('value' in g && !('values' in g)) g.values = list(g.value);
      delete g.value;
      if (typeof g.values === 'string' || typeof g.values === 'number') g.values = [g.values];
      return g;
    });
  }
  return out;
}

function inputSchema(): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(modelSpecSchema, { io: 'input' }) as Record<string, unknown>;
  return rest;
}

/** The answer's check: the constrained schema, then the catalog's own validation (supported dimensions, filters, sort). */
export const specOutput: JsonOutput<QuerySpec> = {
  kind: 'json',
  name: 'analytics_query_spec',
  // The input form: fields with defaults are optional (the output form would require them, and the gateway checks required fields).
  jsonSchema: inputSchema(),
  validate: (value) => {
    const shaped = modelSpecSchema.safeParse(coerceSpec(value));
    if (!shaped.success) {
      const i = shaped.error.issues[0]!;
      return { ok: false, problem: `${i.path.join('.') || 'answer'}: ${i.message}` };
    }
    try {
      return { ok: true, value: validateSpec(querySpec.parse(shaped.data)).spec };
    } catch (error) {
      return { ok: false, problem: error instanceof AppError ? error.message : 'the spec is not valid' };
    }
  },
};

function catalogText(): string {
  const measures = MEASURES.map((m) => `- ${m.name}: ${m.description} Dimensions: ${measureDimensions(m).join(', ')}.`);
  const dims = DIMENSIONS.map((d) => `- ${d.name}: ${d.description}${d.values ? ` Values: ${d.values.join(', ')}.` : ''}`);
  return `Measures:\n${measures.join('\n')}\n\nDimensions:\n${dims.join('\n')}\n\nTime presets: ${TIME_PRESETS.join(', ')}. Grains: ${ANALYTICS_GRAINS.join(', ')}. Filter operators: ${FILTER_OPS.join(', ')}.`;
}

const SYSTEM = [
  'You turn a business question into a query spec over a fixed metrics catalog. Answer with one JSON object only.',
  'Use only measure and dimension names from the catalog. Put a breakdown ("by owner") in dimensions; put a time series ("by month", "over time", "trend") in grain, not in dimensions.',
  'Use a time preset for relative periods ("last quarter" → last_quarter) and {from, to} (YYYY-MM-DD, inclusive) for explicit dates.',
  'Set compare to true when the question asks for a change against the previous period. Filters match dimension values, e.g. {"field":"priority","op":"eq","values":["urgent"]}.',
  'Never compute figures and never write SQL: the app runs the spec.',
].join('\n');

export function askMessages(question: string, referenceDay: string): ChatMessage[] {
  // The question is a person's own text, but it may be pasted from records: it passes the untrusted-text step.
  const q = neutralize(question, { maxChars: 500 }).text;
  return [
    { role: 'system', content: `${SYSTEM}\n\n${catalogText()}` },
    { role: 'user', content: `Reference day (today for relative periods): ${referenceDay}.\n\n${untrustedBlock('untrusted', q)}\n\nReply with the query spec JSON.` },
  ];
}

export function askModel(gateway: Gateway, args: { workspace: string; question: string; referenceDay: string; profileId: string | null; signal?: AbortSignal | undefined }): Promise<ModelStepResult<QuerySpec>> {
  return runModelStep(gateway, {
    meta: { workspace: args.workspace, useCase: ASK_USE_CASE, profileId: args.profileId, subject: 'analytics.ask' },
    messages: askMessages(args.question, args.referenceDay),
    output: specOutput,
    retries: 1,
    signal: args.signal,
  });
}
