import type { SerializedAppError } from '@shared/errors';

/**
 * Messages between the core (WhisperEngineHost) and the speech engine process (entry.ts). Structured-clone
 * serialisable (Float32Array travels as is), so both Electron's utilityProcess and Node's fork (with
 * serialization: 'advanced') carry them without a JSON round trip.
 */
export interface TranscribeJob {
  path: string;
  modelId: string;
  /** 16 kHz mono samples. */
  samples: Float32Array;
  language: string | null;
  prompt: string | null;
  threads: number;
  /** Encoder frames (20 ms each, at most 1500): short commands need far less than whisper's 30-second window. */
  audioCtx: number;
  /** Upper bound on decoded tokens, from the audio length: random or confused output cannot run on. */
  maxTokens: number;
}

export type EngineRequest = { id: number } & (
  | { op: 'load'; path: string; modelId: string }
  | ({ op: 'transcribe' } & TranscribeJob)
  | { op: 'unload' }
  | { op: 'health' }
);

export interface EngineTranscript {
  text: string;
  /** Language whisper used (the hint, or what it detected). */
  language: string | null;
  loadMs: number;
  alreadyLoaded: boolean;
  inferenceMs: number;
  segments: number;
}

export interface EngineHealth {
  pid: number;
  rssBytes: number;
  loadedModel: string | null;
  served: number;
  binding: string;
}

export type EngineReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedAppError }
  | { event: 'ready'; pid: number }
  | { event: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string };

/**
 * One engine process as the host sees it. The host's launcher (utilityProcess in Electron, child_process.fork
 * under Node) implements it; the core never learns which.
 */
export interface EngineProcess {
  readonly pid: number | undefined;
  postMessage(message: EngineRequest): void;
  onMessage(listener: (message: EngineReply) => void): void;
  /** Called once when the process ends, whatever the reason (exit, crash, kill). */
  onExit(listener: (info: { code: number | null; signal: string | null; detail?: string | null }) => void): void;
  kill(): void;
}

/** Starts a new speech engine process. */
export type EngineLauncher = (options: { name: string }) => EngineProcess;
