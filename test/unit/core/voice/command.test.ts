import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';
import { rejection, testPolicy } from '../../../fixtures/gateway';
import { toneWav } from '../../../fixtures/speech';
import { spokenNumbersToDigits, wordsToNumber } from '../../../../src/main/core/voice/command/numbers';
import { ruleIntent } from '../../../../src/main/core/voice/command/rules';
import { parseSpokenTime, zoneOffsetMinutes } from '../../../../src/main/core/voice/command/when';

describe('voice command parts', () => {
  it('spoken numbers become digits, as codes are said', () => {
    expect(spokenNumbersToDigits('Open ticket forty-two.')).toBe('Open ticket 42.');
    expect(spokenNumbersToDigits('ticket forty two please')).toBe('ticket 42 please');
    expect(spokenNumbersToDigits('deal number one hundred and five')).toBe('deal number 105');
    expect(spokenNumbersToDigits('ticket four two')).toBe('ticket 42');
    expect(spokenNumbersToDigits('Oh no, call Acme')).toBe('Oh no, call Acme');
    expect(wordsToNumber(['two', 'thousand', 'twenty'])).toBe(2020);
    expect(wordsToNumber(['acme'])).toBeNull();
  });

  it('times are read in the speaker’s zone; a bare hour is a working hour', () => {
    const now = new Date('2026-12-04T15:00:00Z');
    expect(parseSpokenTime('tomorrow at 9', now, 'Europe/London')).toMatchObject({ iso: '2026-12-05T09:00:00.000Z', date: '2026-12-05', hasTime: true });
    expect(parseSpokenTime('tomorrow at 9', now, 'America/New_York')).toMatchObject({ iso: '2026-12-05T14:00:00.000Z', date: '2026-12-05' });
    expect(parseSpokenTime('tomorrow at 3', now, 'UTC')).toMatchObject({ iso: '2026-12-05T15:00:00.000Z' });
    expect(parseSpokenTime('next Friday', now, 'UTC')).toMatchObject({ date: '2026-12-11', hasTime: false });
    expect(parseSpokenTime('no time in here', now, 'UTC')).toBeNull();
    expect(zoneOffsetMinutes('Asia/Tokyo', now)).toBe(540);
    // Summer time: London is UTC+1 in June.
    expect(parseSpokenTime('tomorrow at 10am', new Date('2026-06-15T08:00:00Z'), 'Europe/London')).toMatchObject({ iso: '2026-06-16T09:00:00.000Z' });
  });

  it('the documented patterns, without a model', () => {
    expect(ruleIntent('Open the dashboard.')).toMatchObject({ kind: 'navigate', page: 'dashboard' });
    expect(ruleIntent('go to insights')).toMatchObject({ kind: 'navigate', page: 'insights' });
    expect(ruleIntent('Open ticket 42')).toMatchObject({ kind: 'open_record', entity: 'ticket', reference: '42' });
    expect(ruleIntent('show ticket TCK-000042')).toMatchObject({ kind: 'open_record', reference: 'TCK-000042' });
    expect(ruleIntent('Search for login outage')).toMatchObject({ kind: 'search', query: 'login outage' });
    expect(ruleIntent('Show me the critical and high insights')).toMatchObject({ kind: 'filter_insights', severity: ['critical', 'high'] });
    expect(ruleIntent('Create a follow-up task to send the proposal for the Globex Renewal deal due tomorrow at 9')).toMatchObject({
      kind: 'action',
      action: 'create_task',
      args: { title: 'Follow up: Send the proposal' },
      mentions: [{ field: 'dealId', entity: 'deal', text: 'Globex Renewal' }],
      times: [{ field: 'dueDate', text: 'tomorrow at 9' }],
    });
    expect(ruleIntent('mark ticket 12 as solved')).toMatchObject({ action: 'update_ticket', args: { status: 'solved' }, mentions: [{ field: 'ticket', text: '12' }] });
    expect(ruleIntent('what a lovely day')).toBeNull();
  });
});

describe('voice commands through the contract (voice.command → confirm → the action layer)', () => {
  let t: TestCore;
  let fake: FakeOpenAI;
  let now = new Date('2026-06-15T10:00:00Z');
  let deal: { id: number; name: string };
  let ticket: { id: number; code: string };

  beforeAll(async () => {
    t = makeTestCore({ clock: { now: () => now } });
    fake = await startFakeOpenAI();
    const created = await t.core.call('workspace.create', { name: 'w', demo: { scale: 0.1, seed: 4, anchorDate: '2026-06-15' } });
    await t.core.services.jobs.waitFor(created.jobId!);
    const deals = await t.core.call('data.browse', { workspace: 'w', entity: 'deals', offset: 0, limit: 50 });
    const names = deals.rows.map((r) => String(r.name));
    const unique = deals.rows.find((r) => names.filter((n) => n === r.name).length === 1)!;
    deal = { id: Number(unique.id), name: String(unique.name) };
    const tickets = await t.core.call('data.browse', { workspace: 'w', entity: 'tickets', offset: 0, limit: 1 });
    ticket = { id: Number(tickets.rows[0]!.id), code: String(tickets.rows[0]!.code) };
  });
  afterAll(async () => {
    await t.cleanup();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const say = (transcript: string, extra: Record<string, unknown> = {}) => t.core.call('voice.command', { workspace: 'w', transcript, timeZone: 'Europe/London', ...extra });

  it('navigation and records by spoken number run at once', async () => {
    expect(await say('Open the dashboard')).toMatchObject({ status: 'navigate', navigateTo: '/', understoodBy: 'patterns' });
    const n = Number(ticket.code.replace(/\D/g, ''));
    const spoken = n === 1 ? 'one' : String(n);
    const r = await say(`Open ticket ${spoken}`);
    expect(r).toMatchObject({ status: 'navigate', navigateTo: `/data?entity=tickets&id=${ticket.id}` });
    expect(r.entities[0]).toMatchObject({ entity: 'tickets', match: { id: ticket.id, code: ticket.code }, confidence: 1 });
    expect(await say('search for login outage')).toMatchObject({ navigateTo: '/search?q=login%20outage' });
  });

  it('a write is proposed with its diff, waits for a yes, then runs through the action layer with an audit row', async () => {
    const before = (await t.core.call('data.browse', { workspace: 'w', entity: 'tasks', offset: 0, limit: 1 })).total;
    const r = await say(`Create a follow-up task to send the proposal for the ${deal.name} deal due tomorrow at nine`);
    expect(r.status).toBe('confirm');
    expect(r.action).toBe('create_task');
    expect(r.normalized).toContain('tomorrow at 9');
    expect(r.entities).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'dealId', entity: 'deals', match: expect.objectContaining({ id: deal.id }) }), expect.objectContaining({ field: 'dueDate', entity: 'time', value: '2026-06-16' })]),
    );
    expect(r.approval).toMatchObject({ status: 'pending', source: 'voice', action: 'create_task' });
    expect(r.approval!.preview.changes[0]).toMatchObject({ entity: 'tasks', op: 'create' });
    // Nothing is written before the yes.
    expect((await t.core.call('data.browse', { workspace: 'w', entity: 'tasks', offset: 0, limit: 1 })).total).toBe(before);

    const yes = await say('Yes, do it', { pendingSessionId: r.sessionId });
    expect(yes).toMatchObject({ sessionId: r.sessionId, status: 'done' });
    const tasks = await t.core.call('data.browse', { workspace: 'w', entity: 'tasks', offset: 0, limit: 500 });
    expect(tasks.total).toBe(before + 1);
    const task = tasks.rows.find((row) => row.title === 'Follow up: Send the proposal')!;
    expect(task).toMatchObject({ deal_id: deal.id, due_date: '2026-06-16' });
    const audit = await t.core.services.actions.audit.list(await t.core.services.workspaces.acquire('w').then((l) => { const c = l.context; l.release(); return c; }), { action: 'create_task' });
    expect(audit.entries.some((e) => e.source === 'voice')).toBe(true);
    const history = await t.core.call('voice.history', { workspace: 'w' });
    expect(history.sessions.find((s) => s.sessionId === r.sessionId)).toMatchObject({ status: 'done', action: 'create_task' });
  });

  it('“no” cancels: the approval is rejected and nothing is written', async () => {
    const before = (await t.core.call('data.browse', { workspace: 'w', entity: 'tasks', offset: 0, limit: 1 })).total;
    const r = await say(`Create a task to call back for the ${deal.name} deal`);
    expect(r.status).toBe('confirm');
    const no = await say('no', { pendingSessionId: r.sessionId });
    expect(no).toMatchObject({ status: 'cancelled', approval: { status: 'rejected' } });
    expect((await t.core.call('data.browse', { workspace: 'w', entity: 'tasks', offset: 0, limit: 1 })).total).toBe(before);
    expect((await rejection(t.core.call('voice.confirm', { workspace: 'w', sessionId: r.sessionId }))).code).toBe('conflict');
  });

  it('a name that matches nothing, or below the threshold, gets a question instead of a guess; choosing proposes it', async () => {
    const none = await say('Create a task to call for the Zzyzx Quantum deal');
    expect(none).toMatchObject({ status: 'clarify', approval: null });
    expect(none.question).toMatch(/found no deal called “Zzyzx Quantum”/);

    await t.core.call('voice.settings.update', { confirmThreshold: 0.95 });
    try {
      const partial = deal.name.split(' ')[0]!;
      const unsure = await say(`Create a task to call for the ${partial} deal`);
      expect(unsure.status).toBe('clarify');
      expect(unsure.approval).toBeNull();
      expect(unsure.question).toMatch(/Did you mean|Which deal/);
      const picked = await t.core.call('voice.choose', { workspace: 'w', sessionId: unsure.sessionId, field: 'dealId', id: deal.id });
      expect(picked).toMatchObject({ status: 'confirm', approval: { status: 'pending' } });
      expect(picked.entities.find((e) => e.field === 'dealId')).toMatchObject({ match: { id: deal.id }, confidence: 1 });
    } finally {
      await t.core.call('voice.settings.update', { confirmThreshold: 0.6 });
    }
  });

  it('commands no pattern knows go to the model (voice.intent); without a model the app says what it understands', async () => {
    const lonely = await say('remind me to email them next Friday');
    expect(lonely).toMatchObject({ status: 'clarify', understoodBy: 'none' });
    expect(lonely.question).toMatch(/open ticket 42/);

    await t.core.call('providers.add', { name: 'cloud', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', transcriptionModel: 'fake-whisper', role: 'primary' });
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['cloud'] }) });
    fake.enqueue('chat', { text: JSON.stringify({ kind: 'action', confidence: 0.9, action: 'create_task', args: { title: 'Email the customer' }, mentions: [{ field: 'dealId', entity: 'deal', text: deal.name }], times: [{ field: 'dueDate', text: 'on Friday' }] }) });
    const r = await say('remind me to email them about the deal on Friday');
    expect(r).toMatchObject({ understoodBy: 'model', status: 'confirm', action: 'create_task' });
    expect(r.entities.find((e) => e.field === 'dueDate')).toMatchObject({ value: '2026-06-19' });
    const sent = fake.requests.find((q) => q.route === 'chat')!;
    expect(JSON.stringify(sent.body)).toContain('create_task');
    await t.core.call('voice.cancel', { workspace: 'w', sessionId: r.sessionId });
  });

  it('the recording is kept for the configured days for replay, then deleted; history can be deleted', async () => {
    fake.enqueue('transcriptions', { text: 'Open the insights page.' });
    const r = await t.core.call('voice.command', { workspace: 'w', audio: Buffer.from(toneWav(1500)).toString('base64'), engine: 'provider' });
    expect(r).toMatchObject({ transcript: 'Open the insights page.', status: 'navigate', navigateTo: '/insights', transcription: { engine: 'provider' } });
    const kept = await t.core.call('voice.audio', { workspace: 'w', sessionId: r.sessionId });
    expect(kept.audio).toBeTruthy();
    expect(Buffer.from(kept.audio!, 'base64').subarray(0, 4).toString('latin1')).toBe('RIFF');
    const dir = join(t.dataDir, 'voice');
    expect(readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith(`${r.sessionId}.wav`))).toBe(true);

    const start = now;
    now = new Date(start.getTime() + 8 * 86_400_000);
    try {
      await say('Open the dashboard'); // every command sweeps expired recordings
      await expect.poll(async () => (await t.core.call('voice.audio', { workspace: 'w', sessionId: r.sessionId })).audio).toBeNull();
      await expect.poll(() => readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith(`${r.sessionId}.wav`))).toBe(false);
    } finally {
      now = start;
    }
    const { deleted } = await t.core.call('voice.history.delete', { workspace: 'w', all: true });
    expect(deleted).toBeGreaterThan(3);
    expect((await t.core.call('voice.history', { workspace: 'w' })).total).toBe(0);
    expect(existsSync(dir)).toBe(true);
  });

  it('another profile cannot confirm someone else’s command', async () => {
    const r = await say(`Create a task to call back for the ${deal.name} deal`);
    const other = await t.core.call('profiles.create', { name: 'Bea', role: 'member' });
    const e = await rejection(t.core.invoke('voice.confirm', { workspace: 'w', sessionId: r.sessionId }, { profileId: other.id }));
    expect(e.code).toBe('not_found');
  });
});
