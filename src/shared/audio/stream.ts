/**
 * Streaming pieces of the capture pipeline, pure so they run in the AudioWorklet, the renderer and tests alike:
 * a resampler from the device rate to 16 kHz, a voice-activity detector, and the recording buffer with pre-roll.
 */
import { SPEECH_RATE } from './wav';

/** Linear-interpolation resampler that keeps its phase across blocks (so 128-sample worklet blocks join seamlessly). */
export class StreamResampler {
  private readonly step: number;
  private pos = 0;
  private last = 0;
  private primed = false;

  constructor(
    readonly from: number,
    readonly to = SPEECH_RATE,
  ) {
    this.step = from / to;
  }

  /** Resamples one block; the output length varies by a sample from block to block. */
  push(input: Float32Array): Float32Array {
    if (this.from === this.to) return input.slice();
    // Plain interpolation: the browser's noise suppression already band-limits the microphone, and whisper's front
    // end keeps only 0–8 kHz, so the little aliasing left does not matter for recognition.
    const out: number[] = [];
    let prev = this.primed ? this.last : (input[0] ?? 0);
    let pos = this.pos;
    for (;;) {
      const i = Math.floor(pos);
      if (i >= input.length) break;
      const a = i === 0 ? prev : input[i - 1]!;
      const b = input[i]!;
      const t = pos - i;
      out.push(a + (b - a) * t);
      pos += this.step;
    }
    this.pos = pos - input.length;
    prev = input[input.length - 1] ?? prev;
    this.last = prev;
    this.primed = true;
    return Float32Array.from(out);
  }
}

export interface VadOptions {
  /** A command ends after this much silence once speech was heard. */
  silenceMs: number;
  /** Speech must last this long to count (a click or a cough does not start a command). */
  minSpeechMs?: number;
  /** Absolute floor under which nothing is speech (RMS of full-scale 1). */
  minLevel?: number;
}

export type VadEvent = 'speech-start' | 'speech-end' | null;

/**
 * Energy-based voice-activity detection with an adaptive noise floor: a block is speech when its level is well
 * above the background the detector has learnt. Cheap enough to run on every 20 ms block.
 */
export class VoiceActivity {
  private floor = 0.01;
  private speechMs = 0;
  private silenceMs = 0;
  private speaking = false;
  heard = false;

  constructor(private readonly o: VadOptions) {}

  /** Feeds one block's RMS level and duration; says when speech starts and when the command has ended. */
  push(level: number, blockMs: number): VadEvent {
    const threshold = Math.max(this.o.minLevel ?? 0.015, this.floor * 3);
    const loud = level > threshold;
    // The floor follows quiet blocks quickly and loud ones slowly (speech must not raise it much).
    this.floor = loud ? this.floor * 0.999 + level * 0.001 : this.floor * 0.95 + level * 0.05;
    if (loud) {
      this.speechMs += blockMs;
      this.silenceMs = 0;
      if (!this.speaking && this.speechMs >= (this.o.minSpeechMs ?? 120)) {
        this.speaking = true;
        this.heard = true;
        return 'speech-start';
      }
      return null;
    }
    this.speechMs = Math.max(0, this.speechMs - blockMs);
    if (!this.speaking) return null;
    this.silenceMs += blockMs;
    if (this.silenceMs >= this.o.silenceMs) {
      this.speaking = false;
      return 'speech-end';
    }
    return null;
  }
}

/** The audio of one command: a ring of recent audio (pre-roll) that becomes the start of the recording. */
export class CommandBuffer {
  private ring: Float32Array;
  private ringLen = 0;
  private ringAt = 0;
  private chunks: Float32Array[] = [];
  private length = 0;
  recording = false;

  constructor(
    preRollMs: number,
    private readonly maxMs: number,
    private readonly rate = SPEECH_RATE,
  ) {
    this.ring = new Float32Array(Math.max(1, Math.round((preRollMs / 1000) * rate)));
  }

  get ms(): number {
    return (this.length / this.rate) * 1000;
  }

  get full(): boolean {
    return this.ms >= this.maxMs;
  }

  /** Starts a recording with the pre-roll in front of it. */
  start(): void {
    const pre = new Float32Array(this.ringLen);
    const start = (this.ringAt - this.ringLen + this.ring.length) % this.ring.length;
    for (let i = 0; i < this.ringLen; i++) pre[i] = this.ring[(start + i) % this.ring.length]!;
    this.chunks = this.ringLen ? [pre] : [];
    this.length = this.ringLen;
    this.ringLen = 0;
    this.recording = true;
  }

  push(block: Float32Array): void {
    if (this.recording) {
      const room = Math.round((this.maxMs / 1000) * this.rate) - this.length;
      if (room <= 0) return;
      const part = block.length > room ? block.subarray(0, room) : block;
      this.chunks.push(part.slice());
      this.length += part.length;
      return;
    }
    for (let i = 0; i < block.length; i++) {
      this.ring[this.ringAt] = block[i]!;
      this.ringAt = (this.ringAt + 1) % this.ring.length;
      this.ringLen = Math.min(this.ring.length, this.ringLen + 1);
    }
  }

  /** Ends the recording and returns its samples. */
  finish(): Float32Array {
    const out = new Float32Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    this.chunks = [];
    this.length = 0;
    this.recording = false;
    return out;
  }

  discard(): void {
    this.chunks = [];
    this.length = 0;
    this.recording = false;
  }
}
