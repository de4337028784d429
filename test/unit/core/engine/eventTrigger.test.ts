import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../../src/shared/contract';
import type { EventRunResult } from '../../../../src/main/core/engine/eventTrigger';
import { getPersona } from '../../../../src/main/core/personas/registry';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { seedEngineData } from '../../../fixtures/engineSeed';
import { startFakeOpenAI, type FakeOpenAI, type FakeRequest } from '../../../fixtures/fakeOpenAI';
import { testPolicy } from '../../../fixtures/gateway';
import { sampleAnswer } from '../../../fixtures/scriptedGateway';

const entityOf = (req: FakeRequest): number => {
  const messages = req.body.messages as { role: string; content: string }[];
  return Number(/\(([a-z_]+)#(\d+)\)/.exec(messages.find((m) => m.role === 'user')!.content)![2]);
};

const csv = (n: number, from = 1): string =>
  ['code,subject,status,priority,created_at', ...Array.from({ length: n }, (_, i) => `TCK-95${String(from + i).padStart(4, '0')},Cannot log in ${from + i},open,high,2026-02-28T10:00:00Z`)].join('\n');

describe('event trigger: personas analyse records a CSV import added (real gateway, fake OpenAI server)', () => {
  let t: TestCore;
  let fake: FakeOpenAI;
  let started: JobInfo[];

  /** Imports tickets and returns the event job the import started, if any (waited to its end). */
  async function importTickets(text: string): Promise<JobInfo | null> {
    const before = new Set(t.core.services.jobs.list({ limit: 500 }).map((j) => j.jobId));
    const { uploadId } = await t.core.call('import.stage', { chunk: text });
    const { jobId } = await t.core.call('import.run', { workspace: 'w', entity: 'tickets', uploadId });
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status, job.error?.message).toBe('completed');
    const event = t.core.services.jobs.list({ limit: 500 }).find((j) => !before.has(j.jobId) && j.kind === 'engine.onRecordsChanged');
    if (!event) return null;
    const done = await t.core.services.jobs.waitFor(event.jobId);
    started.push(done);
    return done;
  }

  beforeEach(async () => {
    started = [];
    fake = await startFakeOpenAI();
    fake.handle('chat', (req) => ({ text: JSON.stringify(sampleAnswer(getPersona('ticket_analyst'), entityOf(req))), usage: { prompt_tokens: 900, completion_tokens: 100 } }));
    t = makeTestCore({ clock: { now: () => new Date('2026-03-01T12:00:00Z') } });
    await t.core.call('workspace.create', { name: 'w' });
    seedEngineData(t.core.services.workspaces.open('w'));
    await t.core.call('providers.add', { name: 'fake', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', role: 'primary' });
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['@primary'], retries: 0, timeoutMs: 5_000 }) });
  });
  afterEach(async () => {
    await t.cleanup();
    await fake.close();
  });

  it('is off by default: an import starts no analysis and sends nothing', async () => {
    expect((await t.core.call('engine.settings', {})).events).toEqual({ personas: [], maxPerHour: 20 });
    expect(await importTickets(csv(3))).toBeNull();
    expect(fake.requests).toHaveLength(0);
  });

  it('switched on for a persona, analyses exactly the imported records with trigger event, labelled on the usage rows', async () => {
    await t.core.call('engine.configure', { events: { personas: ['ticket_analyst'] } });
    const job = await importTickets(csv(3));
    expect(job?.status).toBe('completed');
    const result = job!.result as EventRunResult;
    expect(result).toMatchObject({ source: 'import', entity: 'tickets', analyzed: 3, completed: 3, failed: 0, overCap: 0, stoppedBy: null });
    const db = t.core.services.workspaces.open('w');
    const imported = db.prepare("SELECT id FROM tickets WHERE code LIKE 'TCK-95%' ORDER BY id").pluck().all() as number[];
    expect(fake.requests.map(entityOf).sort((x, y) => x - y)).toEqual(imported);
    const list = await t.core.call('insights.list', { workspace: 'w', persona: 'ticket_analyst' });
    expect(list.items.map((i) => [i.entityId, i.trigger]).sort()).toEqual(imported.map((id) => [id, 'event']));
    const usage = await t.core.call('usage.list', { workspace: 'w', limit: 10 });
    expect(usage.rows.map((r) => r.trigger)).toEqual(['event', 'event', 'event']);
    // The budget for background work counts these calls.
    expect(t.core.services.appDb.prepare('SELECT coalesce(sum(tokens), 0) FROM engine_token_usage').pluck().get()).toBe(3_000);
  });

  it('caps analyses per persona per hour; the rest are counted, not analysed', async () => {
    await t.core.call('engine.configure', { events: { personas: ['ticket_analyst'], maxPerHour: 2 } });
    const first = (await importTickets(csv(3)))!.result as EventRunResult;
    expect(first).toMatchObject({ analyzed: 2, overCap: 1 });
    const second = (await importTickets(csv(2, 10)))!.result as EventRunResult;
    expect(second).toMatchObject({ analyzed: 0, overCap: 2 });
    expect(fake.requests).toHaveLength(2);
  });

  it('stays inside the daily token budget for background work', async () => {
    await t.core.call('engine.configure', { events: { personas: ['ticket_analyst'] }, scheduler: { dailyTokenBudget: 1_500 } });
    const result = (await importTickets(csv(4)))!.result as EventRunResult;
    // 1,000 tokens a call: the second call is allowed (500 left), the third is not.
    expect(result).toMatchObject({ analyzed: 2, stoppedBy: 'budget' });
    expect(fake.requests).toHaveLength(2);
  });

  it('touches only personas of the changed entity; unknown persona keys are refused', async () => {
    await t.core.call('engine.configure', { events: { personas: ['ticket_analyst'] } });
    expect(t.core.services.eventTrigger.onRecordsChanged('w', 'accounts', [1, 2], 'copilot')).toMatchObject({ jobId: null, reason: expect.stringMatching(/No persona/) });
    await expect(t.core.call('engine.configure', { events: { personas: ['no_such_persona'] } })).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/Unknown persona "no_such_persona"/) });
  });

  it('the hook the action layer calls: a copilot write of one record is analysed once; unchanged, it is not asked again', async () => {
    await t.core.call('engine.configure', { events: { personas: ['ticket_analyst'] } });
    const a = t.core.services.eventTrigger.onRecordsChanged('w', 'tickets', [1], 'copilot');
    expect(a.personas).toEqual(['ticket_analyst']);
    expect(((await t.core.services.jobs.waitFor(a.jobId!)).result as EventRunResult).completed).toBe(1);
    const b = t.core.services.eventTrigger.onRecordsChanged('w', 'tickets', [1], 'voice');
    expect(((await t.core.services.jobs.waitFor(b.jobId!)).result as EventRunResult)).toMatchObject({ analyzed: 0, unchanged: 1 });
    expect(fake.requests).toHaveLength(1);
  });
});
