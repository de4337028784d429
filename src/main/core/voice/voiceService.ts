import { AppError } from '@shared/errors';
import { speechSamples, WavError } from '@shared/audio/wav';
import { VOICE_MAX_COMMAND_MS, type VoiceEngineChoice, type VoiceEngineStatus, type VoiceTranscript } from '@shared/contract';
import type { EventBus } from '../eventBus';
import type { Gateway } from '../gateway/types';
import type { Logger } from '../logger';
import type { ModelService } from '../localModels/modelService';
import type { WorkspaceService } from '../workspaces/workspaceService';
import type { WhisperEngineHost } from './engine/engineHost';
import { LocalTranscriber } from './localTranscriber';
import type { VoiceSettingsService } from './settings';
import { VocabularyCache } from './vocabulary';
import { createWhisperAdapter } from './whisperAdapter';

export interface VoiceServiceDeps {
  engine: WhisperEngineHost;
  models: ModelService;
  settings: VoiceSettingsService;
  workspaces: WorkspaceService;
  /** The gateway as the engine sees it (tests script answers through the ports). */
  gateway: () => Gateway;
  events: EventBus;
  logger: Logger;
  /** Whether the in-process binding exists for this platform (macOS, Linux x64). */
  localSupported: boolean;
  vocabulary?: VocabularyCache;
  threads?: number;
}

export interface TranscribeInput {
  /** WAV bytes (any rate and channel count; 16 kHz mono is what the app records). */
  audio: Uint8Array;
  workspace?: string | null | undefined;
  engine?: VoiceEngineChoice | undefined;
  model?: string | undefined;
  language?: string | undefined;
  profileId: string | null;
  signal?: AbortSignal | undefined;
}

const MIN_AUDIO_MS = 200;

/**
 * services.voice: everything up to a transcript. Decodes the recording, picks the engine (the voice.transcribe
 * policy, or the local speech engine), adds the workspace vocabulary, and returns the text with who produced it
 * and how long each step took. The next half (intent → action) builds on `transcribe`.
 */
export class VoiceService {
  readonly local: LocalTranscriber;
  private readonly vocabulary: VocabularyCache;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: VoiceServiceDeps) {
    this.local = new LocalTranscriber(deps.engine, deps.models, deps.threads);
    this.vocabulary = deps.vocabulary ?? new VocabularyCache((workspace) => deps.workspaces.withWorkspace(workspace, (ctx) => ctx.repos.vocabulary.terms()));
    // A removed speech model must not stay in the engine's memory.
    this.unsubscribe = deps.events.on('models.changed', (e) => {
      if (e.reason === 'removed' && deps.engine.status().loadedModel) void deps.engine.unload().catch(() => undefined);
    });
  }

  /** The gateway adapter for a `local` endpoint whose model is a whisper model (createCore's local factory). */
  adapter(modelId: string) {
    return createWhisperAdapter(modelId, this.local);
  }

  isSpeechModel(id: string): boolean {
    return this.deps.models.has(id) && this.deps.models.get(id).kind === 'whisper';
  }

  async status(): Promise<VoiceEngineStatus> {
    const s = this.deps.engine.status();
    const health = s.running && !s.busy ? await this.deps.engine.health().catch(() => null) : null;
    return { ...s, loadedModel: this.modelIdOf(s.loadedModel), rssBytes: health?.rssBytes ?? null, localSupported: this.deps.localSupported };
  }

  async load(model?: string): Promise<{ model: string; loadMs: number; alreadyLoaded: boolean }> {
    const id = this.local.pick(model ?? this.deps.settings.get().localModel);
    return { model: id, ...(await this.local.load(id)) };
  }

  restart(): boolean {
    const running = this.deps.engine.status().running;
    this.deps.engine.kill();
    return running;
  }

  async vocabularyFor(workspace: string): Promise<{ prompt: string; terms: string[] }> {
    return this.vocabulary.get(workspace);
  }

  async transcribe(input: TranscribeInput): Promise<VoiceTranscript> {
    const t0 = performance.now();
    const settings = this.deps.settings.get();
    let decoded: ReturnType<typeof speechSamples>;
    try {
      decoded = speechSamples(input.audio);
    } catch (error) {
      throw new AppError('validation', error instanceof WavError ? error.message : 'The recording could not be read as WAV audio.');
    }
    if (decoded.audioMs < MIN_AUDIO_MS) throw new AppError('validation', 'The recording is too short to hold a command. Hold the key (or keep talking) a little longer.');
    if (decoded.audioMs > VOICE_MAX_COMMAND_MS + 500) throw new AppError('validation', `The recording is ${Math.round(decoded.audioMs / 1000)} s long; commands are at most ${VOICE_MAX_COMMAND_MS / 1000} s.`);
    const decodeMs = performance.now() - t0;
    const language = input.language ?? settings.language ?? null;
    const choice = input.engine ?? settings.engine;
    const workspace = input.workspace ?? null;
    const vocab = workspace && settings.vocabulary ? await this.vocabularyFor(workspace).catch(() => ({ prompt: '', terms: [] })) : { prompt: '', terms: [] };

    const viaLocal = async (): Promise<VoiceTranscript> => {
      if (!this.deps.localSupported) {
        throw new AppError('unavailable', `The local speech engine does not run on ${process.platform}-${process.arch}. Use a provider for transcription (engine "provider").`, { reason: 'binding_missing' });
      }
      const modelId = this.local.pick(input.model ?? settings.localModel);
      const r = await this.local.run({ modelId, samples: decoded.samples, audioMs: decoded.audioMs, language, prompt: vocab.prompt || null }, input.signal);
      return this.result(t0, decoded.audioMs, { text: r.text, engine: 'local', model: modelId, endpoint: null, language: r.language, fallbackUsed: false, costUsd: 0, usageId: null, vocabularyTerms: vocab.terms.length }, { decodeMs, queueMs: r.queueMs, loadMs: r.loadMs, inferenceMs: r.inferenceMs });
    };

    const viaGateway = async (only?: 'remote'): Promise<VoiceTranscript> => {
      if (!workspace) throw new AppError('validation', 'Transcribing through a provider needs a workspace (its voice.transcribe policy and usage ledger). Pick one, or use the local engine.');
      const started = performance.now();
      const r = await this.deps.gateway().transcribe(
        { workspace, useCase: 'voice.transcribe', profileId: input.profileId, subject: 'voice.command' },
        { audio: input.audio, mimeType: 'audio/wav', durationSec: decoded.audioMs / 1000, ...(language ? { language } : {}), ...(vocab.prompt ? { prompt: vocab.prompt } : {}), ...(input.model ? { model: input.model } : {}) },
        { signal: input.signal, ...(only ? { endpoints: only } : {}) },
      );
      const local = r.providerKind === 'local';
      return this.result(
        t0,
        decoded.audioMs,
        { text: r.text.trim(), engine: local ? 'local' : 'provider', model: r.model, endpoint: r.endpoint, language: r.language ?? language, fallbackUsed: r.fallbackUsed, costUsd: r.costUsd, usageId: r.usageId, vocabularyTerms: vocab.terms.length },
        { decodeMs, queueMs: 0, loadMs: 0, inferenceMs: performance.now() - started },
      );
    };

    switch (choice) {
      case 'local':
        return viaLocal();
      case 'provider':
        return viaGateway('remote');
      case 'auto': {
        if (!workspace) return viaLocal();
        try {
          return await viaGateway();
        } catch (error) {
          // Nothing in the policy can transcribe (no provider, or none with transcription): the local engine can.
          const e = AppError.wrap(error);
          if (e.code === 'unavailable' && this.deps.localSupported && this.hasSpeechModel()) {
            this.deps.logger.info('voice: no endpoint can transcribe; using the local speech engine', { reason: e.message });
            return viaLocal();
          }
          throw e;
        }
      }
    }
  }

  dispose(): void {
    this.unsubscribe();
  }

  private hasSpeechModel(): boolean {
    return this.deps.models.list().models.some((m) => m.kind === 'whisper' && m.status === 'ready');
  }

  private modelIdOf(path: string | null): string | null {
    if (!path) return null;
    return this.deps.models.list().models.find((m) => m.file === path)?.id ?? path;
  }

  private result(t0: number, audioMs: number, base: Omit<VoiceTranscript, 'elapsedMs' | 'timings' | 'realTimeFactor' | 'audioMs'>, timings: VoiceTranscript['timings']): VoiceTranscript {
    const elapsedMs = performance.now() - t0;
    return { ...base, audioMs, elapsedMs, timings, realTimeFactor: audioMs > 0 ? elapsedMs / audioMs : 0 };
  }
}
