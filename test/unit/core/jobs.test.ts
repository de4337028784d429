import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../../fixtures/core';
import type { JobInfo } from '../../../src/shared/contract';

describe('jobs and demo workspaces', () => {
  let t: TestCore | undefined;
  afterEach(async () => t?.cleanup());

  it('generates a demo workspace in a worker with progress events, and it becomes ready', async () => {
    t = makeTestCore();
    const seen: JobInfo[] = [];
    t.core.events.on('job.progress', (j) => seen.push(j));
    const { workspace, jobId } = await t.core.call('workspace.create', { name: 'demo', demo: { scale: 0.3, seed: 1, anchorDate: '2026-06-15' } });
    expect(workspace.status).toBe('generating');
    await expect(t.core.call('data.stats', { workspace: 'demo' })).rejects.toMatchObject({ code: 'unavailable' });
    const job = await t.core.services.jobs.waitFor(jobId!);
    expect(job.status).toBe('completed');
    expect(seen.map((s) => s.status)).toEqual(expect.arrayContaining(['queued', 'running', 'completed']));
    const [ws] = (await t.core.call('workspace.list', {})).workspaces;
    expect(ws).toMatchObject({ name: 'demo', status: 'ready', demo: { scale: 0.3, seed: 1 } });
    expect((await t.core.call('data.stats', { workspace: 'demo' })).counts.tickets).toBeGreaterThan(0);
  });

  it('cancelling a demo generation leaves no workspace behind', async () => {
    t = makeTestCore();
    const { jobId } = await t.core.call('workspace.create', { name: 'big', demo: { scale: 50, seed: 1, anchorDate: '2026-06-15' } });
    await new Promise<void>((resolve) => {
      const off = t!.core.events.on('job.progress', (j) => {
        if (j.jobId === jobId && j.done > 0) {
          off();
          resolve();
        }
      });
    });
    await t.core.call('jobs.cancel', { jobId: jobId! });
    const job = await t.core.services.jobs.waitFor(jobId!);
    expect(job.status).toBe('cancelled');
    expect((await t.core.call('workspace.list', {})).workspaces).toEqual([]);
  });

  it('a job interrupted by a crash is resumed at the next start (resumable kinds)', async () => {
    t = makeTestCore();
    const dataDir = t.dataDir;
    const { jobId } = await t.core.call('workspace.create', { name: 'resume', demo: { scale: 0.2, seed: 3, anchorDate: '2026-06-15' } });
    // Simulate a crash: the row says 'running' and no process is running it.
    await t.core.services.jobs.waitFor(jobId!);
    t.core.services.appDb.prepare("UPDATE jobs SET status = 'running', finished_at = NULL WHERE id = ?").run(jobId);
    t.core.services.appDb.prepare("UPDATE workspaces SET status = 'generating' WHERE name = 'resume'").run();
    await t.core.dispose();
    t = makeTestCore({ dataDir });
    const job = await t.core.services.jobs.waitFor(jobId!);
    expect(job.status).toBe('completed');
    expect((await t.core.call('workspace.list', {})).workspaces[0]?.status).toBe('ready');
  });
});
