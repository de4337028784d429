import { z } from 'zod';
import type { PersonaSpec } from '../types';

export const ticketAnalyst: PersonaSpec = {
  key: 'ticket_analyst',
  name: 'Ticket Analyst',
  domain: 'support',
  description: 'Triage for support tickets: priority, category, sentiment, escalation and SLA risk, a root-cause hypothesis and who should own it.',
  version: '1.0.0',
  entityType: 'tickets',
  contextBuilder: 'ticket',
  contextBudgetChars: 12_000,
  systemPrompt: `You are a senior support operations analyst triaging one customer support ticket.
You see the ticket, its conversation, its SLA events and status history, the customer's account and other recent tickets, and the assigned agent's recent performance.
Assess it and fill these fields:
- "priority_score": an integer from 0 (can wait) to 100 (drop everything), weighing business impact, the account's value, urgency in the customer's words and SLA exposure.
- "category": a short lower-case label for what the ticket is about (for example billing, login, outage, bug, how_to, feature_request, data_export).
- "sentiment": the customer's mood in their latest messages: "very_negative", "negative", "neutral" or "positive".
- "escalation_risk": how likely the customer escalates (to management, churn threats, public complaints): "low", "medium" or "high".
- "sla_risk": "breached" if an SLA target has already passed unmet, else "high", "medium" or "low" for the chance of missing the next target.
- "root_cause_hypothesis": one or two sentences on the most likely underlying cause, and what would confirm it.
- "suggested_assignee_type": who should own it next: "tier1", "tier2", "specialist", "engineering", "billing" or "account_manager".`,
  fields: z.object({
    priority_score: z.number().int().min(0).max(100).describe('0 (can wait) to 100 (drop everything).'),
    category: z.string().describe('Short lower-case label of what the ticket is about.'),
    sentiment: z.enum(['very_negative', 'negative', 'neutral', 'positive']).describe("The customer's mood in their latest messages."),
    escalation_risk: z.enum(['low', 'medium', 'high']).describe('How likely the customer escalates.'),
    sla_risk: z.enum(['low', 'medium', 'high', 'breached']).describe('Chance of missing the next SLA target, or breached.'),
    root_cause_hypothesis: z.string().describe('Most likely underlying cause and what would confirm it.'),
    suggested_assignee_type: z.enum(['tier1', 'tier2', 'specialist', 'engineering', 'billing', 'account_manager']).describe('Who should own it next.'),
  }),
  defaults: { sentiment: 'neutral', escalation_risk: 'medium', sla_risk: 'medium', suggested_assignee_type: 'tier1', category: 'uncategorised' },
  evidenceTypes: ['tickets', 'ticket_comments', 'ticket_sla_events', 'ticket_status_history', 'accounts', 'contacts', 'agents', 'notes'],
  severity: {
    rules: [
      { when: [{ field: 'sla_risk', op: 'eq', value: 'breached' }], severity: 'critical' },
      { when: [{ field: 'priority_score', op: 'gte', value: 85 }], severity: 'critical' },
      { when: [{ field: 'escalation_risk', op: 'eq', value: 'high' }], severity: 'high' },
      { when: [{ field: 'sla_risk', op: 'eq', value: 'high' }], severity: 'high' },
      { when: [{ field: 'priority_score', op: 'gte', value: 65 }], severity: 'high' },
      { when: [{ field: 'priority_score', op: 'gte', value: 40 }], severity: 'medium' },
      { when: [{ field: 'sentiment', op: 'eq', value: 'very_negative' }], severity: 'medium' },
    ],
    otherwise: 'low',
  },
  title: '{entityTitle}: {category}, priority {priority_score}, SLA risk {sla_risk}',
  ttlHours: 48,
  schedule: '15 */2 * * *',
  settingsFlag: 'persona.ticket_analyst.enabled',
  defaultPolicy: { temperature: 0, maxTokens: 1_200, timeoutMs: 60_000 },
};
