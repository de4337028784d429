import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsBase, ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import type { AppError } from '@shared/errors';
import { providerError, toProviderError } from '../errors';
import type {
  CallOptions,
  ChatRequest,
  ChatResult,
  ChatStreamEvent,
  EmbedRequest,
  EmbedResult,
  EndpointConfig,
  FinishReason,
  ModelInfo,
  ProviderAdapter,
  ProviderCapabilities,
  ToolCall,
  TranscribeRequest,
  TranscribeResult,
  Usage,
} from '../types';
import { estimatedUsage, guessModelKind, isStrictCompatible, type AdapterDeps } from './common';

/** Azure's GA api-version with structured outputs; override per endpoint. */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** Reasoning models (o-series, gpt-5 family) refuse temperature/top_p other than the default. */
const REASONING_MODEL = /^(o\d|gpt-5)/i;

const FINISH: Record<string, FinishReason> = { stop: 'stop', length: 'length', tool_calls: 'tool_calls', function_call: 'tool_calls', content_filter: 'content_filter' };

/**
 * Builds the SDK client with every setting explicit. The SDK otherwise fills gaps from the environment
 * (OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID, AZURE_OPENAI_API_KEY …), which would let a stray variable
 * redirect calls or attach a different key. SDK retries are off: the gateway retries with its own policy.
 */
async function makeClient(cfg: EndpointConfig): Promise<OpenAI> {
  // Loaded on first use: the SDK costs hundreds of milliseconds to import, which commands that never call a model
  // (and app start-up) should not pay.
  const { default: OpenAIClient, AzureOpenAI } = await import('openai');
  const headers: Record<string, string | null> = { ...cfg.headers };
  const common = { maxRetries: 0, timeout: 10 * 60_000, organization: null, project: null, webhookSecret: null, adminAPIKey: null, logLevel: 'off' as const };
  if (cfg.kind === 'azure') {
    if (!cfg.apiKey) throw providerError(`Azure endpoint ${cfg.name} has no API key; add one (provider update ${cfg.name} --api-key …).`, { endpoint: cfg.name, failure: 'config', retryable: false, breaker: false });
    if (!cfg.baseUrl) throw providerError(`Azure endpoint ${cfg.name} has no resource URL (https://<resource>.openai.azure.com).`, { endpoint: cfg.name, failure: 'config', retryable: false, breaker: false });
    const base = cfg.baseUrl.replace(/\/+$/, '');
    return new AzureOpenAI({
      ...common,
      apiKey: cfg.apiKey,
      apiVersion: cfg.apiVersion ?? DEFAULT_AZURE_API_VERSION,
      // A URL that already ends in /openai is a base URL; a bare resource URL is an endpoint the SDK extends.
      ...(/\/openai$/.test(base) ? { baseURL: base } : { endpoint: base }),
      defaultHeaders: headers,
    });
  }
  // Keyless local servers (Ollama, LM Studio, llama.cpp) need no Authorization header; the SDK insists on a key
  // value, so a placeholder is given and the header it would produce is removed.
  if (!cfg.apiKey) headers.Authorization ??= null;
  // A query in the base URL (`…/v1?key=…`, as some gateways want) goes on every request, not before the path.
  const { baseURL, defaultQuery } = splitQuery(cfg.baseUrl ?? OPENAI_BASE_URL);
  return new OpenAIClient({
    ...common,
    apiKey: cfg.apiKey ?? 'no-key',
    baseURL,
    ...(defaultQuery ? { defaultQuery } : {}),
    defaultHeaders: headers,
  });
}

/** 'http://h/v1?key=k' → baseURL 'http://h/v1' and defaultQuery { key: 'k' }. */
export function splitQuery(url: string): { baseURL: string; defaultQuery: Record<string, string> | null } {
  const q = url.indexOf('?');
  if (q < 0) return { baseURL: url, defaultQuery: null };
  const params = new URLSearchParams(url.slice(q + 1).split('#')[0]);
  return { baseURL: url.slice(0, q), defaultQuery: params.size ? Object.fromEntries(params) : null };
}

function toMessages(req: ChatRequest): ChatCompletionMessageParam[] {
  return req.messages.map((m): ChatCompletionMessageParam => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content };
      case 'user':
        return { role: 'user', content: m.content };
      case 'tool':
        return { role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content };
      case 'assistant':
        return m.toolCalls?.length
          ? { role: 'assistant', content: m.content || null, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) }
          : { role: 'assistant', content: m.content };
    }
  });
}

export function openAIParams(cfg: Pick<EndpointConfig, 'kind'>, req: ChatRequest): ChatCompletionCreateParamsBase {
  const reasoning = cfg.kind !== 'openai-compatible' && REASONING_MODEL.test(req.model);
  const p: ChatCompletionCreateParamsBase = { model: req.model, messages: toMessages(req) };
  if (!reasoning) {
    if (req.temperature !== undefined) p.temperature = req.temperature;
    if (req.topP !== undefined) p.top_p = req.topP;
  }
  // OpenAI and Azure moved to max_completion_tokens (reasoning models reject max_tokens); compatible servers
  // (Ollama, vLLM, llama.cpp, LM Studio) know max_tokens.
  if (req.maxTokens !== undefined) {
    if (cfg.kind === 'openai-compatible') p.max_tokens = req.maxTokens;
    else p.max_completion_tokens = req.maxTokens;
  }
  if (req.stop?.length) p.stop = req.stop;
  if (req.seed !== undefined) p.seed = req.seed;
  if (req.responseSchema) {
    const strict = req.responseSchema.strict ?? isStrictCompatible(req.responseSchema.schema);
    p.response_format = { type: 'json_schema', json_schema: { name: req.responseSchema.name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64), schema: req.responseSchema.schema, strict } };
  }
  if (req.tools?.length) {
    p.tools = req.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } }));
    if (req.toolChoice) p.tool_choice = typeof req.toolChoice === 'string' ? req.toolChoice : { type: 'function', function: { name: req.toolChoice.name } };
  }
  return p;
}

interface RawUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
}

const usageOf = (u: RawUsage): Usage => ({
  inputTokens: u.prompt_tokens ?? 0,
  outputTokens: u.completion_tokens ?? 0,
  cachedTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
});

/** OpenAI, any OpenAI-compatible server, and Azure OpenAI: one adapter over the official `openai` SDK. */
export class OpenAIAdapter implements ProviderAdapter {
  readonly kind: EndpointConfig['kind'];
  readonly capabilities: ProviderCapabilities;
  private clientValue: Promise<OpenAI> | null = null;

  constructor(
    private readonly cfg: EndpointConfig,
    private readonly deps: AdapterDeps,
  ) {
    this.kind = cfg.kind;
    this.capabilities = { streaming: true, structuredOutput: 'native', tools: true, embeddings: true, transcription: true };
  }

  private client(): Promise<OpenAI> {
    if (!this.clientValue) {
      this.clientValue = makeClient(this.cfg);
      // A configuration error is not cached: the next call, after the endpoint is fixed, builds a new client.
      this.clientValue.catch(() => (this.clientValue = null));
    }
    return this.clientValue;
  }

  private fail(error: unknown, opts: CallOptions): AppError {
    return toProviderError(error, { endpoint: this.cfg.name, sanitizer: this.deps.sanitizer, signal: opts.signal });
  }

  private reqOptions(opts: CallOptions): { signal?: AbortSignal; timeout?: number } {
    return { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}) };
  }

  async chat(req: ChatRequest, opts: CallOptions): Promise<ChatResult> {
    let res: OpenAI.Chat.Completions.ChatCompletion;
    try {
      res = await (await this.client()).chat.completions.create({ ...openAIParams(this.cfg, req), stream: false }, this.reqOptions(opts));
    } catch (error) {
      throw this.fail(error, opts);
    }
    const choice = res.choices?.[0];
    if (!choice) throw providerError(`${this.cfg.name} answered without a choice.`, { endpoint: this.cfg.name, failure: 'invalid_output', retryable: true, breaker: true });
    const text = choice.message.content ?? '';
    const toolCalls: ToolCall[] = (choice.message.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : []));
    const finish = choice.message.refusal ? 'content_filter' : (FINISH[choice.finish_reason] ?? 'stop');
    return {
      text,
      toolCalls,
      finishReason: finish,
      usage: res.usage ? usageOf(res.usage) : estimatedUsage(this.deps, this.kind, req, text),
      model: res.model || req.model,
    };
  }

  async *streamChat(req: ChatRequest, opts: CallOptions): AsyncIterable<ChatStreamEvent> {
    let text = '';
    let usage: Usage | null = null;
    let finish: FinishReason | null = null;
    let model = req.model;
    const calls = new Map<number, ToolCall>();
    try {
      const stream = await (await this.client()).chat.completions.create(
        { ...openAIParams(this.cfg, req), stream: true, stream_options: { include_usage: true } },
        this.reqOptions(opts),
      );
      for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = usageOf(chunk.usage);
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        const delta = choice.delta;
        if (delta?.content) {
          text += delta.content;
          yield { type: 'delta', text: delta.content };
        }
        for (const tc of delta?.tool_calls ?? []) {
          const cur = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
          if (tc.id) cur.id = tc.id;
          if (tc.function?.name) cur.name += tc.function.name;
          if (tc.function?.arguments) cur.arguments += tc.function.arguments;
          calls.set(tc.index, cur);
        }
        if (choice.finish_reason) finish = FINISH[choice.finish_reason] ?? 'stop';
      }
    } catch (error) {
      throw this.fail(error, opts);
    }
    if (finish === null) {
      throw providerError(`The stream from ${this.cfg.name} ended before the answer was complete.`, {
        endpoint: this.cfg.name,
        failure: 'stream_broken',
        retryable: true,
        breaker: true,
        partialChars: text.length,
      });
    }
    const toolCalls = [...calls.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c);
    for (const call of toolCalls) yield { type: 'tool_call', call };
    yield { type: 'done', result: { text, toolCalls, finishReason: finish, usage: usage ?? estimatedUsage(this.deps, this.kind, req, text), model } };
  }

  async embed(req: EmbedRequest, opts: CallOptions): Promise<EmbedResult> {
    try {
      // Compatible servers do not all speak base64 embeddings; OpenAI and Azure do, and it is the faster encoding.
      const res = await (await this.client()).embeddings.create(
        { model: req.model, input: req.input, ...(req.dimensions ? { dimensions: req.dimensions } : {}), ...(this.kind === 'openai-compatible' ? { encoding_format: 'float' as const } : {}) },
        this.reqOptions(opts),
      );
      const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => Float32Array.from(d.embedding as ArrayLike<number>));
      const tokens = res.usage?.prompt_tokens ?? req.input.reduce((n, t) => n + this.deps.tokens.text(t), 0);
      return { vectors, dimensions: vectors[0]?.length ?? 0, usage: { inputTokens: tokens, outputTokens: 0, cachedTokens: 0 }, model: res.model || req.model };
    } catch (error) {
      throw this.fail(error, opts);
    }
  }

  async transcribe(req: TranscribeRequest, opts: CallOptions): Promise<TranscribeResult> {
    try {
      const ext = req.mimeType.split('/')[1]?.split(';')[0] ?? 'webm';
      const { toFile } = await import('openai');
      const file = await toFile(req.audio, `audio.${ext === 'mpeg' ? 'mp3' : ext}`, { type: req.mimeType });
      const res = await (await this.client()).audio.transcriptions.create(
        { file, model: req.model, ...(req.language ? { language: req.language } : {}), ...(req.prompt ? { prompt: req.prompt } : {}), response_format: 'json' },
        this.reqOptions(opts),
      );
      const u = (res as { usage?: { type?: string; seconds?: number; input_tokens?: number; output_tokens?: number } }).usage;
      return {
        text: res.text,
        ...(u?.type === 'duration' && typeof u.seconds === 'number' ? { durationSec: u.seconds } : {}),
        usage: { inputTokens: u?.input_tokens ?? 0, outputTokens: u?.output_tokens ?? 0, cachedTokens: 0 },
      };
    } catch (error) {
      throw this.fail(error, opts);
    }
  }

  async listModels(opts: CallOptions): Promise<ModelInfo[]> {
    try {
      const out: ModelInfo[] = [];
      for await (const m of (await this.client()).models.list(this.reqOptions(opts))) out.push({ id: m.id, kind: guessModelKind(m.id) });
      return out.sort((a, b) => a.id.localeCompare(b.id));
    } catch (error) {
      throw this.fail(error, opts);
    }
  }

  countTokens(req: Pick<ChatRequest, 'model' | 'messages'>): number {
    return this.deps.tokens.messages(req.messages, this.kind);
  }
}
