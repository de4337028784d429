import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../../fixtures/core';
import { isShutdown, ShutdownAbort } from '../../../src/main/core/jobs/shutdown';

/** Waits for the first progress event of a job that shows work under way (a worker writing rows). */
const underWay = (t: TestCore, jobId: string): Promise<void> =>
  new Promise<void>((resolve) => {
    const off = t.core.events.on('job.progress', (j) => {
      if (j.jobId === jobId && j.status === 'running' && j.done > 0) {
        off();
        resolve();
      }
    });
  });

describe('shutting down is not failing (issue 13 §3)', () => {
  let t: TestCore | undefined;
  afterEach(async () => t?.cleanup());

  it('a shutdown abort is told apart from a cancel', () => {
    const cancel = new AbortController();
    cancel.abort();
    const quit = new AbortController();
    quit.abort(new ShutdownAbort());
    expect(isShutdown(cancel.signal)).toBe(false);
    expect(isShutdown(quit.signal)).toBe(true);
    expect(isShutdown(new AbortController().signal)).toBe(false);
  });

  it('quitting during demo generation keeps the workspace generating, and the next start finishes it', async () => {
    t = makeTestCore();
    const dataDir = t.dataDir;
    const { jobId } = await t.core.call('workspace.create', { name: 'quit', demo: { scale: 20, seed: 2, anchorDate: '2026-06-15' } });
    await underWay(t, jobId!);
    // What SIGTERM does in the web host and Electron's quit: dispose the core while the job runs.
    await t.core.dispose();
    t = makeTestCore({ dataDir, resumeJobs: false });
    const before = t.core.services.workspaces.list();
    expect(before).toEqual([expect.objectContaining({ name: 'quit', status: 'generating' })]);
    expect(t.core.services.jobs.get(jobId!).status).toBe('running');
    await t.core.dispose();

    t = makeTestCore({ dataDir });
    const job = await t.core.services.jobs.waitFor(jobId!);
    expect(job.status, job.error?.message).toBe('completed');
    expect((await t.core.call('workspace.list', {})).workspaces).toEqual([expect.objectContaining({ name: 'quit', status: 'ready' })]);
    expect((await t.core.call('data.stats', { workspace: 'quit' })).counts.tickets).toBeGreaterThan(0);
  });

  it('start-up recovery leaves alone a job whose owner process still runs, and takes over one whose owner is gone', async () => {
    t = makeTestCore();
    const dataDir = t.dataDir;
    const { jobId } = await t.core.call('workspace.create', { name: 'owned', demo: { scale: 0.2, seed: 3, anchorDate: '2026-06-15' } });
    await t.core.services.jobs.waitFor(jobId!);
    const db = t.core.services.appDb;
    // Another live process (this test runner's parent) "runs" the job: nobody may take it over or mark it interrupted.
    db.prepare("UPDATE jobs SET status = 'running', finished_at = NULL, owner_pid = ? WHERE id = ?").run(process.ppid, jobId);
    db.prepare("UPDATE workspaces SET status = 'generating' WHERE name = 'owned'").run();
    await t.core.dispose();
    t = makeTestCore({ dataDir });
    expect(t.core.services.jobs.running()).toEqual([]);
    expect(t.core.services.jobs.get(jobId!).status).toBe('running');
    expect(t.core.services.workspaces.get('owned').status).toBe('generating');
    // Its owner is gone (no such pid): the next start resumes it.
    t.core.services.appDb.prepare('UPDATE jobs SET owner_pid = ? WHERE id = ?').run(2 ** 31 - 2, jobId);
    await t.core.dispose();
    t = makeTestCore({ dataDir });
    expect(t.core.services.jobs.running().map((j) => j.jobId)).toEqual([jobId]);
    expect((await t.core.services.jobs.waitFor(jobId!)).status).toBe('completed');
    expect(t.core.services.workspaces.get('owned').status).toBe('ready');
  });

  it("scope 'blocking' (the CLI) resumes demo generation but leaves other resumable jobs to the app", async () => {
    t = makeTestCore();
    const dataDir = t.dataDir;
    const { jobId } = await t.core.call('workspace.create', { name: 'cli', demo: { scale: 0.2, seed: 3, anchorDate: '2026-06-15' } });
    await t.core.services.jobs.waitFor(jobId!);
    const db = t.core.services.appDb;
    db.prepare("UPDATE jobs SET status = 'running', finished_at = NULL, owner_pid = NULL WHERE id = ?").run(jobId);
    db.prepare("UPDATE workspaces SET status = 'generating' WHERE name = 'cli'").run();
    // A model download interrupted the same way: resumable, but no workspace waits for it.
    db.prepare("INSERT INTO jobs (id, kind, status, params, created_at, owner_pid) VALUES ('dl-1', 'model.download', 'running', '{}', '2026-06-15T00:00:00Z', NULL)").run();
    await t.core.dispose();
    t = makeTestCore({ dataDir, resumeJobs: 'blocking' });
    expect(t.core.services.jobs.running().map((j) => j.jobId)).toEqual([jobId]);
    expect(t.core.services.jobs.get('dl-1').status).toBe('running');
    expect((await t.core.services.jobs.waitFor(jobId!)).status).toBe('completed');
  });
});
