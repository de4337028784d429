import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { LocalAdapterFactory, ProviderAdapter } from '../../gateway/types';
import type { Logger } from '../../logger';

/**
 * In-process embedding models for `--embedder local:MODEL`: MODEL is a GGUF file in the data folder's models/
 * directory (with or without `.gguf`) or an absolute path. One adapter per model file is created through the host's
 * local adapter factory (node-llama-cpp), kept while the app runs, and disposed with the vector service.
 */
export class LocalEmbeddingModels {
  private readonly adapters = new Map<string, ProviderAdapter>();

  constructor(
    private readonly modelsDir: string,
    private readonly factory: () => LocalAdapterFactory | null | undefined,
    private readonly logger: Logger,
  ) {}

  /** The model file a name refers to, or null when there is none. */
  resolve(model: string): string | null {
    if (!model || model.includes('\0')) return null;
    const candidates = isAbsolute(model) ? [model] : [join(this.modelsDir, model), join(this.modelsDir, `${model}.gguf`)];
    if (!isAbsolute(model) && (model.includes('..') || model.includes('/') || model.includes('\\'))) return null;
    return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
  }

  /** GGUF files in the models folder (names usable as local:NAME). */
  list(): { id: string; label: string }[] {
    if (!existsSync(this.modelsDir)) return [];
    return readdirSync(this.modelsDir)
      .filter((f) => f.toLowerCase().endsWith('.gguf'))
      .map((f) => ({ id: f.replace(/\.gguf$/i, ''), label: f }));
  }

  adapter(model: string): ProviderAdapter | undefined {
    const factory = this.factory();
    const path = this.resolve(model);
    if (!factory || !path) return undefined;
    let a = this.adapters.get(path);
    if (!a) {
      a = factory({ modelPath: path });
      this.adapters.set(path, a);
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
        this.logger.warn('local embedding model did not unload cleanly', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
