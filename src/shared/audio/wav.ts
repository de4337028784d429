/**
 * WAV (RIFF) reading and writing for voice commands, shared by the renderer (which sends what it recorded) and the
 * core (which decodes uploads and CLI files). Pure TypeScript: no Node, no DOM.
 *
 * Whisper wants 16 kHz mono float samples; the renderer's capture already produces that, and anything else (a file
 * from a phone, a 44.1 kHz stereo recording) is mixed down and resampled here.
 */

export const SPEECH_RATE = 16_000;

export interface DecodedAudio {
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
  sampleRate: number;
  /** Channels in the file (mixed down to one in `samples`). */
  channels: number;
}

export class WavError extends Error {}

const ascii = (b: Uint8Array, at: number, n: number): string => String.fromCharCode(...b.subarray(at, at + n));

/** Reads a PCM (8/16/24/32-bit integer) or IEEE float WAV file; any rate, any number of channels. */
export function decodeWav(bytes: Uint8Array): DecodedAudio {
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WAVE') {
    throw new WavError('This is not a WAV file (it has no RIFF/WAVE header). Record or convert the audio as WAV.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format = 0;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  let data: { at: number; size: number } | null = null;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = ascii(bytes, at, 4);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16) throw new WavError('The WAV file has a damaged format chunk.');
      format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (format === 0xfffe && size >= 26) format = view.getUint16(body + 24, true);
    } else if (id === 'data') {
      // Streamed recordings may leave the size at 0 or 0xFFFFFFFF: take what is there.
      const available = bytes.length - body;
      data = { at: body, size: size === 0 || size > available ? available : size };
      break;
    }
    at = body + size + (size % 2);
  }
  if (!format || !data) throw new WavError('The WAV file has no audio format or no audio data.');
  if (channels < 1 || channels > 8) throw new WavError(`The WAV file has ${channels} channels; 1 to 8 are supported.`);
  if (sampleRate < 4000 || sampleRate > 192_000) throw new WavError(`The WAV file's sample rate (${sampleRate} Hz) is not supported.`);
  const pcm = format === 1;
  const float = format === 3;
  if (!(pcm && [8, 16, 24, 32].includes(bits)) && !(float && (bits === 32 || bits === 64))) {
    throw new WavError(`The WAV file is encoded as format ${format} with ${bits}-bit samples; use PCM (8/16/24/32-bit) or float.`);
  }
  const bytesPer = bits / 8;
  const frames = Math.floor(data.size / (bytesPer * channels));
  const samples = new Float32Array(frames);
  const read = (off: number): number => {
    if (float) return bits === 32 ? view.getFloat32(off, true) : view.getFloat64(off, true);
    switch (bits) {
      case 8:
        return (view.getUint8(off) - 128) / 128;
      case 16:
        return view.getInt16(off, true) / 32768;
      case 24: {
        const v = view.getUint8(off) | (view.getUint8(off + 1) << 8) | (view.getInt8(off + 2) << 16);
        return v / 8388608;
      }
      default:
        return view.getInt32(off, true) / 2147483648;
    }
  };
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    const base = data.at + f * bytesPer * channels;
    for (let c = 0; c < channels; c++) sum += read(base + c * bytesPer);
    samples[f] = Math.max(-1, Math.min(1, sum / channels));
  }
  return { samples, sampleRate, channels };
}

/** 16-bit PCM mono WAV from float samples in [-1, 1]. */
export function encodeWav(samples: Float32Array | Int16Array, sampleRate = SPEECH_RATE): Uint8Array {
  const n = samples.length;
  const out = new Uint8Array(44 + n * 2);
  const view = new DataView(out.buffer);
  const put = (at: number, s: string): void => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  put(0, 'RIFF');
  view.setUint32(4, 36 + n * 2, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  put(36, 'data');
  view.setUint32(40, n * 2, true);
  if (samples instanceof Int16Array) {
    for (let i = 0; i < n; i++) view.setInt16(44 + i * 2, samples[i]!, true);
  } else {
    for (let i = 0; i < n; i++) {
      const s = Math.max(-1, Math.min(1, samples[i]!));
      view.setInt16(44 + i * 2, s < 0 ? Math.round(s * 32768) : Math.round(s * 32767), true);
    }
  }
  return out;
}

/**
 * Resamples by linear interpolation after a moving-average low-pass (for downsampling), which is plenty for speech
 * recognition: whisper's own front end keeps only 0–8 kHz.
 */
export function resample(samples: Float32Array, from: number, to = SPEECH_RATE): Float32Array {
  if (from === to) return samples;
  let input = samples;
  if (to < from) {
    const taps = Math.max(1, Math.round(from / to));
    if (taps > 1) {
      input = new Float32Array(samples.length);
      let acc = 0;
      for (let i = 0; i < samples.length; i++) {
        acc += samples[i]!;
        if (i >= taps) acc -= samples[i - taps]!;
        input[i] = acc / Math.min(i + 1, taps);
      }
    }
  }
  const ratio = from / to;
  const n = Math.floor(input.length / ratio);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = i * ratio;
    const i0 = Math.floor(x);
    const i1 = Math.min(i0 + 1, input.length - 1);
    const t = x - i0;
    out[i] = input[i0]! * (1 - t) + input[i1]! * t;
  }
  return out;
}

/** Mono 16 kHz samples from any supported WAV file. */
export function speechSamples(bytes: Uint8Array): { samples: Float32Array; audioMs: number; source: { sampleRate: number; channels: number } } {
  const d = decodeWav(bytes);
  const samples = resample(d.samples, d.sampleRate);
  return { samples, audioMs: Math.round((samples.length / SPEECH_RATE) * 1000), source: { sampleRate: d.sampleRate, channels: d.channels } };
}

/** Root-mean-square level of a block, in [0, 1]. */
export function rms(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}
