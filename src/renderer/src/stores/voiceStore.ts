import { create } from 'zustand';
import { DEFAULT_VOICE_SETTINGS, type VoiceCommandResult, type VoiceEngineStatus, type VoiceSettings, type VoiceTranscript } from '@shared/contract';
import { call, errorMessage } from '../api/client';
import { CaptureController } from '../features/voice/capture/controller';
import { initialCapture, type CaptureMode, type CaptureState } from '../features/voice/capture/machine';
import { useWorkspaceStore } from './workspaceStore';

interface VoiceState {
  settings: VoiceSettings;
  settingsLoaded: boolean;
  engine: VoiceEngineStatus | null;
  capture: CaptureState;
  /** Where the command started: the header overlay or the Voice page's test panel. */
  surface: 'overlay' | 'page';
  overlayOpen: boolean;
  error: string | null;
  /** The last command from the header microphone: what was understood, and what waits for a yes. */
  command: VoiceCommandResult | null;
  commandBusy: boolean;
  commandError: string | null;
  /** Runs the command waiting for confirmation (optionally with edited arguments). */
  confirmCommand(args?: Record<string, unknown>): Promise<void>;
  cancelCommand(): Promise<void>;
  /** Picks which record a name meant (one of the alternatives). */
  chooseEntity(field: string, id: number): Promise<void>;
  load(): Promise<void>;
  saveSettings(patch: Partial<VoiceSettings>): Promise<VoiceSettings>;
  refreshEngine(): Promise<void>;
  loadModel(model?: string): Promise<void>;
  restartEngine(): Promise<void>;
  start(mode: CaptureMode, surface?: 'overlay' | 'page'): void;
  stop(): void;
  cancel(): void;
  dismiss(): void;
}

let controller: CaptureController | null = null;

/** The capture controller is created on first use: nothing touches the microphone before the user asks. */
function capture(): CaptureController {
  controller ??= new CaptureController({
    settings: () => useVoiceStore.getState().settings,
    transcribe: async (audio, signal): Promise<VoiceTranscript> => {
      const workspace = useWorkspaceStore.getState().current;
      // The contract has no per-call abort from the renderer; a cancelled command's answer is simply dropped.
      const { surface, command } = useVoiceStore.getState();
      if (surface !== 'overlay' || !workspace) return call('voice.transcribe', { audio, workspace: workspace ?? null });
      // From the header: the whole command (transcribe → understand → act or wait). A "yes" answers the one waiting.
      const pending = command?.status === 'confirm' ? command.sessionId : undefined;
      useVoiceStore.setState({ commandBusy: true, commandError: null });
      try {
        const result = await call('voice.command', { workspace, audio, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, ...(pending ? { pendingSessionId: pending } : {}) });
        if (!signal.aborted) useVoiceStore.setState({ command: result, commandBusy: false });
        return result.transcription!;
      } catch (e) {
        useVoiceStore.setState({ commandBusy: false, commandError: errorMessage(e) });
        throw e;
      }
    },
    onState: (capture) => useVoiceStore.setState({ capture }),
  });
  return controller;
}

export const useVoiceStore = create<VoiceState>((set, get) => ({
  settings: DEFAULT_VOICE_SETTINGS,
  settingsLoaded: false,
  engine: null,
  capture: initialCapture,
  surface: 'overlay',
  overlayOpen: false,
  error: null,
  command: null,
  commandBusy: false,
  commandError: null,
  async confirmCommand(args) {
    const { command } = get();
    const workspace = useWorkspaceStore.getState().current;
    if (!command || !workspace) return;
    set({ commandBusy: true, commandError: null });
    try {
      set({ command: await call('voice.confirm', { workspace, sessionId: command.sessionId, ...(args ? { args } : {}) }), commandBusy: false });
    } catch (e) {
      set({ commandBusy: false, commandError: errorMessage(e) });
    }
  },
  async cancelCommand() {
    const { command } = get();
    const workspace = useWorkspaceStore.getState().current;
    if (!command || !workspace) return;
    set({ commandBusy: true, commandError: null });
    try {
      set({ command: await call('voice.cancel', { workspace, sessionId: command.sessionId }), commandBusy: false });
    } catch (e) {
      set({ commandBusy: false, commandError: errorMessage(e) });
    }
  },
  async chooseEntity(field, id) {
    const { command } = get();
    const workspace = useWorkspaceStore.getState().current;
    if (!command || !workspace) return;
    set({ commandBusy: true, commandError: null });
    try {
      set({ command: await call('voice.choose', { workspace, sessionId: command.sessionId, field, id }), commandBusy: false });
    } catch (e) {
      set({ commandBusy: false, commandError: errorMessage(e) });
    }
  },
  async load() {
    try {
      set({ settings: await call('voice.settings.get', {}), settingsLoaded: true, error: null });
    } catch (e) {
      set({ settingsLoaded: true, error: errorMessage(e) });
    }
  },
  async saveSettings(patch) {
    const settings = await call('voice.settings.update', patch);
    set({ settings });
    return settings;
  },
  async refreshEngine() {
    try {
      set({ engine: await call('voice.engine.status', {}) });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
  async loadModel(model) {
    await call('voice.engine.load', model ? { model } : {});
    await get().refreshEngine();
  },
  async restartEngine() {
    await call('voice.engine.restart', {});
    await get().refreshEngine();
  },
  start(mode, surface = 'overlay') {
    // A new command replaces a finished one; one waiting for a yes stays, so "yes" can answer it.
    const keep = get().command?.status === 'confirm' || get().command?.status === 'clarify';
    set({ surface, overlayOpen: surface === 'overlay', ...(keep ? {} : { command: null, commandError: null }) });
    void capture().start(mode);
  },
  stop() {
    controller?.stop(get().capture.mode === 'push' ? 'released' : 'stopped');
  },
  cancel() {
    controller?.cancel();
  },
  dismiss() {
    controller?.dismiss();
    set({ overlayOpen: false, command: null, commandError: null });
  },
}));
