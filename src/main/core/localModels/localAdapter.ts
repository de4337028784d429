import { basename } from 'node:path';
import { AppError } from '@shared/errors';
import type { CallOptions, ChatMessage, ChatRequest, ChatResult, ChatStreamEvent, EmbedRequest, EmbedResult, ModelInfo, ProviderAdapter, ProviderCapabilities } from '../gateway/types';
import { silentLogger, type Logger } from '../logger';
import type { LocalModelKind } from './ggufInfo';
import { sharedLocalRuntime, type LocalRuntime } from './runtime';
import { callSignal, EventQueue } from './util';

export interface LocalAdapterOptions {
  modelPath: string;
  /** Tokens of context for chat (default 4096, capped at what the model was trained for). */
  contextSize?: number;
  /** Context for embeddings (default 2048, capped likewise). */
  embeddingContextSize?: number;
  /** CPU threads (default: all cores but one, at most 8). */
  threads?: number;
  logger?: Logger;
  /** Shared model runtime (createCore's, worker-hosted); defaults to the process-wide in-process one. */
  runtime?: LocalRuntime;
  /** The id reported as `model` in results (default: the file name). */
  modelId?: string;
  /** From the model manager's GGUF inspection; decides capabilities before the model is loaded. */
  kind?: LocalModelKind;
  /** Keep the model loaded while this adapter lives (default true); without, it unloads when idle. */
  hold?: boolean;
}

export interface LocalAdapter extends ProviderAdapter {
  readonly modelPath: string;
  /** Loads the model now rather than on the first call; resolves with the load time. */
  warmup(): Promise<{ loadMs: number; alreadyLoaded: boolean }>;
  /** The exact prompt size with the model's own tokenizer and chat template (loads the model if needed). */
  countTokensExact(req: Pick<ChatRequest, 'model' | 'messages'>): Promise<number>;
}

const CHARS_PER_TOKEN_ESTIMATE = 3;
const TOKENS_PER_MESSAGE_ESTIMATE = 8;

const charsOf = (messages: readonly ChatMessage[]): number =>
  messages.reduce((n, m) => n + m.content.length + (m.toolCalls?.reduce((k, c) => k + c.arguments.length + c.name.length, 0) ?? 0), 0);

/**
 * The local provider: a GGUF model run by llama.cpp through node-llama-cpp, on the CPU, fully offline.
 * Structured output is enforced by a grammar built from the JSON Schema, so the answer always parses.
 * The work happens in the runtime (the llama host worker in the app); this adapter shapes requests and results.
 */
export function createLocalAdapter(options: LocalAdapterOptions): LocalAdapter {
  const runtime = options.runtime ?? sharedLocalRuntime();
  const path = options.modelPath;
  const modelId = options.modelId ?? basename(path);
  const logger = (options.logger ?? silentLogger).child({ provider: 'local', model: modelId });
  const chatCtx = { contextSize: options.contextSize ?? 4096, threads: options.threads };
  const embedCtx = { contextSize: options.embeddingContextSize ?? 2048, threads: options.threads };
  const kind = options.kind ?? 'unknown';
  const holds = options.hold !== false;
  if (holds) runtime.hold(path);
  let disposed = false;
  // Token estimate before a call: characters per token, learned from the exact counts each answer reports.
  let charsPerToken = CHARS_PER_TOKEN_ESTIMATE;

  const capabilities: ProviderCapabilities = {
    streaming: kind !== 'embedding',
    structuredOutput: 'native',
    tools: kind !== 'embedding',
    embeddings: kind !== 'chat',
    transcription: false,
  };

  const assertUsable = (): void => {
    if (disposed) throw new AppError('unavailable', 'This local model adapter was closed.');
  };

  const generate = async (req: ChatRequest, opts: CallOptions, onText?: (t: string) => void): Promise<ChatResult> => {
    assertUsable();
    const call = callSignal(opts);
    try {
      const result = await runtime.chat(path, chatCtx, req, { modelId, signal: call.signal, onText });
      const chars = charsOf(req.messages);
      if (result.usage.inputTokens > 0 && chars > 0) charsPerToken = chars / Math.max(1, result.usage.inputTokens - TOKENS_PER_MESSAGE_ESTIMATE * req.messages.length);
      return result;
    } catch (error) {
      const e = call.translate(error, modelId);
      if (e.code !== 'cancelled') logger.debug('local chat failed', { code: e.code, message: e.message });
      throw e;
    } finally {
      call.dispose();
    }
  };

  return {
    kind: 'local',
    capabilities,
    modelPath: path,

    chat: (req, opts) => generate(req, opts),

    async *streamChat(req, opts): AsyncIterable<ChatStreamEvent> {
      const queue = new EventQueue<ChatStreamEvent>();
      const stop = new AbortController();
      const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
      let finished = false;
      const done = generate(req, { ...opts, signal }, (text) => queue.push({ type: 'delta', text })).then(
        (result) => {
          for (const call of result.toolCalls) queue.push({ type: 'tool_call', call });
          queue.push({ type: 'done', result });
          queue.end();
        },
        (error: unknown) => queue.fail(error),
      );
      try {
        for await (const event of queue) {
          if (event.type === 'done') finished = true;
          yield event;
        }
      } finally {
        // The consumer stopped early (break, return, or an error on its side): stop generating.
        if (!finished) stop.abort();
        await done.catch(() => undefined);
      }
    },

    async embed(req: EmbedRequest, opts: CallOptions): Promise<EmbedResult> {
      assertUsable();
      const call = callSignal(opts);
      try {
        return await runtime.embed(path, embedCtx, req, { modelId, signal: call.signal });
      } catch (error) {
        throw call.translate(error, modelId);
      } finally {
        call.dispose();
      }
    },

    async listModels(): Promise<ModelInfo[]> {
      const loaded = runtime.loaded().find((m) => m.path === path);
      const asInfo = (k: LocalModelKind): ModelInfo['kind'] => (k === 'whisper' ? 'audio' : k);
      if (loaded) return [{ id: modelId, kind: loaded.kind === 'unknown' ? 'chat' : asInfo(loaded.kind), contextLength: loaded.contextLength }];
      const info = await runtime.inspect(path);
      return [{ id: modelId, kind: asInfo(info.kind), ...(info.contextLength ? { contextLength: info.contextLength } : {}) }];
    },

    countTokens(req): number {
      return Math.ceil(charsOf(req.messages) / charsPerToken) + TOKENS_PER_MESSAGE_ESTIMATE * req.messages.length;
    },

    countTokensExact(req): Promise<number> {
      assertUsable();
      return runtime.countTokens(path, req.messages);
    },

    warmup: async () => {
      assertUsable();
      return runtime.load(path);
    },

    async dispose() {
      if (disposed) return;
      disposed = true;
      if (holds) await runtime.release(path);
    },
  };
}
