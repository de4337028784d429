import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContext } from '../../../../src/main/core/context/build';
import { DEFAULT_REDACTION, PII_KINDS, emptyCounts, redactPii } from '../../../../src/main/core/context/redact';
import { getContextBuilder } from '../../../../src/main/core/context/registry';
import type { DemoPlant } from '../../../../src/main/core/demo/plants';
import { detectAll, type DetectorFinding } from '../../../../src/main/core/engine/detectors/task';
import { PERSONAS, getPersona } from '../../../../src/main/core/personas/registry';
import { demoWorkspace, makeTestCore, type TestCore } from '../../../fixtures/core';
import { generateDemoDb, plant, type GeneratedDemo } from '../../../fixtures/demoDb';
import { ScriptedGateway, entityIdOf, sampleAnswer } from '../../../fixtures/scriptedGateway';

/** Which detector metric watches each planted metric of the demo generator. */
const METRIC_FOR: Record<string, string[]> = {
  'tickets.daily_count': ['ticket_volume'],
  'tickets.sla_breach_rate': ['sla_breach_rate'],
  'deals.win_rate': ['deal_win_rate'],
  'deals.new_pipeline_per_day': ['new_deals', 'pipeline_value'],
  'campaign_metrics_daily.ctr': ['campaign_ctr'],
  'campaign_metrics_daily.cpa': ['campaign_cpa'],
  'agent_metrics_daily.csat': ['agent_csat'],
  'customer_usage_daily.active_users': ['account_usage'],
  'deliveries.on_time_rate': ['vendor_on_time_rate'],
};

const rising = (kind: string): boolean => kind === 'spike' || kind === 'trend_up';

/** A plant is found when a finding on its metric and record moves the same way during the planted window. */
const matches = (p: DemoPlant, f: DetectorFinding): boolean =>
  METRIC_FOR[p.metric]!.includes(f.metric) && (p.entityId === undefined || f.entityId === p.entityId) && rising(f.kind) === rising(p.kind) && f.end >= p.start && f.start <= p.end;

describe.each([42, 7])('detectors find the anomalies and trends the demo generator plants (scale 3, seed %i)', (seed) => {
  let d: GeneratedDemo;
  let findings: DetectorFinding[];
  beforeAll(async () => {
    d = await generateDemoDb(3, seed);
    findings = detectAll(d.db).findings;
  });
  afterAll(() => d.close());

  it('every planted metric shift is found, on the right record, in the right direction and window', () => {
    const planted = d.plants.filter((p) => METRIC_FOR[p.metric]);
    expect(planted.length).toBeGreaterThanOrEqual(10);
    const missed = planted.filter((p) => !findings.some((f) => matches(p, f))).map((p) => `${p.id} (${p.kind} ${p.start}..${p.end})`);
    expect(missed, `found:\n${findings.map((f) => `${f.metric} ${f.entityId ?? ''} ${f.kind} ${f.start}..${f.end}`).join('\n')}`).toEqual([]);
  });

  it('the point anomalies are dated: the ticket spike starts inside the outage and is at least twice the baseline', () => {
    const p = plant(d, 'ticket_volume_spike');
    const f = findings.find((x) => x.metric === 'ticket_volume' && x.kind === 'spike' && x.start >= p.start && x.start <= p.end);
    expect(f).toBeDefined();
    expect(f!.magnitude).toBeGreaterThan(1);
    expect(f!.points.some((pt) => pt.flagged)).toBe(true);
  });

  it('stays reasonably quiet on records nothing was planted on', () => {
    const plantedRecords = new Set(d.plants.flatMap((p) => (METRIC_FOR[p.metric] ?? []).map((m) => `${m}:${p.entityId ?? ''}`)));
    const elsewhere = findings.filter((f) => f.entityId !== null && !plantedRecords.has(`${f.metric}:${f.entityId}`));
    expect(elsewhere.length, elsewhere.map((f) => `${f.metric} ${f.entityId} ${f.kind}`).join('\n')).toBeLessThanOrEqual(12);
  });
});

describe('persona contexts show what the demo generator planted for them', () => {
  let d: GeneratedDemo;
  beforeAll(async () => {
    d = await generateDemoDb(1, 42);
  });
  afterAll(() => d.close());
  const opts = { budgetChars: 12_000, redaction: DEFAULT_REDACTION, hashSalt: 'x' };

  it('dispatch double bookings are visible as overlaps', () => {
    for (const p of d.plants.filter((x) => x.kind === 'conflict')) {
      const [a, b] = p.related![0]!.ids;
      const ctx = buildContext(d.db, getContextBuilder('dispatch'), a!, opts)!;
      expect(ctx.text).toContain(`[dispatch_jobs#${b}]`);
      expect(ctx.text).toContain('OVERLAPS this job');
    }
  });

  it('project budget overruns show spend above budget', () => {
    for (const p of d.plants.filter((x) => x.metric === 'projects.spent_to_budget')) {
      const ctx = buildContext(d.db, getContextBuilder('project'), p.entityId!, opts)!;
      const share = Number(/spent_share: ([\d.]+)%/.exec(ctx.text)?.[1]);
      expect(share).toBeGreaterThan(100);
    }
  });

  it('redaction finds exactly the PII the generator injected into free text, kind by kind', () => {
    const injected = JSON.parse(d.db.prepare("SELECT value FROM workspace_meta WHERE key = 'demo_pii_counts'").pluck().get() as string) as Record<string, number>;
    const found = emptyCounts();
    const fields = [['tickets', 'description'], ['ticket_comments', 'body'], ['messages', 'body'], ['notes', 'body'], ['activities', 'body'], ['dispatch_jobs', 'description'], ['nps_responses', 'comment']];
    for (const [table, column] of fields) {
      for (const text of d.db.prepare(`SELECT ${column} FROM ${table} WHERE ${column} IS NOT NULL`).pluck().all() as string[]) {
        const r = redactPii(text);
        for (const k of PII_KINDS) found[k] += r.counts[k];
        expect(r.text).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
      }
    }
    expect(found).toEqual({ email: injected.email, phone: injected.phone, card: injected.card, national_id: injected.ssn! + injected.uk_ni!, ip: injected.ip });
  });

  it('contexts of records with PII carry counts, and the text sent has none of it', () => {
    const b = getContextBuilder('ticket');
    const ids = d.db.prepare("SELECT DISTINCT ticket_id FROM ticket_comments WHERE body LIKE '%@%' OR body LIKE '%SSN%' LIMIT 10").pluck().all() as number[];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const ctx = buildContext(d.db, b, id, opts)!;
      expect(Object.values(ctx.redactions).reduce((a, n) => a + n, 0)).toBeGreaterThan(0);
      expect(ctx.text).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|\b\d{3}-\d{2}-\d{4}\b/);
    }
  });
});

describe('every persona end to end on a demo workspace', () => {
  let t: TestCore;
  const gateway = new ScriptedGateway((meta, req) => ({ text: JSON.stringify(sampleAnswer(getPersona(meta.useCase.replace('persona.', '')), entityIdOf(req))) }));
  beforeAll(async () => {
    t = makeTestCore({ gateway });
    await demoWorkspace(t.core, 'demo', 0.5, 11);
  });
  afterAll(() => t.cleanup());

  it.each(PERSONAS.map((p) => [p.key]))('%s analyses its most pressing record', async (key) => {
    const spec = getPersona(key);
    const db = t.core.services.workspaces.open('demo');
    const [entityId] = getContextBuilder(spec.contextBuilder).candidates(db, 1);
    expect(entityId, `${key} has a candidate in the demo`).toBeDefined();
    const { jobId } = await t.core.call('insights.analyze', { workspace: 'demo', persona: key, entityId: entityId! });
    const job = await t.core.services.jobs.waitFor(jobId);
    const insight = await t.core.call('insights.get', { workspace: 'demo', id: (job.result as { insightId: string }).insightId });
    expect(insight).toMatchObject({ status: 'completed', personaKey: key, entityId, entityType: spec.entityType });
    expect(insight.factors[0]!.evidence).toEqual([{ entityType: spec.entityType, entityId }]);
    const sent = gateway.calls.at(-1)!.req.messages[1]!.content;
    expect(sent.length).toBeLessThanOrEqual(spec.contextBudgetChars + 600);
    expect(sent).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
  });
});
