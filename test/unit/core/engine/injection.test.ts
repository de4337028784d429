/**
 * Prompt injection through the analysed records themselves (issue 13 §1). Every payload of the corpus goes into
 * ticket descriptions and comments and the free text of every other persona's records, coaching's sources and the
 * related records grounding adds; personas and coaching then run through the real gateway to the fake
 * OpenAI-compatible server, and the test reads what reached the server: no payload can end a data block or appear
 * as a role marker outside one, and the insight's audit records what was neutralised.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/main/core/db/open';
import { buildContext } from '../../../../src/main/core/context/build';
import { DEFAULT_REDACTION } from '../../../../src/main/core/context/redact';
import { getContextBuilder } from '../../../../src/main/core/context/registry';
import { clip } from '../../../../src/main/core/context/sql';
import { InsightEngine } from '../../../../src/main/core/engine/engine';
import { buildMessages, systemMessage } from '../../../../src/main/core/engine/prompt';
import { PERSONAS, getPersona } from '../../../../src/main/core/personas/registry';
import { neutralize, UNTRUSTED_NOTE } from '../../../../src/main/core/prompt/untrusted';
import { getEntity } from '../../../../src/shared/entities';
import type { Insight } from '../../../../src/shared/insights';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { seedEngineData } from '../../../fixtures/engineSeed';
import { startFakeOpenAI, type FakeOpenAI, type FakeRequest } from '../../../fixtures/fakeOpenAI';
import { testPolicy } from '../../../fixtures/gateway';
import { INJECTIONS, type Payload } from '../../../fixtures/injectionCorpus';
import { sampleAnswer } from '../../../fixtures/scriptedGateway';

type Message = { role: string; content: string };

const TURN_START = /^[ \t]*(?:system|assistant|user|developer|tool|human)\s*[:：]/im;
const CHAT_TOKENS = /<\|[^|]*\|>|<｜|\[\/?INST\]|<<\/?SYS>>|<\/?s>|<(?:start|end)_of_turn>|\[\/?SYSTEM_PROMPT\]/;
const BLOCK = /<(context|related|data)>\n([\s\S]*?)\n<\/\1>/g;

const schemaName = (req: FakeRequest): string => (req.body.response_format as { json_schema: { name: string } }).json_schema.name;
const entityOf = (messages: Message[]): number => Number(/\(([a-z_]+)#(\d+)\)/.exec(messages.find((m) => m.role === 'user')!.content)?.[2] ?? 0);
const coachingAnswer = JSON.stringify({
  insights: ['strategy', 'operations', 'finance', 'marketing', 'leadership'].map((category, n) => ({ category, priority: 'high', title: `T${n}`, description: 'D.', suggestedActions: ['Act'], metrics: [{ name: 'x', value: '1' }] })),
});

/**
 * Splits what the server received into the text outside the data blocks and the blocks' contents, and checks the
 * boundary: two messages (system, user), one opening and one closing tag per block, and no angle bracket, role
 * marker or chat-template token anywhere but in the block tags themselves.
 */
function received(req: FakeRequest): { system: string; outside: string; blocks: Record<string, string>; text: string } {
  const messages = req.body.messages as Message[];
  expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
  const user = messages[1]!.content;
  const blocks: Record<string, string> = {};
  for (const m of user.matchAll(BLOCK)) {
    expect(blocks[m[1]!], `one ${m[1]} block`).toBeUndefined();
    blocks[m[1]!] = m[2]!;
  }
  const outside = user.replace(BLOCK, '');
  expect(outside).not.toMatch(/[<>]/);
  expect(outside).not.toMatch(TURN_START);
  for (const [name, inner] of Object.entries(blocks)) {
    expect(inner, name).not.toMatch(/[<>]/);
    expect(inner, name).not.toMatch(TURN_START);
    expect(inner, name).not.toMatch(CHAT_TOKENS);
  }
  expect(messages[0]!.content).toContain(UNTRUSTED_NOTE);
  expect(messages[0]!.content).not.toMatch(CHAT_TOKENS);
  // Everything a record could have reached: the text outside the blocks and the blocks' contents, not our tags.
  return { system: messages[0]!.content, outside, blocks, text: [outside, ...Object.values(blocks)].join('\n') };
}

/** The preamble is ours alone: nothing of a record may show up outside the blocks. */
const preamble = (label: string, type: string, id: number, related = false): RegExp =>
  new RegExp(`^Current time: \\d{4}-\\d\\d-\\d\\dT\\d\\d:00Z \\(to the hour\\)\\.\\nAnalyse this ${label} \\(${type}#${id}\\)\\.(?: Some older or less relevant lines were left out to fit; they are marked\\.)?\\n\\n${related ? '\\n\\nRecords the search index finds related \\(background; cite them only where they matter\\):\\n' : ''}$`);

describe('record text cannot steer the model', () => {
  let t: TestCore;
  let fake: FakeOpenAI;
  let db: Db;

  async function analyze(persona: string, entityId: number): Promise<{ insight: Insight; req: FakeRequest }> {
    const { jobId } = await t.core.call('insights.analyze', { workspace: 'w', persona, entityId, force: true });
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status, job.error?.message).toBe('completed');
    const insight = await t.core.call('insights.get', { workspace: 'w', id: (job.result as { insightId: string }).insightId });
    expect(insight.status, insight.errorMessage ?? '').toBe('completed');
    return { insight, req: fake.requests.at(-1)! };
  }

  const filteredCounts = (insight: Insight): Record<string, number> => (insight.history.find((h) => h.action === 'context.filtered')?.details as { counts?: Record<string, number> } | undefined)?.counts ?? {};

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = makeTestCore();
    await t.core.call('workspace.create', { name: 'w' });
    db = t.core.services.workspaces.open('w');
    seedEngineData(db);
    await t.core.call('providers.add', { name: 'fake', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', role: 'primary' });
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['@primary'], retries: 0, timeoutMs: 5_000 }) });
  });
  afterAll(async () => {
    await t.cleanup();
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.handle('chat', (req) => {
      const name = schemaName(req);
      return { text: name === 'coaching' ? coachingAnswer : JSON.stringify(sampleAnswer(getPersona(name), entityOf(req.body.messages as Message[]))) };
    });
  });

  it.each(INJECTIONS.map((p) => [p.id, p] as const))('%s in a ticket description and a comment', async (_id, p: Payload) => {
    db.prepare('UPDATE tickets SET description = ? WHERE id = 1').run(p.text);
    db.prepare('UPDATE ticket_comments SET body = ? WHERE id = 3').run(`Follow-up: ${p.text}`);
    const { insight, req } = await analyze('ticket_analyst', 1);
    const { system, outside, blocks, text } = received(req);
    expect(system).toBe(systemMessage(getPersona('ticket_analyst')));
    expect(outside).toMatch(preamble('ticket', 'tickets', 1));
    expect(Object.keys(blocks)).toEqual(['context']);
    const context = blocks.context!;
    expect(text).not.toMatch(p.mustNotContain);
    // What is left of the payload is in the block, neutralised the way the step does it, not dropped.
    expect(context).toContain(neutralize(`description: ${clip(p.text, 2_000)}`).text);
    expect(context).toContain('[ticket_comments#3]');
    expect(filteredCounts(insight)[p.rule], JSON.stringify(insight.history)).toBeGreaterThanOrEqual(2);
    expect(insight.warnings.join(' ')).toMatch(/tried to steer the model was neutralised/);
  });

  it('is deterministic: the same record gives the same context, hash and request body (cache and scheduler keep working)', async () => {
    const all = INJECTIONS.map((p) => p.text).join(' ');
    db.prepare('UPDATE tickets SET description = ? WHERE id = 1').run(all);
    const builder = getContextBuilder('ticket');
    const spec = getPersona('ticket_analyst');
    const opts = { budgetChars: spec.contextBudgetChars, redaction: DEFAULT_REDACTION, hashSalt: 'x' };
    const a = buildContext(db, builder, 1, opts)!;
    const b = buildContext(db, builder, 1, opts)!;
    expect(b).toEqual(a);
    expect(a.filtered.length).toBeGreaterThan(5);
    const now = '2026-03-01T12:34:56Z';
    expect(buildMessages(spec, b, now)).toEqual(buildMessages(spec, a, now));
    db.prepare("UPDATE tickets SET description = 'Any news? ' || description WHERE id = 1").run();
    expect(buildContext(db, builder, 1, opts)!.hash).not.toBe(a.hash);
  });

  /** Where each persona's record 1 keeps free text that people type, and which payloads go there. */
  const TARGETS: Record<string, { sql: string; params?: unknown[] }[]> = {
    project_advisor: [{ sql: 'UPDATE projects SET description = ? WHERE id = 1' }, { sql: 'UPDATE project_milestones SET name = ? WHERE project_id = 1' }],
    inbox_analyst: [{ sql: 'UPDATE conversations SET subject = ? WHERE id = 1' }, { sql: 'UPDATE messages SET body = ? WHERE conversation_id = 1' }],
    campaign_optimizer: [{ sql: 'UPDATE campaigns SET audience = ? WHERE id = 1' }, { sql: 'UPDATE campaigns SET name = ? WHERE id = 1' }],
    dispatch_planner: [{ sql: 'UPDATE dispatch_jobs SET description = ? WHERE id = 1' }, { sql: 'UPDATE locations SET name = ? WHERE id = 1' }],
    vendor_analyst: [{ sql: 'UPDATE vendor_quality_incidents SET description = ? WHERE vendor_id = 1' }, { sql: 'UPDATE vendors SET name = ? WHERE id = 1' }],
    performance_coach: [{ sql: 'UPDATE agent_reviews SET strengths = ? WHERE agent_id = 1' }, { sql: 'UPDATE agent_reviews SET improvements = ? WHERE agent_id = 1' }],
    customer_success: [{ sql: 'UPDATE nps_responses SET comment = ? WHERE account_id = 1' }, { sql: 'UPDATE accounts SET name = ? WHERE id = 1' }],
    ticket_analyst: [{ sql: 'UPDATE notes SET body = ? WHERE entity_id = 1' }, { sql: 'UPDATE tickets SET subject = ? WHERE id = 1' }],
  };

  it('covers every persona', () => {
    expect(Object.keys(TARGETS).sort()).toEqual(PERSONAS.map((p) => p.key).sort());
  });

  it.each(PERSONAS.map((p, i) => [p.key, i] as const))('%s: payloads in its records stay inside the context block', async (key, i) => {
    const spec = getPersona(key);
    const targets = TARGETS[key]!;
    // Each persona gets a different slice of the corpus, so together they see all of it.
    const mine = INJECTIONS.filter((_p, n) => n % PERSONAS.length === i);
    const rules = new Set<string>();
    for (const [n, target] of targets.entries()) {
      const text = mine.filter((_p, k) => k % targets.length === n).map((p) => (rules.add(p.rule), p.text)).join(' ');
      db.prepare(target.sql).run(text);
    }
    const { insight, req } = await analyze(key, 1);
    const { system, outside, blocks, text } = received(req);
    expect(system).toBe(systemMessage(spec));
    expect(Object.keys(blocks)).toEqual(['context']);
    const label = (getEntity(spec.entityType)?.label ?? spec.entityType).toLowerCase().replace(/s$/, '');
    expect(outside).toMatch(preamble(label, spec.entityType, 1));
    for (const p of mine) expect(text, p.id).not.toMatch(p.mustNotContain);
    const counts = filteredCounts(insight);
    for (const rule of rules) expect(counts[rule], `${key}: ${rule}`).toBeGreaterThan(0);
  });

  it('coaching: payloads in goals, KPIs and the business foundation stay inside the data block', async () => {
    const mine = INJECTIONS.slice(0, 12);
    db.prepare('UPDATE business_foundation SET vision = ?, purpose = ? WHERE id = 1').run(mine[0]!.text, mine[1]!.text);
    db.prepare('UPDATE goals SET title = ? WHERE id = 1').run(mine.slice(2, 7).map((p) => p.text).join(' '));
    db.prepare('UPDATE kpis SET name = ? WHERE id = 1').run(mine.slice(7).map((p) => p.text).join(' '));
    const { jobId } = await t.core.call('coaching.refresh', { workspace: 'w' });
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status, job.error?.message).toBe('completed');
    const req = fake.requests.at(-1)!;
    expect(schemaName(req)).toBe('coaching');
    const { outside, blocks, text } = received(req);
    expect(Object.keys(blocks)).toEqual(['data']);
    expect(outside).toMatch(/^Today: \d{4}-\d\d-\d\d\.\n\n$/);
    for (const p of mine) expect(text, p.id).not.toMatch(p.mustNotContain);
    const audit = db.prepare("SELECT details FROM engine_audit WHERE action = 'context.filtered' AND insight_id IS NULL ORDER BY rowid DESC LIMIT 1").get() as { details: string } | undefined;
    const counts = (JSON.parse(audit!.details) as { counts: Record<string, number> }).counts;
    for (const p of mine) expect(counts[p.rule], p.id).toBeGreaterThan(0);
    // Counts only: the audit never holds the record text itself.
    expect(audit!.details).not.toMatch(/SYSTEM|ignore/i);
  });

  it('related records from grounding are neutralised by the engine even when the index did not filter them', async () => {
    db.prepare("UPDATE tickets SET description = 'Printer jams on every job.', subject = 'Printer jams' WHERE id = 1").run();
    db.prepare("UPDATE ticket_comments SET body = 'Any update?' WHERE id = 3").run();
    db.prepare("UPDATE notes SET body = 'Reference account.' WHERE entity_id = 1").run();
    const raw = INJECTIONS.slice(12, 22);
    const grounding = {
      related: async () => ({
        available: true,
        reason: null,
        snippets: raw.map((p, n) => ({ entityType: 'tickets', entityId: 2 + (n % 3), title: p.text.slice(0, 60), text: p.text })),
      }),
    };
    const s = t.core.services;
    await t.core.call('engine.configure', { grounding: { enabled: true, k: 10, charBudget: 8_000 } });
    const engine = new InsightEngine({ workspaces: s.workspaces, settings: s.engineSettings, gateway: s.engineGateway, grounding: () => grounding, events: s.events, logger: s.logger, now: s.now });
    const out = await engine.analyze('w', 'ticket_analyst', 1, { trigger: 'on_demand', actor: null });
    expect(out.status, out.errorMessage ?? '').toBe('completed');
    const req = fake.requests.at(-1)!;
    const { outside, blocks, text } = received(req);
    expect(Object.keys(blocks)).toEqual(['context', 'related']);
    expect(outside).toMatch(preamble('ticket', 'tickets', 1, true));
    expect(blocks.related!.split('\n')[0]).toMatch(/^\[tickets#2\] /);
    for (const p of raw) expect(text, p.id).not.toMatch(p.mustNotContain);
    const insight = await t.core.call('insights.get', { workspace: 'w', id: out.insightId! });
    const counts = filteredCounts(insight);
    for (const p of raw) expect(counts[p.rule], p.id).toBeGreaterThan(0);
  });
});
