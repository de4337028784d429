import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMemory, recall } from '../../../../src/main/core/copilot/memory';
import type { WorkspaceContext } from '../../../../src/main/core/workspaces/workspaceContext';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { requireEngine } from '../../../fixtures/engines';

const { engine } = requireEngine();

/** Conversations, messages and memory through the copilot and memory repositories, on either engine (npm run test:pg). */
describe(`copilot storage (${engine})`, () => {
  let t: TestCore;
  const at = new Date('2026-06-15T09:00:00.000Z');
  let clock = at;

  beforeAll(async () => {
    t = makeTestCore({ clock: { now: () => clock } });
    await t.core.call('workspace.create', { name: 'w' });
  });
  afterAll(() => t.cleanup());

  const withWs = <T>(fn: (ws: WorkspaceContext) => Promise<T>): Promise<T> => t.core.services.workspaces.withWorkspace('w', fn);

  it('lists per profile, pinned first; searches titles and message text; renames, exports and deletes', async () => {
    const p1 = 'profile-a';
    await withWs(async (ws) => {
      const repo = ws.repos.copilot;
      await repo.create({ id: 'c1', profileId: p1, agent: 'sales', title: 'Acme renewal', contextRef: null, createdAt: '2026-06-15T08:00:00.000Z' });
      await repo.create({ id: 'c2', profileId: p1, agent: 'success', title: 'Printer tickets', contextRef: 'tickets:4', createdAt: '2026-06-15T08:30:00.000Z' });
      await repo.create({ id: 'c3', profileId: 'someone-else', agent: 'sales', title: 'Acme too', contextRef: null, createdAt: '2026-06-15T08:40:00.000Z' });
      const base = { toolCalls: null, toolCallId: null, toolName: null, toolStatus: null, citations: [], droppedCitations: 0, proposals: [], status: 'done' as const, model: null, endpoint: null, tokensIn: 0, tokensOut: 0, costUsd: 0, createdAt: at.toISOString() };
      const saved = await repo.append('c1', [
        { ...base, id: 'm1', conversationId: 'c1', role: 'user', content: 'What blocks the Zebra rollout?' },
        { ...base, id: 'm2', conversationId: 'c1', role: 'assistant', content: 'The legal review [deals:7].', citations: [{ entity: 'deals', id: 7 }] },
      ]);
      expect(saved.map((m) => m.seq)).toEqual([1, 2]);
      expect((await repo.append('c1', [{ ...base, id: 'm3', conversationId: 'c1', role: 'user', content: 'thanks' }]))[0]!.seq).toBe(3);
      await repo.addUsage('c1', { tokensIn: 10, tokensOut: 5, costUsd: 0.25 }, '2026-06-15T08:10:00.000Z');
      await repo.addUsage('c1', { tokensIn: 1, tokensOut: 1, costUsd: 0.25 }, '2026-06-15T08:10:00.000Z');
      await repo.update(p1, 'c1', { readRefs: ['deals:7'] });
      expect((await repo.list(p1, 10)).map((c) => c.id)).toEqual(['c2', 'c1']);
      expect(await repo.update(p1, 'c1', { pinned: true })).toBe(true);
      const listed = await repo.list(p1, 10);
      expect(listed.map((c) => c.id)).toEqual(['c1', 'c2']);
      expect(listed[0]).toMatchObject({ pinned: true, tokensIn: 11, tokensOut: 6, costUsd: 0.5, readRefs: ['deals:7'] });
      // Message text, any case; another profile's conversations never show.
      expect((await repo.search(p1, 'zebra', 10)).map((c) => c.id)).toEqual(['c1']);
      expect((await repo.search(p1, 'ACME', 10)).map((c) => c.id)).toEqual(['c1']);
      expect((await repo.search(p1, 'printer', 10)).map((c) => c.id)).toEqual(['c2']);
      expect(await repo.search(p1, '100%', 10)).toEqual([]);
      expect((await repo.messages('c1')).map((m) => m.citations)).toEqual([[], [{ entity: 'deals', id: 7 }], []]);
      expect(await repo.update('someone-else', 'c1', { title: 'stolen' })).toBe(false);
      expect(await repo.truncate('c1', 3)).toBe(1);
      expect(await ws.transaction((tx) => tx.repos.copilot.delete(p1, 'c2'))).toBe(true);
      expect(await repo.get(p1, 'c2')).toBeUndefined();
      expect(await repo.messages('c2')).toEqual([]);
    });
  });

  it('stores memories redacted, keeps them per profile, sweeps expired ones, and forgets on request', async () => {
    await withWs(async (ws) => {
      const repo = ws.repos.memory;
      const fact = newMemory({ profileId: 'p', type: 'chat_fact', retention: 'permanent', content: 'Jane prefers email at jane.roe@acme.example or +1 415 555 0142' }, at);
      expect(fact.content).not.toContain('jane.roe@acme.example');
      expect(fact.content).not.toContain('555 0142');
      expect(fact.redactions).toBe(2);
      expect(fact.expiresAt).toBeNull();
      const brief = newMemory({ profileId: 'p', type: 'interaction', retention: '1h', content: 'Asked about the Zebra rollout' }, at);
      expect(brief.expiresAt).toBe('2026-06-15T10:00:00.000Z');
      const year = newMemory({ profileId: 'p', type: 'campaign_result', retention: '1y', content: 'Spring webinar converted 4%' }, at);
      const other = newMemory({ profileId: 'q', type: 'chat_fact', retention: '30d', content: 'not yours' }, at);
      for (const m of [fact, brief, year, other]) await repo.insert(m);
      expect((await repo.list('p', { now: at.toISOString(), limit: 10 })).map((m) => m.id).sort()).toEqual([fact.id, brief.id, year.id].sort());
      expect((await repo.list('p', { now: at.toISOString(), type: 'campaign_result', limit: 10 })).map((m) => m.id)).toEqual([year.id]);
      // Two hours later the 1-hour item is gone, from the list and from the table.
      const later = '2026-06-15T11:00:00.000Z';
      expect((await repo.list('p', { now: later, limit: 10 })).map((m) => m.id)).not.toContain(brief.id);
      expect(await repo.sweep(later)).toBe(1);
      expect(await repo.delete('q', fact.id)).toBe(false);
      expect(await repo.delete('p', fact.id)).toBe(true);
      expect((await repo.list('p', { now: later, limit: 10 })).map((m) => m.id)).toEqual([year.id]);
    });
  });

  it('memory routes: add redacts, list sweeps at the clock, forget removes; not_found for a stranger', async () => {
    const added = await t.core.call('memory.add', { workspace: 'w', type: 'meeting_summary', retention: '1h', content: 'Call with bob@example.com went well' });
    expect(added.content).toMatch(/\[EMAIL_1\]/);
    expect((await t.core.call('memory.list', { workspace: 'w' })).items.map((i) => i.id)).toContain(added.id);
    clock = new Date(at.getTime() + 2 * 3_600_000);
    expect((await t.core.call('memory.list', { workspace: 'w' })).items.map((i) => i.id)).not.toContain(added.id);
    clock = at;
    const keep = await t.core.call('memory.add', { workspace: 'w', type: 'chat_fact', retention: '30d', content: 'Quarter ends in June' });
    await t.core.call('memory.forget', { workspace: 'w', memoryId: keep.id });
    expect((await t.core.call('memory.list', { workspace: 'w' })).items.map((i) => i.id)).not.toContain(keep.id);
    await expect(t.core.call('memory.forget', { workspace: 'w', memoryId: keep.id })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('memory recall', () => {
  const now = new Date('2026-06-15T00:00:00.000Z');
  const m = (content: string, createdAt = '2026-06-01T00:00:00.000Z') => ({ ...newMemory({ profileId: 'p', type: 'chat_fact', retention: 'permanent', content }, now), createdAt });

  it('ranks by shared rare terms and fits the token budget', () => {
    const items = [m('Acme renewal is due in July'), m('The printer at Northwind jams'), m('Acme prefers calls on Monday'), m('Weather was nice')];
    const got = recall('When is the Acme renewal?', items, now, 1000, (s) => Math.ceil(s.length / 4));
    expect(got.map((i) => i.content)).toEqual(['Acme renewal is due in July', 'Acme prefers calls on Monday']);
    const tight = recall('When is the Acme renewal?', items, now, 16, (s) => Math.ceil(s.length / 4));
    expect(tight.map((i) => i.content)).toEqual(['Acme renewal is due in July']);
    expect(recall('the of and', items, now, 1000, (s) => s.length)).toEqual([]);
  });
});
