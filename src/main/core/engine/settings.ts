import { DEFAULT_ENGINE_SETTINGS, engineSettings, type EngineSettings } from '@shared/contract';
import type { z } from 'zod';
import type { engineSettingsPatch } from '@shared/contract';
import type { Settings } from '../app/appDb';
import type { PersonaSpec } from '../personas/types';

const KEY = 'engine.settings';

/** Where a person switches AI back on: the place that exists in the app, and the CLI call that does the same. */
export const AI_OFF_MESSAGE =
  'AI analysis is switched off. Turn it on under Configuration → Personas & Engine (the “AI analysis” switch), or run: intelligence-desk call engine.configure \'{"aiEnabled":true}\'';
export const personaOffMessage = (name: string, key: string): string =>
  `The ${name} persona is switched off. Switch it on under Configuration → Personas & Engine, or run: intelligence-desk call personas.setEnabled '{"persona":"${key}","enabled":true}'`;

type Patch = z.infer<typeof engineSettingsPatch>;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge<T>(base: T, patch: unknown): T {
  if (!isPlain(base) || !isPlain(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = merge(out[k], v);
  return out as T;
}

/** How long a read stays cached: scans read settings for every record; another process may change them meanwhile. */
const CACHE_MS = 1_000;

/** Engine settings in the app registry, merged over the defaults so new settings get sane values on old installs. */
export class EngineSettingsService {
  private cached: { value: EngineSettings; at: number } | null = null;
  private readonly flags = new Map<string, { value: boolean; at: number }>();

  constructor(private readonly settings: Settings) {}

  get(): EngineSettings {
    const now = Date.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.value;
    const stored = this.settings.get<unknown>(KEY);
    const merged = merge(DEFAULT_ENGINE_SETTINGS, stored ?? {});
    const parsed = engineSettings.safeParse(merged);
    const value = parsed.success ? parsed.data : DEFAULT_ENGINE_SETTINGS;
    this.cached = { value, at: now };
    return value;
  }

  async update(patch: Patch): Promise<EngineSettings> {
    const next = engineSettings.parse(merge(this.get(), patch));
    await this.settings.set(KEY, next);
    this.cached = { value: next, at: Date.now() };
    return next;
  }

  personaEnabled(spec: PersonaSpec): boolean {
    const now = Date.now();
    const hit = this.flags.get(spec.settingsFlag);
    if (hit && now - hit.at < CACHE_MS) return hit.value;
    const value = this.settings.get<boolean>(spec.settingsFlag) ?? true;
    this.flags.set(spec.settingsFlag, { value, at: now });
    return value;
  }

  async setPersonaEnabled(spec: PersonaSpec, enabled: boolean): Promise<void> {
    await this.settings.set(spec.settingsFlag, enabled);
    this.flags.set(spec.settingsFlag, { value: enabled, at: Date.now() });
  }
}
