import { AppError } from '@shared/errors';
import type { CallOptions, Gateway, GatewayCallMeta } from '../../gateway/types';
import { l2normalize, type Embedder } from './types';

/** Gateway use case (policy key) for every embedding call of the vector store. */
export const EMBEDDINGS_USE_CASE = 'embeddings';

/**
 * Embeddings from a configured provider (OpenAI, Azure, Gemini, Ollama, any OpenAI-compatible server) through the
 * gateway, which adds the policy, retries, fallback, budgets and usage rows. Batches of `maxBatch` texts per call.
 * The model is pinned once known, so an index version keeps using the model it was built with even if the
 * embeddings policy changes later.
 */
export class ProviderEmbedder implements Embedder {
  readonly kind = 'provider' as const;
  readonly normalized = true;
  readonly lexical = false;
  readonly reuseByHash = true;
  readonly id: string;
  readonly label: string;

  constructor(
    private readonly gateway: Gateway,
    private readonly meta: GatewayCallMeta,
    readonly model: string,
    readonly dimensions: number,
    readonly maxBatch = 64,
  ) {
    this.id = `provider:${model}`;
    this.label = `Provider embeddings (${model}, ${dimensions} dims)`;
  }

  /** Asks the gateway once to learn which model answers and how many dimensions it gives. */
  static async probe(gateway: Gateway, meta: GatewayCallMeta, model: string | null, opts: CallOptions = {}): Promise<ProviderEmbedder> {
    const res = await gateway.embed(meta, ['dimension probe'], { ...opts, ...(model ? { model } : {}) });
    const v = res.vectors[0];
    if (!v || v.length === 0) throw new AppError('provider_error', `The embeddings provider (${res.endpoint}) returned no vector.`);
    return new ProviderEmbedder(gateway, meta, model ?? res.model, v.length);
  }

  async embed(texts: readonly string[], opts: CallOptions = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.maxBatch) {
      const batch = texts.slice(i, i + this.maxBatch);
      const res = await this.gateway.embed(this.meta, batch, { ...opts, model: this.model });
      if (res.vectors.length !== batch.length) {
        throw new AppError('provider_error', `The embeddings provider (${res.endpoint}) returned ${res.vectors.length} vectors for ${batch.length} texts.`);
      }
      for (const v of res.vectors) {
        if (v.length !== this.dimensions) {
          throw new AppError('provider_error', `The embeddings provider (${res.endpoint}, ${res.model}) returned ${v.length} dimensions; this index was built with ${this.dimensions}. Rebuild the index if the model changed.`);
        }
        out.push(l2normalize(Float32Array.from(v)));
      }
    }
    return out;
  }
}
