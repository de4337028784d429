import type { CallOptions } from '../../gateway/types';

export type EmbedderKind = 'builtin' | 'provider' | 'local';

/** Static description of an embedder: what an index version records and what the hub shows. */
export interface EmbedderInfo {
  /** Stable id written into the index version, e.g. 'builtin:lexical-v1', 'provider:text-embedding-3-small'. */
  id: string;
  kind: EmbedderKind;
  /** Name shown to people; the built-in one says plainly that it is lexical. */
  label: string;
  model: string;
  dimensions: number;
  /** True when vectors come out with unit length (all ours do: provider vectors are normalised here). */
  normalized: boolean;
  /** Lexical embeddings match words and spellings, not meaning; the UI says so next to the results. */
  lexical: boolean;
}

/**
 * Turns texts into vectors of a fixed dimension. Implementations batch internally (`maxBatch` per call to the
 * model) and always return one unit-length Float32Array per input, in order.
 */
export interface Embedder extends EmbedderInfo {
  readonly maxBatch: number;
  /**
   * True when embedding costs money or real time (a provider or a neural model), so the indexer looks for an
   * identical chunk already embedded in the same version and copies its vector instead of asking again.
   */
  readonly reuseByHash: boolean;
  embed(texts: readonly string[], opts?: CallOptions): Promise<Float32Array[]>;
}

/** What `--embedder` accepts: builtin, provider[:MODEL], local:MODEL. */
export interface EmbedderSpec {
  kind: EmbedderKind;
  /** Model name for provider/local; for builtin, ignored. */
  model: string | null;
  dimensions: number | null;
}

/** Scales a vector to unit length in place; a zero vector stays zero (quality metrics count those). */
export function l2normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  if (sum > 0) {
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
  }
  return v;
}
