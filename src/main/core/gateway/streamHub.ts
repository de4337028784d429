import { randomBytes } from 'node:crypto';
import type { AskAnswer } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { EventBus } from '../eventBus';
import type { Logger } from '../logger';
import type { ChatResult, Gateway, GatewayAnswerMeta, GatewayCallMeta, GatewayChatRequest } from './types';

/** Deltas are gathered for this long before an event goes out: fewer IPC messages, still smooth on screen. */
const FLUSH_MS = 25;
const FLUSH_CHARS = 2048;

export const toAskAnswer = (r: Pick<ChatResult, 'text'> & GatewayAnswerMeta): AskAnswer => ({
  text: r.text,
  provider: r.providerKind,
  model: r.model,
  endpoint: r.endpoint,
  fallbackUsed: r.fallbackUsed,
  cached: r.cached,
  attempts: r.attempts,
  tokensIn: r.usage.inputTokens,
  tokensOut: r.usage.outputTokens,
  costUsd: r.costUsd,
  latencyMs: Math.round(r.latencyMs),
  usageId: r.usageId,
});

/**
 * Streams over the contract. A route starts a stream and returns its id at once; the answer then arrives as
 * `gateway.stream` events (deltas, then one 'done' with the answer's metadata, or one 'error'), which every host
 * forwards like any other event. The caller may choose the id, so it can subscribe before starting.
 */
export class StreamHub {
  private readonly active = new Map<string, AbortController>();

  constructor(
    private readonly gateway: Gateway,
    private readonly events: EventBus,
    private readonly logger: Logger,
  ) {}

  start(meta: GatewayCallMeta, req: GatewayChatRequest, streamId?: string): string {
    const id = streamId ?? randomBytes(12).toString('base64url');
    if (this.active.has(id)) throw new AppError('conflict', `A stream with id ${id} is already running.`);
    const ctrl = new AbortController();
    this.active.set(id, ctrl);
    void this.pump(id, meta, req, ctrl.signal);
    return id;
  }

  cancel(streamId: string): boolean {
    const ctrl = this.active.get(streamId);
    if (!ctrl) return false;
    ctrl.abort();
    return true;
  }

  get running(): number {
    return this.active.size;
  }

  private async pump(id: string, meta: GatewayCallMeta, req: GatewayChatRequest, signal: AbortSignal): Promise<void> {
    let seq = 0;
    let buffer = '';
    let timer: NodeJS.Timeout | null = null;
    const flush = (): void => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (!buffer) return;
      this.events.emit('gateway.stream', { streamId: id, seq: seq++, type: 'delta', text: buffer });
      buffer = '';
    };
    let text = '';
    let answer: GatewayAnswerMeta | null = null;
    try {
      for await (const ev of this.gateway.streamChat(meta, req, { signal })) {
        if (ev.type === 'delta') {
          buffer += ev.text;
          if (buffer.length >= FLUSH_CHARS) flush();
          else timer ??= setTimeout(flush, FLUSH_MS);
        } else if (ev.type === 'done') {
          text = ev.result.text;
        } else if (ev.type === 'meta') {
          answer = ev.meta;
        }
      }
      flush();
      if (!answer) throw new AppError('internal', 'The stream ended without its answer metadata.');
      this.events.emit('gateway.stream', { streamId: id, seq: seq++, type: 'done', answer: toAskAnswer({ text, ...answer }) });
    } catch (error) {
      flush();
      const e = AppError.wrap(error);
      if (e.code === 'internal') this.logger.error('stream failed', { streamId: id, error: e.message });
      this.events.emit('gateway.stream', { streamId: id, seq: seq++, type: 'error', error: { code: e.code, message: e.message } });
    } finally {
      if (timer) clearTimeout(timer);
      this.active.delete(id);
    }
  }

  dispose(): void {
    for (const ctrl of this.active.values()) ctrl.abort();
  }
}
