import type { JsonOutput, StepTally } from '../model/modelStep';
import { requestJsonSchema } from '../personas/common';
import type { PersonaSpec } from '../personas/types';
import { NO_CALL, type CallOutcome } from './insightStore';
import { validateOutput } from './validate';

export interface PersonaAnswer {
  value: Record<string, unknown>;
  /** Required fields the model left out, filled with the persona's defaults (the insight flags them). */
  defaulted: string[];
}

const outputs = new WeakMap<PersonaSpec, JsonOutput<PersonaAnswer>>();

/**
 * A persona's answer for the model step: its request schema (only `summary` required, not strict) and its
 * validator, which coerces safe near-misses and fills missing fields with defaults instead of refusing the answer.
 */
export function personaOutput(spec: PersonaSpec): JsonOutput<PersonaAnswer> {
  let out = outputs.get(spec);
  if (!out) {
    out = {
      kind: 'json',
      name: spec.key,
      jsonSchema: requestJsonSchema(spec),
      validate: (raw) => {
        const v = validateOutput(spec, raw);
        return v.ok ? { ok: true, value: { value: v.value, defaulted: v.defaulted }, warnings: v.warnings } : v;
      },
    };
    outputs.set(spec, out);
  }
  return out;
}

/** The step's tally in the shape insights and coaching reports store; no call at all when nothing answered. */
export function toCallOutcome(t: StepTally): CallOutcome {
  if (t.endpoint === null) return { ...NO_CALL };
  return {
    provider: t.provider,
    model: t.model,
    endpoint: t.endpoint,
    fallbackUsed: t.fallbackUsed,
    attempts: t.attempts,
    tokensIn: t.tokensIn,
    tokensOut: t.tokensOut,
    costUsd: t.costUsd,
    latencyMs: Math.round(t.latencyMs),
  };
}
