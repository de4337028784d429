import { z } from 'zod';
import type { GbnfJsonSchema } from 'node-llama-cpp';
import type { JsonSchema } from '../gateway/types';

/**
 * JSON Schema → the subset node-llama-cpp turns into a grammar (GbnfJsonSchema), plus a validator for the
 * original schema.
 *
 * The grammar enforces: types, const, enum, properties (every listed property is always emitted, which any schema
 * with optional properties still accepts), additionalProperties, items/prefixItems, minItems/maxItems,
 * minLength/maxLength, date/time formats, anyOf/oneOf, $ref into $defs/definitions, and integer ranges of up to
 * MAX_ENUM_RANGE values (rewritten as an enum, so "score 1–5" is exact). It cannot enforce numeric bounds on wider
 * ranges, multipleOf, pattern, or uniqueItems; those are checked after generation by validateAgainstSchema.
 */

const MAX_ENUM_RANGE = 101;
const SCALARS = ['string', 'number', 'integer', 'boolean', 'null'] as const;
type Obj = Record<string, unknown>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Anything at all: a scalar, an open object or an open array. */
const ANY: GbnfJsonSchema = { oneOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'object', additionalProperties: true }, { type: 'array' }] };

function refName(ref: string): string {
  const m = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  if (!m) throw new Error(`Only local references into $defs are supported (got "${ref}").`);
  return m[1]!;
}

function convert(input: unknown): GbnfJsonSchema {
  if (input === true || input === undefined) return ANY;
  if (input === false) throw new Error('A schema of `false` accepts nothing.');
  if (!isObj(input)) throw new Error('Every schema must be an object.');
  const s = input;

  if (s.nullable === true) {
    const { nullable: _n, ...rest } = s;
    return { oneOf: [convert(rest), { type: 'null' }] };
  }
  if (typeof s.$ref === 'string') return { $ref: `#/$defs/${refName(s.$ref)}` } as GbnfJsonSchema;
  if ('const' in s) return { const: s.const as string | number | boolean | null };
  if (Array.isArray(s.enum)) return { enum: s.enum as (string | number | boolean | null)[] };
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) {
    const { anyOf: _a, oneOf: _o, ...shared } = s;
    // Keywords beside anyOf apply to every branch (e.g. {type: 'object', anyOf: [{properties…}]}).
    return { oneOf: union.map((branch) => convert(isObj(branch) ? { ...shared, ...branch } : branch)) };
  }
  if (Array.isArray(s.allOf)) {
    const { allOf, ...rest } = s;
    return convert(mergeAll([rest, ...(allOf as unknown[])]));
  }

  let type = s.type as string | string[] | undefined;
  if (type === undefined) {
    if (isObj(s.properties) || s.additionalProperties !== undefined) type = 'object';
    else if (s.items !== undefined || s.prefixItems !== undefined) type = 'array';
    else return ANY;
  }
  if (Array.isArray(type)) {
    if (type.length === 1) return convert({ ...s, type: type[0] });
    // A scalar-only union without per-type keywords stays one rule; anything else becomes one branch per type.
    const plain = type.every((t) => (SCALARS as readonly string[]).includes(t) && t !== 'string' && t !== 'integer');
    if (plain) return { type: type as (typeof SCALARS)[number][] };
    return { oneOf: type.map((t) => convert({ ...s, type: t })) };
  }

  switch (type) {
    case 'string': {
      const format = s.format;
      if (format === 'date' || format === 'date-time' || format === 'time') return { type: 'string', format };
      const out: Mutable<Extract<GbnfJsonSchema, { type: 'string'; minLength?: number }>> = { type: 'string' };
      if (typeof s.minLength === 'number') out.minLength = s.minLength;
      if (typeof s.maxLength === 'number') out.maxLength = s.maxLength;
      return out;
    }
    case 'integer': {
      const min = typeof s.minimum === 'number' ? Math.ceil(s.minimum) : typeof s.exclusiveMinimum === 'number' ? Math.floor(s.exclusiveMinimum) + 1 : null;
      const max = typeof s.maximum === 'number' ? Math.floor(s.maximum) : typeof s.exclusiveMaximum === 'number' ? Math.ceil(s.exclusiveMaximum) - 1 : null;
      if (min !== null && max !== null && max >= min && max - min < MAX_ENUM_RANGE) {
        const step = typeof s.multipleOf === 'number' && Number.isInteger(s.multipleOf) && s.multipleOf > 0 ? s.multipleOf : 1;
        const values: number[] = [];
        for (let v = min; v <= max; v++) if (v % step === 0) values.push(v);
        if (values.length) return { enum: values };
      }
      return { type: 'integer' };
    }
    case 'number':
    case 'boolean':
    case 'null':
      return { type };
    case 'array': {
      const out: Record<string, unknown> = { type: 'array' };
      if (Array.isArray(s.prefixItems)) out.prefixItems = s.prefixItems.map(convert);
      if (s.items !== undefined && s.items !== true) {
        if (Array.isArray(s.items)) out.prefixItems = s.items.map(convert); // draft-07 tuple form
        else if (s.items !== false) out.items = convert(s.items);
      }
      if (typeof s.minItems === 'number') out.minItems = s.minItems;
      if (typeof s.maxItems === 'number') out.maxItems = s.maxItems;
      return out as GbnfJsonSchema;
    }
    case 'object': {
      const out: Record<string, unknown> = { type: 'object' };
      if (isObj(s.properties)) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, convert(v)]));
      const extra = s.additionalProperties;
      // JSON Schema allows extra keys by default; the grammar emits none unless the schema describes them, which
      // is still valid output and keeps a small model from inventing keys.
      out.additionalProperties = extra === true ? true : isObj(extra) ? convert(extra) : false;
      if (!isObj(s.properties) && extra === undefined) out.additionalProperties = true;
      if (typeof s.minProperties === 'number' && out.additionalProperties !== false) out.minProperties = s.minProperties;
      if (typeof s.maxProperties === 'number' && out.additionalProperties !== false) out.maxProperties = s.maxProperties;
      return out as GbnfJsonSchema;
    }
    default:
      throw new Error(`Unknown JSON Schema type "${String(type)}".`);
  }
}

function mergeAll(parts: unknown[]): Obj {
  const out: Obj = {};
  for (const p of parts) {
    if (!isObj(p)) continue;
    for (const [k, v] of Object.entries(p)) {
      if (k === 'properties' && isObj(out.properties) && isObj(v)) out.properties = { ...out.properties, ...v };
      else if (k === 'required' && Array.isArray(out.required) && Array.isArray(v)) out.required = [...new Set([...(out.required as unknown[]), ...v])];
      else out[k] = v;
    }
  }
  return out;
}

/** Converts a JSON Schema for node-llama-cpp's grammar generator. Throws an Error naming the unsupported part. */
export function toGrammarSchema(schema: JsonSchema): GbnfJsonSchema {
  const defs = { ...(isObj(schema.definitions) ? schema.definitions : {}), ...(isObj(schema.$defs) ? schema.$defs : {}) };
  const root = convert(schema) as Record<string, unknown>;
  if (Object.keys(defs).length) {
    const converted = Object.fromEntries(Object.entries(defs).map(([k, v]) => [k, convert(v)]));
    // $defs may only sit on object, array, oneOf and $ref schemas; wrap anything else in a one-branch oneOf.
    if ('type' in root && (root.type === 'object' || root.type === 'array')) return { ...root, $defs: converted } as GbnfJsonSchema;
    if ('oneOf' in root) return { ...root, $defs: converted } as GbnfJsonSchema;
    return { oneOf: [root as GbnfJsonSchema], $defs: converted } as GbnfJsonSchema;
  }
  return root as GbnfJsonSchema;
}

export type SchemaCheck = { ok: true; value: unknown } | { ok: false; problem: string };

const validators = new WeakMap<object, z.ZodType | null>();

/** Parses `text` as JSON and checks it against the original schema (the keywords the grammar cannot enforce). */
export function validateAgainstSchema(text: string, schema: JsonSchema): SchemaCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
  let validator = validators.get(schema);
  if (validator === undefined) {
    try {
      validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch {
      validator = null; // A schema zod cannot read is still enforced by the grammar; nothing more to check.
    }
    validators.set(schema, validator);
  }
  if (!validator) return { ok: true, value };
  const res = validator.safeParse(value);
  if (res.success) return { ok: true, value };
  // JSON Schema counts string length in code points, zod in UTF-16 units: an emoji is one, not two. Drop the
  // length issues that only the UTF-16 count raises.
  const issues = res.error.issues.filter((issue) => !lengthOkInCodePoints(issue, value));
  if (!issues.length) return { ok: true, value };
  const issue = issues[0]!;
  return { ok: false, problem: `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` };
}

function lengthOkInCodePoints(issue: z.core.$ZodIssue, root: unknown): boolean {
  if ((issue.code !== 'too_big' && issue.code !== 'too_small') || issue.origin !== 'string') return false;
  let at: unknown = root;
  for (const key of issue.path) at = (at as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
  if (typeof at !== 'string') return false;
  const length = [...at].length;
  const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
  return issue.code === 'too_big' ? length <= limit : length >= limit;
}
