import { DEFAULT_ENGINE_SETTINGS, engineSettings, type EngineSettings } from '@shared/contract';
import type { z } from 'zod';
import type { engineSettingsPatch } from '@shared/contract';
import type { Settings } from '../app/appDb';
import type { PersonaSpec } from '../personas/types';

const KEY = 'engine.settings';

type Patch = z.infer<typeof engineSettingsPatch>;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge<T>(base: T, patch: unknown): T {
  if (!isPlain(base) || !isPlain(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = merge(out[k], v);
  return out as T;
}

/** Engine settings in the app registry, merged over the defaults so new settings get sane values on old installs. */
export class EngineSettingsService {
  constructor(private readonly settings: Settings) {}

  get(): EngineSettings {
    const stored = this.settings.get<unknown>(KEY);
    const merged = merge(DEFAULT_ENGINE_SETTINGS, stored ?? {});
    const parsed = engineSettings.safeParse(merged);
    return parsed.success ? parsed.data : DEFAULT_ENGINE_SETTINGS;
  }

  update(patch: Patch): EngineSettings {
    const next = engineSettings.parse(merge(this.get(), patch));
    this.settings.set(KEY, next);
    return next;
  }

  personaEnabled(spec: PersonaSpec): boolean {
    return this.settings.get<boolean>(spec.settingsFlag) ?? true;
  }

  setPersonaEnabled(spec: PersonaSpec, enabled: boolean): void {
    this.settings.set(spec.settingsFlag, enabled);
  }
}
