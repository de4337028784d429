import { z } from 'zod';
import { AppError } from '@shared/errors';
import type { ScheduleInfo } from '@shared/contract';
import { getPersona, PERSONAS } from '../../personas/registry';
import { defineAction } from '../common';
import type { ActionContext, ActionSpec } from '../types';

const PERSONA_KEYS = PERSONAS.map((p) => p.key) as [string, ...string[]];

/** The persona-scan schedule of this workspace (the scheduler keeps one per persona, on its persona's cron). */
function scanSchedule(ctx: ActionContext, persona: string): ScheduleInfo {
  const hit = ctx.deps.scheduler.list(ctx.workspace.name).find((s) => s.kind === 'persona_scan' && s.target === persona);
  if (!hit) throw new AppError('not_found', `Workspace "${ctx.workspace.name}" has no scan schedule for ${persona}; is the workspace ready?`, { persona });
  return hit;
}

const scheduleScan = defineAction({
  name: 'schedule_scan',
  description: 'Set up (or switch off) the scheduled scan of one analysis persona in this workspace; it runs on the persona’s schedule. Admins only.',
  group: 'admin',
  role: 'admin',
  risk: 'write',
  domain: ['schedules'],
  external: true,
  input: z.object({ persona: z.enum(PERSONA_KEYS).describe('The persona key'), enabled: z.boolean().default(true).describe('false switches the scheduled scan off') }),
  preview: async (ctx, a) => {
    const s = scanSchedule(ctx, a.persona);
    const name = getPersona(a.persona).name;
    return {
      summary: `${a.enabled ? 'Schedule' : 'Stop'} the ${name} scan (${s.cron}, UTC)`,
      changes: s.enabled === a.enabled ? [] : [{ entity: 'schedules', id: s.id, op: 'update', title: `${name} scan`, fields: [{ name: 'enabled', before: s.enabled, after: a.enabled }] }],
    };
  },
  execute: async (ctx, a) => {
    const s = ctx.deps.scheduler.setEnabled(scanSchedule(ctx, a.persona).id, a.enabled);
    return { result: { scheduleId: s.id, persona: a.persona, cron: s.cron, enabled: s.enabled, nextRunAt: s.nextRunAt }, touched: [{ entity: 'schedules', id: s.id }] };
  },
});

export const adminActions: readonly ActionSpec[] = [scheduleScan];
