import { z } from 'zod';
import type { NotifyLevel } from '../notify';
import { defineRoute } from './define';
import { id, workspaceName } from './common';

/** Which new insights raise a desktop notification: none, critical only, or high and critical. */
export const NOTIFY_LEVELS = ['off', 'critical', 'high'] as const satisfies readonly NotifyLevel[];

/** Engine settings (app-wide). PII kinds match src/main/core/context/redact.ts. */
export const PII_KIND_NAMES = ['email', 'card', 'national_id', 'ip', 'phone'] as const;

export const engineSettings = z.object({
  /** Master switch: with AI off no persona runs, on demand or scheduled. */
  aiEnabled: z.boolean(),
  redaction: z.object({
    enabled: z.boolean(),
    kinds: z.object({ email: z.boolean(), card: z.boolean(), national_id: z.boolean(), ip: z.boolean(), phone: z.boolean() }),
  }),
  /** Extra model turns asking for valid JSON when an answer cannot be parsed. */
  outputRetries: z.number().int().min(0).max(3),
  scan: z.object({
    /** Model calls in flight at once during a scan. */
    concurrency: z.number().int().min(1).max(32),
  }),
  /** Related records from the search index added to persona prompts (when the workspace has an index). */
  grounding: z.object({ enabled: z.boolean(), k: z.number().int().min(1).max(10), charBudget: z.number().int().min(200).max(8_000) }),
  scheduler: z.object({
    enabled: z.boolean(),
    /** Cap on insights one scheduled scan creates. */
    maxInsightsPerRun: z.number().int().min(1).max(10_000),
    /** Tokens scheduled work may use per UTC day, across workspaces; 0 means no limit. */
    dailyTokenBudget: z.number().int().min(0),
  }),
  /**
   * The `event` trigger: after a CSV import (or a write by the copilot or a voice command), the personas listed here
   * analyse the new or changed records of their entity. Off for every persona by default; at most `maxPerHour`
   * analyses per persona and workspace, inside the scheduler's daily token budget.
   */
  events: z.object({ personas: z.array(z.string().min(1).max(100)).max(50), maxPerHour: z.number().int().min(1).max(1_000) }),
  /** Desktop notifications for new insights: off, critical only, or high and critical. */
  notifications: z.object({ minSeverity: z.enum(NOTIFY_LEVELS) }),
});
export type EngineSettings = z.infer<typeof engineSettings>;

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  aiEnabled: true,
  redaction: { enabled: true, kinds: { email: true, card: true, national_id: true, ip: true, phone: true } },
  outputRetries: 1,
  scan: { concurrency: 4 },
  grounding: { enabled: true, k: 4, charBudget: 2_000 },
  scheduler: { enabled: true, maxInsightsPerRun: 50, dailyTokenBudget: 500_000 },
  events: { personas: [], maxPerHour: 20 },
  notifications: { minSeverity: 'critical' },
};

/** A partial update: nested objects merge, so { redaction: { kinds: { ip: false } } } changes one switch. */
export const engineSettingsPatch = z.object({
  aiEnabled: z.boolean().optional(),
  redaction: z
    .object({
      enabled: z.boolean().optional(),
      kinds: z.object({ email: z.boolean(), card: z.boolean(), national_id: z.boolean(), ip: z.boolean(), phone: z.boolean() }).partial().optional(),
    })
    .optional(),
  outputRetries: z.number().int().min(0).max(3).optional(),
  scan: z.object({ concurrency: z.number().int().min(1).max(32) }).partial().optional(),
  grounding: z.object({ enabled: z.boolean(), k: z.number().int().min(1).max(10), charBudget: z.number().int().min(200).max(8_000) }).partial().optional(),
  scheduler: z.object({ enabled: z.boolean(), maxInsightsPerRun: z.number().int().min(1).max(10_000), dailyTokenBudget: z.number().int().min(0) }).partial().optional(),
  /** `personas` replaces the whole list of personas that analyse changed records. */
  events: z.object({ personas: z.array(z.string().min(1).max(100)).max(50), maxPerHour: z.number().int().min(1).max(1_000) }).partial().optional(),
  notifications: z.object({ minSeverity: z.enum(NOTIFY_LEVELS) }).partial().optional(),
});

export const personaInfo = z.object({
  key: z.string(),
  name: z.string(),
  domain: z.string(),
  description: z.string(),
  version: z.string(),
  entityType: z.string(),
  enabled: z.boolean(),
  settingsFlag: z.string(),
  schedule: z.string(),
  ttlHours: z.number(),
  /** The persona's own output fields with their descriptions, for rendering any persona's insight generically. */
  fields: z.array(z.object({ name: z.string(), description: z.string() })),
  /** JSON Schema of the whole output (common fields included). */
  outputSchema: z.record(z.string(), z.unknown()),
  defaultPolicy: z.object({ temperature: z.number(), maxTokens: z.number().int(), timeoutMs: z.number().int() }),
});
export type PersonaInfo = z.infer<typeof personaInfo>;

export const SCHEDULE_KINDS = ['persona_scan', 'expiry_sweep', 'coaching_refresh', 'detectors', 'workspace_backup'] as const;

export const scheduleInfo = z.object({
  id: z.string(),
  workspace: z.string(),
  kind: z.enum(SCHEDULE_KINDS),
  /** Persona key for persona scans. */
  target: z.string().nullable(),
  cron: z.string(),
  enabled: z.boolean(),
  nextRunAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  lastStatus: z.string().nullable(),
  lastJobId: z.string().nullable(),
  lastError: z.string().nullable(),
  running: z.boolean(),
});
export type ScheduleInfo = z.infer<typeof scheduleInfo>;

export const engineRoutes = {
  'personas.list': defineRoute({
    summary: 'The AI personas, with their output fields, schedules and whether each is switched on',
    role: 'member',
    input: z.object({}).default({}),
    output: z.object({ personas: z.array(personaInfo) }),
  }),
  'personas.setEnabled': defineRoute({
    summary: 'Switch a persona on or off',
    role: 'admin',
    input: z.object({ persona: z.string().min(1), enabled: z.boolean() }),
    output: personaInfo,
  }),
  'engine.settings': defineRoute({
    summary: 'Engine settings: AI switch, PII redaction, scan concurrency, scheduler limits',
    role: 'member',
    input: z.object({}).default({}),
    output: engineSettings,
  }),
  'engine.configure': defineRoute({
    summary: 'Change engine settings (partial update)',
    role: 'admin',
    input: engineSettingsPatch,
    output: engineSettings,
  }),
  'schedule.list': defineRoute({
    summary: 'Scheduled engine tasks with their next and last runs',
    role: 'member',
    input: z.object({ workspace: workspaceName.optional() }).default({}),
    output: z.object({ schedules: z.array(scheduleInfo) }),
  }),
  'schedule.runDue': defineRoute({
    summary: 'Start every scheduled task that is due now (missed runs included)',
    role: 'member',
    input: z.object({ workspace: workspaceName.optional() }).default({}),
    output: z.object({
      started: z.array(z.object({ scheduleId: z.string(), jobId: id })),
      skipped: z.array(z.object({ scheduleId: z.string(), reason: z.string() })),
    }),
  }),
  'schedule.setEnabled': defineRoute({
    summary: 'Switch a scheduled task on or off',
    role: 'admin',
    input: z.object({ id: z.string().min(1), enabled: z.boolean() }),
    output: scheduleInfo,
  }),
} as const;
