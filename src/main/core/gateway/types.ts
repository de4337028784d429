/**
 * The model-provider contract shared by the gateway, the local (node-llama-cpp) provider, the intelligence engine
 * and the vector store. Adapters implement ProviderAdapter; everything else calls models only through Gateway,
 * which adds routing by policy, fallback, retries, circuit breaking, caching, budgets and usage recording.
 * Extend these types compatibly; do not rename or remove fields other code relies on.
 */

export type ProviderKind = 'openai' | 'openai-compatible' | 'azure' | 'anthropic' | 'gemini' | 'local';

export type JsonSchema = Record<string, unknown>;

export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text of the arguments, as the model produced it. */
  arguments: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** For role 'tool': the call this answers. */
  toolCallId?: string;
  /** For role 'assistant': the calls it made. */
  toolCalls?: ToolCall[];
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  /** Structured output: ask for JSON matching this schema, natively where the provider supports it. */
  responseSchema?: { name: string; schema: JsonSchema; strict?: boolean };
  tools?: ToolSpec[];
  toolChoice?: 'auto' | 'none' | 'required' | { name: string };
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

export interface ChatResult {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  /** The model that actually answered, as the provider reports it. */
  model: string;
}

export type ChatStreamEvent = { type: 'delta'; text: string } | { type: 'tool_call'; call: ToolCall } | { type: 'done'; result: ChatResult };

export interface EmbedRequest {
  model: string;
  input: string[];
  dimensions?: number;
}

export interface EmbedResult {
  vectors: Float32Array[];
  dimensions: number;
  usage: Usage;
  model: string;
}

export interface TranscribeRequest {
  model: string;
  audio: Uint8Array;
  mimeType: string;
  language?: string;
  prompt?: string;
  /** Length of the audio when the caller knows it (a WAV header): billing uses it when the provider reports none. */
  durationSec?: number;
}

export interface TranscribeResult {
  text: string;
  language?: string;
  durationSec?: number;
  usage: Usage;
}

export interface ModelInfo {
  id: string;
  kind: 'chat' | 'embedding' | 'audio' | 'unknown';
  contextLength?: number;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

export interface ProviderCapabilities {
  streaming: boolean;
  /** 'native': the provider enforces responseSchema; 'prompt': the schema goes into the prompt and output is parsed. */
  structuredOutput: 'native' | 'prompt';
  tools: boolean;
  embeddings: boolean;
  transcription: boolean;
}

/** One configured endpoint of one provider kind. Adapters throw AppError('provider_error' | 'unavailable' | 'cancelled'). */
export interface ProviderAdapter {
  readonly kind: ProviderKind;
  readonly capabilities: ProviderCapabilities;
  chat(req: ChatRequest, opts: CallOptions): Promise<ChatResult>;
  streamChat(req: ChatRequest, opts: CallOptions): AsyncIterable<ChatStreamEvent>;
  embed?(req: EmbedRequest, opts: CallOptions): Promise<EmbedResult>;
  transcribe?(req: TranscribeRequest, opts: CallOptions): Promise<TranscribeResult>;
  listModels(opts: CallOptions): Promise<ModelInfo[]>;
  /** Token estimate for budgeting before the call; exact counts come back in Usage. */
  countTokens(req: Pick<ChatRequest, 'model' | 'messages'>): number;
  dispose?(): Promise<void>;
}

/** Who is calling and why: decides the policy, the budgets that apply, and what the usage row records. */
export interface GatewayCallMeta {
  workspace: string;
  /** Policy key: 'persona.ticket_analyst', 'coaching', 'copilot.chat', 'embeddings', 'voice.intent', 'voice.transcribe', 'report.narrative', … */
  useCase: string;
  profileId: string | null;
  /** Free-form tag for the usage table, e.g. the insight or entity this call serves. */
  subject?: string;
  /** What started the call (on_demand, scheduled, event), recorded on the usage row; unset for interactive features. */
  trigger?: 'on_demand' | 'scheduled' | 'event';
}

/** What the gateway adds to every answer: who answered, whether a fallback did, and what it cost. */
export interface GatewayAnswerMeta {
  /** Endpoint name as configured ("openai-main", "ollama-laptop"). */
  endpoint: string;
  providerKind: ProviderKind;
  model: string;
  fallbackUsed: boolean;
  attempts: number;
  cached: boolean;
  costUsd: number;
  latencyMs: number;
  usage: Usage;
  usageId: string;
}

export type GatewayChatRequest = Omit<ChatRequest, 'model'> & { model?: string };

export interface Gateway {
  /** Chat through the use case's policy (model, parameters, fallback chain, budget). */
  chat(meta: GatewayCallMeta, req: GatewayChatRequest, opts?: CallOptions): Promise<ChatResult & GatewayAnswerMeta>;
  /** Streaming chat; the last event is 'done' and carries the answer metadata. */
  streamChat(meta: GatewayCallMeta, req: GatewayChatRequest, opts?: CallOptions): AsyncIterable<ChatStreamEvent | { type: 'meta'; meta: GatewayAnswerMeta }>;
  embed(meta: GatewayCallMeta, input: string[], opts?: CallOptions & { model?: string; dimensions?: number }): Promise<EmbedResult & GatewayAnswerMeta>;
  /** `endpoints` keeps only the policy's local endpoints (in-process models) or only the remote ones. */
  transcribe(meta: GatewayCallMeta, req: Omit<TranscribeRequest, 'model'> & { model?: string }, opts?: CallOptions & { endpoints?: 'local' | 'remote' }): Promise<TranscribeResult & GatewayAnswerMeta>;
}

/** Events of Gateway.streamChat: the adapter's events plus the gateway's answer metadata. */
export type GatewayStreamEvent = ChatStreamEvent | { type: 'meta'; meta: GatewayAnswerMeta };

/** How an endpoint takes part in routing: policies name endpoints directly or by role ('@primary'). */
export type EndpointRole = 'primary' | 'secondary' | 'tertiary' | 'standby';
export const ENDPOINT_ROLES: readonly EndpointRole[] = ['primary', 'secondary', 'tertiary', 'standby'];

/** Everything an adapter needs to reach one endpoint. Secrets are decrypted here and never leave the core. */
export interface EndpointConfig {
  id: string;
  name: string;
  kind: ProviderKind;
  /** API base URL (OpenAI-compatible: including /v1; Azure: the resource endpoint; local: unused). */
  baseUrl: string | null;
  /** Default chat model (Azure: the chat deployment name). */
  model: string | null;
  /** Default embedding model (Azure: the embedding deployment). */
  embeddingModel: string | null;
  /** Default transcription model (Azure: the whisper deployment). */
  transcriptionModel: string | null;
  role: EndpointRole;
  enabled: boolean;
  apiKey: string | null;
  headers: Record<string, string>;
  /** Azure: the api-version query parameter. */
  apiVersion: string | null;
  /** Local: the GGUF file, context size and threads. */
  modelPath: string | null;
  contextSize: number | null;
  threads: number | null;
}

/** Builds the in-process (node-llama-cpp) adapter; supplied by src/main/core/localModels when that module is present. */
export type LocalAdapterFactory = (options: { modelPath: string; contextSize?: number; threads?: number }) => ProviderAdapter;
