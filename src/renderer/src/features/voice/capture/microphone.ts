import workletUrl from './pcmWorklet.ts?worker&url';
import type { CaptureErrorKind } from './machine';

export class MicrophoneError extends Error {
  constructor(
    readonly kind: CaptureErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface MicrophoneFrame {
  /** 20 ms of 16 kHz mono samples. */
  samples: Float32Array;
  level: number;
}

/** Translates getUserMedia's DOMExceptions into the states the overlay explains. */
export function microphoneError(error: unknown): MicrophoneError {
  const name = (error as { name?: string })?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    return new MicrophoneError('permission-denied', 'Microphone access is blocked. Allow it for Intelligence Desk in the system (or browser) settings, then try again.');
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
    return new MicrophoneError('no-microphone', 'No microphone was found. Plug one in or pick another input on the Voice page.');
  }
  if (name === 'NotReadableError' || name === 'AbortError') {
    return new MicrophoneError('failed', 'The microphone could not be started; another app may be using it.');
  }
  return new MicrophoneError('failed', `The microphone could not be started${error instanceof Error && error.message ? `: ${error.message}` : ''}.`);
}

export async function listMicrophones(): Promise<MediaDeviceInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  return (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput');
}

/**
 * One open microphone: getUserMedia → AudioWorklet (16 kHz mono blocks) → onFrame. Reports a device that goes
 * away mid-command (unplugged, revoked) through onLost.
 */
export class Microphone {
  private stream: MediaStream | null = null;
  private ctx: AudioContext | null = null;
  private node: AudioWorkletNode | null = null;
  private closed = false;

  constructor(
    private readonly onFrame: (f: MicrophoneFrame) => void,
    private readonly onLost: (message: string) => void,
  ) {}

  get open(): boolean {
    return this.stream !== null && !this.closed;
  }

  get deviceLabel(): string | null {
    return this.stream?.getAudioTracks()[0]?.label ?? null;
  }

  async start(deviceId: string | null): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined') {
      throw new MicrophoneError('unsupported', 'This window cannot record audio (no microphone API).');
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch (error) {
      throw microphoneError(error);
    }
    if (this.closed) {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    this.stream = stream;
    const track = stream.getAudioTracks()[0];
    if (!track) throw new MicrophoneError('no-microphone', 'The microphone delivered no audio track.');
    track.addEventListener('ended', () => {
      if (!this.closed) this.onLost('The microphone was disconnected during the command. Check the input and try again.');
    });
    const ctx = new AudioContext({ latencyHint: 'interactive' });
    this.ctx = ctx;
    await ctx.audioWorklet.addModule(workletUrl);
    const source = ctx.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(ctx, 'pcm-capture', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1 });
    node.port.onmessage = (e: MessageEvent<MicrophoneFrame>) => this.onFrame(e.data);
    // A silent sink keeps the graph pulling audio through the worklet in every browser.
    const mute = ctx.createGain();
    mute.gain.value = 0;
    source.connect(node).connect(mute).connect(ctx.destination);
    this.node = node;
    if (ctx.state === 'suspended') await ctx.resume();
  }

  stop(): void {
    this.closed = true;
    this.node?.port.close();
    this.node?.disconnect();
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    void this.ctx?.close().catch(() => undefined);
    this.stream = null;
    this.ctx = null;
    this.node = null;
  }
}
