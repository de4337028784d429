/**
 * The relevance floor for vector matches (ADR 0097). Nearest-neighbour search always returns k neighbours, however
 * unrelated: a nonsense query gets "20+ results". What "unrelated" means depends on the embedder (the built-in
 * lexical one puts every chunk at a cosine distance of 0.65–0.95; semantic models use other ranges), so the floor is
 * measured on each index version rather than fixed: a set of nonsense probe queries is embedded with the version's
 * own embedder and searched; the floor sits below the best distance any of them reaches (floorFrom). A vector match
 * counts as good only when it is closer than that. Keyword (BM25) matches share a real word with the query and
 * are always good.
 */

/** How many probes: enough that their best match is a stable floor (bench: vectors-floor), few enough to embed in one go. */
export const NOISE_PROBE_COUNT = 24;

/**
 * Deterministic nonsense queries: random letter strings, some unpronounceable ("zqxv"), some pronounceable
 * ("blorptang"), one to three words each. The same list on every machine and run, so the floor is reproducible.
 */
export function noiseProbes(n = NOISE_PROBE_COUNT, seed = 0x5eed): string[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (chars: string): string => chars[Math.floor(next() * chars.length)]!;
  const consonants = 'bcdfghjklmnpqrstvwxz';
  const vowels = 'aeiouy';
  const word = (pronounceable: boolean): string => {
    const len = 4 + Math.floor(next() * 7);
    let w = '';
    for (let i = 0; i < len; i++) w += pronounceable ? pick(i % 2 === 0 ? consonants : vowels) : pick(consonants + vowels);
    return w;
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const words = 1 + Math.floor(next() * 3);
    out.push(Array.from({ length: words }, () => word(i % 2 === 0)).join(' '));
  }
  return out;
}

/**
 * The floor from the probes' best distances: the closest any nonsense came to a real chunk, lowered by the spread of
 * the probes (median − closest), because nonsense has a long tail: on the lexical demo index, 24 probes came no
 * closer than 0.774 but 1 in 20 other nonsense words reached 0.73–0.76. Null without probes.
 */
export function floorFrom(bestDistances: readonly number[]): number | null {
  const finite = bestDistances.filter((d) => Number.isFinite(d)).sort((a, b) => a - b);
  if (finite.length === 0) return null;
  const min = finite[0]!;
  const median = (finite[(finite.length - 1) >> 1]! + finite[finite.length >> 1]!) / 2;
  return Math.max(0, min - (median - min));
}

/** A vector distance is a good match only when it beats the floor (no floor: every match counts). */
export const beatsFloor = (distance: number | null, floor: number | null): boolean => distance !== null && (floor === null || distance < floor);
