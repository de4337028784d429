import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/main/core/db/open';
import { ROUTE_NAMES, routes, type RouteName } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/errors';
import { makeTestCore, type TestCore } from '../../fixtures/core';

/**
 * The contract fuzz suite (issue 13 §4): for every route of the route table, generated invalid inputs — wrong
 * types, missing and extra fields, huge strings, negative and non-finite numbers, `__proto__` / `constructor` keys —
 * must end in a typed validation error, never a crash or another code, and change nothing: the app database and the
 * workspace database are compared before and after. The generator is seeded, so every run sends the same inputs.
 */

/** mulberry32: a small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType>; entries?: Record<string, unknown>; values?: unknown[]; options?: z.ZodType[]; element?: z.ZodType };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Through optional/default/nullable/pipe wrappers to the schema that shapes the value. */
function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let i = 0; i < 20; i++) {
    const d = defOf(cur);
    if (['optional', 'default', 'prefault', 'nullable', 'catch', 'readonly', 'nonoptional'].includes(d.type) && d.innerType) cur = d.innerType;
    else if (d.type === 'pipe' && d.in) cur = d.in;
    else break;
  }
  return cur;
}

const isOptional = (s: z.ZodType): boolean => (s as unknown as { safeParse(v: unknown): { success: boolean } }).safeParse(undefined).success;

/** A plausible value of a schema's type (a base that single mutations then break). */
function sample(s: z.ZodType, depth = 0): unknown {
  const d = defOf(unwrap(s));
  switch (d.type) {
    case 'string':
      return 'w';
    case 'number':
    case 'int':
      return 1;
    case 'boolean':
      return true;
    case 'enum':
      return Object.values(d.entries ?? {})[0];
    case 'literal':
      return d.values?.[0];
    case 'array':
      return [];
    case 'record':
      return {};
    case 'union':
      return d.options?.length ? sample(d.options[0]!, depth + 1) : null;
    case 'object': {
      if (depth > 4) return {};
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(d.shape ?? {})) if (!isOptional(v)) out[k] = sample(v, depth + 1);
      return out;
    }
    default:
      return null;
  }
}

const HUGE = 'x'.repeat(200_000);
/** Values no field of a sane contract accepts in every position; candidates that happen to parse are skipped. */
const BAD_VALUES: unknown[] = [
  null,
  true,
  -1,
  -1e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1.5,
  '',
  HUGE,
  'nul\u0000byte',
  [],
  [HUGE],
  {},
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  Number.MAX_SAFE_INTEGER + 2,
];
const TOP_LEVEL: unknown[] = [null, 42, -1, 'text', HUGE, [], true, Number.NaN, JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')];

/** Invalid inputs for one route: top-level garbage, each field missing, each field wrong, with an extra field. */
function candidates(route: RouteName, random: () => number): unknown[] {
  const schema = routes[route].input as z.ZodType;
  const out: unknown[] = [...TOP_LEVEL];
  const d = defOf(unwrap(schema));
  if (d.type !== 'object') return out;
  const base = sample(schema) as Record<string, unknown>;
  const keys = Object.keys(d.shape ?? {});
  for (const k of keys) {
    const { [k]: _dropped, ...missing } = base;
    out.push(missing);
    // A deterministic selection of bad values per field keeps the suite fast; the seed fixes which.
    const picks = BAD_VALUES.filter(() => random() < 0.45);
    for (const bad of picks) out.push({ ...base, [k]: bad });
    out.push({ ...base, [k]: BAD_VALUES[Math.floor(random() * BAD_VALUES.length)], zzExtraField: HUGE });
  }
  out.push({ ...base, ...JSON.parse('{"__proto__": {"polluted": true}}'), zzExtra: { constructor: { prototype: { polluted: true } } } });
  return out;
}

/** A digest of every row of every table of a database. */
function snapshot(db: Db): string {
  const h = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    h.update(`#${t}\n`);
    try {
      for (const row of db.prepare(`SELECT * FROM "${t}"`).raw().all()) h.update(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('base64') : v)));
    } catch {
      // Virtual tables of a missing extension cannot be read here; they are not written by the contract anyway.
      h.update('(unreadable)');
    }
  }
  return h.digest('hex');
}

describe('contract fuzz: every route, invalid inputs → a typed error and no change', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = makeTestCore();
    await t.core.call('workspace.create', { name: 'w' });
    await t.core.call('profiles.create', { name: 'Mia', role: 'member' });
  });
  afterAll(() => t.cleanup());

  it('rejects every generated invalid input with a validation error, changes nothing, pollutes nothing', async () => {
    const random = rng(0x13_2026);
    const appDb = t.core.services.appDb;
    const wsDb = t.core.services.workspaces.open('w');
    const before = { app: snapshot(appDb), ws: snapshot(wsDb) };
    const failures: string[] = [];
    let sent = 0;
    for (const route of ROUTE_NAMES) {
      const schema = routes[route].input as z.ZodType;
      for (const input of candidates(route, random)) {
        if (schema.safeParse(input ?? {}).success) continue; // Not invalid after all (a field that accepts anything).
        sent++;
        try {
          await t.core.invoke(route, input);
          failures.push(`${route}: accepted ${JSON.stringify(input)?.slice(0, 120)}`);
        } catch (error) {
          if (!(error instanceof AppError)) failures.push(`${route}: threw a non-AppError ${String(error).slice(0, 200)}`);
          else if (error.code !== 'validation') failures.push(`${route}: ${error.code} instead of validation (${error.message.slice(0, 120)})`);
          else if (!error.message || error.message.length > 4000) failures.push(`${route}: validation message of ${error.message.length} characters`);
        }
      }
    }
    expect(failures.join('\n')).toBe('');
    expect(sent).toBeGreaterThan(ROUTE_NAMES.length * 10);
    expect({ app: snapshot(appDb), ws: snapshot(wsDb) }).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('a member gets forbidden for admin routes whatever the input, and validation for member routes', async () => {
    const mia = t.core.services.profiles.findByName('Mia')!;
    const random = rng(7);
    for (const route of ROUTE_NAMES) {
      const input = candidates(route, random)[Math.floor(random() * 9)];
      const e = await t.core.invoke(route, input, { profileId: mia.id }).then(
        () => null,
        (error: unknown) => error as AppError,
      );
      if (routes[route].role === 'admin') expect(e?.code, route).toBe('forbidden');
      else if ((routes[route].input as z.ZodType).safeParse(input ?? {}).success === false) expect(e?.code, route).toBe('validation');
    }
  });
});
