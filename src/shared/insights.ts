import { z } from 'zod';
import { ERROR_CODES } from './errors';

/**
 * The insight model shared by the engine, the contract and the renderer. An insight is one finding about one record
 * (or the workspace as a whole), with the evidence behind it and a lifecycle people move it through.
 */

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severity>;
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/**
 * pending → completed | failed; a completed insight can then be acknowledged, actioned or dismissed (each with who,
 * when and a note); the TTL sweep moves anything still open past its expiry to expired. A newer analysis of the same
 * record by the same persona (a changed record, "Analyze again", a retry) marks the open or failed one superseded.
 * A cancelled run leaves no insight at all (ADR 0098).
 */
export const INSIGHT_STATUSES = ['pending', 'completed', 'failed', 'acknowledged', 'actioned', 'dismissed', 'expired', 'superseded'] as const;
export const insightStatus = z.enum(INSIGHT_STATUSES);
export type InsightStatus = z.infer<typeof insightStatus>;

/** What a person can do to an insight, and the status each action leads to. */
export const INSIGHT_ACTIONS = { acknowledge: 'acknowledged', action: 'actioned', dismiss: 'dismissed' } as const satisfies Record<string, InsightStatus>;
export type InsightAction = keyof typeof INSIGHT_ACTIONS;
/** Which statuses each action may start from. */
export const ACTION_FROM: Record<InsightAction, readonly InsightStatus[]> = {
  acknowledge: ['completed'],
  action: ['completed', 'acknowledged'],
  dismiss: ['completed', 'acknowledged'],
};
/** Statuses that still count as a live finding (hash-skip, dashboards). */
export const OPEN_STATUSES: readonly InsightStatus[] = ['completed', 'acknowledged'];

export const INSIGHT_TYPES = ['persona', 'anomaly', 'trend'] as const;
export const insightType = z.enum(INSIGHT_TYPES);
export type InsightType = z.infer<typeof insightType>;

export const TRIGGERS = ['on_demand', 'scheduled', 'event'] as const;
export const trigger = z.enum(TRIGGERS);
export type Trigger = z.infer<typeof trigger>;

/** Failure codes on a failed insight: the app's error codes plus one for answers that were not usable JSON. */
export const INSIGHT_ERROR_CODES = [...ERROR_CODES, 'invalid_output'] as const;
export type InsightErrorCode = (typeof INSIGHT_ERROR_CODES)[number];

export const evidenceRef = z.object({ entityType: z.string(), entityId: z.number().int() });
export type EvidenceRef = z.infer<typeof evidenceRef>;

export const factor = z.object({ direction: z.enum(['+', '-']), text: z.string(), evidence: z.array(evidenceRef) });
export type Factor = z.infer<typeof factor>;

export const recommendation = z.object({ action: z.string(), rationale: z.string() });
export type Recommendation = z.infer<typeof recommendation>;

/** A point of a metric series carried by anomaly and trend insights. */
export const dataPoint = z.object({ date: z.string(), value: z.number().nullable(), baseline: z.number().nullable().optional(), flagged: z.boolean().optional() });
export type DataPoint = z.infer<typeof dataPoint>;

export const insightHistoryEntry = z.object({
  at: z.string(),
  actor: z.string().nullable(),
  action: z.string(),
  note: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

/** One row of the insights browser. */
export const insightSummary = z.object({
  id: z.string(),
  type: insightType,
  personaKey: z.string().nullable(),
  domain: z.string(),
  entityType: z.string().nullable(),
  entityId: z.number().int().nullable(),
  entityTitle: z.string().nullable(),
  status: insightStatus,
  severity: severity.nullable(),
  title: z.string(),
  summary: z.string(),
  confidence: z.number().nullable(),
  trigger,
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  errorCode: z.string().nullable(),
});
export type InsightSummary = z.infer<typeof insightSummary>;

/** The full insight: structured fields, evidence, and who answered at what cost. */
export const insight = insightSummary.extend({
  personaVersion: z.string().nullable(),
  promptVersion: z.string().nullable(),
  recommendations: z.array(recommendation),
  factors: z.array(factor),
  /** The persona's domain fields (priority_score, churn_risk, …), described by the persona's output schema. */
  fields: z.record(z.string(), z.unknown()),
  /** Required fields the model left out; they hold a default value and should be read with care. */
  defaultedFields: z.array(z.string()),
  /** Repairs and clean-ups applied to the answer (JSON repaired, evidence dropped, values coerced). */
  warnings: z.array(z.string()),
  /** Evidence references to records the prompt did not show the model, dropped from the factors. */
  evidenceDropped: z.number().int(),
  dataPoints: z.array(dataPoint).nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  endpoint: z.string().nullable(),
  fallbackUsed: z.boolean(),
  attempts: z.number().int().nullable(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costUsd: z.number(),
  latencyMs: z.number().int().nullable(),
  contextHash: z.string().nullable(),
  contextChars: z.number().int().nullable(),
  /** PII redacted from the context before it left the machine: counts by kind, never values. */
  redactions: z.record(z.string(), z.number().int()).nullable(),
  actor: z.string().nullable(),
  runId: z.string().nullable(),
  errorMessage: z.string().nullable(),
  completedAt: z.string().nullable(),
  statusChangedAt: z.string().nullable(),
  statusChangedBy: z.string().nullable(),
  statusNote: z.string().nullable(),
  history: z.array(insightHistoryEntry),
});
export type Insight = z.infer<typeof insight>;
