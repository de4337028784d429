import { randomUUID } from 'node:crypto';
import type { MemoryItem, MemoryType, RetentionClass } from '@shared/contract/copilot';
import { createRedactor, totalRedactions } from '../context/redact';
import type { MemoryRecord, MemoryRepo } from '../repositories';

/** How long each retention class keeps an item; null = until forgotten. */
export const RETENTION_MS: Record<RetentionClass, number | null> = {
  '1h': 3_600_000,
  '30d': 30 * 86_400_000,
  '1y': 365 * 86_400_000,
  permanent: null,
};

export const toMemoryItem = (r: MemoryRecord): MemoryItem => ({
  id: r.id,
  type: r.type as MemoryType,
  retention: r.retention as RetentionClass,
  content: r.content,
  source: r.source,
  redactions: r.redactions,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
});

/** Builds the stored form of a memory: PII replaced by tokens with the app's redaction, expiry from its class. */
export function newMemory(input: { profileId: string; type: MemoryType; retention: RetentionClass; content: string; source?: string | null | undefined }, now: Date): MemoryRecord {
  const redactor = createRedactor();
  const content = redactor.redact(input.content);
  const ttl = RETENTION_MS[input.retention];
  return {
    id: randomUUID(),
    profileId: input.profileId,
    type: input.type,
    retention: input.retention,
    content,
    source: input.source ?? null,
    redactions: totalRedactions(redactor.counts),
    createdAt: now.toISOString(),
    expiresAt: ttl === null ? null : new Date(now.getTime() + ttl).toISOString(),
  };
}

const STOP = new Set('a an and are as at be by for from has have how i in is it its me my of on or our so that the their them this to was we were what when where which who why will with you your'.split(' '));

export const terms = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 1 && !STOP.has(t));

/** Term sets of stored memories by id (their text never changes once stored); bounded, oldest entries dropped. */
const BAGS = new Map<string, Set<string>>();
const BAG_CACHE = 5_000;
function bagOf(item: MemoryRecord): Set<string> {
  let bag = BAGS.get(item.id);
  if (!bag) {
    bag = new Set(terms(item.content));
    if (BAGS.size >= BAG_CACHE) BAGS.delete(BAGS.keys().next().value!);
    BAGS.set(item.id, bag);
  }
  return bag;
}

/**
 * Relevance is lexical (ADR 0063): the share of the query's distinct terms an item contains, weighted by how rare
 * each term is among the candidates (an idf), with a small boost for recent items. No embeddings: memories are few
 * per profile, and this runs on every turn inside the overhead budget.
 */
export function rankMemories(query: string, items: readonly MemoryRecord[], now: Date): { item: MemoryRecord; score: number }[] {
  const q = [...new Set(terms(query))];
  if (q.length === 0 || items.length === 0) return [];
  const bags = items.map(bagOf);
  const df = new Map(q.map((t) => [t, bags.filter((b) => b.has(t)).length]));
  const out: { item: MemoryRecord; score: number }[] = [];
  items.forEach((item, i) => {
    let s = 0;
    for (const t of q) if (bags[i]!.has(t)) s += Math.log(1 + items.length / (df.get(t) ?? 1));
    if (s <= 0) return;
    const ageDays = Math.max(0, (now.getTime() - Date.parse(item.createdAt)) / 86_400_000);
    out.push({ item, score: s * (1 + 0.2 / (1 + ageDays)) });
  });
  return out.sort((a, b) => b.score - a.score || (a.item.createdAt < b.item.createdAt ? 1 : -1));
}

/** The best-ranked memories whose text fits `tokenBudget` (estimated with `count`). */
export function recall(query: string, items: readonly MemoryRecord[], now: Date, tokenBudget: number, count: (text: string) => number): MemoryRecord[] {
  const picked: MemoryRecord[] = [];
  let used = 0;
  for (const { item } of rankMemories(query, items, now)) {
    const cost = count(item.content) + 8;
    if (used + cost > tokenBudget) continue;
    picked.push(item);
    used += cost;
  }
  return picked;
}

export async function sweepAndList(repo: MemoryRepo, profileId: string, now: Date, opts: { type?: MemoryType | undefined; limit: number }): Promise<MemoryRecord[]> {
  const at = now.toISOString();
  await repo.sweep(at);
  return repo.list(profileId, { now: at, type: opts.type, limit: opts.limit });
}
