import { AppError } from '@shared/errors';
import { speechSamples, WavError } from '@shared/audio/wav';
import type { ProviderAdapter, TranscribeRequest, TranscribeResult } from '../gateway/types';
import type { LocalTranscriber } from './localTranscriber';

/**
 * A `local` gateway endpoint whose model is a whisper model: transcription only, through the speech engine
 * process. This is what lets the voice.transcribe policy choose the local engine (and fall back to a provider, or
 * the other way round) like any other endpoint. Costs nothing; usage is recorded in audio seconds.
 */
export function createWhisperAdapter(modelId: string, transcriber: LocalTranscriber): ProviderAdapter {
  const unsupported = (what: string): never => {
    throw new AppError('validation', `${modelId} is a speech model: it can only transcribe, not ${what}. Point this use case at a chat model.`);
  };
  return {
    kind: 'local',
    capabilities: { streaming: false, structuredOutput: 'prompt', tools: false, embeddings: false, transcription: true },
    chat: () => Promise.reject(unsupported('chat')),
    streamChat: () => unsupported('chat'),
    async transcribe(req: TranscribeRequest, opts): Promise<TranscribeResult> {
      let decoded: ReturnType<typeof speechSamples>;
      try {
        decoded = speechSamples(req.audio);
      } catch (error) {
        throw new AppError('validation', error instanceof WavError ? error.message : 'The audio could not be read.');
      }
      // The gateway names the model per hop: the endpoint's own, or one the caller or the policy asked for.
      const r = await transcriber.run({ modelId: req.model || modelId, samples: decoded.samples, audioMs: decoded.audioMs, language: req.language ?? null, prompt: req.prompt ?? null }, opts.signal);
      return { text: r.text, ...(r.language ? { language: r.language } : {}), durationSec: decoded.audioMs / 1000, usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0 } };
    },
    listModels: async () => [{ id: modelId, kind: 'audio' }],
    countTokens: () => 0,
  };
}
