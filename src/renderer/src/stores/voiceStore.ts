import { create } from 'zustand';
import { DEFAULT_VOICE_SETTINGS, type VoiceEngineStatus, type VoiceSettings, type VoiceTranscript } from '@shared/contract';
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
    transcribe: (audio, signal): Promise<VoiceTranscript> => {
      const workspace = useWorkspaceStore.getState().current;
      // The contract has no per-call abort from the renderer; a cancelled command's answer is simply dropped.
      void signal;
      return call('voice.transcribe', { audio, workspace: workspace ?? null });
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
    set({ surface, overlayOpen: surface === 'overlay' });
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
    set({ overlayOpen: false });
  },
}));
