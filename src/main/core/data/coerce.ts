import type { ColumnSpec } from '@shared/entities';

export type Coerced = { ok: true; value: string | number | null } | { ok: false; reason: string };

const ok = (value: string | number | null): Coerced => ({ ok: true, value });
const bad = (reason: string): Coerced => ({ ok: false, reason });

const TRUE = new Set(['true', 'yes', 'y', '1', 't']);
const FALSE = new Set(['false', 'no', 'n', '0', 'f']);
const MAX_TEXT = 100_000;

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Normalises an enum-like input: "Closed Won" → "closed_won". */
export const normaliseEnum = (raw: string): string => raw.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** Turns one CSV cell into the value stored for a column, or says why it cannot. */
export function coerce(col: ColumnSpec, rawInput: string | undefined): Coerced {
  const raw = (rawInput ?? '').trim();
  if (raw === '') return col.default !== undefined ? ok(col.default) : col.required ? bad(`${col.label} is required`) : ok(null);
  const range = (n: number): Coerced => {
    if (col.min !== undefined && n < col.min) return bad(`${col.label} must be at least ${col.min} (got ${raw})`);
    if (col.max !== undefined && n > col.max) return bad(`${col.label} must be at most ${col.max} (got ${raw})`);
    return ok(n);
  };
  switch (col.type) {
    case 'id':
    case 'integer': {
      if (!/^[-+]?\d+$/.test(raw)) return bad(`${col.label} must be a whole number (got "${raw}")`);
      const n = Number(raw);
      if (!Number.isSafeInteger(n)) return bad(`${col.label} is too large (got ${raw})`);
      if (col.type === 'id' && n <= 0) return bad(`${col.label} must be a positive whole number (got ${raw})`);
      return range(n);
    }
    case 'number': {
      const cleaned = /^[$€£]?\s?[-+]?[\d,]*\.?\d+%?$/.test(raw) ? raw.replace(/[$€£,\s]/g, '') : raw;
      const pct = cleaned.endsWith('%');
      const n = Number(pct ? cleaned.slice(0, -1) : cleaned);
      if (!Number.isFinite(n) || cleaned === '') return bad(`${col.label} must be a number (got "${raw}")`);
      return range(pct ? n / 100 : n);
    }
    case 'boolean': {
      const v = raw.toLowerCase();
      if (TRUE.has(v)) return ok(1);
      if (FALSE.has(v)) return ok(0);
      return bad(`${col.label} must be yes/no or true/false (got "${raw}")`);
    }
    case 'date': {
      if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
        const t = Date.parse(`${raw}T00:00:00Z`);
        if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== raw) return bad(`${col.label} is not a real date (got ${raw})`);
        return ok(raw);
      }
      const t = Date.parse(raw);
      if (Number.isNaN(t)) return bad(`${col.label} must be a date like 2026-03-31 (got "${raw}")`);
      return ok(new Date(t).toISOString().slice(0, 10));
    }
    case 'datetime': {
      const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
      if (Number.isNaN(t)) return bad(`${col.label} must be a date and time like 2026-03-31T14:00:00Z (got "${raw}")`);
      return ok(isoSeconds(t));
    }
    case 'enum': {
      const v = normaliseEnum(raw);
      if (col.values?.includes(v)) return ok(v);
      return bad(`${col.label} must be one of ${col.values?.join(', ')} (got "${raw}")`);
    }
    case 'text':
    case 'longtext':
      if (raw.length > MAX_TEXT) return bad(`${col.label} is longer than ${MAX_TEXT} characters`);
      return ok(raw);
  }
}

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Suggests which CSV header feeds each entity column, by name or label, ignoring case and punctuation. */
export function suggestMapping(columns: readonly ColumnSpec[], headers: readonly string[]): Record<string, string | null> {
  const byKey = new Map(headers.map((h) => [squash(h), h]));
  const mapping: Record<string, string | null> = {};
  for (const col of columns) {
    const candidates = [col.name, col.label, col.name.replace(/_id$/, ''), col.label.replace(/\s*\(.*\)\s*/, '')];
    mapping[col.name] = candidates.map((k) => byKey.get(squash(k))).find((h) => h !== undefined) ?? null;
  }
  return mapping;
}
