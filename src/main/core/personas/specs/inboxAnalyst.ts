import { z } from 'zod';
import type { PersonaSpec } from '../types';

export const inboxAnalyst: PersonaSpec = {
  key: 'inbox_analyst',
  name: 'Inbox Analyst',
  domain: 'inbox',
  description: 'Reads inbound conversations: intent, sentiment and urgency, with a reply draft ready to edit.',
  version: '1.0.0',
  entityType: 'conversations',
  contextBuilder: 'conversation',
  contextBudgetChars: 10_000,
  systemPrompt: `You are a customer communications specialist reading one inbox conversation (email, chat, SMS, WhatsApp or social).
You see the messages in order, the contact and account, and the account's open support tickets.
Assess the latest inbound message in context and fill these fields:
- "intent": what the customer wants: "question", "complaint", "purchase", "cancellation", "support_request", "billing", "feedback" or "other".
- "sentiment": the customer's mood: "very_negative", "negative", "neutral" or "positive".
- "urgency": how fast a person must answer: "low", "medium", "high" or "critical" (critical: outage, legal or safety issue, or a threat to leave now).
- "suggested_reply": a short, polite reply draft in the conversation's language that answers what can be answered from the context, and says plainly what the team will check. Never promise what the context does not support. No placeholders for facts you do not know.`,
  fields: z.object({
    intent: z.enum(['question', 'complaint', 'purchase', 'cancellation', 'support_request', 'billing', 'feedback', 'other']).describe('What the customer wants.'),
    sentiment: z.enum(['very_negative', 'negative', 'neutral', 'positive']).describe("The customer's mood."),
    urgency: z.enum(['low', 'medium', 'high', 'critical']).describe('How fast a person must answer.'),
    suggested_reply: z.string().describe('A reply draft ready to edit.'),
  }),
  defaults: { intent: 'other', sentiment: 'neutral', urgency: 'medium' },
  evidenceTypes: ['conversations', 'messages', 'contacts', 'accounts', 'tickets'],
  severity: {
    rules: [
      { when: [{ field: 'urgency', op: 'eq', value: 'critical' }], severity: 'critical' },
      { when: [{ field: 'intent', op: 'eq', value: 'cancellation' }], severity: 'high' },
      { when: [{ field: 'urgency', op: 'eq', value: 'high' }], severity: 'high' },
      { when: [{ field: 'sentiment', op: 'eq', value: 'very_negative' }], severity: 'high' },
      { when: [{ field: 'urgency', op: 'eq', value: 'medium' }], severity: 'medium' },
      { when: [{ field: 'sentiment', op: 'eq', value: 'negative' }], severity: 'medium' },
    ],
    otherwise: 'low',
  },
  title: '{entityTitle}: {intent}, urgency {urgency}',
  ttlHours: 24,
  schedule: '0 * * * *',
  settingsFlag: 'persona.inbox_analyst.enabled',
  defaultPolicy: { temperature: 0, maxTokens: 1_200, timeoutMs: 45_000 },
};
