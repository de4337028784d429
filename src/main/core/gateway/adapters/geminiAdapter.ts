import type { Content, FunctionCallingConfigMode, GenerateContentConfig, GenerateContentResponse, GoogleGenAI, Part } from '@google/genai';
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
import { estimatedUsage, guessModelKind, parseArgs, type AdapterDeps } from './common';

const FINISH: Record<string, FinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  MALFORMED_FUNCTION_CALL: 'error',
};

/** The SDK's enum values, spelled out so the SDK itself need not be loaded to build a request. */
const MODE = { AUTO: 'AUTO', ANY: 'ANY', NONE: 'NONE' } as Record<string, FunctionCallingConfigMode>;

export interface GeminiRequest {
  model: string;
  contents: Content[];
  config: GenerateContentConfig;
}

/**
 * Gemini keeps the system prompt in systemInstruction, calls the assistant "model", and answers tool calls with
 * functionResponse parts that carry the function's name (looked up from the call id).
 */
export function geminiParams(req: ChatRequest): GeminiRequest {
  const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const names = new Map<string, string>();
  for (const m of req.messages) for (const c of m.toolCalls ?? []) names.set(c.id, c.name);
  const contents: Content[] = [];
  const push = (role: 'user' | 'model', parts: Part[]): void => {
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts!.push(...parts);
    else contents.push({ role, parts });
  };
  for (const m of req.messages) {
    if (m.role === 'system') continue;
    if (m.role === 'user') push('user', [{ text: m.content }]);
    else if (m.role === 'tool') {
      const id = m.toolCallId ?? '';
      push('user', [{ functionResponse: { id, name: names.get(id) ?? id, response: { result: m.content } } }]);
    } else {
      const parts: Part[] = m.content ? [{ text: m.content }] : [];
      for (const c of m.toolCalls ?? []) parts.push({ functionCall: { id: c.id, name: c.name, args: parseArgs(c.arguments) } });
      if (parts.length) push('model', parts);
    }
  }
  const config: GenerateContentConfig = {};
  if (system) config.systemInstruction = system;
  if (req.temperature !== undefined) config.temperature = req.temperature;
  if (req.topP !== undefined) config.topP = req.topP;
  if (req.maxTokens !== undefined) config.maxOutputTokens = req.maxTokens;
  if (req.stop?.length) config.stopSequences = req.stop;
  if (req.seed !== undefined) config.seed = req.seed;
  if (req.responseSchema) {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = req.responseSchema.schema;
  }
  if (req.tools?.length) {
    config.tools = [{ functionDeclarations: req.tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.parameters })) }];
    if (req.toolChoice) {
      const tc = req.toolChoice;
      config.toolConfig = {
        functionCallingConfig:
          tc === 'auto'
            ? { mode: MODE.AUTO! }
            : tc === 'none'
              ? { mode: MODE.NONE! }
              : tc === 'required'
                ? { mode: MODE.ANY! }
                : { mode: MODE.ANY!, allowedFunctionNames: [tc.name] },
      };
    }
  }
  return { model: req.model, contents, config };
}

const usageOf = (r: GenerateContentResponse): Usage | null => {
  const u = r.usageMetadata;
  if (!u || u.promptTokenCount === undefined) return null;
  // Thinking tokens are billed as output.
  return { inputTokens: u.promptTokenCount ?? 0, outputTokens: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0), cachedTokens: u.cachedContentTokenCount ?? 0 };
};

const callsOf = (r: GenerateContentResponse, offset: number): ToolCall[] =>
  (r.functionCalls ?? []).map((c, i) => ({ id: c.id ?? `call_${offset + i}`, name: c.name ?? '', arguments: JSON.stringify(c.args ?? {}) }));

/** Text of a response without the SDK's warning for non-text parts. */
const textOf = (r: GenerateContentResponse): string =>
  (r.candidates?.[0]?.content?.parts ?? []).map((p) => (typeof p.text === 'string' && !p.thought ? p.text : '')).join('');

/** Google Gemini through the official @google/genai SDK (Gemini API, API key). */
export class GeminiAdapter implements ProviderAdapter {
  readonly kind = 'gemini' as const;
  readonly capabilities: ProviderCapabilities = { streaming: true, structuredOutput: 'native', tools: true, embeddings: true, transcription: true };
  private clientValue: Promise<GoogleGenAI> | null = null;

  constructor(
    private readonly cfg: EndpointConfig,
    private readonly deps: AdapterDeps,
  ) {}

  private client(): Promise<GoogleGenAI> {
    if (this.clientValue) return this.clientValue;
    this.clientValue = (async () => {
      if (!this.cfg.apiKey) throw providerError(`Gemini endpoint ${this.cfg.name} has no API key; add one.`, { endpoint: this.cfg.name, failure: 'config', retryable: false, breaker: false });
      // Imported on first use (it is large). vertexai false: GOOGLE_GENAI_USE_VERTEXAI in the environment must not
      // switch backends. No retryOptions: the SDK then makes one attempt and the gateway owns retries.
      const { GoogleGenAI: Client } = await import('@google/genai');
      return new Client({
        apiKey: this.cfg.apiKey,
        vertexai: false,
        httpOptions: { ...(this.cfg.baseUrl ? { baseUrl: this.cfg.baseUrl } : {}), headers: this.cfg.headers },
      });
    })();
    this.clientValue.catch(() => (this.clientValue = null));
    return this.clientValue;
  }

  private fail(error: unknown, opts: CallOptions): AppError {
    return toProviderError(error, { endpoint: this.cfg.name, sanitizer: this.deps.sanitizer, signal: opts.signal });
  }

  private callConfig(opts: CallOptions): Pick<GenerateContentConfig, 'abortSignal' | 'httpOptions'> {
    return { ...(opts.signal ? { abortSignal: opts.signal } : {}), ...(opts.timeoutMs ? { httpOptions: { timeout: opts.timeoutMs } } : {}) };
  }

  async chat(req: ChatRequest, opts: CallOptions): Promise<ChatResult> {
    try {
      const p = geminiParams(req);
      const res = await (await this.client()).models.generateContent({ ...p, config: { ...p.config, ...this.callConfig(opts) } });
      const text = textOf(res);
      const toolCalls = callsOf(res, 0);
      const reason = res.candidates?.[0]?.finishReason;
      return {
        text,
        toolCalls,
        finishReason: toolCalls.length ? 'tool_calls' : (FINISH[String(reason ?? 'STOP')] ?? 'stop'),
        usage: usageOf(res) ?? estimatedUsage(this.deps, this.kind, req, text),
        model: res.modelVersion ?? req.model,
      };
    } catch (error) {
      throw this.fail(error, opts);
    }
  }

  async *streamChat(req: ChatRequest, opts: CallOptions): AsyncIterable<ChatStreamEvent> {
    let text = '';
    let usage: Usage | null = null;
    let finish: FinishReason | null = null;
    let model = req.model;
    const toolCalls: ToolCall[] = [];
    try {
      const p = geminiParams(req);
      const stream = await (await this.client()).models.generateContentStream({ ...p, config: { ...p.config, ...this.callConfig(opts) } });
      for await (const chunk of stream) {
        if (chunk.modelVersion) model = chunk.modelVersion;
        usage = usageOf(chunk) ?? usage;
        const piece = textOf(chunk);
        if (piece) {
          text += piece;
          yield { type: 'delta', text: piece };
        }
        toolCalls.push(...callsOf(chunk, toolCalls.length));
        const reason = chunk.candidates?.[0]?.finishReason;
        if (reason) finish = FINISH[String(reason)] ?? 'stop';
      }
    } catch (error) {
      throw this.fail(error, opts);
    }
    if (finish === null) {
      throw providerError(`The stream from ${this.cfg.name} ended before the answer was complete.`, { endpoint: this.cfg.name, failure: 'stream_broken', retryable: true, breaker: true, partialChars: text.length });
    }
    for (const call of toolCalls) yield { type: 'tool_call', call };
    yield { type: 'done', result: { text, toolCalls, finishReason: toolCalls.length ? 'tool_calls' : finish, usage: usage ?? estimatedUsage(this.deps, this.kind, req, text), model } };
  }

  async embed(req: EmbedRequest, opts: CallOptions): Promise<EmbedResult> {
    try {
      const res = await (await this.client()).models.embedContent({
        model: req.model,
        contents: req.input,
        config: { ...(req.dimensions ? { outputDimensionality: req.dimensions } : {}), ...this.callConfig(opts) },
      });
      const vectors = (res.embeddings ?? []).map((e) => Float32Array.from(e.values ?? []));
      if (vectors.length !== req.input.length) {
        throw providerError(`${this.cfg.name} returned ${vectors.length} embeddings for ${req.input.length} inputs.`, { endpoint: this.cfg.name, failure: 'invalid_output', retryable: true, breaker: true });
      }
      // The Gemini API does not report embedding usage; the estimate stands in for it.
      const tokens = req.input.reduce((n, t) => n + this.deps.tokens.text(t), 0);
      return { vectors, dimensions: vectors[0]?.length ?? 0, usage: { inputTokens: tokens, outputTokens: 0, cachedTokens: 0 }, model: req.model };
    } catch (error) {
      throw this.fail(error, opts);
    }
  }

  /** Gemini models understand audio: transcription is a generateContent call with the audio inline. */
  async transcribe(req: TranscribeRequest, opts: CallOptions): Promise<TranscribeResult> {
    try {
      const instruction = `Transcribe this audio verbatim${req.language ? ` (language: ${req.language})` : ''}. Answer with the transcript only.${req.prompt ? ` Context: ${req.prompt}` : ''}`;
      const res = await (await this.client()).models.generateContent({
        model: req.model,
        contents: [{ role: 'user', parts: [{ inlineData: { mimeType: req.mimeType, data: Buffer.from(req.audio).toString('base64') } }, { text: instruction }] }],
        config: { temperature: 0, ...this.callConfig(opts) },
      });
      const u = usageOf(res);
      return { text: textOf(res).trim(), ...(req.language ? { language: req.language } : {}), usage: u ?? { inputTokens: 0, outputTokens: 0, cachedTokens: 0 } };
    } catch (error) {
      throw this.fail(error, opts);
    }
  }

  async listModels(opts: CallOptions): Promise<ModelInfo[]> {
    try {
      const out: ModelInfo[] = [];
      const pager = await (await this.client()).models.list({ config: { ...this.callConfig(opts) } });
      for await (const m of pager) {
        const id = (m.name ?? '').replace(/^models\//, '');
        if (!id) continue;
        const actions = m.supportedActions ?? [];
        out.push({ id, kind: actions.includes('embedContent') ? 'embedding' : actions.includes('generateContent') ? 'chat' : guessModelKind(id), ...(m.inputTokenLimit ? { contextLength: m.inputTokenLimit } : {}) });
      }
      return out;
    } catch (error) {
      throw this.fail(error, opts);
    }
  }

  countTokens(req: Pick<ChatRequest, 'model' | 'messages'>): number {
    return this.deps.tokens.messages(req.messages, this.kind);
  }
}
