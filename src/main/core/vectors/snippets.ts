import { fold, parts, tokenSpans } from './text/tokens';

export interface Span {
  start: number;
  end: number;
}

/** Does a text token match a query term? Exact, a part of a code, or the same stem (login ~ logins, logging). */
function matches(token: string, term: string): boolean {
  if (token === term) return true;
  if (token.includes('-') || token.includes('_') || token.includes('.') || token.includes('/')) {
    if (parts(token).includes(term)) return true;
  }
  const min = Math.min(token.length, term.length);
  if (min < 4) return false;
  // Stems are for words: codes and numbers match exactly or not at all (TCK-000467 must not mark TCK-000444).
  if (!/^\p{L}+$/u.test(token) || !/^\p{L}+$/u.test(term)) return false;
  const stem = Math.max(4, Math.min(token.length, term.length) - 3);
  return token.slice(0, stem) === term.slice(0, stem) && Math.abs(token.length - term.length) <= 4;
}

/** Character ranges of `text` that match any of the query terms (folded), in order. */
export function highlightSpans(text: string, terms: readonly string[]): Span[] {
  if (terms.length === 0) return [];
  const phrases = terms.filter((t) => /[-_./]/.test(t));
  const out: Span[] = [];
  const folded = fold(text);
  // Codes (TCK-000123) are highlighted as a whole when the text contains them verbatim.
  if (phrases.length && folded.length === text.length) {
    for (const p of phrases) {
      let i = folded.indexOf(p);
      while (i >= 0) {
        out.push({ start: i, end: i + p.length });
        i = folded.indexOf(p, i + p.length);
      }
    }
  }
  for (const tok of tokenSpans(text)) {
    if (out.some((s) => tok.start < s.end && tok.end > s.start)) continue;
    if (terms.some((t) => matches(tok.text, t))) out.push({ start: tok.start, end: tok.end });
  }
  return out.sort((a, b) => a.start - b.start);
}

export interface Snippet {
  snippet: string;
  /** Ranges of `snippet` to emphasise. Plain offsets, never markup: the renderer decides how to show them. */
  highlights: Span[];
}

/**
 * The window of `text` (at most maxChars) holding the most matches, cut at word boundaries, with "…" where text
 * was left out. Without matches, the start of the text.
 */
export function makeSnippet(text: string, terms: readonly string[], maxChars = 240): Snippet {
  const flat = text.replace(/\s+/g, ' ').trim();
  const spans = highlightSpans(flat, terms);
  if (flat.length <= maxChars) return { snippet: flat, highlights: spans };
  let bestStart = 0;
  let bestCount = -1;
  for (const s of spans) {
    const start = Math.max(0, s.start - Math.floor(maxChars / 4));
    const count = spans.filter((x) => x.start >= start && x.end <= start + maxChars).length;
    if (count > bestCount) {
      bestCount = count;
      bestStart = start;
    }
  }
  let start = bestStart;
  if (start > 0) {
    const sp = flat.indexOf(' ', start);
    start = sp >= 0 && sp - start < 20 ? sp + 1 : start;
  }
  let end = Math.min(flat.length, start + maxChars);
  if (end < flat.length) {
    const sp = flat.lastIndexOf(' ', end);
    if (sp > start + maxChars * 0.6) end = sp;
  }
  const prefix = start > 0 ? '…' : '';
  const suffix = end < flat.length ? '…' : '';
  const snippet = `${prefix}${flat.slice(start, end)}${suffix}`;
  const highlights = spans.filter((s) => s.start >= start && s.end <= end).map((s) => ({ start: s.start - start + prefix.length, end: s.end - start + prefix.length }));
  return { snippet, highlights };
}

/** Wraps highlights in markers, for terminals and plain-text output. */
export function markSnippet(s: Snippet, open = '[', close = ']'): string {
  let out = '';
  let at = 0;
  for (const h of s.highlights) {
    out += s.snippet.slice(at, h.start) + open + s.snippet.slice(h.start, h.end) + close;
    at = h.end;
  }
  return out + s.snippet.slice(at);
}
