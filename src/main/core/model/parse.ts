import { jsonrepair } from 'jsonrepair';

export type ParseMethod = 'json' | 'fenced' | 'embedded' | 'repaired';

export interface ParsedOutput {
  value: Record<string, unknown>;
  method: ParseMethod;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function tryJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function tryRepair(text: string): Record<string, unknown> | undefined {
  try {
    return tryJson(jsonrepair(text));
  } catch {
    return undefined;
  }
}

/** Contents of ```json … ``` (or bare ```) fences, in order. An unclosed last fence counts (truncated answers). */
function fenced(text: string): string[] {
  const out: string[] = [];
  const re = /```[a-zA-Z0-9_-]*[^\S\n]*\n?([\s\S]*?)(?:```|$)/g;
  for (const m of text.matchAll(re)) if (m[1]?.trim()) out.push(m[1].trim());
  return out;
}

/**
 * Balanced {...} spans in prose, outermost first, honouring strings and escapes. An object still open at the end
 * of the text (a cut-off answer) is returned too, for the repair step to close.
 */
function embeddedObjects(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"' && depth > 0) inString = true;
    else if (ch === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' && depth > 0) {
      depth--;
      if (depth === 0) out.push(text.slice(start, i + 1));
    }
  }
  if (depth > 0 && start >= 0) out.push(text.slice(start));
  return out;
}

/**
 * Reads a JSON object out of a model's answer: plain JSON, JSON in a Markdown fence, a JSON object inside prose,
 * and, as a last step, light repair (trailing commas, single quotes, unquoted keys, a cut-off end) by jsonrepair.
 * Returns undefined when no object can be recovered.
 */
export function parseModelOutput(raw: string): ParsedOutput | undefined {
  const text = raw.trim().replace(/^\uFEFF/, '');
  if (!text) return undefined;
  const direct = tryJson(text);
  if (direct) return { value: direct, method: 'json' };

  const fences = fenced(text);
  for (const f of fences) {
    const v = tryJson(f);
    if (v) return { value: v, method: 'fenced' };
  }
  const spans = embeddedObjects(text).sort((a, b) => b.length - a.length);
  for (const s of spans) {
    const v = tryJson(s);
    if (v) return { value: v, method: 'embedded' };
  }
  // Repair, most promising candidate first: a fence, then the largest brace span. Never the whole prose: repairing
  // "Sorry, I can't" into a string is not an answer.
  for (const candidate of [...fences, ...spans]) {
    if (!candidate.trimStart().startsWith('{')) continue;
    const v = tryRepair(candidate);
    if (v) return { value: v, method: 'repaired' };
  }
  return undefined;
}
