import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../fixtures/core';
import { startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';
import { testPolicy } from '../../../fixtures/gateway';
import { runCliIn } from '../../../fixtures/cli';

const cli = runCliIn;

/** chat (streamed, proposals left pending or approved with --approve), conversations and memory from the CLI. */
describe('CLI: chat, conversations, memory', () => {
  let dir: string;
  let fake: FakeOpenAI;
  beforeAll(async () => {
    dir = tempDir();
    fake = await startFakeOpenAI();
    expect((await cli(dir, 'workspace', 'create', 'w', '--demo', '--scale', '0.1', '--seed', '3', '--anchor-date', '2026-06-15')).code).toBe(0);
    expect((await cli(dir, 'provider', 'add', '--name', 'fake', '--kind', 'openai-compatible', '--base-url', fake.url, '--model', 'fake-chat')).code).toBe(0);
    const policy = join(dir, 'p.yaml');
    writeFileSync(policy, testPolicy({ fallback: ['fake'], timeoutMs: 5000 }));
    expect((await cli(dir, 'policy', 'set', policy, '--workspace', 'w')).code).toBe(0);
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a proposed write with its diff and leaves it pending; --approve creates the record', async () => {
    fake.enqueue('chat', { toolCalls: [{ name: 'create_task', arguments: { title: 'Call the CFO back', dueDate: '2026-06-18' } }] }, { text: 'I proposed a task.', chunkSize: 3 });
    const r = await cli(dir, 'chat', '--workspace', 'w', '--agent', 'sales', 'Remind me to call the CFO back');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('I proposed a task.');
    expect(r.out).toMatch(/Proposed: .*Call the CFO back.*\[create_task, pending/);
    expect(r.out).toMatch(/title: — → Call the CFO back/);
    expect(r.out).toContain('Pending: approve in the app');
    const conv = /conversation ([0-9a-f-]{36})/.exec(r.out)![1]!;

    fake.enqueue('chat', { toolCalls: [{ name: 'create_task', arguments: { title: 'Send the contract' } }] }, { text: 'Proposed again.' });
    const a = await cli(dir, 'chat', '--workspace', 'w', '--agent', 'sales', '--conversation', conv, '--approve', '--json', 'And a task to send the contract');
    expect(a.code, a.err).toBe(0);
    const json = JSON.parse(a.out) as { approved: { status: string }[]; conversationId: string };
    expect(json.conversationId).toBe(conv);
    expect(json.approved).toEqual([expect.objectContaining({ status: 'executed' })]);
    const found = await cli(dir, 'data', 'find', 'tasks', 'Send the contract', '--workspace', 'w', '--json');
    expect(found.out).toContain('Send the contract');

    const list = await cli(dir, 'conversations', 'list', '--workspace', 'w');
    expect(list.out).toContain(conv);
    const show = await cli(dir, 'conversations', 'show', conv, '--workspace', 'w');
    expect(show.out).toMatch(/^# Remind me to call the CFO back/);
    const out = join(dir, 'c.md');
    expect((await cli(dir, 'conversations', 'export', conv, '--workspace', 'w', '--out', out)).out).toContain(`Wrote ${out}`);
  });

  it('lists and forgets memories', async () => {
    const listed = await cli(dir, 'memory', 'list', '--workspace', 'w', '--json');
    const items = (JSON.parse(listed.out) as { items: { id: string; content: string }[] }).items;
    expect(items.some((i) => i.content.includes('call the CFO back'))).toBe(true);
    expect((await cli(dir, 'memory', 'forget', items[0]!.id, '--workspace', 'w')).out).toContain('Forgotten.');
    const again = JSON.parse((await cli(dir, 'memory', 'list', '--workspace', 'w', '--json')).out) as { items: { id: string }[] };
    expect(again.items.map((i) => i.id)).not.toContain(items[0]!.id);
    const bad = await cli(dir, 'chat', '--workspace', 'w', '--agent', 'wizard', 'hi');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('--agent must be one of');
  });
});
