import { z } from 'zod';
import type { PersonaSpec } from '../types';

export const dispatchPlanner: PersonaSpec = {
  key: 'dispatch_planner',
  name: 'Dispatch Planner',
  domain: 'dispatch',
  description: 'Field-service jobs: schedule conflicts, which technician and route fit best, and SLA risk.',
  version: '1.0.0',
  entityType: 'dispatch_jobs',
  contextBuilder: 'dispatch',
  contextBudgetChars: 10_000,
  systemPrompt: `You are a field-service dispatcher planning one job.
You see the job (type, priority, customer window, scheduled times, SLA due time), its location and account, the assigned technician with their other jobs that day, and other active technicians in the region with their skills and load.
Plan it and fill these fields:
- "schedule_conflicts": problems with the current plan, each {"description": what clashes (overlapping jobs, outside the customer window, missing skill, no technician), "conflicting_job_id": id of the other dispatch job involved or null}; an empty list if the plan holds.
- "assignment_suggestions": technicians who fit best, best first, each {"technician_id": their id or null, "technician_name", "reason": skills, region and free time that make them fit}.
- "route_suggestion": one or two sentences on when to go and how to sequence it with the technician's other jobs that day.
- "sla_risk": "breached" if the SLA due time has already passed unmet, else "high", "medium" or "low".`,
  fields: z.object({
    schedule_conflicts: z
      .array(z.object({ description: z.string().describe('What clashes.'), conflicting_job_id: z.number().int().nullable().describe('The other dispatch job, or null.') }))
      .describe('Problems with the current plan.'),
    assignment_suggestions: z
      .array(
        z.object({
          technician_id: z.number().int().nullable().describe('Technician id, or null.'),
          technician_name: z.string().describe('Technician name.'),
          reason: z.string().describe('Why they fit.'),
        }),
      )
      .describe('Best-fitting technicians, best first.'),
    route_suggestion: z.string().describe('When to go and how to sequence the day.'),
    sla_risk: z.enum(['low', 'medium', 'high', 'breached']).describe('Chance of missing the SLA, or breached.'),
  }),
  defaults: { sla_risk: 'medium' },
  evidenceTypes: ['dispatch_jobs', 'technicians', 'locations', 'accounts'],
  severity: {
    rules: [
      { when: [{ field: 'sla_risk', op: 'eq', value: 'breached' }], severity: 'critical' },
      { when: [{ field: 'sla_risk', op: 'eq', value: 'high' }], severity: 'high' },
      { when: [{ field: 'schedule_conflicts', op: 'minItems', value: 2 }], severity: 'high' },
      { when: [{ field: 'schedule_conflicts', op: 'minItems', value: 1 }], severity: 'medium' },
      { when: [{ field: 'sla_risk', op: 'eq', value: 'medium' }], severity: 'medium' },
    ],
    otherwise: 'low',
  },
  title: '{entityTitle}: SLA risk {sla_risk}',
  ttlHours: 12,
  schedule: '20 * * * *',
  settingsFlag: 'persona.dispatch_planner.enabled',
  defaultPolicy: { temperature: 0, maxTokens: 1_200, timeoutMs: 45_000 },
};
