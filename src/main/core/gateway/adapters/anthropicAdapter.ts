import type Anthropic from '@anthropic-ai/sdk';
import type { AppError } from '@shared/errors';
import type { MessageCreateParamsBase, MessageParam, RawMessageStreamEvent, ToolUnion } from '@anthropic-ai/sdk/resources/messages/messages';
import { providerError, toProviderError } from '../errors';
import type { CallOptions, ChatRequest, ChatResult, ChatStreamEvent, EndpointConfig, FinishReason, ModelInfo, ProviderAdapter, ProviderCapabilities, ToolCall, Usage } from '../types';
import { estimatedUsage, guessModelKind, parseArgs, type AdapterDeps } from './common';

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** Anthropic requires max_tokens; this is used when neither the request nor the policy sets one. */
const DEFAULT_MAX_TOKENS = 4096;

const STOP: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

type Block = Exclude<MessageParam['content'], string>[number];

/**
 * Anthropic's Messages API keeps the system prompt apart, represents tool calls and results as content blocks, and
 * wants tool results inside a user turn; consecutive turns of one role are merged.
 */
export function anthropicParams(req: ChatRequest): MessageCreateParamsBase {
  const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const turns: { role: 'user' | 'assistant'; content: Block[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]): void => {
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  for (const m of req.messages) {
    if (m.role === 'system') continue;
    if (m.role === 'user') push('user', [{ type: 'text', text: m.content }]);
    else if (m.role === 'tool') push('user', [{ type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content }]);
    else {
      const blocks: Block[] = m.content ? [{ type: 'text', text: m.content }] : [];
      for (const c of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: parseArgs(c.arguments) });
      if (blocks.length) push('assistant', blocks);
    }
  }
  const p: MessageCreateParamsBase = {
    model: req.model,
    max_tokens: req.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages: turns.map((t) => ({ role: t.role, content: t.content })),
  };
  if (system) p.system = system;
  // The Messages API of the SDK we ship (1.x) no longer takes sampling parameters (temperature and top_p were
  // deprecated and removed), so a policy's temperature/top_p do not reach Anthropic endpoints.
  if (req.stop?.length) p.stop_sequences = req.stop;
  if (req.responseSchema) p.output_config = { format: { type: 'json_schema', schema: req.responseSchema.schema } };
  if (req.tools?.length) {
    p.tools = req.tools.map((t): ToolUnion => ({ name: t.name, description: t.description, input_schema: { type: 'object', ...t.parameters } }));
    if (req.toolChoice) {
      p.tool_choice =
        req.toolChoice === 'auto' ? { type: 'auto' } : req.toolChoice === 'none' ? { type: 'none' } : req.toolChoice === 'required' ? { type: 'any' } : { type: 'tool', name: req.toolChoice.name };
    }
  }
  return p;
}

interface RawUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/** Anthropic counts cache reads and writes apart from input_tokens; Usage.inputTokens is the whole prompt. */
const usageOf = (u: RawUsage): Usage => ({
  inputTokens: (u.input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0),
  outputTokens: u.output_tokens ?? 0,
  cachedTokens: u.cache_read_input_tokens ?? 0,
});

/** Anthropic through the official SDK: chat, streaming, tools and native structured output (output_config.format). */
export class AnthropicAdapter implements ProviderAdapter {
  readonly kind = 'anthropic' as const;
  readonly capabilities: ProviderCapabilities = { streaming: true, structuredOutput: 'native', tools: true, embeddings: false, transcription: false };
  private clientValue: Promise<Anthropic> | null = null;

  constructor(
    private readonly cfg: EndpointConfig,
    private readonly deps: AdapterDeps,
  ) {}

  private client(): Promise<Anthropic> {
    if (this.clientValue) return this.clientValue;
    this.clientValue = (async () => {
      if (!this.cfg.apiKey) throw providerError(`Anthropic endpoint ${this.cfg.name} has no API key; add one.`, { endpoint: this.cfg.name, failure: 'config', retryable: false, breaker: false });
      // Imported on first use (it is large); everything explicit, so ANTHROPIC_* environment variables cannot
      // redirect calls; SDK retries off.
      const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
      return new AnthropicClient({
        apiKey: this.cfg.apiKey,
        baseURL: this.cfg.baseUrl ?? ANTHROPIC_BASE_URL,
        defaultHeaders: this.cfg.headers,
        maxRetries: 0,
        timeout: 10 * 60_000,
        logLevel: 'off',
      });
    })();
    this.clientValue.catch(() => (this.clientValue = null));
    return this.clientValue;
  }

  private fail(error: unknown, opts: CallOptions): AppError {
    return toProviderError(error, { endpoint: this.cfg.name, sanitizer: this.deps.sanitizer, signal: opts.signal });
  }

  private reqOptions(opts: CallOptions): { signal?: AbortSignal; timeout?: number } {
    return { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}) };
  }

  async chat(req: ChatRequest, opts: CallOptions): Promise<ChatResult> {
    try {
      const res = await (await this.client()).messages.create({ ...anthropicParams(req), stream: false }, this.reqOptions(opts));
      let text = '';
      const toolCalls: ToolCall[] = [];
      for (const block of res.content) {
        if (block.type === 'text') text += block.text;
        else if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
      }
      return {
        text,
        toolCalls,
        finishReason: STOP[res.stop_reason ?? 'end_turn'] ?? 'stop',
        usage: res.usage ? usageOf(res.usage) : estimatedUsage(this.deps, this.kind, req, text),
        model: res.model || req.model,
      };
    } catch (error) {
      throw this.fail(error, opts);
    }
  }

  async *streamChat(req: ChatRequest, opts: CallOptions): AsyncIterable<ChatStreamEvent> {
    let text = '';
    let model = req.model;
    let finish: FinishReason | null = null;
    const usage: RawUsage = {};
    const calls = new Map<number, ToolCall>();
    let stopped = false;
    try {
      const stream = await (await this.client()).messages.create({ ...anthropicParams(req), stream: true }, this.reqOptions(opts));
      for await (const ev of stream as AsyncIterable<RawMessageStreamEvent>) {
        switch (ev.type) {
          case 'message_start':
            model = ev.message.model || model;
            Object.assign(usage, ev.message.usage);
            break;
          case 'content_block_start':
            if (ev.content_block.type === 'tool_use') calls.set(ev.index, { id: ev.content_block.id, name: ev.content_block.name, arguments: '' });
            break;
          case 'content_block_delta':
            if (ev.delta.type === 'text_delta') {
              text += ev.delta.text;
              yield { type: 'delta', text: ev.delta.text };
            } else if (ev.delta.type === 'input_json_delta') {
              const c = calls.get(ev.index);
              if (c) c.arguments += ev.delta.partial_json;
            }
            break;
          case 'message_delta':
            if (ev.delta.stop_reason) finish = STOP[ev.delta.stop_reason] ?? 'stop';
            if (ev.usage) {
              for (const [k, v] of Object.entries(ev.usage)) if (typeof v === 'number') (usage as Record<string, number>)[k] = v;
            }
            break;
          case 'message_stop':
            stopped = true;
            break;
          default:
            break;
        }
      }
    } catch (error) {
      throw this.fail(error, opts);
    }
    if (!stopped && finish === null) {
      throw providerError(`The stream from ${this.cfg.name} ended before the answer was complete.`, { endpoint: this.cfg.name, failure: 'stream_broken', retryable: true, breaker: true, partialChars: text.length });
    }
    const toolCalls = [...calls.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => ({ ...c, arguments: c.arguments || '{}' }));
    for (const call of toolCalls) yield { type: 'tool_call', call };
    const u = usage.input_tokens !== undefined ? usageOf(usage) : estimatedUsage(this.deps, this.kind, req, text);
    yield { type: 'done', result: { text, toolCalls, finishReason: finish ?? 'stop', usage: u, model } };
  }

  async listModels(opts: CallOptions): Promise<ModelInfo[]> {
    try {
      const out: ModelInfo[] = [];
      for await (const m of (await this.client()).models.list({}, this.reqOptions(opts))) out.push({ id: m.id, kind: guessModelKind(m.id) });
      return out;
    } catch (error) {
      throw this.fail(error, opts);
    }
  }

  countTokens(req: Pick<ChatRequest, 'model' | 'messages'>): number {
    return this.deps.tokens.messages(req.messages, this.kind);
  }
}
