import { randomUUID } from 'node:crypto';
import type { ChatModelFunctions, GbnfJsonSchema, LlamaChatResponse, LlamaGrammar, LLamaChatGenerateResponseOptions } from 'node-llama-cpp';
import { AppError } from '@shared/errors';
import type { ChatMessage, ChatRequest, ChatResult, EmbedRequest, EmbedResult, FinishReason, ToolCall } from '../gateway/types';
import type { Logger } from '../logger';
import { toChatHistory } from './chatHistory';
import type { ContextRequest, LlamaEngine, LoadedHandle } from './engine';
import { toGrammarSchema, validateAgainstSchema } from './jsonSchema';
import { l2normalize } from './util';

/** What one generation needs besides the request: where it runs, how it reports, how it stops. */
export interface GenerateOptions {
  modelId: string;
  signal: AbortSignal;
  onText?: ((text: string) => void) | undefined;
  logger?: Logger | undefined;
}

interface Plan {
  grammar?: LlamaGrammar;
  functions?: ChatModelFunctions;
  /** toolChoice forced a call: the grammar produces its arguments (or {name, arguments} when any tool may be picked). */
  forced?: { single: string } | { any: true };
}

async function plan(h: LoadedHandle, req: ChatRequest): Promise<Plan> {
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
    const what = `response schema "${req.responseSchema.name}"`;
    return { grammar: await grammarFor(convert(req.responseSchema.schema, what), what) };
  }
  if (tools.length) {
    return { functions: Object.fromEntries(tools.map((t) => [t.name, { description: t.description, params: convert(t.parameters, `parameters of tool "${t.name}"`) }])) };
  }
  return {};
}

/** The exact prompt the model evaluates: the chat template applied to the history (and tool docs), tokenized. */
export function promptTokens(h: LoadedHandle, messages: readonly ChatMessage[], functions?: ChatModelFunctions): number {
  const state = h.chatWrapper.generateContextState({ chatHistory: toChatHistory(messages), availableFunctions: functions, documentFunctionParams: true });
  return state.contextText.tokenize(h.model.tokenizer).length;
}

/** Chat on a loaded model: history, grammar or functions, sampling, usage, tool calls. Runs where the engine runs. */
export function engineChat(engine: LlamaEngine, path: string, ctx: ContextRequest, req: ChatRequest, o: GenerateOptions): Promise<ChatResult> {
  const started = performance.now();
  return engine.withChat(path, ctx, o.signal, async (h, state) => {
    if (h.kind === 'embedding') throw new AppError('validation', `${o.modelId} is an embedding model; it cannot chat. Pick a chat (instruct) model for this use case.`);
    const p = await plan(h, req);
    const history = toChatHistory(req.messages);
    const inputTokens = promptTokens(h, req.messages, p.functions);
    const room = state.contextSize - inputTokens;
    if (room < 16) {
      throw new AppError('validation', `The prompt is ${inputTokens} tokens but ${o.modelId} holds ${state.contextSize} in its context. Shorten the input, or give the local provider a larger context size.`, {
        inputTokens,
        contextSize: state.contextSize,
      });
    }
    const maxTokens = Math.min(req.maxTokens ?? room, room);
    const before = state.chat.sequence.tokenMeter.getState();
    const attempt = (temperature: number, seed: number | undefined, stream?: (t: string) => void): Promise<LlamaChatResponse<ChatModelFunctions>> => {
      const base = { signal: o.signal, maxTokens, temperature, topP: req.topP, seed, customStopTriggers: req.stop?.length ? req.stop : undefined, onTextChunk: stream };
      const opts: LLamaChatGenerateResponseOptions<ChatModelFunctions> = p.functions ? { ...base, functions: p.functions, documentFunctionParams: true } : { ...base, grammar: p.grammar };
      // A begin-of-text token is never part of an answer. Inside a grammar it is worse: the grammar reads it as
      // the text "<s>" while the response drops it, so a string would come out shorter than its schema says.
      const bos = h.model.tokens.bos;
      if (bos !== null && !h.model.isEogToken(bos)) opts.tokenBias = () => h.module.TokenBias.for(h.model).set(bos, 'never');
      return state.chat.generateResponse(history, opts);
    };
    const temperature = req.temperature ?? 0;
    let res = await attempt(temperature, req.seed, p.forced ? undefined : o.onText);
    const schema = p.grammar && !p.forced ? req.responseSchema : undefined;
    let check = schema && res.metadata.stopReason !== 'maxTokens' ? validateAgainstSchema(res.response, schema.schema) : null;
    if (schema && check && !check.ok && !o.onText) {
      // The grammar enforced the shape; a keyword it cannot express (a numeric bound, a pattern) failed. Resample once.
      o.logger?.debug('structured output failed validation; resampling', { problem: check.problem });
      res = await attempt(Math.max(0.7, temperature), (req.seed ?? 0) + 1);
      check = res.metadata.stopReason !== 'maxTokens' ? validateAgainstSchema(res.response, schema.schema) : null;
    }
    if (schema && check && !check.ok) {
      throw new AppError('provider_error', `The local model's answer does not satisfy schema "${schema.name}": ${check.problem}.`, { reason: 'schema_mismatch', problem: check.problem });
    }
    const used = state.chat.sequence.tokenMeter.diff(before);
    const toolCalls = toolCallsOf(res, p);
    const finishReason: FinishReason = toolCalls.length ? 'tool_calls' : res.metadata.stopReason === 'maxTokens' ? 'length' : 'stop';
    o.logger?.debug('local chat', { ms: Math.round(performance.now() - started), inputTokens, outputTokens: used.usedOutputTokens, finishReason });
    return {
      text: p.forced ? '' : res.response,
      toolCalls,
      finishReason,
      usage: { inputTokens, outputTokens: used.usedOutputTokens, cachedTokens: Math.max(0, inputTokens - used.usedInputTokens) },
      model: o.modelId,
    };
  });
}

/** Embeddings, one input at a time (llama.cpp pools per sequence), unit length. */
export function engineEmbed(engine: LlamaEngine, path: string, ctx: ContextRequest, req: EmbedRequest, o: GenerateOptions): Promise<EmbedResult> {
  return engine.withEmbedding(path, ctx, o.signal, async (h, context, size) => {
    const vectors: Float32Array[] = [];
    let tokens = 0;
    for (const [i, text] of req.input.entries()) {
      if (o.signal.aborted) throw new AppError('cancelled', 'The embedding request was cancelled.');
      let toks = h.model.tokenize(text);
      if (toks.length === 0) throw new AppError('validation', `Input ${i + 1} is empty; there is nothing to embed.`);
      // Leave room for the begin/end tokens the context adds; longer inputs are embedded by their start.
      if (toks.length > size - 2) toks = toks.slice(0, size - 2);
      tokens += toks.length;
      const embedding = await context.getEmbeddingFor(toks);
      vectors.push(l2normalize(embedding.vector, req.dimensions));
    }
    const dimensions = vectors[0]?.length ?? req.dimensions ?? h.model.embeddingVectorSize;
    return { vectors, dimensions, usage: { inputTokens: tokens, outputTokens: 0, cachedTokens: 0 }, model: o.modelId };
  });
}

/** Exact prompt size of a conversation for this model (loads the model if needed, does not wait for generations). */
export async function engineCountTokens(engine: LlamaEngine, path: string, messages: readonly ChatMessage[]): Promise<number> {
  return promptTokens(await engine.handleFor(path), messages);
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
