import { neutralize, THREAT_RULES } from '../prompt/untrusted';

/** Whisper reads at most 224 prompt tokens; ~600 characters stays well inside that for names and codes. */
export const VOCABULARY_MAX_CHARS = 600;
const TERM_MAX_CHARS = 40;
const CACHE_MS = 5 * 60_000;

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

export type TermSource = (workspace: string) => Promise<{ names: string[]; codes: string[] }>;

/**
 * Builds and caches the vocabulary prompt per workspace. The terms come from the workspace's VocabularyRepo
 * (repositories/vocabularyRepo.ts) through `source`, so this works the same on SQLite and PostgreSQL.
 */
export class VocabularyCache {
  private readonly cache = new Map<string, { at: number; value: { prompt: string; terms: string[] } }>();
  constructor(
    private readonly source: TermSource,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(workspace: string): Promise<{ prompt: string; terms: string[] }> {
    const key = workspace.toLowerCase();
    const hit = this.cache.get(key);
    if (hit && this.clock() - hit.at < CACHE_MS) return hit.value;
    const value = buildPrompt(await this.source(workspace));
    this.cache.set(key, { at: this.clock(), value });
    return value;
  }

  forget(workspace: string): void {
    this.cache.delete(workspace.toLowerCase());
  }
}
