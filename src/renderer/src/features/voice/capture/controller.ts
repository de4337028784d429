import { encodeWav } from '@shared/audio/wav';
import { CommandBuffer, VoiceActivity } from '@shared/audio/stream';
import type { VoiceSettings, VoiceTranscript } from '@shared/contract';
import { captureReducer, initialCapture, isLive, type CaptureEvent, type CaptureMode, type CaptureState, type EndReason } from './machine';
import { Microphone, MicrophoneError, type MicrophoneFrame } from './microphone';

export interface CaptureDeps {
  settings: () => VoiceSettings;
  /** Sends the recording to the core and resolves with the transcript (voice.transcribe). */
  transcribe: (audioBase64: string, signal: AbortSignal) => Promise<VoiceTranscript>;
  onState: (s: CaptureState) => void;
  /** How long the microphone stays open after a command, so the next one gets its pre-roll (0 closes at once). */
  keepOpenMs?: number;
  microphone?: (onFrame: (f: MicrophoneFrame) => void, onLost: (m: string) => void) => Pick<Microphone, 'start' | 'stop' | 'open'>;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * Drives one command at a time: opens the microphone, feeds blocks through voice-activity detection into the
 * command buffer (with pre-roll), ends on release / click / silence / the maximum length, and hands the 16 kHz
 * WAV to the core. Every state change goes through the pure reducer (machine.ts).
 */
export class CaptureController {
  private state: CaptureState = initialCapture;
  private mic: Pick<Microphone, 'start' | 'stop' | 'open'> | null = null;
  private buffer: CommandBuffer | null = null;
  private vad: VoiceActivity | null = null;
  private inflight: AbortController | null = null;
  private closeTimer: ReturnType<typeof setTimeout> | null = null;
  private deviceId: string | null = null;

  constructor(private readonly deps: CaptureDeps) {}

  get current(): CaptureState {
    return this.state;
  }

  private dispatch(e: CaptureEvent): void {
    const next = captureReducer(this.state, e);
    if (next === this.state) return;
    this.state = next;
    this.deps.onState(next);
  }

  async start(mode: CaptureMode): Promise<void> {
    if (isLive(this.state.phase)) return;
    const settings = this.deps.settings();
    this.dispatch({ type: 'start', mode });
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.buffer ??= new CommandBuffer(settings.preRollMs, settings.maxMs);
    this.vad = new VoiceActivity({ silenceMs: settings.silenceMs });
    try {
      if (!this.mic?.open || this.deviceId !== settings.deviceId) {
        this.mic?.stop();
        this.buffer = new CommandBuffer(settings.preRollMs, settings.maxMs);
        const make = this.deps.microphone ?? ((f, l) => new Microphone(f, l));
        this.mic = make(
          (f) => this.onFrame(f),
          (m) => this.onLost(m),
        );
        this.deviceId = settings.deviceId;
        await this.mic.start(settings.deviceId);
      }
    } catch (error) {
      this.mic?.stop();
      this.mic = null;
      const e = error instanceof MicrophoneError ? error : new MicrophoneError('failed', error instanceof Error ? error.message : String(error));
      this.dispatch({ type: 'open-failed', kind: e.kind, message: e.message });
      return;
    }
    if (this.state.phase !== 'opening') return; // cancelled while the microphone opened
    this.buffer.start();
    this.dispatch({ type: 'opened' });
  }

  /** Push-to-talk released, or the button clicked again. */
  stop(reason: EndReason = 'stopped'): void {
    if (this.state.phase === 'opening') {
      this.dispatch({ type: 'cancel' });
      return;
    }
    if (this.state.phase === 'listening') void this.finish(reason);
  }

  cancel(): void {
    if (!isLive(this.state.phase)) return;
    this.inflight?.abort();
    this.inflight = null;
    this.buffer?.discard();
    this.dispatch({ type: 'cancel' });
    this.scheduleClose();
  }

  dismiss(): void {
    this.dispatch({ type: 'dismiss' });
  }

  dispose(): void {
    this.inflight?.abort();
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.mic?.stop();
    this.mic = null;
  }

  private onFrame(f: MicrophoneFrame): void {
    const buffer = this.buffer;
    if (!buffer) return;
    buffer.push(f.samples);
    if (this.state.phase !== 'listening') return;
    const event = this.vad?.push(f.level, 20);
    this.dispatch({ type: 'frame', level: f.level, recordedMs: buffer.ms, speech: this.vad?.heard ?? false });
    if (buffer.full) void this.finish('max');
    else if (event === 'speech-end' && this.state.mode === 'toggle') void this.finish('silence');
  }

  private onLost(message: string): void {
    this.buffer?.discard();
    this.mic?.stop();
    this.mic = null;
    this.dispatch({ type: 'lost', message });
  }

  private async finish(reason: EndReason): Promise<void> {
    const samples = this.buffer!.finish();
    const heard = this.vad?.heard ?? false;
    this.dispatch({ type: 'end', reason });
    this.scheduleClose();
    if (!heard || samples.length < 3200) {
      this.dispatch({ type: 'failed', kind: 'no-speech', message: 'Nothing was heard. Speak after the tone, a little closer to the microphone.' });
      return;
    }
    const controller = new AbortController();
    this.inflight = controller;
    try {
      const result = await this.deps.transcribe(toBase64(encodeWav(samples)), controller.signal);
      if (controller.signal.aborted) return;
      this.dispatch({ type: 'transcript', result });
    } catch (error) {
      if (controller.signal.aborted) return;
      this.dispatch({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      if (this.inflight === controller) this.inflight = null;
    }
  }

  /** Keeps the microphone warm for a while (pre-roll for the next command), then releases it. */
  private scheduleClose(): void {
    if (this.closeTimer) clearTimeout(this.closeTimer);
    const keep = this.deps.keepOpenMs ?? 20_000;
    const close = (): void => {
      if (isLive(this.state.phase)) return;
      this.mic?.stop();
      this.mic = null;
    };
    if (keep <= 0) close();
    else this.closeTimer = setTimeout(close, keep);
  }
}
