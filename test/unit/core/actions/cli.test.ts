import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, tempDir } from '../../../fixtures/core';
import { seedActionsWorkspace } from './seed';
import { runCli } from '../../../fixtures/cli';

const cli = runCli;

describe('actions CLI (in-process)', () => {
  const dir = tempDir();
  const d = ['--data-dir', dir];
  beforeAll(async () => {
    const t = makeTestCore({ dataDir: dir });
    await seedActionsWorkspace(t.core, 'w');
    await t.core.dispose();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('actions list prints the registry', async () => {
    const r = await cli(...d, 'actions', 'list', '--json');
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { actions: { name: string }[] }).actions.map((a) => a.name)).toEqual(expect.arrayContaining(['create_task', 'get_record', 'delete_note']));
  });

  it('a write run from the CLI is left pending with its diff; approve (found without --workspace, edited args) applies it; audit list shows it', async () => {
    const run = await cli(...d, 'actions', 'run', 'create_task', '--workspace', 'w', '--args', '{"title":"Follow up","dealId":8}');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/Pending approval \(actions approve (apr_\w+)\)/);
    expect(run.out).toMatch(/title: Follow up/);
    const id = /actions approve (apr_\w+)/.exec(run.out)![1]!;
    const pending = await cli(...d, 'actions', 'pending', '--workspace', 'w', '--json');
    expect((JSON.parse(pending.out) as { approvals: { id: string }[] }).approvals.map((a) => a.id)).toEqual([id]);
    const ok = await cli(...d, 'actions', 'approve', id, '--args', '{"title":"Follow up today","dealId":8}');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/Done: create_task \(audit aud_\w+\); touched tasks #\d+/);
    const audit = await cli(...d, 'audit', 'list', '--workspace', 'w', '--json');
    const entries = (JSON.parse(audit.out) as { entries: { action: string; source: string; args: { title: string } }[] }).entries;
    expect(entries[0]).toMatchObject({ action: 'create_task', source: 'cli', args: { title: 'Follow up today' } });
  });

  it('reject leaves nothing written; bad JSON and unknown ids are clear errors', async () => {
    const run = await cli(...d, 'actions', 'run', 'delete_task', '--workspace', 'w', '--args', '{"id":100}', '--json');
    const id = (JSON.parse(run.out) as { approval: { id: string } }).approval.id;
    const rej = await cli(...d, 'actions', 'reject', id, '--workspace', 'w', '--reason', 'no');
    expect(rej.code, rej.err).toBe(0);
    expect(rej.out).toMatch(/nothing was written/);
    const rec = await cli(...d, 'data', 'record', 'tasks', '100', '--workspace', 'w', '--json');
    expect(rec.code, rec.err).toBe(0);
    const bad = await cli(...d, 'actions', 'run', 'create_task', '--workspace', 'w', '--args', '{oops');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--args must be a JSON object/);
    const missing = await cli(...d, 'actions', 'approve', 'apr_nope');
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/No workspace has an open approval "apr_nope"/);
  });
});
