import { fold, parts, STOP_WORDS, tokenize } from '../text/tokens';
import { l2normalize, type Embedder } from './types';

export const LEXICAL_EMBEDDER_ID = 'builtin:lexical-v1';
export const LEXICAL_DEFAULT_DIMENSIONS = 384;

// Feature kinds share one hash map; the kind sits in the three low bits of the key and picks the weight.
const WORD = 0;
const CODE = 1;
const BIGRAM = 2;
const GRAM = 3;
const STOP = 4;
const KIND_WEIGHT = [1.0, 1.5, 0.6, 0.25, 0.15];
/** Each feature lands in this many buckets with random signs: a sparse random projection, denser than plain hashing. */
const HITS = 4;
const HIT_SCALE = 1 / Math.sqrt(HITS);

function fnv(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The built-in offline embedder. It needs no model file: it hashes words, codes, word pairs and character 3- and
 * 4-grams of each word, weights them with sublinear term frequency (1 + ln tf; stop words damped), projects them to
 * a fixed dimension with a signed random projection, and scales to unit length. The same text always gives the same
 * vector, on every machine.
 *
 * It is lexical: it matches shared words and spellings (login ≈ logins ≈ log-in), not meaning (it cannot tell that
 * "refund" and "money back" are related). The UI labels it that way.
 */
export class LexicalEmbedder implements Embedder {
  readonly id = LEXICAL_EMBEDDER_ID;
  readonly kind = 'builtin' as const;
  readonly model = 'lexical-v1';
  readonly normalized = true;
  readonly lexical = true;
  readonly maxBatch = 512;
  readonly reuseByHash = false;
  readonly label: string;
  // Term counts live in an open-addressing table of typed arrays, reused between texts: several times faster
  // than a Map for the ~1,000 features of a chunk.
  private keys = new Int32Array(4096);
  private counts = new Int32Array(4096);
  private used = new Int32Array(4096);
  private nUsed = 0;

  constructor(readonly dimensions = LEXICAL_DEFAULT_DIMENSIONS) {
    if (!Number.isInteger(dimensions) || dimensions < 32 || dimensions > 4096) throw new Error(`Lexical embedder dimensions must be 32–4096 (got ${dimensions}).`);
    this.label = `Built-in lexical (hashed words and n-grams, offline, ${dimensions} dims)`;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((t) => this.embedOne(t)));
  }

  embedOne(text: string): Float32Array {
    this.reset();
    const tokens = tokenize(fold(text));
    let prev: string | null = null;
    for (const token of tokens) {
      const words = token.length > 2 && /[-_./]/.test(token) ? parts(token) : [token];
      if (words.length > 1) this.add(fnv(token, CODE), CODE);
      for (const w of words) {
        const stop = STOP_WORDS.has(w);
        this.add(fnv(w, WORD), stop ? STOP : WORD);
        if (stop) {
          prev = null;
          continue;
        }
        if (prev !== null) this.add(fnv(`${prev} ${w}`, BIGRAM), BIGRAM);
        prev = w;
        if (w.length >= 3) this.grams(w);
      }
    }
    const v = new Float32Array(this.dimensions);
    const dims = this.dimensions;
    for (let u = 0; u < this.nUsed; u++) {
      const slot = this.used[u]!;
      const key = this.keys[slot]! >>> 0;
      const w = (1 + Math.log(this.counts[slot]!)) * HIT_SCALE * KIND_WEIGHT[key & 7]!;
      let h = key;
      for (let i = 0; i < HITS; i++) {
        h = mix(h + 0x9e3779b9);
        v[(h >>> 1) % dims]! += h & 1 ? w : -w;
      }
    }
    return l2normalize(v);
  }

  private reset(): void {
    for (let u = 0; u < this.nUsed; u++) this.counts[this.used[u]!] = 0;
    this.nUsed = 0;
  }

  /** Counts one feature key (never 0: the kind bits of a real key are set, or the hash bits are). */
  private count(key: number): void {
    if (this.nUsed * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = mix(key) & mask;
    for (;;) {
      if (this.counts[slot] === 0) {
        this.keys[slot] = key | 0;
        this.counts[slot] = 1;
        this.used[this.nUsed++] = slot;
        return;
      }
      if (this.keys[slot] === (key | 0)) {
        this.counts[slot]!++;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const entries: [number, number][] = [];
    for (let u = 0; u < this.nUsed; u++) entries.push([this.keys[this.used[u]!]! >>> 0, this.counts[this.used[u]!]!]);
    const size = this.keys.length * 2;
    this.keys = new Int32Array(size);
    this.counts = new Int32Array(size);
    this.used = new Int32Array(size);
    this.nUsed = 0;
    for (const [key, n] of entries) {
      this.count(key);
      this.counts[this.used[this.nUsed - 1]!] = n;
    }
  }

  /** Feature key: 27 hash bits + 3 kind bits, a small integer. */
  private add(hash: number, kind: number): void {
    this.count((((hash >>> 4) << 3) | kind) >>> 0);
  }

  /** Character 3- and 4-grams of "<word>" (< and > mark the word's edges), hashed without building substrings. */
  private grams(w: string): void {
    const n = w.length + 2;
    for (let size = 3; size <= 4; size++) {
      for (let start = 0; start + size <= n; start++) {
        let h = (0x811c9dc5 ^ (GRAM * 31 + size)) >>> 0;
        for (let j = start; j < start + size; j++) {
          h ^= j === 0 ? 60 : j === n - 1 ? 62 : w.charCodeAt(j - 1);
          h = Math.imul(h, 0x01000193);
        }
        this.add(h >>> 0, GRAM);
      }
    }
  }
}
