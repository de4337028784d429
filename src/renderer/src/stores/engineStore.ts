import { create } from 'zustand';
import { isFinished, PII_KIND_NAMES, type EngineSettings, type PersonaInfo, type RouteInput, type RouteOutput, type ScheduleInfo } from '@shared/contract';
import { call, errorMessage, on } from '../api/client';

export type EnginePatch = RouteInput<'engine.configure'>;
export type RunDueResult = RouteOutput<'schedule.runDue'>;

interface EngineState {
  settings: EngineSettings | null;
  settingsError: string | null;
  saving: boolean;
  personas: PersonaInfo[];
  personasLoaded: boolean;
  personasError: string | null;
  /** Persona keys whose switch is being written. */
  toggling: Record<string, boolean>;
  /** The workspace the schedules below belong to. */
  workspace: string | null;
  schedules: ScheduleInfo[];
  schedulesLoaded: boolean;
  schedulesError: string | null;
  runningDue: boolean;
  loadSettings(): Promise<void>;
  /** Throws the core's AppError; the settings in force are then unchanged. */
  configure(patch: EnginePatch): Promise<EngineSettings>;
  loadPersonas(): Promise<void>;
  setPersonaEnabled(key: string, enabled: boolean): Promise<PersonaInfo>;
  loadSchedules(workspace: string): Promise<void>;
  setScheduleEnabled(id: string, enabled: boolean): Promise<ScheduleInfo>;
  runDue(workspace: string): Promise<RunDueResult>;
}

export const useEngineStore = create<EngineState>((set, get) => ({
  settings: null,
  settingsError: null,
  saving: false,
  personas: [],
  personasLoaded: false,
  personasError: null,
  toggling: {},
  workspace: null,
  schedules: [],
  schedulesLoaded: false,
  schedulesError: null,
  runningDue: false,
  async loadSettings() {
    try {
      set({ settings: await call('engine.settings', {}), settingsError: null });
    } catch (e) {
      set({ settingsError: errorMessage(e) });
    }
  },
  async configure(patch) {
    set({ saving: true });
    try {
      const settings = await call('engine.configure', patch);
      set({ settings, saving: false, settingsError: null });
      return settings;
    } catch (e) {
      set({ saving: false });
      throw e;
    }
  },
  async loadPersonas() {
    try {
      const { personas } = await call('personas.list', {});
      set({ personas, personasLoaded: true, personasError: null });
    } catch (e) {
      set({ personasLoaded: true, personasError: errorMessage(e) });
    }
  },
  async setPersonaEnabled(key, enabled) {
    set((s) => ({ toggling: { ...s.toggling, [key]: true } }));
    try {
      const p = await call('personas.setEnabled', { persona: key, enabled });
      set((s) => ({ personas: s.personas.map((x) => (x.key === key ? p : x)) }));
      return p;
    } finally {
      set((s) => ({ toggling: { ...s.toggling, [key]: false } }));
    }
  },
  async loadSchedules(workspace) {
    if (get().workspace !== workspace) set({ workspace, schedules: [], schedulesLoaded: false });
    try {
      const { schedules } = await call('schedule.list', { workspace });
      if (get().workspace === workspace) set({ schedules, schedulesLoaded: true, schedulesError: null });
    } catch (e) {
      if (get().workspace === workspace) set({ schedulesLoaded: true, schedulesError: errorMessage(e) });
    }
  },
  async setScheduleEnabled(id, enabled) {
    const row = await call('schedule.setEnabled', { id, enabled });
    set((s) => ({ schedules: s.schedules.map((x) => (x.id === id ? row : x)) }));
    return row;
  },
  async runDue(workspace) {
    set({ runningDue: true });
    try {
      const result = await call('schedule.runDue', { workspace });
      await get().loadSchedules(workspace);
      return result;
    } finally {
      set({ runningDue: false });
    }
  },
}));

/**
 * The engine settings as the form edits them. Number fields hold what the input gives: a number, or a string while
 * half-typed or empty (an error).
 */
export interface EngineDraft {
  aiEnabled: boolean;
  redaction: { enabled: boolean; kinds: EngineSettings['redaction']['kinds'] };
  outputRetries: number | string;
  concurrency: number | string;
  grounding: { enabled: boolean; k: number | string; charBudget: number | string };
  scheduler: { enabled: boolean; maxInsightsPerRun: number | string; dailyTokenBudget: number | string };
}

export const toEngineDraft = (s: EngineSettings): EngineDraft => ({
  aiEnabled: s.aiEnabled,
  redaction: { enabled: s.redaction.enabled, kinds: { ...s.redaction.kinds } },
  outputRetries: s.outputRetries,
  concurrency: s.scan.concurrency,
  grounding: { ...s.grounding },
  scheduler: { ...s.scheduler },
});

/** The bounds the contract enforces, repeated here so the form can say what is wrong before anything is sent. */
export const ENGINE_LIMITS = {
  outputRetries: { min: 0, max: 3 },
  concurrency: { min: 1, max: 32 },
  k: { min: 1, max: 10 },
  charBudget: { min: 200, max: 8_000 },
  maxInsightsPerRun: { min: 1, max: 10_000 },
  dailyTokenBudget: { min: 0, max: Number.MAX_SAFE_INTEGER },
} as const;

function rangeError(v: number | string, { min, max }: { min: number; max: number }): string | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v)) return 'Use a whole number.';
  if (v < min || v > max) return max === Number.MAX_SAFE_INTEGER ? `Use ${min} or more.` : `Use a number from ${min} to ${max}.`;
  return undefined;
}

export type EngineDraftErrors = Partial<Record<keyof typeof ENGINE_LIMITS, string>>;

export function engineDraftErrors(d: EngineDraft): EngineDraftErrors {
  const out: EngineDraftErrors = {};
  const check = (key: keyof typeof ENGINE_LIMITS, v: number | string): void => {
    const e = rangeError(v, ENGINE_LIMITS[key]);
    if (e) out[key] = e;
  };
  check('outputRetries', d.outputRetries);
  check('concurrency', d.concurrency);
  check('k', d.grounding.k);
  check('charBudget', d.grounding.charBudget);
  check('maxInsightsPerRun', d.scheduler.maxInsightsPerRun);
  check('dailyTokenBudget', d.scheduler.dailyTokenBudget);
  return out;
}

/** Only the fields that differ from the settings in force; nested objects carry only their changed keys. */
export function enginePatch(before: EngineSettings, d: EngineDraft): EnginePatch {
  const patch: EnginePatch = {};
  if (d.aiEnabled !== before.aiEnabled) patch.aiEnabled = d.aiEnabled;
  const redaction: NonNullable<EnginePatch['redaction']> = {};
  if (d.redaction.enabled !== before.redaction.enabled) redaction.enabled = d.redaction.enabled;
  const kinds: NonNullable<NonNullable<EnginePatch['redaction']>['kinds']> = {};
  for (const k of PII_KIND_NAMES) if (d.redaction.kinds[k] !== before.redaction.kinds[k]) kinds[k] = d.redaction.kinds[k];
  if (Object.keys(kinds).length) redaction.kinds = kinds;
  if (Object.keys(redaction).length) patch.redaction = redaction;
  if (typeof d.outputRetries === 'number' && d.outputRetries !== before.outputRetries) patch.outputRetries = d.outputRetries;
  if (typeof d.concurrency === 'number' && d.concurrency !== before.scan.concurrency) patch.scan = { concurrency: d.concurrency };
  const grounding: NonNullable<EnginePatch['grounding']> = {};
  if (d.grounding.enabled !== before.grounding.enabled) grounding.enabled = d.grounding.enabled;
  if (typeof d.grounding.k === 'number' && d.grounding.k !== before.grounding.k) grounding.k = d.grounding.k;
  if (typeof d.grounding.charBudget === 'number' && d.grounding.charBudget !== before.grounding.charBudget) grounding.charBudget = d.grounding.charBudget;
  if (Object.keys(grounding).length) patch.grounding = grounding;
  const scheduler: NonNullable<EnginePatch['scheduler']> = {};
  if (d.scheduler.enabled !== before.scheduler.enabled) scheduler.enabled = d.scheduler.enabled;
  if (typeof d.scheduler.maxInsightsPerRun === 'number' && d.scheduler.maxInsightsPerRun !== before.scheduler.maxInsightsPerRun) scheduler.maxInsightsPerRun = d.scheduler.maxInsightsPerRun;
  if (typeof d.scheduler.dailyTokenBudget === 'number' && d.scheduler.dailyTokenBudget !== before.scheduler.dailyTokenBudget) scheduler.dailyTokenBudget = d.scheduler.dailyTokenBudget;
  if (Object.keys(scheduler).length) patch.scheduler = scheduler;
  return patch;
}

/** How many individual settings a patch changes, for the "3 changes" line. */
export function countChanges(patch: EnginePatch): number {
  let n = 0;
  const walk = (o: object): void => {
    for (const v of Object.values(o)) {
      if (v !== null && typeof v === 'object') walk(v as object);
      else n++;
    }
  };
  walk(patch);
  return n;
}

/** Refreshes the schedules' running and last-run columns when an engine job in this workspace finishes. */
export function bindEngineEvents(): () => void {
  return on('job.progress', (job) => {
    const s = useEngineStore.getState();
    if (s.workspace && job.workspace === s.workspace && isFinished(job.status) && job.kind.startsWith('engine.')) {
      // The scheduler records a run's outcome just after the job settles; read it a moment later.
      const ws = s.workspace;
      setTimeout(() => void useEngineStore.getState().loadSchedules(ws), 300);
    }
  });
}
