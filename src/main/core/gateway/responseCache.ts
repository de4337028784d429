import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';
import type { ChatRequest, ChatResult, ProviderKind } from './types';

export interface CachedAnswer {
  result: ChatResult;
  endpoint: string;
  providerKind: ProviderKind;
}

/** JSON with object keys sorted, so equal requests serialise equally whatever order their fields were built in. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/**
 * The cache key of a chat request: the endpoint and model that would answer it first, and the request normalised
 * (message text trimmed, fields in a fixed order, defaults already applied by the policy).
 */
export function cacheKey(endpoint: string, req: ChatRequest): string {
  const normal = {
    e: endpoint.toLowerCase(),
    m: req.model,
    msg: req.messages.map((x) => ({ r: x.role, c: x.content.trim(), i: x.toolCallId, t: x.toolCalls })),
    t: req.temperature,
    p: req.topP,
    n: req.maxTokens,
    s: req.stop,
    seed: req.seed,
    rs: req.responseSchema,
    tools: req.tools,
    tc: req.toolChoice,
  };
  return createHash('sha256').update(stableStringify(normal)).digest('base64url');
}

/** Answers stored in the workspace database with an expiry; expired rows are pruned as new ones are written. */
export class ResponseCache {
  private readonly getStmt: Statement<[string, number], { value: string }>;
  private readonly putStmt: Statement<[string, string, string, string, number]>;
  private readonly pruneStmt: Statement<[number]>;
  private writes = 0;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string, number], { value: string }>('SELECT value FROM gateway_cache WHERE key = ? AND expires_at > ?');
    this.putStmt = db.prepare<[string, string, string, string, number]>(
      'INSERT INTO gateway_cache (key, use_case, value, created_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, use_case = excluded.use_case, created_at = excluded.created_at, expires_at = excluded.expires_at',
    );
    this.pruneStmt = db.prepare<[number]>('DELETE FROM gateway_cache WHERE expires_at <= ?');
  }

  get(key: string, nowMs: number): CachedAnswer | undefined {
    const row = this.getStmt.get(key, nowMs);
    return row ? (JSON.parse(row.value) as CachedAnswer) : undefined;
  }

  put(key: string, useCase: string, answer: CachedAnswer, ttlSeconds: number, now: Date): void {
    this.putStmt.run(key, useCase, JSON.stringify(answer), now.toISOString(), now.getTime() + ttlSeconds * 1000);
    if (++this.writes % 200 === 1) this.pruneStmt.run(now.getTime());
  }
}
