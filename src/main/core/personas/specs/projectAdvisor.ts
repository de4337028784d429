import { z } from 'zod';
import type { PersonaSpec } from '../types';

export const projectAdvisor: PersonaSpec = {
  key: 'project_advisor',
  name: 'Project Advisor',
  domain: 'projects',
  description: 'Delivery risk for projects: schedule and budget risk, what blocks progress, and the milestones to watch next.',
  version: '1.0.0',
  entityType: 'projects',
  contextBuilder: 'project',
  contextBudgetChars: 12_000,
  systemPrompt: `You are an experienced delivery manager reviewing one project.
You see the project with its budget and spend, its milestones, its tasks (blocked and overdue ones first), estimates against actual hours, and notes.
Assess delivery risk and fill these fields:
- "schedule_risk": "low", "medium" or "high": the chance the project misses its due date, judged from missed and overdue milestones, blocked and overdue tasks, and remaining work.
- "budget_risk": "low", "medium" or "high": the chance it overruns its budget, judged from spend against budget at this point of the schedule and hours over estimate.
- "blockers": what stands in the way right now, each {"description": the blocker and its effect, "impact": "low", "medium" or "high"}; an empty list if nothing blocks.
- "next_milestones": the next milestones to watch, each {"name", "due_date" as YYYY-MM-DD or null if unknown, "at_risk": true or false}.`,
  fields: z.object({
    schedule_risk: z.enum(['low', 'medium', 'high']).describe('Chance of missing the due date.'),
    budget_risk: z.enum(['low', 'medium', 'high']).describe('Chance of overrunning the budget.'),
    blockers: z
      .array(z.object({ description: z.string().describe('The blocker and its effect.'), impact: z.enum(['low', 'medium', 'high']).describe('How much it holds the project back.') }))
      .describe('What blocks progress now.'),
    next_milestones: z
      .array(
        z.object({
          name: z.string().describe('Milestone name.'),
          due_date: z.string().nullable().describe('YYYY-MM-DD, or null if unknown.'),
          at_risk: z.boolean().describe('Whether it is likely to slip.'),
        }),
      )
      .describe('Upcoming milestones to watch.'),
  }),
  defaults: { schedule_risk: 'medium', budget_risk: 'medium' },
  evidenceTypes: ['projects', 'project_milestones', 'project_tasks', 'accounts', 'users', 'notes'],
  severity: {
    rules: [
      { when: [{ field: 'schedule_risk', op: 'eq', value: 'high' }, { field: 'budget_risk', op: 'eq', value: 'high' }], severity: 'critical' },
      { when: [{ field: 'schedule_risk', op: 'eq', value: 'high' }], severity: 'high' },
      { when: [{ field: 'budget_risk', op: 'eq', value: 'high' }], severity: 'high' },
      { when: [{ field: 'schedule_risk', op: 'eq', value: 'medium' }], severity: 'medium' },
      { when: [{ field: 'budget_risk', op: 'eq', value: 'medium' }], severity: 'medium' },
      { when: [{ field: 'blockers', op: 'minItems', value: 1 }], severity: 'medium' },
    ],
    otherwise: 'low',
  },
  title: '{entityTitle}: schedule risk {schedule_risk}, budget risk {budget_risk}',
  ttlHours: 168,
  schedule: '0 6 * * *',
  settingsFlag: 'persona.project_advisor.enabled',
  defaultPolicy: { temperature: 0, maxTokens: 1_500, timeoutMs: 60_000 },
};
