import type { z } from 'zod';
import type { EntityGroup } from '@shared/entities';
import type { Severity } from '@shared/insights';

/** Persona domains are entity groups: the part of the business a persona looks after. */
export type PersonaDomain = Extract<EntityGroup, 'support' | 'projects' | 'inbox' | 'marketing' | 'dispatch' | 'vendors' | 'performance' | 'success'>;

/**
 * One condition of a severity rule, read against the validated output (common fields included). Rules are data so
 * the invariant tests can check every field they name exists in the persona's schema.
 */
export type SeverityCondition =
  | { field: string; op: 'eq'; value: string | number | boolean }
  | { field: string; op: 'in'; value: readonly (string | number)[] }
  | { field: string; op: 'gte' | 'lte'; value: number }
  /** Array field with at least `value` items. */
  | { field: string; op: 'minItems'; value: number };

export interface SeverityRule {
  /** All conditions must hold. */
  when: readonly SeverityCondition[];
  severity: Severity;
}

/** The highest severity among matching rules wins; `otherwise` applies when none match. */
export interface SeverityClassifier {
  rules: readonly SeverityRule[];
  otherwise: Severity;
}

/**
 * The model parameters a persona is designed for. The workspace's gateway policy for `persona.<key>` is what applies
 * (an admin can change it); the shipped policy document must serve every persona with at least these, which an
 * invariant test checks.
 */
export interface PersonaPolicy {
  temperature: number;
  maxTokens: number;
  timeoutMs: number;
}

/**
 * A persona is data: the engine reads these fields and never branches on a persona's key. Adding a persona means
 * adding one spec file and listing it in the registry; the invariant tests then check it.
 */
export interface PersonaSpec {
  key: string;
  name: string;
  domain: PersonaDomain;
  description: string;
  /** Bumped when the prompt, schema or rules change; a new version re-analyses records whose data did not change. */
  version: string;
  /** The entity type the persona analyses (a key of src/shared/entities.ts). */
  entityType: string;
  /** Which context builder assembles its input (src/main/core/context/registry.ts). */
  contextBuilder: string;
  /** Upper bound on the context sent to the model, in characters. */
  contextBudgetChars: number;
  systemPrompt: string;
  /** The persona's own output fields; the engine adds the common fields (summary, recommendations, confidence, factors). */
  fields: z.ZodObject;
  /**
   * Values used when the model leaves a required field out (the insight flags the field). Fields without an entry
   * fall back by type: '' for text, the minimum (or 0) for numbers, false, [] for lists. Enums need an entry.
   */
  defaults: Record<string, unknown>;
  /** Entity types the factors may cite as evidence. */
  evidenceTypes: readonly string[];
  severity: SeverityClassifier;
  /** Title template: {entityTitle} and {field_name} placeholders, filled from the validated output. */
  title: string;
  /** How long an insight stays live before the TTL sweep expires it. */
  ttlHours: number;
  /** Cron expression (5 fields, UTC) for the scheduled scan. */
  schedule: string;
  /** Settings key that switches the persona on and off (persona.<key>.enabled). */
  settingsFlag: string;
  defaultPolicy: PersonaPolicy;
}
