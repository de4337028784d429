import { AppError } from '@shared/errors';
import type { Handlers } from '../router';
import type { Services } from '../services';

type VoiceRoutes = 'voice.settings.get' | 'voice.settings.update' | 'voice.transcribe' | 'voice.engine.status' | 'voice.engine.load' | 'voice.engine.restart' | 'voice.vocabulary';

function audioBytes(base64: string): Uint8Array {
  const clean = base64.replace(/^data:audio\/[a-z0-9.+-]+;base64,/i, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) throw new AppError('validation', 'The recording must be base64-encoded WAV audio.');
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

export const voiceHandlers = (s: Services): Pick<Handlers, VoiceRoutes> => ({
  'voice.settings.get': () => s.voiceSettings.get(),
  'voice.settings.update': (args) => s.voiceSettings.update(args),
  'voice.transcribe': (args, ctx) =>
    s.voice.transcribe({ audio: audioBytes(args.audio), workspace: args.workspace ?? null, engine: args.engine, model: args.model, language: args.language, profileId: ctx.profile.id, signal: ctx.signal }),
  'voice.engine.status': () => s.voice.status(),
  'voice.engine.load': (args) => s.voice.load(args.model),
  'voice.engine.restart': () => ({ restarted: s.voice.restart() }),
  'voice.vocabulary': (args) => s.voice.vocabularyFor(args.workspace),
});
