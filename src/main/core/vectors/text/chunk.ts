/**
 * Chunking strategies. A document is a list of sections (description, each comment, each message …); a strategy
 * cuts each section into units, and consecutive units are packed into chunks of at most maxChars. Short sections of
 * the same access level are packed together, so ten one-line comments make one chunk rather than ten.
 */

export type ChunkStrategy = 'fixed' | 'sentence' | 'paragraph';
export const CHUNK_STRATEGIES: readonly ChunkStrategy[] = ['fixed', 'sentence', 'paragraph'];

export interface ChunkOptions {
  strategy: ChunkStrategy;
  /** Upper bound of a chunk's length in characters. */
  maxChars: number;
  /** Characters repeated from the end of one chunk at the start of the next (fixed: a window overlap; sentence: whole trailing sentences). */
  overlap: number;
}

export interface ChunkingConfig extends ChunkOptions {
  /** Overrides per source type, e.g. { conversations: { strategy: 'paragraph' } }. */
  perSource?: Record<string, Partial<ChunkOptions>>;
}

export const DEFAULT_CHUNKING: ChunkingConfig = { strategy: 'sentence', maxChars: 800, overlap: 120 };

export function chunkOptionsFor(config: ChunkingConfig, sourceType: string): ChunkOptions {
  const o = config.perSource?.[sourceType];
  return { strategy: o?.strategy ?? config.strategy, maxChars: o?.maxChars ?? config.maxChars, overlap: o?.overlap ?? config.overlap };
}

/** A stable text form of a chunking config, part of an index version's identity. */
export function chunkingKey(config: ChunkingConfig): string {
  const per = Object.entries(config.perSource ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v.strategy ?? ''}/${v.maxChars ?? ''}/${v.overlap ?? ''}`);
  return `${config.strategy}/${config.maxChars}/${config.overlap}${per.length ? `;${per.join(',')}` : ''}`;
}

export interface SectionInput {
  field: string;
  text: string;
  access: string;
}

export interface ChunkPiece {
  /** The section field(s) the chunk comes from, comma-separated when short sections were packed together. */
  field: string;
  text: string;
  access: string;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    for (const s of segmenter.segment(line)) {
      const t = s.segment.trim();
      if (t) out.push(t);
    }
  }
  return out;
}

export function splitParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Windows of at most maxChars, stepping maxChars − overlap, ending at a word boundary when one is near. */
export function fixedWindows(text: string, maxChars: number, overlap: number): string[] {
  const t = text.trim();
  if (t.length <= maxChars) return t ? [t] : [];
  const out: string[] = [];
  const step = Math.max(1, maxChars - Math.min(overlap, Math.floor(maxChars / 2)));
  let start = 0;
  while (start < t.length) {
    let end = Math.min(t.length, start + maxChars);
    if (end < t.length) {
      const space = t.lastIndexOf(' ', end);
      if (space > start + maxChars * 0.7) end = space;
    }
    out.push(t.slice(start, end).trim());
    if (end >= t.length) break;
    let next = start + step;
    if (next >= end) next = end;
    // Start the next window at a word start too.
    const sp = t.indexOf(' ', next - 1);
    start = sp >= 0 && sp < end ? sp + 1 : next;
  }
  return out.filter(Boolean);
}

/** Units of one section under a strategy; no unit is longer than maxChars. */
function units(text: string, o: ChunkOptions): string[] {
  if (o.strategy === 'fixed') return fixedWindows(text, o.maxChars, o.overlap);
  const base = o.strategy === 'paragraph' ? splitParagraphs(text) : splitSentences(text);
  const out: string[] = [];
  for (const u of base) {
    if (u.length <= o.maxChars) out.push(u);
    else if (o.strategy === 'paragraph') for (const s of splitSentences(u)) out.push(...(s.length <= o.maxChars ? [s] : fixedWindows(s, o.maxChars, 0)));
    else out.push(...fixedWindows(u, o.maxChars, 0));
  }
  return out;
}

/** Cuts a document's sections into chunks. Deterministic: the same sections and options give the same chunks. */
export function chunkSections(sections: readonly SectionInput[], o: ChunkOptions): ChunkPiece[] {
  const out: ChunkPiece[] = [];
  let cur: { fields: string[]; parts: string[]; len: number; access: string } | null = null;
  const flush = (): void => {
    if (cur && cur.parts.length) out.push({ field: cur.fields.join(','), text: cur.parts.join(o.strategy === 'paragraph' ? '\n\n' : cur.fields.length > 1 ? '\n' : ' '), access: cur.access });
    cur = null;
  };
  for (const section of sections) {
    const text = section.text.trim();
    if (!text) continue;
    const pieces = units(text, o);
    if (o.strategy === 'fixed') {
      // Fixed windows never pack: each window is already a full-size chunk, except a short section's only window.
      for (const p of pieces) {
        const c = cur as { fields: string[]; parts: string[]; len: number; access: string } | null;
        if (pieces.length === 1 && c && c.access === section.access && c.len + 1 + p.length <= o.maxChars) {
          if (!c.fields.includes(section.field)) c.fields.push(section.field);
          c.parts.push(p);
          c.len += 1 + p.length;
          continue;
        }
        flush();
        cur = { fields: [section.field], parts: [p], len: p.length, access: section.access };
        if (pieces.length > 1) flush();
      }
      continue;
    }
    for (const p of pieces) {
      const c = cur as { fields: string[]; parts: string[]; len: number; access: string } | null;
      if (c && c.access === section.access && c.len + 1 + p.length <= o.maxChars) {
        if (!c.fields.includes(section.field)) c.fields.push(section.field);
        c.parts.push(p);
        c.len += 1 + p.length;
        continue;
      }
      // Start a new chunk, carrying trailing units of the previous one (same section only) as overlap.
      const carry: string[] = [];
      if (c && o.overlap > 0 && c.fields[c.fields.length - 1] === section.field && c.access === section.access) {
        let len = 0;
        for (let i = c.parts.length - 1; i >= 0; i--) {
          const u = c.parts[i]!;
          if (len + u.length > o.overlap || len + u.length + p.length + 1 > o.maxChars) break;
          carry.unshift(u);
          len += u.length + 1;
        }
        if (carry.length === c.parts.length) carry.splice(0, carry.length);
      }
      flush();
      cur = { fields: [section.field], parts: [...carry, p], len: carry.reduce((a, u) => a + u.length + 1, 0) + p.length, access: section.access };
    }
  }
  flush();
  return out;
}
