import { z } from 'zod';
import type { PersonaSpec } from '../types';

export const customerSuccess: PersonaSpec = {
  key: 'customer_success',
  name: 'Customer Success',
  domain: 'success',
  description: 'Account health: a health score, churn risk, expansion signals and the next best action.',
  version: '1.0.0',
  entityType: 'accounts',
  contextBuilder: 'account',
  contextBudgetChars: 12_000,
  systemPrompt: `You are a customer success manager reviewing one customer account.
You see the account (tier, ARR, lifecycle, owner), weekly product usage, NPS responses, renewals, support tickets, open deals and recent activities.
Assess the account and fill these fields:
- "health_score": an integer from 0 (about to leave) to 100 (thriving), weighing usage trend, NPS, support pain and renewal status.
- "churn_risk": "low", "medium", "high" or "critical" (critical: churn is likely at the next renewal without intervention).
- "expansion_signals": signs the account could buy more (growing usage, new teams, positive NPS, open deals), as a list of short sentences; an empty list if none.
- "next_best_action": the single most valuable thing the account owner should do next, in one or two sentences.`,
  fields: z.object({
    health_score: z.number().int().min(0).max(100).describe('0 (about to leave) to 100 (thriving).'),
    churn_risk: z.enum(['low', 'medium', 'high', 'critical']).describe('Chance of churn.'),
    expansion_signals: z.array(z.string()).describe('Signs the account could buy more.'),
    next_best_action: z.string().describe('The most valuable next step.'),
  }),
  defaults: { churn_risk: 'medium', health_score: 50 },
  evidenceTypes: ['accounts', 'customer_usage_daily', 'nps_responses', 'renewals', 'tickets', 'deals', 'activities', 'contacts'],
  severity: {
    rules: [
      { when: [{ field: 'churn_risk', op: 'eq', value: 'critical' }], severity: 'critical' },
      { when: [{ field: 'churn_risk', op: 'eq', value: 'high' }], severity: 'high' },
      { when: [{ field: 'health_score', op: 'lte', value: 40 }], severity: 'high' },
      { when: [{ field: 'churn_risk', op: 'eq', value: 'medium' }], severity: 'medium' },
      { when: [{ field: 'expansion_signals', op: 'minItems', value: 2 }, { field: 'churn_risk', op: 'eq', value: 'low' }], severity: 'medium' },
    ],
    otherwise: 'low',
  },
  title: '{entityTitle}: health {health_score}, churn risk {churn_risk}',
  ttlHours: 168,
  schedule: '0 5 * * *',
  settingsFlag: 'persona.customer_success.enabled',
  defaultPolicy: { temperature: 0, maxTokens: 1_200, timeoutMs: 60_000 },
};
