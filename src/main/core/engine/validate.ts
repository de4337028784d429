import type { PersonaSpec } from '../personas/types';
import { outputJsonSchema, outputSchema } from '../personas/common';

type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
};

export type ValidationResult =
  | { ok: true; value: Record<string, unknown>; defaulted: string[]; warnings: string[] }
  | { ok: false; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const types = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);
const nullable = (s: Schema): boolean => types(s).includes('null') || (s.anyOf?.some((a) => types(a).includes('null')) ?? false);
const norm = (v: string): string => v.trim().toLowerCase().replace(/[\s-]+/g, '_');

class Coercer {
  readonly defaulted: string[] = [];
  readonly warnings: string[] = [];
  constructor(private readonly defaults: Record<string, unknown>) {}

  /** The value a missing field gets: the persona's default for top-level fields, else one by type. */
  fallback(schema: Schema, path: string): unknown {
    if (Object.hasOwn(this.defaults, path)) return structuredClone(this.defaults[path]);
    if (nullable(schema)) return null;
    if (schema.enum) return schema.enum[0];
    const t = types(schema)[0];
    if (t === 'string') return '';
    if (t === 'number' || t === 'integer') return schema.minimum ?? 0;
    if (t === 'boolean') return false;
    if (t === 'array') return [];
    if (t === 'object') return this.object(schema, {}, path, true);
    return null;
  }

  value(schema: Schema, v: unknown, path: string): unknown {
    if (schema.anyOf) {
      const branch = schema.anyOf.find((a) => !types(a).includes('null')) ?? schema.anyOf[0]!;
      return v === null && nullable(schema) ? null : this.value(branch, v, path);
    }
    if (v === null && nullable(schema)) return null;
    if (schema.enum) return this.enumValue(schema, v, path);
    const t = types(schema).find((x) => x !== 'null');
    switch (t) {
      case 'object':
        return this.object(schema, v, path, false);
      case 'array':
        return this.array(schema, v, path);
      case 'string':
        return this.string(v, path);
      case 'number':
      case 'integer':
        return this.number(schema, v, path, t === 'integer');
      case 'boolean':
        return this.boolean(schema, v, path);
      default:
        return v;
    }
  }

  private object(schema: Schema, v: unknown, path: string, silent: boolean): Record<string, unknown> {
    let obj = v;
    if (typeof obj === 'string') {
      try {
        obj = JSON.parse(obj) as unknown;
      } catch {
        obj = undefined;
      }
    }
    const src = isObject(obj) ? obj : {};
    const out: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      const p = path ? `${path}.${key}` : key;
      const present = Object.hasOwn(src, key) && src[key] !== undefined && !(src[key] === null && !nullable(prop));
      if (!present) {
        out[key] = this.fallback(prop, p);
        if (!silent && (schema.required ?? []).includes(key)) this.defaulted.push(p);
        continue;
      }
      out[key] = this.value(prop, src[key], p);
    }
    return out;
  }

  private array(schema: Schema, v: unknown, path: string): unknown[] {
    let arr: unknown[];
    if (Array.isArray(v)) arr = v;
    else if (v === null || v === undefined || v === '') arr = [];
    else {
      arr = [v];
      this.warnings.push(`${path}: a single value was turned into a list`);
    }
    const items = schema.items ?? {};
    return arr.map((item, i) => this.value(items, item, `${path}[${i}]`));
  }

  private string(v: unknown, path: string): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      this.warnings.push(`${path}: a list was joined into text`);
      return v.join('; ');
    }
    this.warnings.push(`${path}: a structured value was written out as text`);
    return JSON.stringify(v);
  }

  private number(schema: Schema, v: unknown, path: string, integer: boolean): number {
    let n: number;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*%?\s*$/.test(v)) {
      n = Number.parseFloat(v);
      if (v.includes('%') && schema.maximum === 1) n /= 100;
    } else if (typeof v === 'string' && /^(?:[a-z_]+#)?\d+$/.test(v.trim())) n = Number(/\d+$/.exec(v.trim())![0]);
    else if (typeof v === 'boolean') n = v ? 1 : 0;
    else {
      this.defaulted.push(path);
      return this.fallback(schema, path) as number;
    }
    if (!Number.isFinite(n)) {
      this.defaulted.push(path);
      return this.fallback(schema, path) as number;
    }
    // A 0–1 field answered as a percentage (85 for 0.85).
    if (schema.maximum === 1 && schema.minimum === 0 && n > 1 && n <= 100) {
      n /= 100;
      this.warnings.push(`${path}: read ${String(v)} as a percentage`);
    }
    if (integer && !Number.isInteger(n)) n = Math.round(n);
    if (schema.minimum !== undefined && n < schema.minimum) {
      this.warnings.push(`${path}: ${n} raised to the minimum ${schema.minimum}`);
      n = schema.minimum;
    }
    if (schema.maximum !== undefined && n > schema.maximum) {
      this.warnings.push(`${path}: ${n} lowered to the maximum ${schema.maximum}`);
      n = schema.maximum;
    }
    return n;
  }

  private boolean(schema: Schema, v: unknown, path: string): boolean {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') {
      const s = norm(v);
      if (['true', 'yes', 'y', '1'].includes(s)) return true;
      if (['false', 'no', 'n', '0'].includes(s)) return false;
    }
    this.defaulted.push(path);
    return this.fallback(schema, path) as boolean;
  }

  private enumValue(schema: Schema, v: unknown, path: string): unknown {
    const options = schema.enum ?? [];
    if (options.includes(v)) return v;
    if (typeof v === 'string') {
      const s = norm(v);
      // Case, spaces and hyphens, and singular/plural entity names ("ticket" for "tickets").
      const hit = options.find((o) => typeof o === 'string' && (norm(o) === s || norm(o) === `${s}s` || `${norm(o)}s` === s));
      if (hit !== undefined) return hit;
    }
    this.defaulted.push(path);
    this.warnings.push(`${path}: ${JSON.stringify(v)} is not one of ${options.map((o) => JSON.stringify(o)).join(', ')}`);
    return this.fallback(schema, path);
  }
}

/**
 * Validates a parsed answer against the persona's schema. Safe coercions are applied (numbers in strings, case of
 * enum values, a lone value for a list, a percentage for a 0–1 score, clamping to the range); a missing required
 * field gets its default and is listed in `defaulted` so the insight can flag it. Anything the coercions cannot fix
 * fails validation.
 */
export function validateOutput(spec: PersonaSpec, raw: Record<string, unknown>): ValidationResult {
  const c = new Coercer(spec.defaults);
  const schema = outputJsonSchema(spec) as Schema;
  const coerced = c.value(schema, raw, '');
  const required = schema.required ?? [];
  const missing = required.filter((k) => c.defaulted.includes(k));
  if (missing.length * 2 > required.length) {
    return { ok: false, problem: `the answer does not follow the output format: ${missing.length} of ${required.length} fields are missing (${missing.slice(0, 5).join(', ')})` };
  }
  const parsed = outputSchema(spec).safeParse(coerced);
  if (!parsed.success) {
    const problem = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`)
      .join('; ');
    return { ok: false, problem };
  }
  return { ok: true, value: parsed.data as Record<string, unknown>, defaulted: c.defaulted, warnings: c.warnings };
}
