import { DEFAULT_VOICE_SETTINGS, voiceSettings, type VoiceSettings } from '@shared/contract';
import type { Settings } from '../app/appDb';

const KEY = 'voice.settings';

/** Voice settings in the app database (one set per installation: the microphone and shortcut belong to the computer). */
export class VoiceSettingsService {
  constructor(private readonly settings: Settings) {}

  get(): VoiceSettings {
    const parsed = voiceSettings.safeParse({ ...DEFAULT_VOICE_SETTINGS, ...(this.settings.get<object>(KEY) ?? {}) });
    return parsed.success ? parsed.data : DEFAULT_VOICE_SETTINGS;
  }

  async update(patch: Partial<VoiceSettings>): Promise<VoiceSettings> {
    const next = voiceSettings.parse({ ...this.get(), ...patch });
    await this.settings.set(KEY, next);
    return next;
  }
}
