import type { JsonSchema } from './types';

export type ExtractResult = { ok: true; json: string; value: unknown } | { ok: false; reason: string };

const tryParse = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/**
 * Pulls the JSON document out of a model's answer. Native structured output returns bare JSON; prompt-based answers
 * (and some compatible servers that ignore response_format) wrap it in a Markdown fence or a sentence.
 */
export function extractJson(text: string): ExtractResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'the answer was empty' };
  const direct = tryParse(trimmed);
  if (direct.ok) return { ok: true, json: trimmed, value: direct.value };
  const fence = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(trimmed);
  if (fence?.[1]) {
    const inner = fence[1].trim();
    const p = tryParse(inner);
    if (p.ok) return { ok: true, json: inner, value: p.value };
  }
  const start = trimmed.search(/[{[]/);
  if (start >= 0) {
    const close = trimmed[start] === '{' ? '}' : ']';
    const end = trimmed.lastIndexOf(close);
    if (end > start) {
      const inner = trimmed.slice(start, end + 1);
      const p = tryParse(inner);
      if (p.ok) return { ok: true, json: inner, value: p.value };
    }
  }
  return { ok: false, reason: `the answer is not JSON (starts with ${JSON.stringify(trimmed.slice(0, 40))})` };
}

/**
 * A shallow check against the schema's top level: the right container type and the required keys. Deep validation
 * belongs to the caller, which knows the schema's meaning (the engine validates persona output with zod).
 */
export function checkTopLevel(value: unknown, schema: JsonSchema): string | null {
  const type = schema.type;
  if (type === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'expected a JSON object';
    const required = Array.isArray(schema.required) ? (schema.required as unknown[]).filter((k): k is string => typeof k === 'string') : [];
    const missing = required.filter((k) => !(k in (value as Record<string, unknown>)));
    if (missing.length) return `missing required field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  } else if (type === 'array' && !Array.isArray(value)) {
    return 'expected a JSON array';
  }
  return null;
}
