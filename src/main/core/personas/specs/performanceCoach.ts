import { z } from 'zod';
import type { PersonaSpec } from '../types';

export const performanceCoach: PersonaSpec = {
  key: 'performance_coach',
  name: 'Performance Coach',
  domain: 'performance',
  description: 'Support agent coaching: strengths, areas to improve against team averages, and a concrete coaching plan.',
  version: '1.0.0',
  entityType: 'agents',
  contextBuilder: 'agent',
  contextBudgetChars: 10_000,
  systemPrompt: `You are a support team coach reviewing one agent's performance.
You see weekly figures for tickets handled, handle time, first response time, CSAT and QA score next to the team's averages, past reviews, and the agent's recent low-rated tickets.
Be fair and specific, and fill these fields:
- "performance_level": "exceeding", "meeting", "below" or "at_risk" against the team averages and the agent's own trend.
- "strengths": what the agent does well, each a short sentence backed by a figure.
- "improvement_areas": where to improve, each {"area": the skill or metric, "detail": the gap with figures and a target}.
- "coaching_plan": a short plan, each step {"week": week number from 1, "focus": the theme, "activity": what the agent and coach will do}.`,
  fields: z.object({
    performance_level: z.enum(['exceeding', 'meeting', 'below', 'at_risk']).describe('Against team averages and own trend.'),
    strengths: z.array(z.string()).describe('What the agent does well.'),
    improvement_areas: z
      .array(z.object({ area: z.string().describe('Skill or metric.'), detail: z.string().describe('Gap with figures and a target.') }))
      .describe('Where to improve.'),
    coaching_plan: z
      .array(
        z.object({
          week: z.number().int().min(1).max(52).describe('Week number from 1.'),
          focus: z.string().describe('Theme.'),
          activity: z.string().describe('What agent and coach do.'),
        }),
      )
      .describe('A short coaching plan.'),
  }),
  defaults: { performance_level: 'meeting' },
  evidenceTypes: ['agents', 'agent_metrics_daily', 'agent_reviews', 'tickets'],
  severity: {
    rules: [
      { when: [{ field: 'performance_level', op: 'eq', value: 'at_risk' }], severity: 'high' },
      { when: [{ field: 'performance_level', op: 'eq', value: 'below' }], severity: 'medium' },
      { when: [{ field: 'performance_level', op: 'eq', value: 'exceeding' }], severity: 'info' },
    ],
    otherwise: 'low',
  },
  title: '{entityTitle}: {performance_level}',
  ttlHours: 336,
  schedule: '0 8 * * 1',
  settingsFlag: 'persona.performance_coach.enabled',
  defaultPolicy: { temperature: 0, maxTokens: 1_500, timeoutMs: 60_000 },
};
