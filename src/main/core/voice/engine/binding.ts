import { AppError } from '@shared/errors';

/** What the engine needs from a whisper.cpp binding; @napi-rs/whisper today (ADR 0070), swappable here. */
export interface WhisperModel {
  transcribe(job: { samples: Float32Array; language: string | null; prompt: string | null; threads: number; audioCtx: number; maxTokens: number }): { text: string; language: string | null; segments: number };
}

export interface WhisperBinding {
  readonly name: string;
  load(path: string): WhisperModel;
}

interface NapiWhisperModule {
  Whisper: new (model: string) => { full(params: unknown, samples: Float32Array): string; fullLangId: number };
  WhisperFullParams: new (strategy: number) => Record<string, unknown> & { onNewSegment: (s: unknown) => void };
  WhisperSamplingStrategy: { Greedy: number };
  lang(id: number): string | null;
}

/** Loads @napi-rs/whisper in the engine process only: its native code must never run in the app's own process. */
export async function napiWhisper(): Promise<WhisperBinding> {
  let mod: NapiWhisperModule;
  try {
    const imported = (await import('@napi-rs/whisper')) as unknown as NapiWhisperModule & { default?: NapiWhisperModule };
    mod = imported.Whisper ? imported : imported.default!;
  } catch (error) {
    throw new AppError('unavailable', `The local speech engine is not available on this computer (${process.platform}-${process.arch}): ${error instanceof Error ? error.message : String(error)}. Use a provider for transcription instead.`, {
      reason: 'binding_missing',
    });
  }
  const Whisper = mod.Whisper as unknown as { new (model: string): { full(params: unknown, samples: Float32Array): string; fullLangId: number }; lang(id: number): string | null };
  return {
    name: '@napi-rs/whisper',
    load(path) {
      const ctx = new Whisper(path);
      return {
        transcribe(job) {
          const p = new mod.WhisperFullParams(mod.WhisperSamplingStrategy.Greedy);
          p.nThreads = job.threads;
          p.language = job.language ?? 'auto';
          p.detectLanguage = false;
          p.noTimestamps = true;
          p.singleSegment = true;
          p.noContext = true;
          p.printProgress = false;
          p.printRealtime = false;
          p.printTimestamps = false;
          p.printSpecial = false;
          p.suppressBlank = true;
          p.temperature = 0;
          p.maxTokens = job.maxTokens;
          p.audioCtx = job.audioCtx;
          if (job.prompt) p.initialPrompt = job.prompt;
          let segments = 0;
          p.onNewSegment = () => void segments++;
          const text = ctx.full(p, job.samples);
          let language = job.language;
          try {
            language = Whisper.lang(ctx.fullLangId) ?? language;
          } catch {
            // Older builds have no language getter on the context: keep the hint.
          }
          return { text: text.trim(), language, segments };
        },
      };
    },
  };
}
