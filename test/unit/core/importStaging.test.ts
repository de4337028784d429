import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../src/shared/contract';
import { makeTestCore, type TestCore } from '../../fixtures/core';

const CSV = 'name,tier,arr\nNorthwind,enterprise,120000\nBadCo,galactic,5\n';

const staged = (t: TestCore): string[] => {
  const dir = join(t.dataDir, 'uploads');
  return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : [];
};

describe('staged uploads are cleaned up (issue 13 §3)', () => {
  let t: TestCore | undefined;
  afterEach(async () => t?.cleanup());

  const run = async (uploadId: string, opts: { dryRun?: boolean; skipBadRows?: boolean }): Promise<ImportReport> => {
    const { jobId } = await t!.core.call('import.run', { workspace: 'w', entity: 'accounts', uploadId, ...opts });
    const job = await t!.core.services.jobs.waitFor(jobId);
    expect(job.status, job.error?.message).toBe('completed');
    return job.result as ImportReport;
  };

  it('a dry run keeps the staged file for the import; the import removes it even when it commits nothing', async () => {
    t = makeTestCore();
    await t.core.call('workspace.create', { name: 'w' });
    const { uploadId } = await t.core.call('import.stage', { chunk: CSV });
    expect(staged(t)).toEqual([`${uploadId}.csv`]);
    expect(await run(uploadId, { dryRun: true })).toMatchObject({ badRows: 1, committed: false });
    expect(staged(t)).toEqual([`${uploadId}.csv`]);
    expect(await run(uploadId, {})).toMatchObject({ badRows: 1, committed: false });
    expect(staged(t)).toEqual([]);
  });

  it('at start, removes what killed processes staged and keeps what a running process stages', async () => {
    t = makeTestCore();
    const dataDir = t.dataDir;
    await t.core.call('workspace.create', { name: 'w' });
    // An import killed in the middle: its job row says running, its owner process is gone, its file is still there.
    const { uploadId } = await t.core.call('import.stage', { chunk: CSV });
    const file = readdirSync(join(dataDir, 'uploads'), { recursive: true }).map(String).find((f) => f.endsWith(`${uploadId}.csv`))!;
    const uploads = join(dataDir, 'uploads');
    t.core.services.appDb
      .prepare("INSERT INTO jobs (id, kind, workspace_id, status, params, created_at, owner_pid) VALUES ('imp-1', 'import.csv', NULL, 'running', ?, '2026-06-15T00:00:00Z', ?)")
      .run(JSON.stringify({ workspaceId: 'x', uploadId, csvFile: join(uploads, file), entity: 'accounts', mapping: {}, dryRun: false, skipBadRows: false, now: '2026-06-15T00:00:00Z' }), 2 ** 31 - 2);
    // Left by a process that is gone, by an older version (loose), and by a process that still runs (kept).
    mkdirSync(join(uploads, `p${2 ** 31 - 3}`));
    writeFileSync(join(uploads, `p${2 ** 31 - 3}`, '11111111-1111-1111-1111-111111111111.csv'), 'x'.repeat(1000));
    writeFileSync(join(uploads, '22222222-2222-2222-2222-222222222222.csv'), 'y');
    mkdirSync(join(uploads, `p${process.ppid}`), { recursive: true });
    writeFileSync(join(uploads, `p${process.ppid}`, '33333333-3333-3333-3333-333333333333.csv'), 'z');
    await t.core.dispose();

    t = makeTestCore({ dataDir });
    expect(staged(t)).toEqual(['33333333-3333-3333-3333-333333333333.csv']);
    expect(t.core.services.jobs.get('imp-1').status).toBe('interrupted');
  });
});
