/**
 * The engine end to end through the real gateway, over real HTTP to the fake OpenAI-compatible server: every
 * persona on a demo workspace, fallback, malformed answers, the budget refusal, coaching and the CLI.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../src/main/cli/index';
import { getContextBuilder } from '../../../../src/main/core/context/registry';
import { PERSONAS, getPersona } from '../../../../src/main/core/personas/registry';
import type { Insight } from '../../../../src/shared/insights';
import { demoWorkspace, makeTestCore, tempDir, type TestCore } from '../../../fixtures/core';
import { startFakeOpenAI, type FakeOpenAI, type FakeRequest } from '../../../fixtures/fakeOpenAI';
import { testPolicy } from '../../../fixtures/gateway';
import { sampleAnswer } from '../../../fixtures/scriptedGateway';

/** USD per million tokens: $0.001 a token on the primary, ten times that on the secondary. */
const PRICES = `version: 1
models:
  fake-chat: { input: 1000, output: 1000 }
  fake-chat-large: { input: 10000, output: 10000 }
`;

const personaOf = (req: FakeRequest): string => ((req.body.response_format as { json_schema: { name: string } }).json_schema.name);
const entityOf = (req: FakeRequest): number => {
  const messages = req.body.messages as { role: string; content: string }[];
  return Number(/\(([a-z_]+)#(\d+)\)/.exec(messages.find((m) => m.role === 'user')!.content)![2]);
};
const answerFor = (req: FakeRequest, overrides: Record<string, unknown> = {}): string => JSON.stringify(sampleAnswer(getPersona(personaOf(req)), entityOf(req), overrides));

async function analyze(t: TestCore, persona: string, entityId: number): Promise<Insight> {
  const { jobId } = await t.core.call('insights.analyze', { workspace: 'demo', persona, entityId, force: true });
  const job = await t.core.services.jobs.waitFor(jobId);
  expect(job.status, job.error?.message).toBe('completed');
  return t.core.call('insights.get', { workspace: 'demo', id: (job.result as { insightId: string }).insightId });
}

describe('engine through the real gateway and the fake OpenAI server', () => {
  let t: TestCore;
  let a: FakeOpenAI;
  let b: FakeOpenAI;
  const first = (persona: string): number => getContextBuilder(getPersona(persona).contextBuilder).candidates(t.core.services.workspaces.open('demo'), 1)[0]!;

  beforeAll(async () => {
    [a, b] = await Promise.all([startFakeOpenAI(), startFakeOpenAI()]);
    t = makeTestCore();
    await demoWorkspace(t.core, 'demo', 0.5, 11);
    await t.core.call('providers.add', { name: 'a', kind: 'openai-compatible', baseUrl: a.url, model: 'fake-chat', role: 'primary' });
    await t.core.call('providers.add', { name: 'b', kind: 'openai-compatible', baseUrl: b.url, model: 'fake-chat-large', role: 'secondary' });
    await t.core.call('prices.set', { yaml: PRICES });
    await t.core.call('policies.set', { workspace: 'demo', yaml: testPolicy({ retries: 0, timeoutMs: 5_000 }) });
  });
  afterAll(async () => {
    await t.cleanup();
    await Promise.all([a.close(), b.close()]);
  });
  beforeEach(() => {
    a.reset();
    b.reset();
    // Reported usage must be plausible for the request (ADR 0091): max_tokens is 64 in the test policy.
    a.handle('chat', (req) => ({ text: answerFor(req), usage: { prompt_tokens: 900, completion_tokens: 50 } }));
    b.handle('chat', (req) => ({ text: answerFor(req), usage: { prompt_tokens: 900, completion_tokens: 50 } }));
  });

  it.each(PERSONAS.map((p) => [p.key]))('%s: analysis over HTTP records who answered and what it cost', async (key) => {
    const insight = await analyze(t, key, first(key));
    expect(insight).toMatchObject({ status: 'completed', personaKey: key, provider: 'openai-compatible', model: 'fake-chat', endpoint: 'a', fallbackUsed: false, tokensIn: 900, tokensOut: 50 });
    expect(insight.costUsd).toBeCloseTo(0.95, 6);
    const req = a.requests.at(-1)!;
    expect(req.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: key, strict: false } });
    // Nothing that looks like an email address left the machine.
    expect(JSON.stringify(req.body.messages)).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
  });

  it('falls back to the secondary endpoint when the primary fails, and says so', async () => {
    a.enqueue('chat', { status: 500, message: 'boom' });
    const insight = await analyze(t, 'ticket_analyst', first('ticket_analyst'));
    expect(insight).toMatchObject({ status: 'completed', endpoint: 'b', model: 'fake-chat-large', fallbackUsed: true });
    expect(insight.costUsd).toBeCloseTo(9.5, 6);
  });

  it('reads fenced JSON and JSON followed by prose', async () => {
    a.handle('chat', (req) => ({ text: `Sure, here it is:\n\`\`\`json\n${answerFor(req)}\n\`\`\`\nAnything else?` }));
    expect((await analyze(t, 'customer_success', first('customer_success'))).status).toBe('completed');
    a.handle('chat', (req) => ({ text: `${answerFor(req)}\n\nI hope this helps.` }));
    expect((await analyze(t, 'customer_success', first('customer_success'))).status).toBe('completed');
  });

  it('fills missing fields with defaults and flags them; coerces wrong but safe types', async () => {
    a.handle('chat', (req) => {
      const answer = JSON.parse(answerFor(req, { priority_score: '77', sentiment: 'NEGATIVE' })) as Record<string, unknown>;
      delete answer.sla_risk;
      return { text: JSON.stringify(answer) };
    });
    const insight = await analyze(t, 'ticket_analyst', first('ticket_analyst'));
    expect(insight.status).toBe('completed');
    expect(insight.defaultedFields).toEqual(['sla_risk']);
    expect(insight.fields).toMatchObject({ priority_score: 77, sentiment: 'negative', sla_risk: 'medium' });
  });

  it('an answer that is not JSON at all fails the insight as invalid_output', async () => {
    a.handle('chat', () => ({ text: 'I would rather not say.' }));
    b.handle('chat', () => ({ text: 'Me neither.' }));
    const insight = await analyze(t, 'vendor_analyst', first('vendor_analyst'));
    expect(insight).toMatchObject({ status: 'failed', errorCode: 'invalid_output', severity: null, summary: '' });
  });

  it('a budget refusal fails the insight with budget_exceeded before any request is sent', async () => {
    await t.core.call('policies.set', { workspace: 'demo', yaml: testPolicy({ retries: 0, budgets: '  per_request: { usd: 0.01 }' }) });
    try {
      const insight = await analyze(t, 'project_advisor', first('project_advisor'));
      expect(insight).toMatchObject({ status: 'failed', errorCode: 'budget_exceeded', tokensIn: 0, costUsd: 0 });
      expect(insight.errorMessage).toMatch(/could cost up to/);
      expect(a.count('chat') + b.count('chat')).toBe(0);
    } finally {
      await t.core.call('policies.set', { workspace: 'demo', yaml: testPolicy({ retries: 0, timeoutMs: 5_000 }) });
    }
  });

  it('grounds the prompt in related records from the vector store once the workspace has an index', async () => {
    const ticket = first('ticket_analyst');
    const before = await analyze(t, 'ticket_analyst', ticket);
    expect(JSON.stringify(a.requests.at(-1)!.body.messages)).not.toContain('<related>');
    const build = await t.core.call('vectors.build', { workspace: 'demo' });
    expect((await t.core.services.jobs.waitFor(build.jobId)).status).toBe('completed');
    const related: string[] = [];
    a.handle('chat', (req) => {
      const user = (req.body.messages as { role: string; content: string }[]).find((m) => m.role === 'user')!.content;
      const block = /<related>\n([\s\S]*?)\n<\/related>/.exec(user)?.[1] ?? '';
      related.push(...[...block.matchAll(/^\[([a-z_]+)#(\d+)\]/gm)].map((m) => `${m[1]}#${m[2]}`));
      const [type, id] = (related[0] ?? 'tickets#0').split('#');
      // Cite the first related record as evidence: it was shown, so it is kept.
      return { text: answerFor(req, { factors: [{ direction: '-', text: 'Like a related record', evidence: [{ entityType: type, entityId: Number(id) }] }] }) };
    });
    const grounded = await analyze(t, 'ticket_analyst', ticket);
    expect(related.length).toBeGreaterThan(0);
    expect(related).not.toContain(`tickets#${ticket}`);
    const [type, id] = related[0]!.split('#');
    expect(grounded.factors[0]!.evidence).toEqual([{ entityType: type, entityId: Number(id) }]);
    expect(grounded.history.find((h) => h.action === 'insight.completed')!.details).toMatchObject({ grounded: related.length });
    // Grounding is outside the context hash: the record itself did not change.
    expect(grounded.contextHash).toBe(before.contextHash);
  });

  it('coaching through the gateway', async () => {
    const item = (category: string, n: number) => ({ category, priority: 'high', title: `T${n}`, description: 'D.', suggestedActions: ['Act'], metrics: [{ name: 'Open ticket backlog', value: '12' }] });
    a.handle('chat', () => ({ text: JSON.stringify({ insights: ['strategy', 'operations', 'finance', 'marketing', 'leadership'].map(item) }) }));
    const { jobId } = await t.core.call('coaching.refresh', { workspace: 'demo' });
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status, job.error?.message).toBe('completed');
    const { report } = await t.core.call('coaching.get', { workspace: 'demo' });
    expect(report).toMatchObject({ provider: 'openai-compatible', model: 'fake-chat', missingSources: [] });
    expect(report!.summary.byCategory).toEqual({ strategy: 1, operations: 1, finance: 1, marketing: 1, leadership: 1 });
    expect(personaOfCoaching(a.requests.at(-1)!)).toBe('coaching');
  });
});

const personaOfCoaching = (req: FakeRequest): string => (req.body.response_format as { json_schema: { name: string } }).json_schema.name;

describe('CLI analyze against a configured provider', () => {
  const dir = tempDir();
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    fake.handle('chat', (req) => ({ text: answerFor(req), usage: { prompt_tokens: 400, completion_tokens: 100 } }));
    const t = makeTestCore({ dataDir: dir });
    await demoWorkspace(t.core, 'demo', 0.3, 5);
    await t.core.dispose();
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a provider, analyses a record and prints the insight as JSON', async () => {
    const run = async (...args: string[]): Promise<{ code: number; out: string }> => {
      let out = '';
      const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
      const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      process.exitCode = undefined;
      try {
        return { code: await main(['--data-dir', dir, ...args]), out };
      } finally {
        o.mockRestore();
        e.mockRestore();
        process.exitCode = undefined;
      }
    };
    expect((await run('provider', 'add', '--name', 'fake', '--kind', 'openai-compatible', '--base-url', fake.url, '--model', 'fake-chat', '--role', 'primary')).code).toBe(0);
    const r = await run('--json', 'analyze', '--workspace', 'demo', '--persona', 'customer_success', '--entity', '1');
    expect(r.code).toBe(0);
    const insight = JSON.parse(r.out) as Record<string, unknown>;
    expect(insight).toMatchObject({ personaKey: 'customer_success', status: 'completed', provider: 'openai-compatible', model: 'fake-chat', fallbackUsed: false, tokensIn: 400, tokensOut: 100 });
    for (const k of ['id', 'severity', 'title', 'summary', 'confidence', 'recommendations', 'factors', 'costUsd']) expect(insight).toHaveProperty(k);
    const list = await run('--json', 'insights', 'list', '--workspace', 'demo', '--persona', 'customer_success');
    expect((JSON.parse(list.out) as { total: number }).total).toBe(1);
  });
});
