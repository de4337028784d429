import { cpus } from 'node:os';
import { AppError } from '@shared/errors';
import type { ModelService } from '../localModels/modelService';
import type { WhisperEngineHost } from './engine/engineHost';

export interface LocalRun {
  modelId: string;
  samples: Float32Array;
  audioMs: number;
  language: string | null;
  prompt: string | null;
}

export interface LocalRunResult {
  text: string;
  language: string | null;
  modelId: string;
  queueMs: number;
  loadMs: number;
  inferenceMs: number;
}

/** Encoder frames for this much audio: 50 per second plus a second of margin, in steps of 32, at most whisper's 1500. */
export const audioContextFor = (audioMs: number): number => Math.min(1500, Math.ceil((Math.ceil(audioMs / 20) + 50) / 32) * 32);
/** Fast speech is about five tokens a second; the bound only stops runaway output (a confused or random model). */
export const maxTokensFor = (audioMs: number): number => Math.min(224, Math.ceil((audioMs / 1000) * 6) + 16);
/** All cores but one (at least one, at most four): the interface keeps a core while a command is transcribed. */
export const defaultSpeechThreads = (): number => Math.max(1, Math.min(4, cpus().length - 1));

/** Resolves a whisper model id to its file and runs it on the engine process. */
export class LocalTranscriber {
  constructor(
    private readonly engine: WhisperEngineHost,
    private readonly models: ModelService,
    private readonly threads: number = defaultSpeechThreads(),
  ) {}

  /** The model to use when none is named: the setting, else the first ready whisper model. */
  pick(preferred: string | null | undefined): string {
    if (preferred) return preferred;
    const ready = this.models.list().models.filter((m) => m.kind === 'whisper' && m.status === 'ready');
    if (!ready.length) {
      throw new AppError('unavailable', 'No speech model is installed. Download one on the Voice page (or: intelligence-desk voice models download whisper-base.en), or add a ggml-*.bin file you have.', {
        reason: 'no_speech_model',
      });
    }
    return ready[0]!.id;
  }

  path(modelId: string): string {
    if (!this.models.has(modelId)) throw new AppError('not_found', `There is no speech model "${modelId}". Run "voice models list" to see them.`);
    const info = this.models.get(modelId);
    if (info.kind !== 'whisper') throw new AppError('validation', `${modelId} is not a speech model (it is a ${info.kind} model). Pick a whisper model.`);
    return this.models.resolvePath(modelId);
  }

  async load(modelId: string): Promise<{ loadMs: number; alreadyLoaded: boolean }> {
    return this.engine.load(this.path(modelId), modelId);
  }

  async run(job: LocalRun, signal?: AbortSignal): Promise<LocalRunResult> {
    const path = this.path(job.modelId);
    const queued = performance.now();
    const r = await this.engine.transcribe(
      { path, modelId: job.modelId, samples: job.samples, language: job.language, prompt: job.prompt, threads: this.threads, audioCtx: audioContextFor(job.audioMs), maxTokens: maxTokensFor(job.audioMs) },
      signal,
    );
    const total = performance.now() - queued;
    return { text: r.text, language: r.language, modelId: job.modelId, loadMs: r.loadMs, inferenceMs: r.inferenceMs, queueMs: Math.max(0, total - r.loadMs - r.inferenceMs) };
  }
}
