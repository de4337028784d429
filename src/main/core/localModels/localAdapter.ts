import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { ChatModelFunctions, GbnfJsonSchema, LlamaChatResponse, LlamaGrammar, LLamaChatGenerateResponseOptions } from 'node-llama-cpp';
import { AppError } from '@shared/errors';
import type {
  CallOptions,
  ChatRequest,
  ChatResult,
  ChatStreamEvent,
  EmbedRequest,
  EmbedResult,
  FinishReason,
  ModelInfo,
  ProviderAdapter,
  ProviderCapabilities,
  ToolCall,
} from '../gateway/types';
import { silentLogger, type Logger } from '../logger';
import { toChatHistory } from './chatHistory';
import { inspectGguf, type LocalModelKind } from './ggufInfo';
import { toGrammarSchema, validateAgainstSchema } from './jsonSchema';
import { sharedLocalRuntime, type ChatState, type LoadedHandle, type LocalRuntime } from './runtime';
import { callSignal, EventQueue, l2normalize } from './util';

export interface LocalAdapterOptions {
  modelPath: string;
  /** Tokens of context for chat (default 4096, capped at what the model was trained for). */
  contextSize?: number;
  /** Context for embeddings (default 2048, capped likewise). */
  embeddingContextSize?: number;
  /** CPU threads (default: all cores but one, at most 8). */
  threads?: number;
  logger?: Logger;
  /** Shared model runtime (createCore's); defaults to the process-wide one. */
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
}

const CHARS_PER_TOKEN_ESTIMATE = 3;
const TOKENS_PER_MESSAGE_ESTIMATE = 8;

interface Plan {
  grammar?: LlamaGrammar;
  functions?: ChatModelFunctions;
  /** toolChoice forced a call: the grammar produces its arguments (or {name, arguments} when any tool may be picked). */
  forced?: { single: string } | { any: true };
}

/**
 * The in-process provider: a GGUF model run by llama.cpp through node-llama-cpp, on the CPU, fully offline.
 * Structured output is enforced by a grammar built from the JSON Schema, so the answer always parses.
 */
export function createLocalAdapter(options: LocalAdapterOptions): LocalAdapter {
  const runtime = options.runtime ?? sharedLocalRuntime();
  const logger = (options.logger ?? silentLogger).child({ provider: 'local', file: basename(options.modelPath) });
  const path = options.modelPath;
  const modelId = options.modelId ?? basename(path);
  const contextSize = options.contextSize ?? 4096;
  const embeddingContextSize = options.embeddingContextSize ?? 2048;
  const kind = options.kind ?? 'unknown';
  const holds = options.hold !== false;
  if (holds) runtime.hold(path);
  let disposed = false;

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

  const plan = async (h: LoadedHandle, req: ChatRequest): Promise<Plan> => {
    const tools = req.toolChoice === 'none' ? [] : (req.tools ?? []);
    const grammarFor = async (schema: GbnfJsonSchema, what: string): Promise<LlamaGrammar> => {
      try {
        return await h.llama.createGrammarForJsonSchema(schema as never);
      } catch (error) {
        throw new AppError('validation', `The ${what} cannot be turned into a grammar: ${(error as Error).message}`);
      }
    };
    const convert = (schema: Record<string, unknown>, what: string): GbnfJsonSchema => {
      try {
        return toGrammarSchema(schema);
      } catch (error) {
        throw new AppError('validation', `The ${what} uses JSON Schema the local model cannot enforce: ${(error as Error).message}`);
      }
    };
    const choice = req.toolChoice;
    if (tools.length && choice && choice !== 'auto') {
      if (typeof choice === 'object') {
        const tool = tools.find((t) => t.name === choice.name);
        if (!tool) throw new AppError('validation', `toolChoice names "${choice.name}", which is not among the tools offered.`);
        return { grammar: await grammarFor(convert(tool.parameters, `parameters of tool "${tool.name}"`), 'tool parameters'), forced: { single: tool.name } };
      }
      const anyCall = { oneOf: tools.map((t) => ({ type: 'object', properties: { name: { const: t.name }, arguments: convert(t.parameters, `parameters of tool "${t.name}"`) } })) };
      return { grammar: await grammarFor(anyCall as GbnfJsonSchema, 'tool list'), forced: { any: true } };
    }
    if (req.responseSchema) {
      return { grammar: await grammarFor(convert(req.responseSchema.schema, `response schema "${req.responseSchema.name}"`), `response schema "${req.responseSchema.name}"`) };
    }
    if (tools.length) {
      return { functions: Object.fromEntries(tools.map((t) => [t.name, { description: t.description, params: convert(t.parameters, `parameters of tool "${t.name}"`) }])) };
    }
    return {};
  };

  const promptTokens = (h: LoadedHandle, req: Pick<ChatRequest, 'messages'>, functions?: ChatModelFunctions): number => {
    const state = h.chatWrapper.generateContextState({ chatHistory: toChatHistory(req.messages), availableFunctions: functions, documentFunctionParams: true });
    return state.contextText.tokenize(h.model.tokenizer).length;
  };

  const generate = (req: ChatRequest, opts: CallOptions, onText?: (t: string) => void): Promise<ChatResult> => {
    assertUsable();
    const call = callSignal(opts);
    const started = performance.now();
    return runtime
      .withChat(path, { contextSize, threads: options.threads }, call.signal, async (h, state) => {
        if (h.kind === 'embedding') throw new AppError('validation', `${modelId} is an embedding model; it cannot chat. Pick a chat (instruct) model for this use case.`);
        const p = await plan(h, req);
        const history = toChatHistory(req.messages);
        const inputTokens = promptTokens(h, req, p.functions);
        const room = state.contextSize - inputTokens;
        if (room < 16) {
          throw new AppError('validation', `The prompt is ${inputTokens} tokens but ${modelId} holds ${state.contextSize} in its context. Shorten the input, or give the local provider a larger context size.`, {
            inputTokens,
            contextSize: state.contextSize,
          });
        }
        const maxTokens = Math.min(req.maxTokens ?? room, room);
        const before = state.chat.sequence.tokenMeter.getState();
        const attempt = (temperature: number, seed: number | undefined, stream?: (t: string) => void): Promise<LlamaChatResponse<ChatModelFunctions>> => {
          const base = {
            signal: call.signal,
            maxTokens,
            temperature,
            topP: req.topP,
            seed,
            customStopTriggers: req.stop?.length ? req.stop : undefined,
            onTextChunk: stream,
          };
          const o: LLamaChatGenerateResponseOptions<ChatModelFunctions> = p.functions ? { ...base, functions: p.functions, documentFunctionParams: true } : { ...base, grammar: p.grammar };
          // A begin-of-text token is never part of an answer. Inside a grammar it is worse: the grammar reads it
          // as the text "<s>" while the response drops it, so a string would come out shorter than its schema says.
          const bos = h.model.tokens.bos;
          if (bos !== null && !h.model.isEogToken(bos)) o.tokenBias = () => h.module.TokenBias.for(h.model).set(bos, 'never');
          return state.chat.generateResponse(history, o);
        };
        const temperature = req.temperature ?? 0;
        let res = await attempt(temperature, req.seed, p.forced ? undefined : onText);
        let check = p.grammar && !p.forced && req.responseSchema && res.metadata.stopReason !== 'maxTokens' ? validateAgainstSchema(res.response, req.responseSchema.schema) : null;
        if (check && !check.ok && !onText) {
          // The grammar enforced the shape; a keyword it cannot express (a numeric bound, a pattern) failed. Resample once.
          logger.debug('structured output failed validation; resampling', { problem: check.problem });
          res = await attempt(Math.max(0.7, temperature), (req.seed ?? 0) + 1);
          check = res.metadata.stopReason !== 'maxTokens' ? validateAgainstSchema(res.response, req.responseSchema!.schema) : null;
        }
        if (check && !check.ok) {
          throw new AppError('provider_error', `The local model's answer does not satisfy schema "${req.responseSchema!.name}": ${check.problem}.`, { reason: 'schema_mismatch', problem: check.problem });
        }
        const used = state.chat.sequence.tokenMeter.diff(before);
        const toolCalls = toolCallsOf(res, p);
        const finishReason: FinishReason = toolCalls.length ? 'tool_calls' : res.metadata.stopReason === 'maxTokens' ? 'length' : 'stop';
        logger.debug('local chat', { ms: Math.round(performance.now() - started), inputTokens, outputTokens: used.usedOutputTokens, finishReason });
        return {
          text: p.forced ? '' : res.response,
          toolCalls,
          finishReason,
          usage: { inputTokens, outputTokens: used.usedOutputTokens, cachedTokens: Math.max(0, inputTokens - used.usedInputTokens) },
          model: modelId,
        };
      })
      .catch((error: unknown) => {
        throw call.translate(error, modelId);
      })
      .finally(() => call.dispose());
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
        return await runtime.withEmbedding(path, { contextSize: embeddingContextSize, threads: options.threads }, call.signal, async (h, context, size) => {
          const vectors: Float32Array[] = [];
          let tokens = 0;
          for (const [i, text] of req.input.entries()) {
            if (call.signal.aborted) throw new AppError('cancelled', 'The embedding request was cancelled.');
            let toks = h.model.tokenize(text);
            if (toks.length === 0) throw new AppError('validation', `Input ${i + 1} is empty; there is nothing to embed.`);
            // Leave room for the begin/end tokens the context adds; longer inputs are embedded by their start.
            if (toks.length > size - 2) toks = toks.slice(0, size - 2);
            tokens += toks.length;
            const embedding = await context.getEmbeddingFor(toks);
            vectors.push(l2normalize(embedding.vector, req.dimensions));
          }
          const dimensions = vectors[0]?.length ?? req.dimensions ?? h.model.embeddingVectorSize;
          return { vectors, dimensions, usage: { inputTokens: tokens, outputTokens: 0, cachedTokens: 0 }, model: modelId };
        });
      } catch (error) {
        throw call.translate(error, modelId);
      } finally {
        call.dispose();
      }
    },

    async listModels(): Promise<ModelInfo[]> {
      const loaded = runtime.peek(path);
      if (loaded) return [{ id: modelId, kind: loaded.kind === 'unknown' ? 'chat' : loaded.kind, contextLength: loaded.model.trainContextSize }];
      const info = await inspectGguf(path);
      return [{ id: modelId, kind: info.kind, ...(info.contextLength ? { contextLength: info.contextLength } : {}) }];
    },

    countTokens(req): number {
      const loaded = runtime.peek(path);
      if (loaded) {
        try {
          return promptTokens(loaded, req);
        } catch {
          // Malformed messages are reported by chat(); an estimate is enough here.
        }
      }
      const chars = req.messages.reduce((n, m) => n + m.content.length + (m.toolCalls?.reduce((k, c) => k + c.arguments.length + c.name.length, 0) ?? 0), 0);
      return Math.ceil(chars / CHARS_PER_TOKEN_ESTIMATE) + TOKENS_PER_MESSAGE_ESTIMATE * req.messages.length;
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

function toolCallsOf(res: LlamaChatResponse<ChatModelFunctions>, p: Plan): ToolCall[] {
  const id = (): string => `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  if (p.forced) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.response);
    } catch {
      throw new AppError('provider_error', 'The forced tool call was cut off before its arguments were complete; raise max tokens.', { reason: 'length' });
    }
    if ('single' in p.forced) return [{ id: id(), name: p.forced.single, arguments: JSON.stringify(parsed) }];
    const picked = parsed as { name: string; arguments: unknown };
    return [{ id: id(), name: picked.name, arguments: JSON.stringify(picked.arguments ?? {}) }];
  }
  return (res.functionCalls ?? []).map((c) => ({ id: id(), name: c.functionName, arguments: JSON.stringify(c.params ?? {}) }));
}

export type { ChatState };
