import { AppError } from '@shared/errors';
import type { Handlers } from '../router';
import type { Services } from '../services';

type VoiceRoutes =
  | 'voice.settings.get'
  | 'voice.settings.update'
  | 'voice.transcribe'
  | 'voice.engine.status'
  | 'voice.engine.load'
  | 'voice.engine.restart'
  | 'voice.vocabulary'
  | 'voice.command'
  | 'voice.confirm'
  | 'voice.cancel'
  | 'voice.choose'
  | 'voice.history'
  | 'voice.audio'
  | 'voice.history.delete';

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
  'voice.command': async (args, ctx) => {
    const audio = args.audio ? audioBytes(args.audio) : null;
    const transcription = audio
      ? await s.voice.transcribe({ audio, workspace: ctx.workspace.name, engine: args.engine, model: args.model, language: args.language, profileId: ctx.profile.id, signal: ctx.signal })
      : null;
    return s.voiceCommands.command({ workspace: ctx.workspace, profile: ctx.profile, transcript: transcription?.text ?? args.transcript ?? '', transcription, audio, timeZone: args.timeZone, pendingSessionId: args.pendingSessionId, signal: ctx.signal });
  },
  'voice.confirm': (args, ctx) => s.voiceCommands.confirm(ctx.workspace, ctx.profile, args.sessionId, args.args),
  'voice.cancel': (args, ctx) => s.voiceCommands.cancel(ctx.workspace, ctx.profile, args.sessionId),
  'voice.choose': (args, ctx) => s.voiceCommands.choose(ctx.workspace, ctx.profile, args.sessionId, args.field, args.id),
  'voice.history': (args, ctx) => s.voiceCommands.history(ctx.workspace, ctx.profile, args.offset, args.limit),
  'voice.audio': (args, ctx) => s.voiceCommands.audio(ctx.workspace, ctx.profile, args.sessionId),
  'voice.history.delete': async (args, ctx) => ({ deleted: await s.voiceCommands.delete(ctx.workspace, ctx.profile, args) }),
});
