import { z } from 'zod';
import type { PersonaSpec } from './types';

/**
 * Fields every persona answers with, whatever its domain. The engine owns them: the prompt instructions below
 * describe them, the browser renders them the same way for every persona.
 */
export const COMMON_FIELDS = ['summary', 'recommendations', 'confidence', 'factors'] as const;

export const COMMON_INSTRUCTIONS = `Answer with one JSON object and nothing else. Besides your domain fields it has:
- "summary": two or three plain sentences a busy manager can act on.
- "recommendations": a list of concrete next steps, most important first, each {"action": what to do, "rationale": why, citing the data}.
- "confidence": a number from 0 to 1: how sure you are, given how complete and consistent the data is.
- "factors": the main reasons behind your assessment, each {"direction": "+" if it lowers risk or helps, "-" if it raises risk or hurts, "text": the reason, "evidence": the records it rests on}.
Evidence items are {"entityType", "entityId"} taken from the [entityType#id] tags in the context; cite only records that appear there.
Base every statement on the context. If something is unknown, say so rather than guessing.`;

const cache = new WeakMap<PersonaSpec, z.ZodObject>();

/** The full output schema of a persona: the common fields plus its domain fields. */
export function outputSchema(spec: PersonaSpec): z.ZodObject {
  const hit = cache.get(spec);
  if (hit) return hit;
  const evidence = z.object({
    entityType: z.enum(spec.evidenceTypes as [string, ...string[]]).describe('Entity type of the cited record, as in its [entityType#id] tag.'),
    entityId: z.number().int().describe('Id of the cited record, as in its [entityType#id] tag.'),
  });
  const schema = z.object({
    summary: z.string().describe('Two or three sentences a manager can act on.'),
    recommendations: z
      .array(z.object({ action: z.string().describe('What to do.'), rationale: z.string().describe('Why, citing the data.') }))
      .describe('Concrete next steps, most important first.'),
    confidence: z.number().min(0).max(1).describe('How sure the assessment is, 0 to 1.'),
    factors: z
      .array(
        z.object({
          direction: z.enum(['+', '-']).describe('"+" lowers risk or helps; "-" raises risk or hurts.'),
          text: z.string().describe('The reason.'),
          evidence: z.array(evidence).describe('Records this reason rests on.'),
        }),
      )
      .describe('Main reasons behind the assessment.'),
    ...spec.fields.shape,
  });
  cache.set(spec, schema);
  return schema;
}

const jsonCache = new WeakMap<PersonaSpec, Record<string, unknown>>();

/** JSON Schema of a persona's output, for providers with native structured output. Treat it as read-only. */
export function outputJsonSchema(spec: PersonaSpec): Record<string, unknown> {
  const hit = jsonCache.get(spec);
  if (hit) return hit;
  const { $schema: _ignored, ...schema } = z.toJSONSchema(outputSchema(spec)) as Record<string, unknown>;
  jsonCache.set(spec, schema);
  return schema;
}

const requestCache = new WeakMap<PersonaSpec, Record<string, unknown>>();

/**
 * The schema sent with a request: the full output schema, but only `summary` required at the top and not strict.
 * Providers still shape the answer by it, while a field the model leaves out reaches the engine, which fills in a
 * default and flags it, instead of the whole answer being refused.
 */
export function requestJsonSchema(spec: PersonaSpec): Record<string, unknown> {
  const hit = requestCache.get(spec);
  if (hit) return hit;
  const schema = { ...outputJsonSchema(spec), required: ['summary'] };
  requestCache.set(spec, schema);
  return schema;
}
