import { z } from 'zod';
import type { PersonaSpec } from '../types';

export const campaignOptimizer: PersonaSpec = {
  key: 'campaign_optimizer',
  name: 'Campaign Optimizer',
  domain: 'marketing',
  description: 'Marketing campaign performance against channel benchmarks, with budget, audience and creative recommendations.',
  version: '1.0.0',
  entityType: 'campaigns',
  contextBuilder: 'campaign',
  contextBudgetChars: 10_000,
  systemPrompt: `You are a performance marketing lead reviewing one campaign.
You see the campaign's setup, its totals and daily metrics (impressions, clicks, conversions, spend, revenue), and benchmarks: the averages of the workspace's other campaigns on the same channel.
Judge it and fill these fields:
- "performance": overall verdict against the benchmarks: "strong", "on_track", "underperforming" or "failing".
- "kpis": the key metrics against benchmark, each {"name" (for example CTR, conversion rate, CPA, ROAS), "value", "benchmark", "unit" (for example %, USD, x), "status": "above", "at" or "below" benchmark in the good direction}.
- "budget_reallocation": {"action": "increase", "decrease", "keep" or "pause", "change_pct": the suggested budget change in percent (0 for keep, -100 for pause), "reason"}.
- "audience_suggestions": concrete changes to targeting or segments, as a list of short sentences.
- "creative_suggestions": concrete changes to ads, subject lines or landing pages, as a list of short sentences.`,
  fields: z.object({
    performance: z.enum(['strong', 'on_track', 'underperforming', 'failing']).describe('Overall verdict against the benchmarks.'),
    kpis: z
      .array(
        z.object({
          name: z.string().describe('Metric name.'),
          value: z.number().describe('This campaign.'),
          benchmark: z.number().describe('Channel average.'),
          unit: z.string().describe('%, USD, x, …'),
          status: z.enum(['above', 'at', 'below']).describe('Against benchmark, in the good direction.'),
        }),
      )
      .describe('Key metrics against benchmark.'),
    budget_reallocation: z
      .object({
        action: z.enum(['increase', 'decrease', 'keep', 'pause']).describe('What to do with the budget.'),
        change_pct: z.number().min(-100).max(500).describe('Suggested change in percent.'),
        reason: z.string().describe('Why.'),
      })
      .describe('Budget recommendation.'),
    audience_suggestions: z.array(z.string()).describe('Targeting changes.'),
    creative_suggestions: z.array(z.string()).describe('Creative changes.'),
  }),
  defaults: { performance: 'on_track', budget_reallocation: { action: 'keep', change_pct: 0, reason: '' } },
  evidenceTypes: ['campaigns', 'campaign_metrics_daily', 'users'],
  severity: {
    rules: [
      { when: [{ field: 'performance', op: 'eq', value: 'failing' }], severity: 'high' },
      { when: [{ field: 'budget_reallocation.action', op: 'eq', value: 'pause' }], severity: 'high' },
      { when: [{ field: 'performance', op: 'eq', value: 'underperforming' }], severity: 'medium' },
      { when: [{ field: 'performance', op: 'eq', value: 'strong' }], severity: 'info' },
    ],
    otherwise: 'low',
  },
  title: '{entityTitle}: {performance}, budget {budget_reallocation.action}',
  ttlHours: 72,
  schedule: '30 6 * * *',
  settingsFlag: 'persona.campaign_optimizer.enabled',
  defaultPolicy: { temperature: 0, maxTokens: 1_500, timeoutMs: 60_000 },
};
