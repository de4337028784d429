import { rng } from '../demo/generate';

/**
 * The binary prefilter's codes (ADR 0032). A vector becomes blocks × dims bits (about 1,152): the signs of
 * independent fast random rotations of the vector minus the index's centroid (a SimHash). Centering matters:
 * embeddings share a large common direction (the lexical embedder's mean vector has norm ≈ 0.5 on business text), so
 * raw sign bits mostly agree and Hamming distance says little; more rotated bits estimate the angle better.
 *
 * Each rotation is H·D₂·H·D₁ (D random ±1 diagonals, H the Walsh–Hadamard transform), O(d log d) per vector.
 * Deterministic: the same dims and centroid always give the same codes.
 */

/** Rotation blocks for a dimension count: about 1,152 bits in all (3 × 384), between 1 and 4 blocks. */
export const codeBlocks = (dims: number): number => Math.min(4, Math.max(1, Math.round(1152 / dims)));
export const codeBits = (dims: number): number => codeBlocks(dims) * dims;
export class BitEncoder {
  readonly bits: number;
  private readonly size: number;
  private readonly signs: Float32Array[];
  private readonly buf: Float32Array;

  constructor(
    readonly dims: number,
    private readonly centroid: Float32Array,
    private readonly blocks = codeBlocks(dims),
  ) {
    if (centroid.length !== dims) throw new Error(`centroid has ${centroid.length} dimensions, expected ${dims}`);
    this.bits = blocks * dims;
    let size = 1;
    while (size < dims) size *= 2;
    this.size = size;
    const r = rng(0x5eed0000 + dims);
    this.signs = Array.from({ length: 2 * blocks }, () => Float32Array.from({ length: size }, () => (r() < 0.5 ? -1 : 1)));
    this.buf = new Float32Array(size);
  }

  /** Float projection whose signs are the code: feed it to vec_quantize_binary(). */
  project(v: Float32Array): Float32Array {
    const out = new Float32Array(this.bits);
    for (let block = 0; block < this.blocks; block++) {
      const a = this.buf;
      a.fill(0);
      for (let i = 0; i < this.dims; i++) a[i] = v[i]! - this.centroid[i]!;
      this.rotate(a, this.signs[block * 2]!);
      this.rotate(a, this.signs[block * 2 + 1]!);
      out.set(a.subarray(0, this.dims), block * this.dims);
    }
    return out;
  }

  private rotate(a: Float32Array, d: Float32Array): void {
    const n = this.size;
    for (let i = 0; i < n; i++) a[i] = a[i]! * d[i]!;
    for (let h = 1; h < n; h *= 2) {
      for (let i = 0; i < n; i += 2 * h) {
        for (let j = i; j < i + h; j++) {
          const x = a[j]!;
          const y = a[j + h]!;
          a[j] = x + y;
          a[j + h] = x - y;
        }
      }
    }
  }
}

/** Mean of some vectors (the centroid codes are centered on). */
export function meanVector(vectors: readonly Float32Array[], dims: number): Float32Array {
  const m = new Float64Array(dims);
  for (const v of vectors) for (let i = 0; i < dims; i++) m[i]! += v[i]!;
  return Float32Array.from(m, (x) => (vectors.length ? x / vectors.length : 0));
}
