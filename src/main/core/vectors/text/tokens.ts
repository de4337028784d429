/**
 * Tokenisation shared by the lexical embedder, the FTS5 query builder and the snippet highlighter, so all three
 * agree on what a "word" is. Pure functions, no Node APIs.
 */

/** A word, or a code made of words joined by - _ . / (TCK-000123, v2.1, PO_77). */
const TOKEN = /[\p{L}\p{N}]+(?:[-_./][\p{L}\p{N}]+)*/gu;
const NON_ASCII = /[^\u0020-\u007e\s]/;
const MARKS = /\p{M}+/gu;

/** Lower-cases and strips diacritics (é → e), the same folding FTS5's unicode61 remove_diacritics applies. */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFKD').replace(MARKS, '') : lower;
}

export interface Token {
  /** Folded token text. */
  text: string;
  /** Offsets in the original string (UTF-16 units). Only valid when folding did not change the length. */
  start: number;
  end: number;
}

/** Tokens of already-folded text. */
export function tokenize(folded: string): string[] {
  return folded.match(TOKEN) ?? [];
}

/** Tokens with offsets into the original text, for highlighting. */
export function tokenSpans(original: string): Token[] {
  const out: Token[] = [];
  for (const m of original.matchAll(TOKEN)) out.push({ text: fold(m[0]), start: m.index, end: m.index + m[0].length });
  return out;
}

/** Splits a compound token into its word parts ('tck-000123' → ['tck', '000123']). */
export function parts(token: string): string[] {
  return token.split(/[-_./]/).filter(Boolean);
}

export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her hers him his how i if in into is it its ' +
    'me my no nor not of on or our ours she so than that the their them then there these they this those to too us was we were ' +
    'what when where which who whom why will with would you your yours about above after again all also am any because before ' +
    'being below between both during each few further here just more most must only other out over own same should some such ' +
    'through under until up very via while please thanks thank hi hello dear regards'
  ).split(' '),
);

/** Words worth matching in a keyword query: no stop words, no one-letter noise (digits are kept). */
export function queryTerms(query: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tokenize(fold(query))) {
    if (STOP_WORDS.has(t) || (t.length < 2 && !/\d/.test(t)) || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
  }
  return out;
}
