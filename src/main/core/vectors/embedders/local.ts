import { AppError } from '@shared/errors';
import type { CallOptions, ProviderAdapter } from '../../gateway/types';
import { l2normalize, type Embedder } from './types';

/**
 * Neural embeddings computed in-process by a local GGUF embedding model (node-llama-cpp), through the local
 * provider's ProviderAdapter.embed. Offline, no usage cost; slower per chunk than the lexical embedder but it
 * matches meaning, not only words.
 */
export class LocalEmbedder implements Embedder {
  readonly kind = 'local' as const;
  readonly normalized = true;
  readonly lexical = false;
  readonly reuseByHash = true;
  readonly id: string;
  readonly label: string;

  constructor(
    private readonly adapter: ProviderAdapter,
    readonly model: string,
    readonly dimensions: number,
    readonly maxBatch = 16,
  ) {
    if (adapter.kind !== 'local') throw new AppError('internal', `LocalEmbedder needs the local provider, got ${adapter.kind}.`);
    this.id = `local:${model}`;
    this.label = `Local model embeddings (${model}, ${dimensions} dims)`;
  }

  static async probe(adapter: ProviderAdapter, model: string, opts: CallOptions = {}): Promise<LocalEmbedder> {
    if (!adapter.embed || !adapter.capabilities.embeddings) throw new AppError('unavailable', 'The local model provider cannot compute embeddings.');
    const res = await adapter.embed({ model, input: ['dimension probe'] }, opts);
    const v = res.vectors[0];
    if (!v || v.length === 0) throw new AppError('provider_error', `The local model ${model} returned no vector.`);
    return new LocalEmbedder(adapter, model, v.length);
  }

  async embed(texts: readonly string[], opts: CallOptions = {}): Promise<Float32Array[]> {
    const embed = this.adapter.embed?.bind(this.adapter);
    if (!embed) throw new AppError('unavailable', 'The local model provider cannot compute embeddings.');
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.maxBatch) {
      const batch = texts.slice(i, i + this.maxBatch);
      const res = await embed({ model: this.model, input: [...batch] }, opts);
      if (res.vectors.length !== batch.length) throw new AppError('provider_error', `The local model returned ${res.vectors.length} vectors for ${batch.length} texts.`);
      for (const v of res.vectors) {
        if (v.length !== this.dimensions) throw new AppError('provider_error', `The local model ${this.model} returned ${v.length} dimensions; this index was built with ${this.dimensions}.`);
        out.push(l2normalize(Float32Array.from(v)));
      }
    }
    return out;
  }
}
