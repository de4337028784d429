import { afterEach, describe, expect, it } from 'vitest';
import { InsightEngine } from '../../../../src/main/core/engine/engine';
import { PERSONAS, getPersona } from '../../../../src/main/core/personas/registry';
import { AppError } from '../../../../src/shared/errors';
import { finish, makeEngineCore, validScript, type EngineTestCore } from '../../../fixtures/engineCore';
import { SEED_PII } from '../../../fixtures/engineSeed';
import { entityIdOf, sampleAnswer } from '../../../fixtures/scriptedGateway';

const ticket = getPersona('ticket_analyst');

async function analyze(t: EngineTestCore, persona: string, entityId: number) {
  const { jobId } = await t.core.call('insights.analyze', { workspace: t.workspace, persona, entityId });
  const job = await finish(t, jobId);
  expect(job.status).toBe('completed');
  const result = job.result as { insightId: string };
  return t.core.call('insights.get', { workspace: t.workspace, id: result.insightId });
}

describe('engine pipeline', () => {
  let t: EngineTestCore;
  afterEach(() => t.cleanup());

  it.each(PERSONAS.map((p) => [p.key]))('%s runs end to end on the seeded workspace', async (key) => {
    t = await makeEngineCore((meta, req) => ({ text: JSON.stringify(sampleAnswer(getPersona(key), entityIdOf(req))), fallbackUsed: true, endpoint: 'backup', model: 'backup-model' }));
    const spec = getPersona(key);
    const insight = await analyze(t, key, 1);
    const profile = t.core.activeProfile();
    expect(insight).toMatchObject({
      type: 'persona',
      personaKey: key,
      personaVersion: spec.version,
      domain: spec.domain,
      entityType: spec.entityType,
      entityId: 1,
      status: 'completed',
      trigger: 'on_demand',
      actor: profile.id,
      provider: 'openai-compatible',
      model: 'backup-model',
      endpoint: 'backup',
      fallbackUsed: true,
      tokensIn: 500,
      tokensOut: 150,
      costUsd: 0.0012,
      confidence: 0.8,
      defaultedFields: [],
      errorCode: null,
    });
    expect(insight.promptVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(insight.title.length).toBeGreaterThan(5);
    expect(insight.title).not.toContain('{');
    expect(insight.severity).not.toBeNull();
    expect(insight.factors[0]!.evidence).toEqual([{ entityType: spec.entityType, entityId: 1 }]);
    expect(Object.keys(insight.fields).sort()).toEqual(Object.keys(spec.fields.shape).sort());
    expect(insight.expiresAt! > insight.createdAt).toBe(true);
    expect(insight.history.map((h) => h.action)).toContain('insight.completed');
    const call = t.gateway.calls[0]!;
    expect(call.meta).toMatchObject({ workspace: 'w', useCase: `persona.${key}`, profileId: profile.id });
    expect(call.req.responseSchema?.name).toBe(key);
    expect(call.req.messages[0]!.content).toContain(spec.systemPrompt);
    // Parameters are the gateway policy's business (persona.<key>), not overridden per request.
    expect(call.req.temperature).toBeUndefined();
    expect(call.req.maxTokens).toBeUndefined();
  });

  it('redacts PII from what is sent and records counts, never values, in the audit trail', async () => {
    t = await makeEngineCore();
    const insight = await analyze(t, 'ticket_analyst', 1);
    const sent = JSON.stringify(t.gateway.calls[0]!.req.messages);
    for (const v of Object.values(SEED_PII)) expect(sent).not.toContain(v);
    expect(insight.redactions).toEqual({ email: 1, card: 1, national_id: 1, ip: 1, phone: 2 });
    const line = insight.history.find((h) => h.action === 'context.redacted')!;
    expect(line.details).toEqual({ counts: { email: 1, card: 1, national_id: 1, ip: 1, phone: 2 } });
    const audit = JSON.stringify(t.core.services.workspaces.open('w').prepare('SELECT * FROM engine_audit').all());
    for (const v of Object.values(SEED_PII)) expect(audit).not.toContain(v);
  });

  it('classifies severity from the answer and renders the title', async () => {
    t = await makeEngineCore((_m, req) => ({ text: JSON.stringify(sampleAnswer(ticket, entityIdOf(req), { priority_score: 70, sla_risk: 'breached', category: 'outage' })) }));
    const insight = await analyze(t, 'ticket_analyst', 1);
    expect(insight.severity).toBe('critical');
    expect(insight.title).toBe('TCK-000001: outage, priority 70, SLA risk breached');
  });

  describe('malformed answers', () => {
    const wrap = (f: (json: string) => string) => (_m: unknown, req: Parameters<typeof entityIdOf>[0]) => ({ text: f(JSON.stringify(sampleAnswer(ticket, entityIdOf(req)))) });

    it('reads fenced JSON and JSON followed by prose', async () => {
      t = await makeEngineCore(wrap((j) => `Here you go:\n\`\`\`json\n${j}\n\`\`\``));
      expect((await analyze(t, 'ticket_analyst', 1)).status).toBe('completed');
      t.gateway.script = wrap((j) => `${j}\n\nLet me know if you need anything else!`);
      const second = await analyze(t, 'ticket_analyst', 3);
      expect(second.status).toBe('completed');
      expect(second.warnings).toEqual([]);
    });

    it('repairs broken JSON and says so', async () => {
      t = await makeEngineCore(wrap((j) => `${j.slice(0, -1)},}`));
      const insight = await analyze(t, 'ticket_analyst', 1);
      expect(insight.status).toBe('completed');
      expect(insight.warnings).toContain('The answer was malformed JSON and was repaired.');
    });

    it('fills missing fields with defaults and flags them', async () => {
      t = await makeEngineCore((_m, req) => {
        const { escalation_risk: _e, suggested_assignee_type: _s, ...rest } = sampleAnswer(ticket, entityIdOf(req));
        return { text: JSON.stringify(rest) };
      });
      const insight = await analyze(t, 'ticket_analyst', 1);
      expect(insight.status).toBe('completed');
      expect(insight.defaultedFields.sort()).toEqual(['escalation_risk', 'suggested_assignee_type']);
      expect(insight.fields).toMatchObject({ escalation_risk: 'medium', suggested_assignee_type: 'tier1' });
    });

    it('coerces wrong but safe types', async () => {
      t = await makeEngineCore((_m, req) => ({ text: JSON.stringify(sampleAnswer(ticket, entityIdOf(req), { priority_score: '91', confidence: '0.7', sentiment: 'Negative' })) }));
      const insight = await analyze(t, 'ticket_analyst', 1);
      expect(insight.fields).toMatchObject({ priority_score: 91, sentiment: 'negative' });
      expect(insight.confidence).toBe(0.7);
    });

    it('asks again once when the answer is not JSON at all, then fails with invalid_output', async () => {
      t = await makeEngineCore(() => ({ text: 'I think this ticket is quite urgent, honestly.' }));
      const insight = await analyze(t, 'ticket_analyst', 1);
      expect(t.gateway.calls).toHaveLength(2);
      expect(t.gateway.calls[1]!.req.messages.at(-1)!.content).toMatch(/could not be used \(it was not JSON\)/);
      expect(insight).toMatchObject({ status: 'failed', errorCode: 'invalid_output', tokensIn: 1000, tokensOut: 300, costUsd: 0.0024 });
      expect(insight.errorMessage).toMatch(/could not be used/);
      expect(insight.summary).toBe('');
      expect(insight.history.map((h) => h.action)).toEqual(['context.redacted', 'insight.failed']);
    });

    it('recovers when the second answer is usable', async () => {
      t = await makeEngineCore((m, req, n) => (n === 0 ? { text: 'Sorry, one moment.' } : validScript(m, req, n)));
      const insight = await analyze(t, 'ticket_analyst', 1);
      expect(insight.status).toBe('completed');
      expect(insight.warnings[0]).toMatch(/first answer was unusable/);
    });

    it('drops evidence that points at records the prompt did not contain, even ones that exist, and counts it on the insight', async () => {
      t = await makeEngineCore((_m, req) => ({
        text: JSON.stringify(
          sampleAnswer(ticket, entityIdOf(req), {
            factors: [
              { direction: '-', text: 'x', evidence: [{ entityType: 'tickets', entityId: 1 }, { entityType: 'tickets', entityId: 424242 }, { entityType: 'tickets', entityId: 3 }] },
              { direction: '+', text: 'y', evidence: [{ entityType: 'tickets', entityId: 1 }, { entityType: 'tickets', entityId: 1 }] },
            ],
          }),
        ),
      }));
      const insight = await analyze(t, 'ticket_analyst', 1);
      const prompt = t.gateway.calls[0]!.req.messages.map((m) => m.content).join('\n');
      // Ticket 3 exists in the workspace, but the prompt about ticket 1 never showed it: the model invented the link.
      expect(t.core.services.workspaces.open('w').prepare('SELECT count(*) FROM tickets WHERE id = 3').pluck().get()).toBe(1);
      expect(prompt).toContain('[tickets#1]');
      expect(prompt).not.toContain('[tickets#3]');
      expect(insight.factors.map((f) => f.evidence)).toEqual([[{ entityType: 'tickets', entityId: 1 }], [{ entityType: 'tickets', entityId: 1 }]]);
      expect(insight.evidenceDropped).toBe(2);
      expect(insight.warnings.join(' ')).toMatch(/2 evidence reference\(s\) to records the prompt did not contain were dropped/);
      expect(insight.history.find((h) => h.action === 'insight.completed')!.details).toMatchObject({ evidenceDropped: 2 });
    });

    it('an answer whose evidence is all shown drops nothing', async () => {
      t = await makeEngineCore();
      const insight = await analyze(t, 'ticket_analyst', 1);
      expect(insight.evidenceDropped).toBe(0);
      expect(insight.factors[0]!.evidence).toEqual([{ entityType: 'tickets', entityId: 1 }]);
    });
  });

  it('a budget refusal from the gateway becomes a failed insight with nothing half-written', async () => {
    t = await makeEngineCore(() => ({ error: new AppError('budget_exceeded', 'The monthly budget for persona.ticket_analyst is used up.') }));
    const insight = await analyze(t, 'ticket_analyst', 1);
    expect(insight).toMatchObject({ status: 'failed', errorCode: 'budget_exceeded', severity: null, summary: '', recommendations: [], factors: [], fields: {}, tokensIn: 0, costUsd: 0 });
    expect(insight.errorMessage).toMatch(/monthly budget/);
    expect(insight.history.at(-1)).toMatchObject({ action: 'insight.failed', details: { code: 'budget_exceeded' } });
  });

  it('gates: with AI off or the persona off nothing runs and nothing is written', async () => {
    t = await makeEngineCore();
    await t.core.call('engine.configure', { aiEnabled: false });
    // The message names the place that exists (Configuration → Personas & Engine, its "AI analysis" switch) and a CLI call that works.
    await expect(t.core.call('insights.analyze', { workspace: 'w', persona: 'ticket_analyst', entityId: 1 })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/switched off\. Turn it on under Configuration → Personas & Engine \(the “AI analysis” switch\), or run: intelligence-desk call engine\.configure '\{"aiEnabled":true\}'/),
    });
    await t.core.call('engine.configure', { aiEnabled: true });
    await t.core.call('personas.setEnabled', { persona: 'ticket_analyst', enabled: false });
    await expect(t.core.call('insights.analyze', { workspace: 'w', persona: 'ticket_analyst', entityId: 1 })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/Ticket Analyst persona is switched off/) });
    expect((await t.core.call('personas.list', {})).personas.find((p) => p.key === 'ticket_analyst')?.enabled).toBe(false);
    expect((await t.core.call('insights.list', { workspace: 'w' })).total).toBe(0);
    expect(t.gateway.calls).toHaveLength(0);
  });

  it('rejects unknown personas and records that do not exist before starting a job', async () => {
    t = await makeEngineCore();
    await expect(t.core.call('insights.analyze', { workspace: 'w', persona: 'nobody', entityId: 1 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.core.call('insights.analyze', { workspace: 'w', persona: 'ticket_analyst', entityId: 999 })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/no record 999/) });
  });

  it('emits insights.changed when an insight is created', async () => {
    t = await makeEngineCore();
    const seen: unknown[] = [];
    t.core.events.on('insights.changed', (e) => seen.push(e));
    const insight = await analyze(t, 'customer_success', 1);
    expect(seen).toContainEqual({ workspace: 'w', reason: 'created', ids: [insight.id], count: 1 });
  });
});

describe('grounding with related records', () => {
  let t: EngineTestCore;
  afterEach(() => t.cleanup());

  it('adds redacted related records to the prompt, lets the model cite them, and keeps them out of the hash', async () => {
    t = await makeEngineCore((_m, req) => ({
      text: JSON.stringify(sampleAnswer(ticket, entityIdOf(req), { factors: [{ direction: '-', text: 'Same outage as before', evidence: [{ entityType: 'tickets', entityId: 2 }] }] })),
    }));
    const s = t.core.services;
    const requests: unknown[] = [];
    const grounding = {
      related: async (workspace: string, req: { entityType: string; entityId: number; k: number; charBudget: number }) => {
        requests.push({ workspace, ...req });
        return {
          available: true,
          reason: null,
          snippets: [
            { entityType: 'tickets', entityId: 1, title: 'itself', text: 'must be skipped' },
            { entityType: 'tickets', entityId: 2, title: 'Invoice question', text: 'Customer wrote from billing@acme.example about a double charge.' },
          ],
        };
      },
    };
    const engine = new InsightEngine({ workspaces: s.workspaces, settings: s.engineSettings, gateway: s.engineGateway, grounding: () => grounding, events: s.events, logger: s.logger, now: s.now });
    const out = await engine.analyze('w', 'ticket_analyst', 1, { trigger: 'on_demand', actor: null });
    expect(out.status).toBe('completed');
    expect(requests).toEqual([{ workspace: 'w', entityType: 'tickets', entityId: 1, k: 4, charBudget: 2_000 }]);
    const user = t.gateway.calls[0]!.req.messages[1]!.content;
    expect(user).toContain('<related>\n[tickets#2] Invoice question: Customer wrote from [R_EMAIL_1] about a double charge.\n</related>');
    expect(user).not.toContain('must be skipped');
    const insight = await t.core.call('insights.get', { workspace: 'w', id: out.insightId! });
    expect(insight.factors[0]!.evidence).toEqual([{ entityType: 'tickets', entityId: 2 }]);
    expect(insight.redactions!.email).toBe(2);
    const plain = await analyzeFresh(t, 1);
    expect(plain.contextHash).toBe(insight.contextHash);
  });

  it('a failing index lookup becomes a warning, not a failed analysis', async () => {
    t = await makeEngineCore();
    const s = t.core.services;
    const engine = new InsightEngine({ workspaces: s.workspaces, settings: s.engineSettings, gateway: s.engineGateway, grounding: () => ({ related: async () => Promise.reject(new Error('index corrupt')) }), events: s.events, logger: s.logger, now: s.now });
    const out = await engine.analyze('w', 'ticket_analyst', 1, { trigger: 'on_demand', actor: null });
    const insight = await t.core.call('insights.get', { workspace: 'w', id: out.insightId! });
    expect(insight.status).toBe('completed');
    expect(insight.warnings[0]).toMatch(/search index could not be added/);
  });
});

async function analyzeFresh(t: EngineTestCore, entityId: number) {
  const { jobId } = await t.core.call('insights.analyze', { workspace: t.workspace, persona: 'ticket_analyst', entityId });
  const job = await finish(t, jobId);
  return t.core.call('insights.get', { workspace: t.workspace, id: (job.result as { insightId: string }).insightId });
}
