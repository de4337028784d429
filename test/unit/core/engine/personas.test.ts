import { Cron } from 'croner';
import { parse } from 'yaml';
import { CompiledPolicies, policyDocument } from '../../../../src/main/core/gateway/policyConfig';
import { readResource } from '../../../../src/main/core/gateway/resources';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { findContextBuilder } from '../../../../src/main/core/context/registry';
import { validateOutput } from '../../../../src/main/core/engine/validate';
import { readPath, templateFields } from '../../../../src/main/core/engine/severity';
import { COMMON_FIELDS, COMMON_INSTRUCTIONS, outputJsonSchema } from '../../../../src/main/core/personas/common';
import { PERSONAS } from '../../../../src/main/core/personas/registry';
import { ENTITY_KEYS } from '../../../../src/shared/entities';
import { SEVERITIES } from '../../../../src/shared/insights';
import { sampleAnswer } from '../../../fixtures/scriptedGateway';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; additionalProperties?: unknown; anyOf?: Schema[] };

/** Resolves a dotted path ('budget_reallocation.action') in a JSON Schema. */
function schemaAt(schema: Schema, path: string): Schema | undefined {
  let cur: Schema | undefined = schema;
  for (const part of path.split('.')) cur = cur?.properties?.[part];
  return cur;
}

/** Every object key in a schema, nested ones included. */
function keysOf(schema: Schema, out = new Set<string>()): Set<string> {
  for (const [k, s] of Object.entries(schema.properties ?? {})) {
    out.add(k);
    keysOf(s, out);
  }
  if (schema.items) keysOf(schema.items, out);
  return out;
}

function strictObjects(schema: Schema, path = '$'): string[] {
  const problems: string[] = [];
  if (schema.properties) {
    if (schema.additionalProperties !== false) problems.push(`${path} allows extra properties`);
    const req = new Set(schema.required ?? []);
    for (const k of Object.keys(schema.properties)) if (!req.has(k)) problems.push(`${path}.${k} is optional`);
    for (const [k, s] of Object.entries(schema.properties)) problems.push(...strictObjects(s, `${path}.${k}`));
  }
  if (schema.items) problems.push(...strictObjects(schema.items, `${path}[]`));
  return problems;
}

const shipped = new CompiledPolicies(policyDocument.parse(parse(readResource('policies.default.yaml'))), 0);

describe('persona registry invariants', () => {
  it('has the eight personas with unique keys, names and settings flags', () => {
    expect(PERSONAS.map((p) => p.key)).toEqual(['ticket_analyst', 'project_advisor', 'inbox_analyst', 'campaign_optimizer', 'dispatch_planner', 'vendor_analyst', 'performance_coach', 'customer_success']);
    expect(new Set(PERSONAS.map((p) => p.key)).size).toBe(PERSONAS.length);
    expect(new Set(PERSONAS.map((p) => p.name)).size).toBe(PERSONAS.length);
    expect(new Set(PERSONAS.map((p) => p.settingsFlag)).size).toBe(PERSONAS.length);
  });

  describe.each(PERSONAS.map((p) => [p.key, p] as const))('%s', (key, spec) => {
    const schema = outputJsonSchema(spec) as Schema;

    it('declares its identity', () => {
      expect(spec.key).toMatch(/^[a-z][a-z_]+$/);
      expect(spec.name.length).toBeGreaterThan(3);
      expect(spec.description.length).toBeGreaterThan(20);
      expect(spec.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(spec.settingsFlag).toBe(`persona.${key}.enabled`);
    });

    it('has a known context builder for its entity type', () => {
      const builder = findContextBuilder(spec.contextBuilder);
      expect(builder, `context builder ${spec.contextBuilder}`).toBeDefined();
      expect(builder!.entityType).toBe(spec.entityType);
      expect(ENTITY_KEYS).toContain(spec.entityType);
      expect(spec.contextBudgetChars).toBeGreaterThanOrEqual(2_000);
      expect(spec.contextBudgetChars).toBeLessThanOrEqual(50_000);
    });

    it('cites evidence only of entity types that exist, its own included', () => {
      for (const t of spec.evidenceTypes) expect(ENTITY_KEYS, `evidence type ${t}`).toContain(t);
      expect(spec.evidenceTypes).toContain(spec.entityType);
    });

    it('keeps domain fields apart from the common ones', () => {
      for (const c of COMMON_FIELDS) expect(Object.keys(spec.fields.shape)).not.toContain(c);
      expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining([...COMMON_FIELDS, ...Object.keys(spec.fields.shape)]));
    });

    it('describes every schema field in its prompt', () => {
      const domainKeys = keysOf(outputJsonSchema({ ...spec, evidenceTypes: spec.evidenceTypes }) as Schema);
      const commonKeys = ['summary', 'recommendations', 'action', 'rationale', 'confidence', 'factors', 'direction', 'text', 'evidence', 'entityType', 'entityId'];
      for (const k of domainKeys) {
        const prompt = commonKeys.includes(k) ? COMMON_INSTRUCTIONS : spec.systemPrompt;
        expect(prompt, `field "${k}" is described in the prompt`).toContain(`"${k}"`);
      }
      // And the prompt names no field the schema lacks.
      for (const m of spec.systemPrompt.matchAll(/^- "([a-z_]+)":/gm)) expect(domainKeys, `prompt field ${m[1]}`).toContain(m[1]);
    });

    it('produces a strict JSON Schema (all properties required, no extras) for native structured output', () => {
      expect(strictObjects(schema)).toEqual([]);
    });

    it('has a valid cron schedule and a TTL that outlives the gap between runs', () => {
      const cron = new Cron(spec.schedule, { paused: true, timezone: 'UTC', mode: '5-part' });
      const [a, b] = cron.nextRuns(2, new Date('2026-01-05T00:00:00Z'));
      expect(a).toBeInstanceOf(Date);
      const gapHours = (b!.getTime() - a!.getTime()) / 3_600_000;
      expect(spec.ttlHours).toBeGreaterThanOrEqual(gapHours);
      expect(spec.ttlHours).toBeGreaterThanOrEqual(1);
      expect(spec.ttlHours).toBeLessThanOrEqual(24 * 90);
    });

    it('severity rules and the title refer to real fields with valid values', () => {
      expect(SEVERITIES).toContain(spec.severity.otherwise);
      expect(spec.severity.rules.length).toBeGreaterThan(0);
      for (const rule of spec.severity.rules) {
        expect(SEVERITIES).toContain(rule.severity);
        for (const c of rule.when) {
          const field = schemaAt(schema, c.field);
          expect(field, `severity field ${c.field}`).toBeDefined();
          if (field!.enum && (c.op === 'eq' || c.op === 'in')) {
            for (const v of c.op === 'eq' ? [c.value] : c.value) expect(field!.enum, `${c.field} value ${String(v)}`).toContain(v);
          }
          if (c.op === 'minItems') expect(field!.type).toBe('array');
        }
      }
      for (const f of templateFields(spec.title)) if (f !== 'entityTitle') expect(schemaAt(schema, f), `title field ${f}`).toBeDefined();
    });

    it('has defaults that fit the schema, for every enum field', () => {
      for (const [k, v] of Object.entries(spec.defaults)) {
        const field = spec.fields.shape[k] as z.ZodType | undefined;
        expect(field, `default for unknown field ${k}`).toBeDefined();
        expect(field!.safeParse(v).success, `default for ${k}`).toBe(true);
      }
      for (const [k, s] of Object.entries(schema.properties ?? {})) {
        if (s.enum && !COMMON_FIELDS.includes(k as never)) expect(Object.keys(spec.defaults), `enum field ${k} needs a default`).toContain(k);
      }
    });

    it('the shipped gateway policy serves it with the parameters it is designed for', () => {
      const policy = shipped.resolve(`persona.${key}`);
      expect(policy.from, 'an explicit entry in resources/policies.default.yaml').toContain(`persona.${key}`);
      expect(policy.temperature).toBe(spec.defaultPolicy.temperature);
      expect(policy.maxTokens).toBeGreaterThanOrEqual(spec.defaultPolicy.maxTokens);
      expect(policy.timeoutMs).toBeGreaterThanOrEqual(spec.defaultPolicy.timeoutMs);
    });

    it('accepts a well-formed answer and classifies it', () => {
      const v = validateOutput(spec, sampleAnswer(spec, 1));
      expect(v.ok).toBe(true);
      if (v.ok) {
        expect(v.defaulted).toEqual([]);
        for (const f of Object.keys(spec.fields.shape)) expect(readPath(v.value, f)).toBeDefined();
      }
    });
  });
});
