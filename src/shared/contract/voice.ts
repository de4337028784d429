import { z } from 'zod';
import { defineRoute } from './define';
import { workspaceName } from './common';
import { localModelId } from './models';
import { actionApproval, actionTouched } from './actions';

/** Longest command the app records and transcribes (the capture setting can only lower it). */
export const VOICE_MAX_COMMAND_MS = 60_000;
/** 16 kHz 16-bit mono WAV of the longest command, base64: ~2.6 MB, well inside the web host's 12 MB request limit. */
export const VOICE_MAX_AUDIO_BASE64 = Math.ceil(((44 + (VOICE_MAX_COMMAND_MS / 1000) * 32_000) * 4) / 3) + 16;

export const voiceEngineChoice = z.enum(['auto', 'local', 'provider']);
export type VoiceEngineChoice = z.infer<typeof voiceEngineChoice>;

export const languageHint = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2,3}$/, 'Use a two- or three-letter language code such as "en" or "de".');

/** A keyboard shortcut as KeyboardEvent parts: modifiers joined with "+", then the key ("Ctrl+Shift+Space"). */
export const voiceShortcut = z
  .string()
  .trim()
  .regex(/^((Ctrl|Cmd|Mod|Alt|Shift|Meta)\+){1,3}[A-Za-z0-9]+$|^F\d{1,2}$/, 'Use one to three modifiers and a key, for example Mod+Shift+Space, or a function key.');

export const voiceSettings = z.object({
  /** 'auto': the policy of the voice.transcribe use case, or the local model when no provider can serve it. */
  engine: voiceEngineChoice,
  /** Speech model for the local engine (a whisper model id from the model registry); null = the first installed. */
  localModel: localModelId.nullable(),
  language: languageHint.nullable(),
  /** Push-to-talk: hold to speak. "Mod" is Cmd on macOS and Ctrl elsewhere. */
  shortcut: voiceShortcut,
  /** Microphone (MediaDeviceInfo.deviceId); null = the system default. */
  deviceId: z.string().max(512).nullable(),
  /** A command ends after this much silence (voice-activity detection). */
  silenceMs: z.number().int().min(300).max(5000),
  /** Recording stops at this length whatever happens. */
  maxMs: z.number().int().min(2000).max(VOICE_MAX_COMMAND_MS),
  /** Audio kept from just before the key press, so the first syllable is not lost. */
  preRollMs: z.number().int().min(0).max(1500),
  /** Words from the workspace (accounts, projects, codes) given to the engine so names transcribe correctly. */
  vocabulary: z.boolean(),
  /** Below this confidence (0–1) a command is not acted on: the app asks a short question instead of guessing. */
  confirmThreshold: z.number().min(0).max(1),
  /** Days a command's recording is kept on this computer for replay (0: never kept). */
  keepAudioDays: z.number().int().min(0).max(365),
});
export type VoiceSettings = z.infer<typeof voiceSettings>;

export const DEFAULT_VOICE_SETTINGS: VoiceSettings = {
  engine: 'auto',
  localModel: null,
  language: null,
  shortcut: 'Mod+Shift+Space',
  deviceId: null,
  silenceMs: 900,
  maxMs: 15_000,
  preRollMs: 400,
  vocabulary: true,
  confirmThreshold: 0.6,
  keepAudioDays: 7,
};

export const voiceTranscript = z.object({
  text: z.string(),
  engine: z.enum(['local', 'provider']),
  /** Model id (local) or provider model name. */
  model: z.string(),
  /** Gateway endpoint that answered (provider, or a local endpoint chosen by policy); null for a direct local run. */
  endpoint: z.string().nullable(),
  language: z.string().nullable(),
  audioMs: z.number().int(),
  /** From the request arriving to the transcript being ready. */
  elapsedMs: z.number(),
  timings: z.object({
    decodeMs: z.number(),
    /** Waiting for the engine (a command before this one). */
    queueMs: z.number(),
    /** Loading the model into the engine (0 when it was already loaded). */
    loadMs: z.number(),
    /** The transcription itself (local: whisper's pass; provider: the HTTP round trip). */
    inferenceMs: z.number(),
  }),
  /** Real-time factor: processing time over audio length (below 1 is faster than real time). */
  realTimeFactor: z.number(),
  fallbackUsed: z.boolean(),
  costUsd: z.number(),
  usageId: z.string().nullable(),
  /** How many workspace terms went into the vocabulary prompt. */
  vocabularyTerms: z.number().int(),
});
export type VoiceTranscript = z.infer<typeof voiceTranscript>;

export const voiceEngineStatus = z.object({
  running: z.boolean(),
  pid: z.number().int().nullable(),
  starts: z.number().int(),
  crashes: z.number().int(),
  lastCrash: z.object({ at: z.string(), modelId: z.string().nullable(), reason: z.string() }).nullable(),
  loadedModel: z.string().nullable(),
  busy: z.boolean(),
  queued: z.number().int(),
  rssBytes: z.number().nullable(),
  /** Whether this computer can run the local engine at all (the binding ships for macOS and Linux x64). */
  localSupported: z.boolean(),
});
export type VoiceEngineStatus = z.infer<typeof voiceEngineStatus>;

/** A record named in a command, as resolved against the workspace. */
export const voiceEntity = z.object({
  /** The action argument it fills (accountId, dealId, ticket, dueDate…). */
  field: z.string(),
  /** Entity key (tickets, deals…), or "time" for a spoken date and time. */
  entity: z.string(),
  /** The words that named it. */
  text: z.string(),
  match: z.object({ id: z.number().int(), title: z.string(), code: z.string().nullable() }).nullable(),
  /** Other records the words could mean (a name that matched several), best first. */
  alternatives: z.array(z.object({ id: z.number().int(), title: z.string(), code: z.string().nullable() })),
  /** For times: the resolved instant (ISO) or day. */
  value: z.string().nullable(),
  confidence: z.number(),
});
export type VoiceEntity = z.infer<typeof voiceEntity>;

export const voiceCommandStatus = z.enum(['navigate', 'done', 'confirm', 'clarify', 'cancelled', 'failed']);
export type VoiceCommandStatus = z.infer<typeof voiceCommandStatus>;

/** What a spoken (or typed) command became: where to go, what ran, or what waits for a yes. */
export const voiceCommandResult = z.object({
  sessionId: z.string(),
  transcript: z.string(),
  /** The transcript with spoken numbers as digits, as it was understood. */
  normalized: z.string(),
  understoodBy: z.enum(['patterns', 'model', 'none']),
  kind: z.enum(['navigate', 'open_record', 'search', 'filter_insights', 'action', 'unclear', 'confirm', 'cancel']),
  action: z.string().nullable(),
  confidence: z.number(),
  status: voiceCommandStatus,
  /** One line saying what was understood ("Create task “Call Acme” due 2026-12-05"). */
  summary: z.string(),
  /** Renderer route to open (navigation, a record, a search, filtered insights). */
  navigateTo: z.string().nullable(),
  entities: z.array(voiceEntity),
  /** The pending write waiting for confirmation, with its diff (the copilot's approval card shows the same). */
  approval: actionApproval.nullable(),
  /** A read action's result, or what an executed write returned. */
  result: z.unknown().nullable(),
  touched: z.array(actionTouched),
  /** The short question asked back when the command was unclear or below the confidence threshold. */
  question: z.string().nullable(),
  error: z.string().nullable(),
  transcription: voiceTranscript.nullable(),
  timings: z.object({ understandMs: z.number(), totalMs: z.number() }),
});
export type VoiceCommandResult = z.infer<typeof voiceCommandResult>;

export const voiceSession = voiceCommandResult.omit({ transcription: true, result: true, timings: true, approval: true }).extend({
  createdAt: z.string(),
  profileName: z.string().nullable(),
  engine: z.string().nullable(),
  model: z.string().nullable(),
  audioMs: z.number().nullable(),
  transcribeMs: z.number().nullable(),
  understandMs: z.number().nullable(),
  approvalId: z.string().nullable(),
  /** Whether the recording is still kept (replay with voice.audio), and until when. */
  hasAudio: z.boolean(),
  audioExpiresAt: z.string().nullable(),
});
export type VoiceSession = z.infer<typeof voiceSession>;

const sessionId = z.string().trim().min(1).max(64);
const timeZone = z.string().trim().min(1).max(64).regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$|^UTC$/, 'Use an IANA time zone such as Europe/London.');

export const voiceRoutes = {
  'voice.settings.get': defineRoute({
    summary: 'Voice capture and engine settings (shortcut, microphone, silence and maximum length, engine, model)',
    role: 'member',
    input: z.object({}).default({}),
    output: voiceSettings,
  }),
  'voice.settings.update': defineRoute({
    summary: 'Change voice settings (only the fields given)',
    role: 'member',
    input: voiceSettings.partial(),
    output: voiceSettings,
  }),
  'voice.transcribe': defineRoute({
    summary: 'Transcribe a spoken command (16 kHz mono WAV, base64) with the local engine or a provider',
    role: 'member',
    input: z.object({
      /** Policy, usage ledger and vocabulary come from this workspace; without one only the local engine can run. */
      workspace: workspaceName.nullable().optional(),
      audio: z.string().min(8, 'The recording is empty.').max(VOICE_MAX_AUDIO_BASE64, `The recording is too long: commands are at most ${VOICE_MAX_COMMAND_MS / 1000} seconds.`),
      engine: voiceEngineChoice.optional(),
      model: z.string().trim().min(1).max(120).optional(),
      language: languageHint.optional(),
    }),
    output: voiceTranscript,
  }),
  'voice.engine.status': defineRoute({
    summary: 'The local speech engine process: running, loaded model, memory, restarts and the last crash',
    role: 'member',
    input: z.object({}).default({}),
    output: voiceEngineStatus,
  }),
  'voice.engine.load': defineRoute({
    summary: 'Load a speech model into the local engine ahead of the first command',
    role: 'member',
    input: z.object({ model: localModelId.optional() }),
    output: z.object({ model: localModelId, loadMs: z.number(), alreadyLoaded: z.boolean() }),
  }),
  'voice.engine.restart': defineRoute({
    summary: 'End the local speech engine process (it starts again with the next command)',
    role: 'member',
    input: z.object({}).default({}),
    output: z.object({ restarted: z.boolean() }),
  }),
  'voice.vocabulary': defineRoute({
    summary: 'The vocabulary prompt built from a workspace (account, project, vendor names and record codes)',
    role: 'member',
    input: z.object({ workspace: workspaceName }),
    output: z.object({ prompt: z.string(), terms: z.array(z.string()) }),
  }),
  'voice.command': defineRoute({
    summary: 'Run a voice command: transcribe the recording (or take a typed transcript), understand it, resolve names, codes and times, then navigate, read, or propose a write for confirmation',
    role: 'member',
    input: z
      .object({
        workspace: workspaceName,
        audio: z.string().min(8).max(VOICE_MAX_AUDIO_BASE64, `The recording is too long: commands are at most ${VOICE_MAX_COMMAND_MS / 1000} seconds.`).optional(),
        transcript: z.string().trim().min(1, 'Say or type a command.').max(1000).optional(),
        /** The speaker's zone, for "tomorrow at nine". */
        timeZone: timeZone.optional(),
        engine: voiceEngineChoice.optional(),
        model: z.string().trim().min(1).max(120).optional(),
        language: languageHint.optional(),
        /** A command waiting for confirmation: "yes" / "confirm" runs it, "no" / "cancel" drops it. */
        pendingSessionId: sessionId.optional(),
      })
      .refine((v) => (v.audio === undefined) !== (v.transcript === undefined), { message: 'Give either the recording (audio) or a transcript, not both.' }),
    output: voiceCommandResult,
  }),
  'voice.confirm': defineRoute({
    summary: 'Confirm a voice command that waits for a yes: its write runs through the action layer (role checked again, diff recomputed)',
    role: 'member',
    input: z.object({ workspace: workspaceName, sessionId, args: z.record(z.string(), z.unknown()).optional() }),
    output: voiceCommandResult,
  }),
  'voice.cancel': defineRoute({
    summary: 'Cancel a voice command that waits for confirmation (nothing is written)',
    role: 'member',
    input: z.object({ workspace: workspaceName, sessionId }),
    output: voiceCommandResult,
  }),
  'voice.choose': defineRoute({
    summary: 'Pick which record a name in a voice command meant (one of its alternatives), then propose the write again',
    role: 'member',
    input: z.object({ workspace: workspaceName, sessionId, field: z.string().trim().min(1).max(40), id: z.number().int().positive() }),
    output: voiceCommandResult,
  }),
  'voice.history': defineRoute({
    summary: 'Past voice commands of this profile in a workspace, newest first',
    role: 'member',
    input: z.object({ workspace: workspaceName, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(50) }),
    output: z.object({ sessions: z.array(voiceSession), total: z.number().int() }),
  }),
  'voice.audio': defineRoute({
    summary: 'The kept recording of a voice command (base64 WAV), for replay; null once it expired or was deleted',
    role: 'member',
    input: z.object({ workspace: workspaceName, sessionId }),
    output: z.object({ audio: z.string().nullable(), expiresAt: z.string().nullable() }),
  }),
  'voice.history.delete': defineRoute({
    summary: 'Delete voice commands and their recordings: one session, or all of this profile’s',
    role: 'member',
    input: z.object({ workspace: workspaceName, sessionId: sessionId.optional(), all: z.boolean().optional() }).refine((v) => Boolean(v.sessionId) !== Boolean(v.all), { message: 'Give a sessionId, or all: true.' }),
    output: z.object({ deleted: z.number().int() }),
  }),
} as const;
