import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CopilotStreamPayload } from '../../../../src/shared/contract';
import { events as eventSchemas } from '../../../../src/shared/events';
import { RegistryActionService } from '../../../../src/main/core/actions/actionService';
import { actionTools } from '../../../../src/main/core/copilot/actionTools';
import type { CopilotTools } from '../../../../src/main/core/copilot/tools';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';
import { testPolicy } from '../../../fixtures/gateway';

/**
 * Copilot turns against the fake OpenAI-compatible server, which scripts the tool calls, with the real action layer
 * over a small demo workspace: reads run and are cited, writes are proposed and wait for approval.
 */
describe('copilot turns', () => {
  let t: TestCore;
  let fake: FakeOpenAI;
  let actions: RegistryActionService;
  let ticketId: number;
  let dealId: number;
  let dealName: string;
  const ws = async () => (await t.core.services.workspaces.acquire('w')).context;

  /** Sends a message and collects its copilot.stream events. */
  async function send(input: { message: string; agent?: 'sales' | 'success' | 'analyst' | 'builder'; conversationId?: string; turnId?: string; onDelta?: () => void }) {
    const turnId = input.turnId ?? `turn-${Math.random().toString(36).slice(2, 12)}`;
    const got: CopilotStreamPayload[] = [];
    const off = t.core.events.on('copilot.stream', (ev) => {
      if (ev.turnId !== turnId) return;
      got.push(ev);
      if (ev.type === 'delta') input.onDelta?.();
    });
    try {
      const result = await t.core.call('copilot.send', { workspace: 'w', agent: input.agent ?? 'sales', message: input.message, conversationId: input.conversationId, turnId });
      return { result, events: got };
    } finally {
      off();
    }
  }

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    let tools: CopilotTools | null = null;
    // A "local" provider that cannot call tools: the copilot must say so, naming the endpoint.
    const noToolAdapter = {
      kind: 'local' as const,
      capabilities: { streaming: true, structuredOutput: 'prompt' as const, tools: false, embeddings: false, transcription: false },
      chat: () => Promise.reject(new Error('not called')),
      streamChat: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('not called')) }) }),
      listModels: () => Promise.resolve([]),
      countTokens: () => 1,
    };
    t = makeTestCore({ localAdapter: () => noToolAdapter, copilotTools: { list: (r) => tools!.list(r), read: (...a) => tools!.read(...a), propose: (...a) => tools!.propose(...a) } });
    const s = t.core.services;
    actions = new RegistryActionService({ records: s.records, data: s.data, insights: s.insights, scans: s.scans, vectors: s.vectors, scheduler: s.scheduler, now: s.now });
    tools = actionTools(actions);
    const { jobId } = await t.core.call('workspace.create', { name: 'w', demo: { scale: 0.2, seed: 7, anchorDate: '2026-06-15' } });
    await s.jobs.waitFor(jobId!);
    await t.core.call('providers.add', { name: 'main', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat' });
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['main'], timeoutMs: 5000 }) });
    const c = await ws();
    const ticket = await c.db.selectFrom('tickets').select(['id']).orderBy('id').executeTakeFirstOrThrow();
    const deal = await c.db.selectFrom('deals').select(['id', 'name']).orderBy('id').executeTakeFirstOrThrow();
    ticketId = ticket.id;
    dealId = deal.id;
    dealName = deal.name;
  });
  afterAll(async () => {
    await t.cleanup();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('runs a read tool, answers with references, and drops a citation of a record it never read', async () => {
    fake.enqueue('chat', { toolCalls: [{ id: 'call_1', name: 'get_record', arguments: { entity: 'tickets', id: ticketId } }] }, { text: `The ticket is open [tickets:${ticketId}]; see also [tickets:999999].`, chunkSize: 5 });
    const { result, events } = await send({ message: 'What is the state of the first ticket?', agent: 'success' });
    expect(result.message.citations).toEqual([{ entity: 'tickets', id: ticketId }]);
    expect(result.message.droppedCitations).toBe(1);
    expect(result.message.content).toContain(`[tickets:${ticketId}]`);
    expect(result.message.content).not.toContain('999999');
    expect(result.iterations).toBe(2);
    // The tool went to the model as a tool definition; its result came back in a tool_result block.
    const [first, second] = fake.requests.filter((r) => r.route === 'chat');
    expect((first!.body.tools as { function: { name: string } }[]).map((x) => x.function.name)).toContain('get_record');
    const toolMsg = (second!.body.messages as { role: string; content: string }[]).find((m) => m.role === 'tool')!;
    expect(toolMsg.content.startsWith('<tool_result>')).toBe(true);
    // Events: deltas, a running and a done tool card, then done; every payload matches the event schema.
    expect(events.filter((e) => e.type === 'tool').map((e) => e.tool!.status)).toEqual(['running', 'done']);
    expect(events.at(-1)!.type).toBe('done');
    for (const e of events) expect(eventSchemas['copilot.stream'].safeParse(e).success).toBe(true);
    const conv = await t.core.call('conversations.get', { workspace: 'w', conversationId: result.conversationId });
    expect(conv.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(conv.conversation.tokensIn).toBeGreaterThan(0);
    // The read was audited by the action layer, with the agent and conversation.
    const audit = await actions.audit.list(await ws(), { action: 'get_record' });
    expect(audit.entries[0]).toMatchObject({ source: 'copilot', agent: 'success', conversationId: result.conversationId });
  });

  it('proposes a write: pending until approved, then the task exists with an audit row', async () => {
    const title = `Follow up on ${dealName}`;
    fake.enqueue('chat', { toolCalls: [{ id: 'call_w', name: 'create_task', arguments: { title, dealId, dueDate: '2026-06-20' } }] }, { text: 'I proposed a follow-up task for your approval.' });
    const { result, events } = await send({ message: `Create a follow-up task for deal ${dealId}` });
    expect(result.message.proposals).toHaveLength(1);
    const p = result.message.proposals[0]!;
    expect(p).toMatchObject({ action: 'create_task', status: 'pending' });
    expect(JSON.stringify(p.diff)).toContain(title);
    expect(events.some((e) => e.type === 'proposal' && e.proposal!.id === p.id)).toBe(true);
    const c = await ws();
    const count = async () => (await c.db.selectFrom('tasks').select('id').where('title', '=', title).execute()).length;
    expect(await count()).toBe(0);
    const pending = await actions.pending(c);
    expect(pending.map((a) => a.id)).toContain(p.id);
    const approved = await actions.approve(c, t.core.activeProfile(), p.id);
    expect(approved.status).toBe('executed');
    expect(await count()).toBe(1);
    const audit = await actions.audit.list(c, { action: 'create_task' });
    expect(audit.entries[0]).toMatchObject({ approvalId: p.id, agent: 'sales', conversationId: result.conversationId, status: 'ok' });
  });

  it('a rejected proposal writes nothing', async () => {
    const title = 'Task that must never exist';
    fake.enqueue('chat', { toolCalls: [{ id: 'call_r', name: 'create_task', arguments: { title } }] }, { text: 'Proposed.' });
    const { result } = await send({ message: 'make a task' });
    const c = await ws();
    await actions.reject(c, t.core.activeProfile(), result.message.proposals[0]!.id, { reason: 'no' });
    expect(await c.db.selectFrom('tasks').select('id').where('title', '=', title).execute()).toHaveLength(0);
  });

  it('refuses a tool the agent is not allowed, and tells the model', async () => {
    fake.enqueue('chat', { toolCalls: [{ id: 'call_x', name: 'schedule_scan', arguments: {} }] }, { text: 'I cannot do that.' });
    const { result } = await send({ message: 'schedule a scan', agent: 'analyst' });
    const conv = await t.core.call('conversations.get', { workspace: 'w', conversationId: result.conversationId });
    expect(conv.messages[1]!.toolCalls[0]).toMatchObject({ name: 'schedule_scan', status: 'failed' });
    expect(result.message.proposals).toEqual([]);
  });

  it('continues a conversation, stops a running turn keeping what arrived, and forbids Builder for members', async () => {
    fake.enqueue('chat', { text: 'First answer.' });
    const first = await send({ message: 'hello' });
    // The second turn's model call hangs; stopping it ends the turn and stores it as stopped.
    fake.enqueue('chat', { hang: true });
    const turnId = 'turn-stop-1234';
    const before = fake.count('chat');
    const running = send({ message: 'and now?', conversationId: first.result.conversationId, turnId });
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (fake.count('chat') > before) resolve();
        else setImmediate(check);
      };
      check();
    });
    expect((await t.core.call('copilot.stop', { turnId })).stopped).toBe(true);
    const stopped = await running;
    expect(stopped.result.message.status).toBe('stopped');
    const conv = await t.core.call('conversations.get', { workspace: 'w', conversationId: first.result.conversationId });
    expect(conv.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    // Builder is for admins; the default profile of a test core is an admin, so a member profile is made.
    const member = await t.core.call('profiles.create', { name: 'Mia', role: 'member' });
    await expect(t.core.call('copilot.send', { workspace: 'w', agent: 'builder', message: 'set up scans' }, { profileId: member.id })).rejects.toMatchObject({ code: 'forbidden' });
    // A member does not see another profile's conversations.
    expect((await t.core.call('conversations.list', { workspace: 'w' }, { profileId: member.id })).conversations).toEqual([]);
  });

  it('renames, pins, searches, exports and deletes conversations', async () => {
    fake.enqueue('chat', { text: 'The Zanzibar deal closes soon.' });
    const { result } = await send({ message: 'Tell me about Zanzibar' });
    const id = result.conversationId;
    expect((await t.core.call('conversations.rename', { workspace: 'w', conversationId: id, title: 'Zanzibar notes' })).title).toBe('Zanzibar notes');
    await t.core.call('conversations.pin', { workspace: 'w', conversationId: id, pinned: true });
    expect((await t.core.call('conversations.list', { workspace: 'w' })).conversations[0]!.id).toBe(id);
    expect((await t.core.call('conversations.search', { workspace: 'w', query: 'closes soon' })).conversations.map((c) => c.id)).toEqual([id]);
    const md = await t.core.call('conversations.export', { workspace: 'w', conversationId: id });
    expect(md.markdown).toMatch(/^# Zanzibar notes/);
    expect(md.markdown).toContain('The Zanzibar deal closes soon.');
    expect(md.fileName).toBe('zanzibar-notes.md');
    await t.core.call('conversations.delete', { workspace: 'w', conversationId: id });
    await expect(t.core.call('conversations.get', { workspace: 'w', conversationId: id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('summarises a long conversation, stores the summary and sends it instead of the old turns', async () => {
    let conversationId: string | undefined;
    const long = (n: number) => `Message ${n}: ${'details about the rollout plan '.repeat(270)}`;
    for (let i = 1; i <= 4; i++) {
      fake.enqueue('chat', { text: `ack ${i}` });
      conversationId = (await send({ message: long(i), conversationId })).result.conversationId;
    }
    fake.reset();
    fake.enqueue('chat', { text: 'SUMMARY: the person plans a rollout; nothing cited.' }, { text: 'Here is where we are.' });
    const { result, events } = await send({ message: 'Where are we?', conversationId });
    expect(result.summarized).toBe(true);
    expect(events.find((e) => e.type === 'summary')!.text).toContain('SUMMARY');
    const conv = await t.core.call('conversations.get', { workspace: 'w', conversationId: conversationId! });
    expect(conv.conversation.summary).toContain('SUMMARY: the person plans a rollout');
    const [summaryCall, turnCall] = fake.requests.filter((r) => r.route === 'chat');
    expect(JSON.stringify(summaryCall!.body.messages)).toContain('Message 1:');
    const sent = JSON.stringify(turnCall!.body.messages);
    expect(sent).toContain('SUMMARY: the person plans a rollout');
    expect(sent).not.toContain('Message 1:');
    expect(sent).toContain('Message 4:');
  });

  it('recalls relevant memories into the prompt, redacted, and not unrelated ones', async () => {
    await t.core.call('memory.add', { workspace: 'w', type: 'chat_fact', retention: 'permanent', content: 'The Zephyr quarterly target is 2 million; owner is zed@example.com' });
    await t.core.call('memory.add', { workspace: 'w', type: 'chat_fact', retention: 'permanent', content: 'Printers on floor three are unreliable' });
    fake.enqueue('chat', { text: 'About 2 million.' });
    await send({ message: 'What is the Zephyr target this quarter?' });
    const sent = JSON.stringify(fake.requests.find((r) => r.route === 'chat')!.body.messages);
    expect(sent).toContain('Zephyr quarterly target is 2 million');
    expect(sent).not.toContain('zed@example.com');
    expect(sent).not.toContain('Printers on floor three');
    // Every finished turn leaves an interaction memory of what was asked.
    const items = (await t.core.call('memory.list', { workspace: 'w', type: 'interaction' })).items;
    expect(items.some((i) => i.content.includes('Zephyr target'))).toBe(true);
  });

  it('uses copilot.<agent> when the policy has it, and names an endpoint that cannot call tools', async () => {
    await t.core.call('providers.add', { name: 'tiny-local', kind: 'local', modelPath: '/models/tiny.gguf', model: 'tiny' });
    await t.core.call('policies.set', {
      workspace: 'w',
      yaml: testPolicy({ fallback: ['main'], timeoutMs: 5000, useCases: "  copilot.analyst:\n    fallback: ['tiny-local']" }),
    });
    try {
      const err = await send({ message: 'anything', agent: 'analyst' }).then(
        () => null,
        (e: unknown) => e as { code: string; message: string; details?: Record<string, unknown> },
      );
      expect(err).toMatchObject({ code: 'unavailable', details: { reason: 'no_tools' } });
      expect(err!.message).toContain('tiny-local');
      // Sales has no entry of its own: copilot.chat (here: default → main) serves it.
      fake.enqueue('chat', { text: 'fine' });
      expect((await send({ message: 'hi' })).result.endpoint).toBe('main');
    } finally {
      await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['main'], timeoutMs: 5000 }) });
    }
  });

  it('search.answer answers from the index with sources, dropping citations of records not among them', async () => {
    const { jobId } = await t.core.call('vectors.build', { workspace: 'w' });
    expect((await t.core.services.jobs.waitFor(jobId)).status).toBe('completed');
    // The fake cites the first source it was given and one record it was not.
    fake.handle('chat', (req) => {
      const user = (req.body.messages as { role: string; content: string }[]).find((m) => m.role === 'user')!.content;
      const tag = /\[([a-z_]+:\d+)\]/.exec(user)?.[1] ?? 'none:0';
      return { text: `It is about billing [${tag}] and [tickets:987654].` };
    });
    const r = await t.core.call('search.answer', { workspace: 'w', query: 'invoice billing' });
    expect(r.sources).toHaveLength(1);
    expect(r.text).toContain(`[${r.sources[0]!.entity}:${r.sources[0]!.id}]`);
    expect(r.text).not.toContain('987654');
    expect(r.droppedCitations).toBe(1);
    const body = fake.requests.find((x) => x.route === 'chat')!.body;
    expect(JSON.stringify(body.messages)).toContain('<data>');
    fake.handle('chat', null);
  });
});
