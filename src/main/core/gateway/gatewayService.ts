import { performance } from 'node:perf_hooks';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { Logger } from '../logger';
import type { SecretCipher } from '../ports';
import type { WorkspaceService } from '../workspaces/workspaceService';
import { AdapterPool, type Capability, type Hop } from './adapterPool';
import { CallRunner, type CallCtx, type CallSpec, type TimerFn } from './callRunner';
import { Channel } from './channel';
import { EndpointStore } from './endpointStore';
import { providerError } from './errors';
import { Ledger, type CallIdentity, type Operation } from './ledger';
import type { Policy } from './policyConfig';
import { PolicyStore } from './policyStore';
import { PriceBook } from './priceBook';
import { readResource } from './resources';
import { cacheKey, ResponseCache } from './responseCache';
import { sleep as realSleep, type BreakerOptions } from './resilience';
import { checkTopLevel, extractJson } from './structured';
import { tokenEstimator, type TokenEstimator } from './tokens';
import type {
  CallOptions,
  ChatRequest,
  ChatResult,
  EmbedResult,
  Gateway,
  GatewayAnswerMeta,
  GatewayCallMeta,
  GatewayChatRequest,
  GatewayStreamEvent,
  LocalAdapterFactory,
  TranscribeRequest,
  TranscribeResult,
  Usage,
} from './types';

export interface GatewayServiceOptions {
  appDb: Db;
  workspaces: WorkspaceService;
  secrets: SecretCipher;
  logger: Logger;
  now: () => Date;
  /** Folder holding policies.default.yaml and prices.default.yaml (default: found next to the app). */
  resourcesDir?: string | undefined;
  localAdapter?: LocalAdapterFactory | null | undefined;
  breaker?: Partial<BreakerOptions> | undefined;
  /** Test seams: randomness for jitter, the backoff sleep, and a monotonic clock for latency and breakers. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  monotonic?: () => number;
  /** Test seam: the timer of each call's total deadline. */
  deadlineTimer?: TimerFn;
  tokens?: TokenEstimator;
  /** Told (at most about once a second per workspace) that a workspace's usage ledger has new rows. */
  onUsage?: ((workspace: string) => void) | undefined;
}

/** How long usage notifications of one workspace are coalesced: a scan's many calls make one refresh a second. */
const USAGE_NOTICE_MS = 1_000;

const zero: Usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };

/**
 * The largest answer accepted for a request of `maxTokens` output tokens, in characters: far above what the cap
 * allows (a token is rarely more than a dozen characters), far below a runaway or hostile 20 MB body.
 */
export const answerCapChars = (maxTokens: number): number => Math.max(65_536, maxTokens * 32);

/**
 * The only way the app talks to models. Every call is routed by its use case's policy along a fallback chain of
 * endpoints, with per-attempt timeouts, retries, circuit breakers, an optional response cache, budget reservation
 * before the call and a usage row after it, whatever the outcome.
 */
export class GatewayService implements Gateway {
  readonly endpoints: EndpointStore;
  readonly prices: PriceBook;
  readonly policies: PolicyStore;
  readonly pool: AdapterPool;
  readonly tokens: TokenEstimator;
  private readonly ledgers = new WeakMap<Db, Ledger>();
  private readonly liveLedgers = new Set<WeakRef<Ledger>>();
  /** Workspace name → its open database; valid while the handle is open (a deleted workspace's handle is closed). */
  private readonly openWorkspaces = new Map<string, { name: string; db: Db }>();
  private readonly caches = new WeakMap<Db, ResponseCache>();
  private readonly workspaces: WorkspaceService;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly monotonic: () => number;
  private readonly runner: CallRunner;
  private readonly onUsage: ((workspace: string) => void) | undefined;
  private readonly usageNotices = new Map<string, NodeJS.Timeout>();

  constructor(o: GatewayServiceOptions) {
    this.onUsage = o.onUsage;
    this.workspaces = o.workspaces;
    this.logger = o.logger;
    this.now = o.now;
    this.random = o.random ?? Math.random;
    this.sleep = o.sleep ?? realSleep;
    this.monotonic = o.monotonic ?? (() => performance.now());
    this.tokens = o.tokens ?? tokenEstimator;
    this.endpoints = new EndpointStore(o.appDb, o.secrets, o.now);
    this.prices = new PriceBook(o.appDb, () => readResource('prices.default.yaml', o.resourcesDir), o.now);
    this.policies = new PolicyStore(this.endpoints, this.prices, () => readResource('policies.default.yaml', o.resourcesDir), o.now, o.logger);
    this.runner = new CallRunner({ prices: this.prices, logger: o.logger, sleep: this.sleep, random: this.random, monotonic: this.monotonic, timer: o.deadlineTimer });
    this.pool = new AdapterPool(this.endpoints, this.tokens, { failureThreshold: o.breaker?.failureThreshold ?? 5, cooldownMs: o.breaker?.cooldownMs ?? 30_000 }, o.logger, o.localAdapter, this.monotonic);
  }

  /** Plugs in the in-process model provider (src/main/core/localModels) once it is available. */
  setLocalAdapterFactory(factory: LocalAdapterFactory | null): void {
    this.pool.setLocalFactory(factory);
  }

  /**
   * The ledger of a workspace database; reading through it first writes any settlements still queued. Given the
   * workspace's name, its writes are announced through `onUsage`.
   */
  ledger(db: Db, workspace?: string): Ledger {
    let l = this.ledgers.get(db);
    if (!l) {
      l = new Ledger(db);
      l.onFlushError = (error) => this.logger.error('usage settlement could not be written', { error: error instanceof Error ? error.message : String(error) });
      this.ledgers.set(db, l);
      this.liveLedgers.add(new WeakRef(l));
    }
    if (workspace && this.onUsage && !l.onWritten) l.onWritten = () => this.noticeUsage(workspace);
    return l;
  }

  private noticeUsage(workspace: string): void {
    if (this.usageNotices.has(workspace)) return;
    const timer = setTimeout(() => {
      this.usageNotices.delete(workspace);
      this.onUsage?.(workspace);
    }, USAGE_NOTICE_MS);
    timer.unref?.();
    this.usageNotices.set(workspace, timer);
  }

  /** Writes every queued settlement (before shutdown, and before reports read usage). */
  flush(): void {
    for (const ref of this.liveLedgers) {
      const l = ref.deref();
      if (!l) this.liveLedgers.delete(ref);
      else l.flush();
    }
  }

  private cache(db: Db): ResponseCache {
    let c = this.caches.get(db);
    if (!c) {
      c = new ResponseCache(db);
      this.caches.set(db, c);
    }
    return c;
  }

  private workspace(requested: string): { name: string; db: Db } {
    const key = requested.toLowerCase();
    const hit = this.openWorkspaces.get(key);
    if (hit?.db.open) return hit;
    const row = this.workspaces.resolve(requested);
    const entry = { name: row.name, db: this.workspaces.openRow(row) };
    this.openWorkspaces.set(key, entry);
    return entry;
  }

  /** Opens the workspace, resolves the policy and the chain; a call with nowhere to go is recorded and refused. */
  private prepare(meta: GatewayCallMeta, op: Operation, cap: Capability, explicitModel: string | undefined, endpoints?: 'local' | 'remote', needsTools = false): CallCtx {
    const { name, db } = this.workspace(meta.workspace);
    const compiled = this.policies.compiled(db);
    const policy = compiled.resolve(meta.useCase);
    const at = this.now().toISOString();
    const identity: CallIdentity = { at, day: at.slice(0, 10), workspace: name, profileId: meta.profileId, useCase: meta.useCase, subject: meta.subject ?? null, operation: op, trigger: meta.trigger ?? null };
    const resolved = this.pool.resolve(policy, cap, explicitModel);
    const skipped = [...resolved.skipped];
    let hops = endpoints ? resolved.hops.filter((h) => (h.endpoint.kind === 'local') === (endpoints === 'local')) : resolved.hops;
    if (hops.length < resolved.hops.length) skipped.push({ ref: endpoints === 'local' ? 'remote endpoints' : 'local endpoints', reason: `only ${endpoints} endpoints were asked for` });
    // A request with tools skips endpoints whose provider cannot call tools, naming them (the copilot says so).
    if (needsTools) {
      const noTools = hops.filter((h) => h.adapter && !h.adapter.capabilities.tools);
      for (const h of noTools) skipped.push({ ref: h.endpoint.name, reason: `${h.endpoint.name} (${h.endpoint.kind}) cannot call tools` });
      hops = hops.filter((h) => !noTools.includes(h));
      if (hops.length === 0 && noTools.length > 0) {
        const names = noTools.map((h) => h.endpoint.name).join(', ');
        const error = new AppError('unavailable', `The model endpoint ${names} cannot call tools, which "${meta.useCase}" needs. Put an endpoint that supports tool calling (OpenAI, Azure, Anthropic, Gemini or a compatible server) in its policy's fallback chain.`, { useCase: meta.useCase, skipped, reason: 'no_tools', endpoints: noTools.map((h) => h.endpoint.name) });
        this.ledger(db, name).record(identity, { ...this.runner.failureOutcome(error, null, 0, 0, false), latencyMs: 0 });
        throw error;
      }
    }
    const ledger = this.ledger(db, name);
    if (hops.length === 0) {
      const none = this.endpoints.list().length === 0;
      const error = new AppError(
        'unavailable',
        none
          ? 'No model provider is configured. Add one under Configuration → Providers (or: intelligence-desk provider add …).'
          : `No endpoint can serve "${meta.useCase}" (${skipped.map((s) => `${s.ref}: ${s.reason}`).join('; ') || 'its fallback chain is empty'}). Check its policy's fallback chain and the providers' roles.`,
        { useCase: meta.useCase, skipped },
      );
      ledger.record(identity, { ...this.runner.failureOutcome(error, null, 0, 0, false), latencyMs: 0 });
      throw error;
    }
    return { db, compiled, policy, ledger, identity, hops, t0: this.monotonic() };
  }

  /** The request every hop gets, with the policy's parameters filling what the caller left open. */
  private chatBase(policy: Policy, req: GatewayChatRequest): Omit<ChatRequest, 'model'> {
    const { model: _model, ...rest } = req;
    return { ...rest, temperature: req.temperature ?? policy.temperature, topP: req.topP ?? policy.topP, maxTokens: req.maxTokens ?? policy.maxTokens };
  }

  private chatSpec(ctx: CallCtx, base: Omit<ChatRequest, 'model'>): Pick<CallSpec<ChatResult>, 'estimate' | 'account' | 'bounds'> {
    const extra = (base.tools?.length ? this.tokens.text(JSON.stringify(base.tools)) : 0) + (base.responseSchema ? this.tokens.text(JSON.stringify(base.responseSchema.schema)) : 0);
    const inputOf = (hop: Hop): number => (hop.adapter?.countTokens({ model: hop.model, messages: base.messages }) ?? this.tokens.text(base.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n'))) + extra;
    const maxOutput = base.maxTokens ?? ctx.policy.maxTokens;
    return {
      estimate: (hop) => {
        const input = inputOf(hop);
        return { tokens: input + maxOutput, usd: this.prices.cost(hop.endpoint.kind, hop.endpoint.name, hop.model, { inputTokens: input, outputTokens: maxOutput, cachedTokens: 0 }).usd };
      },
      account: (r) => ({ usage: r.usage, model: r.model }),
      bounds: (hop, r) => ({ estimatedInput: inputOf(hop), maxOutput, ...(r ? { estimatedOutput: this.answerTokens(r) } : {}) }),
    };
  }

  /** The output tokens an answer's text and tool calls amount to, by the local estimator. */
  private answerTokens(r: Pick<ChatResult, 'text' | 'toolCalls'>): number {
    return this.tokens.text(r.text + r.toolCalls.map((t) => JSON.stringify(t.arguments ?? '')).join(''));
  }

  /** A complete answer larger than the cap is refused (and its attempt is still billed and recorded). */
  private checkSize(hop: Hop, r: ChatResult, maxTokens: number): ChatResult {
    const chars = r.text.length + r.toolCalls.reduce((n, t) => n + JSON.stringify(t.arguments ?? '').length, 0);
    const cap = answerCapChars(maxTokens);
    if (chars <= cap) return r;
    throw providerError(`${hop.endpoint.name} sent an answer of ${chars.toLocaleString('en-US')} characters, more than the ${cap.toLocaleString('en-US')} a request for ${maxTokens} tokens can need; it was refused.`, {
      endpoint: hop.endpoint.name,
      failure: 'invalid_output',
      retryable: false,
      breaker: false,
      tooLarge: true,
      billed: { usage: r.usage, model: r.model, estimatedOutput: Math.min(maxTokens, this.tokens.text(r.text.slice(0, cap))) },
    });
  }

  /** Structured output: the answer must hold JSON of the schema's shape; fences and chatter around it are removed. */
  private structured(hop: Hop, base: Omit<ChatRequest, 'model'>, r: ChatResult): ChatResult {
    if (!base.responseSchema || r.toolCalls.length > 0) return r;
    const x = extractJson(r.text);
    const problem = x.ok ? checkTopLevel(x.value, base.responseSchema.schema) : x.reason;
    if (problem || !x.ok) {
      throw providerError(`${hop.endpoint.name} answered, but not with the JSON that was asked for (${problem}).`, {
        endpoint: hop.endpoint.name,
        failure: 'invalid_output',
        retryable: r.finishReason !== 'length',
        breaker: false,
        // The answer was billed: the gateway records this attempt with its usage (CallRunner).
        billed: { usage: r.usage, model: r.model, estimatedOutput: this.answerTokens(r) },
      });
    }
    return { ...r, text: x.json };
  }

  /** Cache lookup; a hit is recorded as a usage row of its own at no cost. */
  private cached(ctx: CallCtx, base: Omit<ChatRequest, 'model'>, streaming: boolean): { key: string | null; hit: (ChatResult & GatewayAnswerMeta) | null } {
    const c = ctx.policy.cache;
    const sampled = base.temperature === undefined || base.temperature > 0;
    if (c.ttlSeconds <= 0 || (sampled && !c.sampled) || (streaming && !c.streaming)) return { key: null, hit: null };
    const first = ctx.hops[0]!;
    const key = cacheKey(first.endpoint.name, { ...base, model: first.model });
    const found = this.cache(ctx.db).get(key, this.now().getTime());
    if (!found) return { key, hit: null };
    const latencyMs = this.monotonic() - ctx.t0;
    const usageId = ctx.ledger.record(ctx.identity, {
      status: 'cached',
      providerKind: found.providerKind,
      endpoint: found.endpoint,
      model: found.result.model,
      tokensIn: 0,
      tokensOut: 0,
      cachedTokens: 0,
      costUsd: 0,
      priceKnown: true,
      latencyMs,
      errorCode: null,
      errorMessage: null,
      fallbackUsed: false,
      attempts: 0,
      cacheHit: true,
    });
    return { key, hit: { ...found.result, endpoint: found.endpoint, providerKind: found.providerKind, model: found.result.model, fallbackUsed: false, attempts: 0, cached: true, costUsd: 0, latencyMs, usage: { ...zero }, usageId } };
  }

  async chat(meta: GatewayCallMeta, req: GatewayChatRequest, opts: CallOptions = {}): Promise<ChatResult & GatewayAnswerMeta> {
    return this.chatWith(this.prepare(meta, 'chat', 'chat', req.model, undefined, Boolean(req.tools?.length)), req, opts);
  }

  private async chatWith(ctx: CallCtx, req: GatewayChatRequest, opts: CallOptions): Promise<ChatResult & GatewayAnswerMeta> {
    const base = this.chatBase(ctx.policy, req);
    const { key, hit } = this.cached(ctx, base, false);
    if (hit) return hit;
    const { value, meta } = await this.runner.run(ctx, {
      ...this.chatSpec(ctx, base),
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      run: async (hop, a) => this.structured(hop, base, this.checkSize(hop, await hop.adapter!.chat({ ...base, model: hop.model }, { signal: a.signal }), base.maxTokens ?? ctx.policy.maxTokens)),
    });
    if (key) this.cache(ctx.db).put(key, ctx.identity.useCase, { result: value, endpoint: meta.endpoint, providerKind: meta.providerKind }, ctx.policy.cache.ttlSeconds, this.now());
    return { ...value, ...meta };
  }

  async *streamChat(meta: GatewayCallMeta, req: GatewayChatRequest, opts: CallOptions = {}): AsyncIterable<GatewayStreamEvent> {
    const ctx = this.prepare(meta, 'stream', 'chat', req.model, undefined, Boolean(req.tools?.length));
    if (!ctx.policy.stream) {
      // The policy turns streaming off: one non-streaming call, delivered as a single piece.
      const r = await this.chatWith(ctx, req, opts);
      yield* answerAsEvents(r);
      return;
    }
    const base = this.chatBase(ctx.policy, req);
    const { key, hit } = this.cached(ctx, base, true);
    if (hit) {
      yield* answerAsEvents(hit);
      return;
    }
    const channel = new Channel<GatewayStreamEvent>();
    const inner = new AbortController();
    const onAbort = (): void => inner.abort();
    if (opts.signal?.aborted) inner.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let committed = false;
    let partial = '';
    const cap = answerCapChars(base.maxTokens ?? ctx.policy.maxTokens);
    const running = this.runner.run(ctx, {
      ...this.chatSpec(ctx, base),
      signal: inner.signal,
      timeoutMs: opts.timeoutMs,
      committed: () => committed,
      partial: (hop) => (partial ? { inputTokens: hop.adapter?.countTokens({ model: hop.model, messages: base.messages }) ?? 0, outputTokens: this.tokens.text(partial), cachedTokens: 0 } : null),
      run: async (hop, a) => {
        let result: ChatResult | null = null;
        for await (const ev of hop.adapter!.streamChat({ ...base, model: hop.model }, { signal: a.signal })) {
          // An abandoned attempt (timed out, then the chain moved on) must not add to the stream.
          if (a.signal.aborted) break;
          a.touch();
          if (ev.type === 'done') {
            result = ev.result;
            continue;
          }
          committed = true;
          if (ev.type === 'delta') {
            if (partial.length + ev.text.length > cap) {
              throw providerError(`${hop.endpoint.name} sent more than the ${cap.toLocaleString('en-US')} characters a request for ${base.maxTokens ?? ctx.policy.maxTokens} tokens can need; the stream was stopped.`, {
                endpoint: hop.endpoint.name,
                failure: 'invalid_output',
                retryable: false,
                breaker: false,
                tooLarge: true,
              });
            }
            partial += ev.text;
          }
          channel.push(ev);
        }
        if (!result) throw providerError(`The stream from ${hop.endpoint.name} ended without an answer.`, { endpoint: hop.endpoint.name, failure: 'stream_broken', retryable: true, breaker: true });
        return this.structured(hop, base, this.checkSize(hop, result, base.maxTokens ?? ctx.policy.maxTokens));
      },
    });
    running.then(
      ({ value, meta: m }) => {
        if (key) this.cache(ctx.db).put(key, ctx.identity.useCase, { result: value, endpoint: m.endpoint, providerKind: m.providerKind }, ctx.policy.cache.ttlSeconds, this.now());
        channel.push({ type: 'done', result: value });
        channel.push({ type: 'meta', meta: m });
        channel.close();
      },
      (error: unknown) => channel.fail(error),
    );
    let finished = false;
    try {
      for await (const ev of channel) yield ev;
      finished = true;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      // A consumer that stops reading cancels the call; its settlement is queued before we return.
      if (!finished) inner.abort();
      await running.catch(() => undefined);
    }
  }

  async embed(meta: GatewayCallMeta, input: string[], opts: CallOptions & { model?: string; dimensions?: number } = {}): Promise<EmbedResult & GatewayAnswerMeta> {
    if (input.length === 0) throw new AppError('validation', 'There is nothing to embed: the input list is empty.');
    const ctx = this.prepare(meta, 'embed', 'embed', opts.model);
    const tokens = this.tokens.bulk(input);
    const { value, meta: m } = await this.runner.run(ctx, {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      estimate: (hop) => ({ tokens, usd: this.prices.cost(hop.endpoint.kind, hop.endpoint.name, hop.model, { inputTokens: tokens, outputTokens: 0, cachedTokens: 0 }).usd }),
      run: (hop, a) => hop.adapter!.embed!({ model: hop.model, input, ...(opts.dimensions ? { dimensions: opts.dimensions } : {}) }, { signal: a.signal }),
      account: (r) => ({ usage: r.usage, model: r.model }),
      bounds: () => ({ estimatedInput: tokens, maxOutput: 0 }),
    });
    return { ...value, ...m };
  }

  async transcribe(meta: GatewayCallMeta, req: Omit<TranscribeRequest, 'model'> & { model?: string }, opts: CallOptions & { endpoints?: 'local' | 'remote' } = {}): Promise<TranscribeResult & GatewayAnswerMeta> {
    if (req.audio.byteLength === 0) throw new AppError('validation', 'The audio is empty.');
    const ctx = this.prepare(meta, 'transcribe', 'transcribe', req.model, opts.endpoints);
    // Before the call the length is unknown: 16 kbit/s is a low bitrate for speech, so the estimate errs long.
    const estimatedSec = req.durationSec ?? req.audio.byteLength / 2000;
    const { value, meta: m } = await this.runner.run(ctx, {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      estimate: (hop) => ({ tokens: 0, usd: this.prices.cost(hop.endpoint.kind, hop.endpoint.name, hop.model, zero, estimatedSec).usd }),
      run: (hop, a) => hop.adapter!.transcribe!({ ...req, model: hop.model }, { signal: a.signal }),
      // Providers that do not report the audio's length are billed per minute on the estimate.
      account: (r, hop) => ({ usage: r.usage, model: hop.model, durationSec: r.durationSec ?? estimatedSec }),
      // Audio has no text estimate: bound its tokens by its length (generously: ~ 100 input, 50 output per second).
      bounds: () => ({ estimatedInput: 0, maxInput: Math.ceil(estimatedSec * 100) + 1_000, maxOutput: Math.ceil(estimatedSec * 50) + 1_000 }),
    });
    return { ...value, ...m };
  }

  /** True when the workspace's policy document has an entry of exactly this key (copilot.<agent> before copilot.chat). */
  hasPolicyEntry(workspace: string, useCase: string): boolean {
    const { db } = this.workspace(workspace);
    return Object.hasOwn(this.policies.compiled(db).doc.use_cases ?? {}, useCase);
  }

  /** Loads the exact tokenizer in the background (long-running hosts call this shortly after start). */
  warm(): Promise<void> {
    return this.tokens.warm();
  }

  async dispose(): Promise<void> {
    for (const timer of this.usageNotices.values()) clearTimeout(timer);
    this.usageNotices.clear();
    try {
      this.flush();
    } catch (error) {
      this.logger.error('usage settlements could not be written at shutdown', { error: error instanceof Error ? error.message : String(error) });
    }
    await this.pool.dispose();
  }
}

function* answerAsEvents(r: ChatResult & GatewayAnswerMeta): Generator<GatewayStreamEvent> {
  if (r.text) yield { type: 'delta', text: r.text };
  for (const call of r.toolCalls) yield { type: 'tool_call', call };
  yield { type: 'done', result: { text: r.text, toolCalls: r.toolCalls, finishReason: r.finishReason, usage: r.usage, model: r.model } };
  const { endpoint, providerKind, model, fallbackUsed, attempts, cached, costUsd, latencyMs, usage, usageId } = r;
  yield { type: 'meta', meta: { endpoint, providerKind, model, fallbackUsed, attempts, cached, costUsd, latencyMs, usage, usageId } };
}
