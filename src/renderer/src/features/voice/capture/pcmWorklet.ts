/**
 * AudioWorklet processor: mixes the microphone to mono, resamples it to 16 kHz and posts 20 ms blocks with their
 * level to the page. Runs on the audio thread, so the page never handles 48 kHz audio on its own event loop.
 * Bundled on its own (imported with ?worker&url) and loaded with audioWorklet.addModule.
 */
import { StreamResampler } from '@shared/audio/stream';
import { rms } from '@shared/audio/wav';

declare const sampleRate: number;
declare function registerProcessor(name: string, processor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

const BLOCK = 320; // 20 ms at 16 kHz

class PcmCapture extends AudioWorkletProcessor {
  private readonly resampler = new StreamResampler(sampleRate);
  private buffer = new Float32Array(BLOCK * 4);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (!channels || channels.length === 0 || !channels[0]) return true;
    const n = channels[0].length;
    const mono = new Float32Array(n);
    for (const ch of channels) for (let i = 0; i < n; i++) mono[i]! += ch[i]! / channels.length;
    const out = this.resampler.push(mono);
    if (this.filled + out.length > this.buffer.length) {
      const bigger = new Float32Array((this.filled + out.length) * 2);
      bigger.set(this.buffer.subarray(0, this.filled));
      this.buffer = bigger;
    }
    this.buffer.set(out, this.filled);
    this.filled += out.length;
    while (this.filled >= BLOCK) {
      const block = this.buffer.slice(0, BLOCK);
      this.buffer.copyWithin(0, BLOCK, this.filled);
      this.filled -= BLOCK;
      this.port.postMessage({ samples: block, level: rms(block) }, [block.buffer]);
    }
    return true;
  }
}

registerProcessor('pcm-capture', PcmCapture);
