import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../../fixtures/core';

describe('demo workspaces: a pinned anchor date and honest row counts', () => {
  let t: TestCore;
  let rows: number;
  beforeAll(async () => {
    t = makeTestCore();
    const { jobId } = await t.core.call('workspace.create', { name: 'pinned', demo: { scale: 0.1, seed: 3, anchorDate: '2025-02-14' } });
    const job = await t.core.services.jobs.waitFor(jobId!);
    rows = (job.result as { rows: number }).rows;
  });
  afterAll(async () => t.cleanup());

  it('history ends on the anchor date given, whatever today is', () => {
    const db = t.core.services.workspaces.open('pinned');
    const last = db.prepare('SELECT max(created_at) FROM tickets').pluck().get() as string;
    expect(last.slice(0, 10) <= '2025-02-14').toBe(true);
    expect(last.slice(0, 7) >= '2025-01').toBe(true);
  });

  it('the job reports the rows the Data page counts (no bookkeeping rows)', async () => {
    const { counts } = await t.core.call('data.stats', { workspace: 'pinned' });
    expect(rows).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
  });

  it('refuses an anchor date that is not a day', async () => {
    await expect(t.core.call('workspace.create', { name: 'bad', demo: { anchorDate: '2025-02-30' } })).rejects.toMatchObject({ code: 'validation' });
    await expect(t.core.call('workspace.create', { name: 'bad', demo: { anchorDate: 'tomorrow' } })).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/YYYY-MM-DD/) });
  });
});
