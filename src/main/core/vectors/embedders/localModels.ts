import type { LocalAdapterFactory, ProviderAdapter } from '../../gateway/types';
import type { Logger } from '../../logger';

/** What the vector store needs from the local model manager (src/main/core/localModels). */
export interface LocalModelCatalog {
  /** Ready embedding models, as `local:ID` choices for the embedder picker. */
  embeddingModels(): { id: string; label: string }[];
  /** Whether MODEL (a registered model id) is installed and ready. */
  isReady(model: string): boolean;
}

/**
 * In-process embedding models for `--embedder local:MODEL`, where MODEL is the id of a model registered with the
 * local model manager (`model list`). Adapters come from the same factory the gateway uses for 'local' endpoints,
 * so they share the core's llama.cpp runtime (one loaded copy per GGUF file); one adapter per model is kept while
 * the app runs and disposed with the vector service.
 */
export class LocalEmbeddingModels {
  private readonly adapters = new Map<string, ProviderAdapter>();

  constructor(
    private readonly factory: LocalAdapterFactory,
    private readonly catalog: LocalModelCatalog,
    private readonly logger: Logger,
  ) {}

  list(): { id: string; label: string }[] {
    return this.catalog.embeddingModels();
  }

  adapter(model: string): ProviderAdapter | undefined {
    if (!this.catalog.isReady(model)) return undefined;
    let a = this.adapters.get(model);
    if (!a) {
      a = this.factory({ modelPath: model });
      this.adapters.set(model, a);
    }
    return a;
  }

  async dispose(): Promise<void> {
    const all = [...this.adapters.values()];
    this.adapters.clear();
    for (const a of all) {
      try {
        await a.dispose?.();
      } catch (error) {
        this.logger.warn('local embedding adapter did not close cleanly', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
