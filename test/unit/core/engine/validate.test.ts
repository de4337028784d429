import { describe, expect, it } from 'vitest';
import { validateOutput } from '../../../../src/main/core/engine/validate';
import { classifySeverity, renderTitle } from '../../../../src/main/core/engine/severity';
import { getPersona } from '../../../../src/main/core/personas/registry';
import { sampleAnswer } from '../../../fixtures/scriptedGateway';

const ticket = getPersona('ticket_analyst');

describe('validating answers against a persona schema', () => {
  it('coerces safe types: numbers in strings, enum case and spacing, percentages, single values for lists', () => {
    const raw = {
      ...sampleAnswer(ticket, 1),
      priority_score: '87',
      sentiment: 'Very Negative',
      escalation_risk: 'HIGH',
      confidence: '85%',
      recommendations: { action: 'Call the customer', rationale: 'They threatened to escalate' },
      factors: [{ direction: '-', text: 'SLA breached', evidence: [{ entityType: 'ticket', entityId: '1' }] }],
    };
    const v = validateOutput(ticket, raw);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value).toMatchObject({
      priority_score: 87,
      sentiment: 'very_negative',
      escalation_risk: 'high',
      confidence: 0.85,
      recommendations: [{ action: 'Call the customer', rationale: 'They threatened to escalate' }],
      factors: [{ evidence: [{ entityType: 'tickets', entityId: 1 }] }],
    });
    expect(v.defaulted).toEqual([]);
    expect(v.warnings.join(' ')).toMatch(/single value was turned into a list/);
  });

  it('clamps out-of-range numbers and reads a 0–100 confidence as a percentage', () => {
    const v = validateOutput(ticket, { ...sampleAnswer(ticket, 1), priority_score: 140, confidence: 70 });
    expect(v.ok && v.value.priority_score).toBe(100);
    expect(v.ok && v.value.confidence).toBe(0.7);
  });

  it('fills a missing required field with its default and flags it', () => {
    const { sla_risk: _s, root_cause_hypothesis: _r, ...rest } = sampleAnswer(ticket, 1);
    const v = validateOutput(ticket, rest);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.sla_risk).toBe('medium');
    expect(v.value.root_cause_hypothesis).toBe('');
    expect(v.defaulted.sort()).toEqual(['root_cause_hypothesis', 'sla_risk']);
  });

  it('treats a value outside an enum as missing', () => {
    const v = validateOutput(ticket, { ...sampleAnswer(ticket, 1), sentiment: 'furious' });
    expect(v.ok && v.value.sentiment).toBe('neutral');
    expect(v.ok && v.defaulted).toEqual(['sentiment']);
  });

  it('rejects an answer that ignores the format', () => {
    const v = validateOutput(ticket, { answer: 'The ticket is urgent.' });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problem).toMatch(/does not follow the output format/);
  });

  it('classifies severity by the highest matching rule and fills the title', () => {
    const base = validateOutput(ticket, { ...sampleAnswer(ticket, 1), priority_score: 50, sla_risk: 'low', escalation_risk: 'low', sentiment: 'neutral' });
    expect(base.ok).toBe(true);
    if (!base.ok) return;
    expect(classifySeverity(ticket.severity, base.value)).toBe('medium');
    expect(classifySeverity(ticket.severity, { ...base.value, escalation_risk: 'high' })).toBe('high');
    expect(classifySeverity(ticket.severity, { ...base.value, escalation_risk: 'high', sla_risk: 'breached' })).toBe('critical');
    expect(classifySeverity(ticket.severity, { ...base.value, priority_score: 10 })).toBe('low');
    expect(renderTitle(ticket.title, { ...base.value, entityTitle: 'TCK-000001', category: 'outage' })).toBe('TCK-000001: outage, priority 50, SLA risk low');
  });

  it('reads dotted fields in rules and titles', () => {
    const campaign = getPersona('campaign_optimizer');
    const v = validateOutput(campaign, { ...sampleAnswer(campaign, 1), performance: 'on_track', budget_reallocation: { action: 'pause', change_pct: -100, reason: 'no conversions' } });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(classifySeverity(campaign.severity, v.value)).toBe('high');
    expect(renderTitle(campaign.title, { ...v.value, entityTitle: 'Spring promo' })).toBe('Spring promo: on track, budget pause');
  });
});
