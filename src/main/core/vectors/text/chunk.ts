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

interface Unit {
  text: string;
  /** Joins this unit to the previous one in the same chunk: a paragraph break, or a space within a paragraph. */
  glue: string;
  /** A unit cut out of a too-long paragraph: it starts a chunk of its own paragraph, not glued to others. */
  split: boolean;
}

/** Units of one section under a strategy; no unit is longer than maxChars. */
function units(text: string, o: ChunkOptions): Unit[] {
  // A section that fits whole is one unit under every strategy (and needs no sentence segmentation).
  if (text.length <= o.maxChars && (o.strategy !== 'paragraph' || !text.includes('\n\n'))) return [{ text, glue: o.strategy === 'paragraph' ? '\n\n' : ' ', split: false }];
  if (o.strategy === 'fixed') return fixedWindows(text, o.maxChars, o.overlap).map((t) => ({ text: t, glue: ' ', split: false }));
  if (o.strategy === 'sentence') return splitSentences(text).flatMap((s) => (s.length <= o.maxChars ? [s] : fixedWindows(s, o.maxChars, 0))).map((t) => ({ text: t, glue: ' ', split: false }));
  const out: Unit[] = [];
  for (const p of splitParagraphs(text)) {
    if (p.length <= o.maxChars) {
      out.push({ text: p, glue: '\n\n', split: false });
      continue;
    }
    const pieces = splitSentences(p).flatMap((s) => (s.length <= o.maxChars ? [s] : fixedWindows(s, o.maxChars, 0)));
    pieces.forEach((t, i) => out.push({ text: t, glue: i === 0 ? '\n\n' : ' ', split: true }));
  }
  return out;
}

interface Open {
  fields: string[];
  units: Unit[];
  len: number;
  access: string;
  split: boolean;
}

const joinUnits = (units: readonly Unit[], crossSection: boolean): string => units.map((u, i) => (i === 0 ? u.text : `${crossSection && u.glue === ' ' ? '\n' : u.glue}${u.text}`)).join('');

/** Cuts a document's sections into chunks. Deterministic: the same sections and options give the same chunks. */
export function chunkSections(sections: readonly SectionInput[], o: ChunkOptions): ChunkPiece[] {
  const out: ChunkPiece[] = [];
  let cur: Open | null = null;
  const flush = (): void => {
    if (cur && cur.units.length) out.push({ field: cur.fields.join(','), text: joinUnits(cur.units, cur.fields.length > 1), access: cur.access });
    cur = null;
  };
  for (const section of sections) {
    const text = section.text.trim();
    if (!text) continue;
    const pieces = units(text, o);
    // Fixed windows of a long section are full chunks already; only a short section's single window may be packed.
    const packable = o.strategy !== 'fixed' || pieces.length === 1;
    for (const [i, p] of pieces.entries()) {
      const c = cur as Open | null;
      const fits = c !== null && packable && c.access === section.access && c.len + 1 + p.text.length <= o.maxChars;
      // A split paragraph never shares a chunk with other paragraphs, and other paragraphs do not join it.
      const sameSplit = c !== null && c.split === p.split && (!p.split || i > 0);
      if (fits && sameSplit) {
        if (!c.fields.includes(section.field)) c.fields.push(section.field);
        c.units.push(c.fields[c.fields.length - 1] === section.field ? p : { ...p, glue: '\n' });
        c.len += 1 + p.text.length;
        continue;
      }
      // A new chunk carries trailing units of the previous one (same section and paragraph only) as overlap.
      const carry: Unit[] = [];
      if (c && o.strategy !== 'fixed' && o.overlap > 0 && c.fields[c.fields.length - 1] === section.field && c.access === section.access && (p.glue === ' ' || i === 0)) {
        let len = 0;
        for (let j = c.units.length - 1; j >= 0; j--) {
          const u = c.units[j]!;
          if (len + u.text.length > o.overlap || len + u.text.length + p.text.length + 1 > o.maxChars) break;
          carry.unshift(u);
          len += u.text.length + 1;
          if (u.glue !== ' ') break;
        }
        if (carry.length === c.units.length) carry.length = 0;
      }
      flush();
      cur = { fields: [section.field], units: [...carry, p], len: carry.reduce((a, u) => a + u.text.length + 1, 0) + p.text.length, access: section.access, split: p.split };
      if (!packable) flush();
    }
  }
  flush();
  return out;
}
