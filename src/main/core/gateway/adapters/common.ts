import type { Sanitizer } from '../secrets';
import type { TokenEstimator } from '../tokens';
import type { ChatRequest, JsonSchema, ModelInfo, ProviderKind, Usage } from '../types';

export interface AdapterDeps {
  sanitizer: Sanitizer;
  tokens: TokenEstimator;
}

export const zeroUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, cachedTokens: 0 });

/** When a server reports no usage (some compatible servers, cut streams), estimate it rather than record zero. */
export function estimatedUsage(deps: AdapterDeps, kind: ProviderKind, req: Pick<ChatRequest, 'messages'>, output: string): Usage {
  return { inputTokens: deps.tokens.messages(req.messages, kind), outputTokens: deps.tokens.text(output), cachedTokens: 0 };
}

/** A guess at what a model id is for, from its name; providers rarely say. */
export function guessModelKind(id: string): ModelInfo['kind'] {
  if (/embed/i.test(id)) return 'embedding';
  if (/whisper|transcri|speech|tts|audio/i.test(id)) return 'audio';
  return 'chat';
}

/**
 * OpenAI's strict structured outputs accept only schemas where every object lists all its properties as required
 * and forbids additional ones. Strict mode is used when the schema already has that shape, unless the caller says.
 */
export function isStrictCompatible(schema: unknown, depth = 0): boolean {
  if (depth > 32 || schema === null || typeof schema !== 'object') return true;
  const s = schema as JsonSchema;
  if (s.type === 'object' || s.properties) {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    const required = Array.isArray(s.required) ? (s.required as string[]) : [];
    if (s.additionalProperties !== false) return false;
    if (Object.keys(props).some((k) => !required.includes(k))) return false;
    if (Object.values(props).some((p) => !isStrictCompatible(p, depth + 1))) return false;
  }
  for (const key of ['items', 'not'] as const) if (s[key] && !isStrictCompatible(s[key], depth + 1)) return false;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = s[key];
    if (Array.isArray(list) && list.some((x) => !isStrictCompatible(x, depth + 1))) return false;
  }
  for (const key of ['$defs', 'definitions'] as const) {
    const defs = s[key];
    if (defs && typeof defs === 'object' && Object.values(defs as Record<string, unknown>).some((x) => !isStrictCompatible(x, depth + 1))) return false;
  }
  return true;
}

/** Parses tool-call argument text into an object for SDKs that want one (Anthropic, Gemini). */
export function parseArgs(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { _raw: text };
  }
}
