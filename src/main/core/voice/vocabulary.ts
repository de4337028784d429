import type { Db } from '../db/open';
import { neutralize, THREAT_RULES } from '../prompt/untrusted';

/** Whisper reads at most 224 prompt tokens; ~600 characters stays well inside that for names and codes. */
export const VOCABULARY_MAX_CHARS = 600;
const TERM_MAX_CHARS = 40;
const CACHE_MS = 5 * 60_000;

/**
 * Where the vocabulary's words come from. An interface so the async repository layer (issue 9) can provide it;
 * today a read-only query over the workspace file.
 */
export interface VocabularySource {
  terms(db: Db): Promise<{ names: string[]; codes: string[] }>;
}

const QUERIES: { sql: string; kind: 'names' | 'codes' }[] = [
  // The accounts people talk about most: the largest first.
  { sql: 'SELECT name FROM accounts ORDER BY arr DESC NULLS LAST, name LIMIT 25', kind: 'names' },
  { sql: "SELECT name FROM projects WHERE status NOT IN ('completed', 'cancelled') ORDER BY due_date LIMIT 10", kind: 'names' },
  { sql: 'SELECT name FROM vendors ORDER BY name LIMIT 10', kind: 'names' },
  { sql: 'SELECT name FROM campaigns ORDER BY start_date DESC LIMIT 8', kind: 'names' },
  // One code of each kind teaches the format ("TCK-000042"), which is what a spoken "ticket forty-two" needs.
  { sql: 'SELECT code FROM tickets ORDER BY created_at DESC LIMIT 1', kind: 'codes' },
  { sql: 'SELECT code FROM projects LIMIT 1', kind: 'codes' },
  { sql: 'SELECT code FROM dispatch_jobs LIMIT 1', kind: 'codes' },
  { sql: 'SELECT code FROM purchase_orders LIMIT 1', kind: 'codes' },
];

export const workspaceVocabularySource: VocabularySource = {
  async terms(db) {
    const out = { names: [] as string[], codes: [] as string[] };
    for (const q of QUERIES) {
      try {
        out[q.kind].push(...(db.prepare(q.sql).pluck().all() as unknown[]).filter((v): v is string => typeof v === 'string'));
      } catch {
        // A workspace without that table (an import with only some tables) just contributes fewer words.
      }
    }
    return out;
  },
};

/**
 * Record text is untrusted (ADR 0090): each name passes the app's neutralisation step, and a name that tried a
 * known trick (a role tag, an instruction override, …) is dropped, not repaired. What is left keeps only letters,
 * digits and a few joining characters, is short, and goes into a plain comma-separated list.
 */
export function cleanTerm(raw: string): string | null {
  const safe = neutralize(raw, { maxChars: 80 });
  if (safe.events.some((e) => THREAT_RULES.has(e.rule))) return null;
  const t = safe.text
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N} .&'’-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, TERM_MAX_CHARS)
    .trim();
  return t.length >= 2 ? t : null;
}

export function buildPrompt(terms: { names: string[]; codes: string[] }, maxChars = VOCABULARY_MAX_CHARS): { prompt: string; terms: string[] } {
  const seen = new Set<string>();
  const picked: string[] = [];
  let length = 0;
  // Codes first: few, and the most useful to get exactly right.
  for (const raw of [...terms.codes, ...terms.names]) {
    const t = cleanTerm(raw);
    if (!t || seen.has(t.toLowerCase())) continue;
    if (length + t.length + 2 > maxChars) break;
    seen.add(t.toLowerCase());
    picked.push(t);
    length += t.length + 2;
  }
  return { prompt: picked.length ? `${picked.join(', ')}.` : '', terms: picked };
}

/** Builds and caches the vocabulary prompt per workspace database. */
export class VocabularyCache {
  private readonly cache = new WeakMap<Db, { at: number; value: { prompt: string; terms: string[] } }>();
  constructor(
    private readonly source: VocabularySource = workspaceVocabularySource,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(db: Db): Promise<{ prompt: string; terms: string[] }> {
    const hit = this.cache.get(db);
    if (hit && this.clock() - hit.at < CACHE_MS) return hit.value;
    const value = buildPrompt(await this.source.terms(db));
    this.cache.set(db, { at: this.clock(), value });
    return value;
  }

  forget(db: Db): void {
    this.cache.delete(db);
  }
}
