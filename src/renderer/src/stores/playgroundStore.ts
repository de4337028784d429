import { create } from 'zustand';
import type { AskAnswer, GatewayStreamPayload } from '@shared/contract';
import { AppError, type SerializedAppError } from '@shared/errors';
import { call, on } from '../api/client';

export type PlaygroundStatus = 'idle' | 'starting' | 'streaming' | 'done' | 'error' | 'cancelled';

export interface PlaygroundRequest {
  workspace: string;
  useCase: string;
  prompt: string;
  system?: string;
  model?: string;
  temperature?: number;
  maxTokens?: number;
}

interface PlaygroundState {
  status: PlaygroundStatus;
  streamId: string | null;
  text: string;
  answer: AskAnswer | null;
  error: SerializedAppError | null;
  /** When the request was sent, for the live elapsed time. */
  startedAt: number | null;
  /** When the first text arrived (time to first token). */
  firstDeltaAt: number | null;
  send(req: PlaygroundRequest): Promise<void>;
  cancel(): Promise<void>;
  clear(): void;
}

/** A stream id the contract accepts ([A-Za-z0-9_-]{8,64}), chosen here so we can subscribe before starting. */
function newStreamId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `pg_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

let unsubscribe: (() => void) | null = null;

export const usePlaygroundStore = create<PlaygroundState>((set, get) => ({
  status: 'idle',
  streamId: null,
  text: '',
  answer: null,
  error: null,
  startedAt: null,
  firstDeltaAt: null,
  async send(req) {
    if (get().status === 'starting' || get().status === 'streaming') return;
    unsubscribe?.();
    const streamId = newStreamId();
    // Events carry a sequence number; a late one is held until the gap before it is filled.
    const pending = new Map<number, GatewayStreamPayload>();
    let next = 0;
    const apply = (ev: GatewayStreamPayload): void => {
      if (ev.type === 'delta') {
        set((s) => ({ text: s.text + (ev.text ?? ''), status: 'streaming', firstDeltaAt: s.firstDeltaAt ?? Date.now() }));
      } else if (ev.type === 'done') {
        set({ status: 'done', answer: ev.answer ?? null, ...(ev.answer && !get().text ? { text: ev.answer.text } : {}) });
        finish();
      } else {
        const error = ev.error ?? { code: 'internal', message: 'The stream failed.' };
        set({ status: error.code === 'cancelled' ? 'cancelled' : 'error', error });
        finish();
      }
    };
    const finish = (): void => {
      unsubscribe?.();
      unsubscribe = null;
    };
    unsubscribe = on('gateway.stream', (ev) => {
      if (ev.streamId !== streamId || get().streamId !== streamId) return;
      pending.set(ev.seq, ev);
      while (pending.has(next)) {
        const e = pending.get(next)!;
        pending.delete(next);
        next++;
        apply(e);
      }
    });
    set({ status: 'starting', streamId, text: '', answer: null, error: null, startedAt: Date.now(), firstDeltaAt: null });
    try {
      await call('gateway.streamStart', {
        workspace: req.workspace,
        useCase: req.useCase,
        prompt: req.prompt,
        streamId,
        ...(req.system?.trim() ? { system: req.system } : {}),
        ...(req.model?.trim() ? { model: req.model.trim() } : {}),
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
        ...(req.maxTokens !== undefined ? { maxTokens: req.maxTokens } : {}),
      });
      if (get().streamId === streamId && get().status === 'starting') set({ status: 'streaming' });
    } catch (e) {
      finish();
      if (get().streamId === streamId) set({ status: 'error', error: (e instanceof AppError ? e : AppError.wrap(e)).toJSON() });
    }
  },
  async cancel() {
    const { streamId, status } = get();
    if (!streamId || (status !== 'starting' && status !== 'streaming')) return;
    try {
      const { cancelled } = await call('gateway.streamCancel', { streamId });
      // Already finished on the core's side: its last event is on the way, or was missed.
      if (!cancelled && get().streamId === streamId && get().status === 'streaming') set({ status: 'cancelled' });
    } catch (e) {
      set({ error: (e instanceof AppError ? e : AppError.wrap(e)).toJSON() });
    }
  },
  clear() {
    unsubscribe?.();
    unsubscribe = null;
    set({ status: 'idle', streamId: null, text: '', answer: null, error: null, startedAt: null, firstDeltaAt: null });
  },
}));

export const selectRunning = (s: PlaygroundState): boolean => s.status === 'starting' || s.status === 'streaming';
