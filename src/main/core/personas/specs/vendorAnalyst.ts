import { z } from 'zod';
import type { PersonaSpec } from '../types';

export const vendorAnalyst: PersonaSpec = {
  key: 'vendor_analyst',
  name: 'Vendor Analyst',
  domain: 'vendors',
  description: 'Supplier performance: on-time delivery, quality trend, a risk tier and levers for the next negotiation.',
  version: '1.0.0',
  entityType: 'vendors',
  contextBuilder: 'vendor',
  contextBudgetChars: 10_000,
  systemPrompt: `You are a procurement analyst reviewing one vendor.
You see the vendor's status, rating and contract end, its purchase orders, delivery records with on-time flags (overall and by month), and quality incidents by severity.
Assess the relationship and fill these fields:
- "on_time_rate": the share of deliveries that arrived on time, from 0 to 1, computed from the delivery records (use the figure given in the context when there is one).
- "quality_trend": "improving", "stable" or "declining", from the timing and severity of quality incidents.
- "risk_tier": "low", "medium", "high" or "critical": the supply risk this vendor poses, weighing delivery, quality, spend concentration and contract timing.
- "negotiation_levers": concrete points to use at the next negotiation or review (for example late-delivery credits, volume, contract renewal timing), as a list of short sentences.`,
  fields: z.object({
    on_time_rate: z.number().min(0).max(1).describe('Share of on-time deliveries, 0 to 1.'),
    quality_trend: z.enum(['improving', 'stable', 'declining']).describe('Direction of quality.'),
    risk_tier: z.enum(['low', 'medium', 'high', 'critical']).describe('Supply risk.'),
    negotiation_levers: z.array(z.string()).describe('Points to use at the next negotiation.'),
  }),
  defaults: { quality_trend: 'stable', risk_tier: 'medium' },
  evidenceTypes: ['vendors', 'purchase_orders', 'deliveries', 'vendor_quality_incidents'],
  severity: {
    rules: [
      { when: [{ field: 'risk_tier', op: 'eq', value: 'critical' }], severity: 'critical' },
      { when: [{ field: 'risk_tier', op: 'eq', value: 'high' }], severity: 'high' },
      { when: [{ field: 'on_time_rate', op: 'lte', value: 0.6 }], severity: 'high' },
      { when: [{ field: 'risk_tier', op: 'eq', value: 'medium' }], severity: 'medium' },
      { when: [{ field: 'quality_trend', op: 'eq', value: 'declining' }], severity: 'medium' },
    ],
    otherwise: 'low',
  },
  title: '{entityTitle}: risk {risk_tier}, quality {quality_trend}',
  ttlHours: 720,
  schedule: '0 7 * * 1',
  settingsFlag: 'persona.vendor_analyst.enabled',
  defaultPolicy: { temperature: 0, maxTokens: 1_200, timeoutMs: 60_000 },
};
