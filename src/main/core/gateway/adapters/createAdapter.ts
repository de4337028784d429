import { providerError } from '../errors';
import type { EndpointConfig, LocalAdapterFactory, ProviderAdapter } from '../types';
import { AnthropicAdapter } from './anthropicAdapter';
import type { AdapterDeps } from './common';
import { GeminiAdapter } from './geminiAdapter';
import { OpenAIAdapter } from './openaiAdapter';

export interface AdapterFactoryDeps extends AdapterDeps {
  /** The in-process model provider, when this build has it. */
  local?: LocalAdapterFactory | null | undefined;
}

/** One adapter per endpoint kind. Adapters build their SDK client lazily, so creating one is cheap. */
export function createAdapter(cfg: EndpointConfig, deps: AdapterFactoryDeps): ProviderAdapter {
  switch (cfg.kind) {
    case 'openai':
    case 'openai-compatible':
    case 'azure':
      return new OpenAIAdapter(cfg, deps);
    case 'anthropic':
      return new AnthropicAdapter(cfg, deps);
    case 'gemini':
      return new GeminiAdapter(cfg, deps);
    case 'local': {
      if (!deps.local) {
        throw providerError('The local model provider is not installed in this build yet.', { endpoint: cfg.name, failure: 'unsupported', retryable: false, breaker: false });
      }
      if (!cfg.modelPath) {
        throw providerError(`Local endpoint ${cfg.name} has no model file; set one (--model-path FILE.gguf).`, { endpoint: cfg.name, failure: 'config', retryable: false, breaker: false });
      }
      return deps.local({ modelPath: cfg.modelPath, ...(cfg.contextSize ? { contextSize: cfg.contextSize } : {}), ...(cfg.threads ? { threads: cfg.threads } : {}) });
    }
  }
}
