import type { VoiceTranscript } from '@shared/contract';

/**
 * The capture state machine, pure so it is tested on its own. One command: idle → opening (the microphone) →
 * listening → transcribing → ready (the transcript). Esc cancels from any live state; failures land in 'error'
 * with a kind the UI explains. The next half of voice plugs in after 'ready' (intent → confirmation → action).
 */
export type VoicePhase = 'idle' | 'opening' | 'listening' | 'transcribing' | 'ready' | 'error';
export type CaptureMode = 'push' | 'toggle';
export type EndReason = 'silence' | 'released' | 'stopped' | 'max';
export type CaptureErrorKind = 'no-microphone' | 'permission-denied' | 'device-lost' | 'unsupported' | 'no-speech' | 'failed';

export interface CaptureState {
  phase: VoicePhase;
  mode: CaptureMode | null;
  /** Microphone level of the last block, 0..1 (RMS). */
  level: number;
  /** Speech heard in this command (voice-activity detection). */
  speech: boolean;
  recordedMs: number;
  endReason: EndReason | null;
  transcript: VoiceTranscript | null;
  error: { kind: CaptureErrorKind; message: string } | null;
}

export type CaptureEvent =
  | { type: 'start'; mode: CaptureMode }
  | { type: 'opened' }
  | { type: 'open-failed'; kind: CaptureErrorKind; message: string }
  | { type: 'frame'; level: number; recordedMs: number; speech: boolean }
  | { type: 'end'; reason: EndReason }
  | { type: 'cancel' }
  | { type: 'lost'; message: string }
  | { type: 'transcript'; result: VoiceTranscript }
  | { type: 'failed'; kind?: CaptureErrorKind; message: string }
  | { type: 'dismiss' };

export const initialCapture: CaptureState = { phase: 'idle', mode: null, level: 0, speech: false, recordedMs: 0, endReason: null, transcript: null, error: null };

export const isLive = (p: VoicePhase): boolean => p === 'opening' || p === 'listening' || p === 'transcribing';

export function captureReducer(s: CaptureState, e: CaptureEvent): CaptureState {
  switch (e.type) {
    case 'start':
      return isLive(s.phase) ? s : { ...initialCapture, phase: 'opening', mode: e.mode };
    case 'opened':
      return s.phase === 'opening' ? { ...s, phase: 'listening' } : s;
    case 'open-failed':
      return s.phase === 'opening' ? { ...s, phase: 'error', level: 0, error: { kind: e.kind, message: e.message } } : s;
    case 'frame':
      return s.phase === 'listening' ? { ...s, level: e.level, recordedMs: e.recordedMs, speech: s.speech || e.speech } : s;
    case 'end':
      if (s.phase === 'opening') return { ...initialCapture };
      return s.phase === 'listening' ? { ...s, phase: 'transcribing', level: 0, endReason: e.reason } : s;
    case 'cancel':
      return isLive(s.phase) ? { ...initialCapture } : s;
    case 'lost':
      return s.phase === 'listening' || s.phase === 'opening' ? { ...s, phase: 'error', level: 0, error: { kind: 'device-lost', message: e.message } } : s;
    case 'transcript':
      return s.phase === 'transcribing' ? { ...s, phase: 'ready', transcript: e.result } : s;
    case 'failed':
      return s.phase === 'transcribing' || s.phase === 'listening' ? { ...s, phase: 'error', level: 0, error: { kind: e.kind ?? 'failed', message: e.message } } : s;
    case 'dismiss':
      return isLive(s.phase) ? s : { ...initialCapture };
  }
}

/** What the overlay says in each state. */
export function describeCapture(s: CaptureState): string {
  switch (s.phase) {
    case 'idle':
      return 'Ready';
    case 'opening':
      return 'Opening the microphone…';
    case 'listening':
      return s.mode === 'push' ? 'Listening… release the keys when you are done' : s.speech ? 'Listening… pause to finish' : 'Listening… say a command';
    case 'transcribing':
      return 'Transcribing…';
    case 'ready':
      return 'Transcript ready';
    case 'error':
      return s.error?.message ?? 'Something went wrong';
  }
}
