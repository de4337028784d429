import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, tempDir, type TestCore } from '../../../fixtures/core';
import { openDatabase } from '../../../../src/main/core/db/open';
import { inspectSqliteFile, tableCounts } from '../../../../src/main/core/db/backup';
import type { BackupResult, RestoreResult } from '../../../../src/main/core/workspaces/backupService';

const onPostgres = process.env.TEST_DB_ENGINE === 'postgres';
const sqliteOnly = onPostgres ? describe.skip : describe;

(onPostgres ? describe : describe.skip)('workspace backup on PostgreSQL', () => {
  it('says clearly that a PostgreSQL workspace is backed up with pg_dump', async () => {
    const t = makeTestCore();
    try {
      await t.core.call('workspace.create', { name: 'pg' });
      await expect(t.core.call('workspace.backup', { workspace: 'pg' })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/pg_dump/) });
    } finally {
      await t.cleanup();
    }
  });
});

sqliteOnly('workspace backup and restore (issue 13 §3)', () => {
  let t: TestCore | undefined;
  afterEach(async () => t?.cleanup());

  const finished = async <R>(jobId: string): Promise<R> => {
    const job = await t!.core.services.jobs.waitFor(jobId);
    if (job.status !== 'completed') throw new Error(`${job.kind} ${job.status}: ${job.error?.message}`);
    return job.result as R;
  };

  it('backs up a workspace while it is open and written to, verifies the copy, and restores it into a new workspace', async () => {
    t = makeTestCore();
    const demo = await t.core.call('workspace.create', { name: 'src', demo: { scale: 0.3, seed: 11, anchorDate: '2026-06-15' } });
    await finished(demo.jobId!);
    // Open and in use: a write lands in the WAL, not yet in the main file, and must be in the backup.
    const db = t.core.services.workspaces.open('src');
    db.prepare("INSERT INTO workspace_meta (key, value) VALUES ('backup-probe', 'yes')").run();
    const source = tableCounts(db);

    const started = await t.core.call('workspace.backup', { workspace: 'src' });
    expect(started.backup).toMatch(/^src-\d{8}T\d{6}Z\.sqlite$/);
    const result = await finished<BackupResult>(started.jobId);
    expect(result).toMatchObject({ workspace: 'src', backup: started.backup, integrity: 'ok' });
    expect(result.rows).toBe(Object.values(source).reduce((a, b) => a + b, 0));
    const copy = inspectSqliteFile(result.file);
    expect(copy.counts).toEqual(source);

    const { backups } = await t.core.call('workspace.backups', {});
    expect(backups).toEqual([expect.objectContaining({ backup: started.backup, workspace: 'src', sizeBytes: result.bytes })]);

    // Restoring never overwrites: an existing name is refused at once.
    await expect(t.core.call('workspace.restore', { backup: started.backup, name: 'src' })).rejects.toMatchObject({ code: 'conflict' });
    const restore = await t.core.call('workspace.restore', { backup: started.backup, name: 'copy' });
    const restored = await finished<RestoreResult>(restore.jobId);
    expect(restored).toMatchObject({ workspace: 'copy', integrity: 'ok', rows: result.rows });
    const names = (await t.core.call('workspace.list', {})).workspaces.map((w) => [w.name, w.status]);
    expect(names).toEqual([['copy', 'ready'], ['src', 'ready']]);
    const [a, b] = await Promise.all([t.core.call('data.stats', { workspace: 'src' }), t.core.call('data.stats', { workspace: 'copy' })]);
    expect(b.counts).toEqual(a.counts);
    // The copy is a workspace of its own: its stored name is the new one, and writing to it leaves the source alone.
    const copyDb = t.core.services.workspaces.open('copy');
    expect(copyDb.prepare("SELECT value FROM workspace_meta WHERE key = 'name'").pluck().get()).toBe('copy');
    expect(copyDb.prepare("SELECT value FROM workspace_meta WHERE key = 'backup-probe'").pluck().get()).toBe('yes');
    copyDb.prepare('DELETE FROM ticket_comments').run();
    expect((await t.core.call('data.stats', { workspace: 'src' })).counts).toEqual(a.counts);
  });

  it('restores a backup written to a file of the caller\u2019s choosing, and refuses files that are not workspace backups', async () => {
    t = makeTestCore();
    await t.core.call('workspace.create', { name: 'small' });
    const out = join(tempDir(), 'small.backup');
    const { jobId } = t.core.services.backups.backup('small', null, out);
    await finished<BackupResult>(jobId);
    expect(existsSync(out)).toBe(true);
    // A backup never overwrites a file.
    expect(() => t!.core.services.backups.backup('small', null, out)).toThrow(/already exists/);

    const restore = t.core.services.backups.restore({ file: out }, 'small again', null);
    await finished<RestoreResult>(restore.jobId);
    expect(t.core.services.workspaces.get('small again').status).toBe('ready');

    const dir = tempDir();
    const png = join(dir, 'photo.sqlite');
    writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    const other = join(dir, 'other.sqlite');
    const db = openDatabase(other);
    db.exec('CREATE TABLE x (a)');
    db.close();
    for (const [file, message] of [
      [png, /not a SQLite database/],
      [other, /not an Intelligence Desk workspace/],
    ] as const) {
      const job = await t.core.services.jobs.waitFor(t.core.services.backups.restore({ file }, 'bad', null).jobId);
      expect(job.status).toBe('failed');
      expect(job.error).toMatchObject({ code: 'validation', message: expect.stringMatching(message) });
    }
    expect(t.core.services.workspaces.list().map((w) => w.name)).toEqual(['small', 'small again']);
  });

  it('refuses paths and unknown names where a backup name is expected', async () => {
    t = makeTestCore();
    await expect(t.core.call('workspace.restore', { backup: '../../app.sqlite', name: 'x' })).rejects.toMatchObject({ code: 'validation' });
    await expect(t.core.call('workspace.restore', { backup: 'ghost-20260101T000000Z.sqlite', name: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.core.call('workspace.backup', { workspace: 'ghost' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

sqliteOnly('daily backups (a scheduler task, off until switched on)', () => {
  it('runs once a day when switched on and keeps only the last N daily backups, never the ones made by hand', async () => {
    let now = new Date('2026-06-15T01:00:00Z');
    const t = makeTestCore({ clock: { now: () => now } });
    try {
      await t.core.call('workspace.create', { name: 'w' });
      const manual = await t.core.call('workspace.backup', { workspace: 'w' });
      await t.core.services.jobs.waitFor(manual.jobId);
      const task = (await t.core.call('schedule.list', { workspace: 'w' })).schedules.find((s) => s.kind === 'workspace_backup')!;
      expect(task).toMatchObject({ enabled: false, cron: '30 2 * * *' });
      now = new Date('2026-06-15T03:00:00Z');
      expect((await t.core.call('schedule.runDue', {})).started.map((s) => s.scheduleId)).not.toContain(task.id);

      now = new Date('2026-06-15T01:00:00Z');
      await t.core.call('schedule.setEnabled', { id: task.id, enabled: true });
      expect(await t.core.call('workspace.setBackupSettings', { keepDaily: 2 })).toEqual({ keepDaily: 2 });
      for (const day of ['15', '16', '17']) {
        now = new Date(`2026-06-${day}T03:00:00Z`);
        const started = (await t.core.call('schedule.runDue', {})).started.find((s) => s.scheduleId === task.id);
        expect(started, `day ${day}`).toBeDefined();
        expect((await t.core.services.jobs.waitFor(started!.jobId)).status).toBe('completed');
      }
      const { backups } = await t.core.call('workspace.backups', { workspace: 'w' });
      expect(backups.map((b) => [b.backup, b.daily])).toEqual([
        ['w-20260617T030000Z-daily.sqlite', true],
        ['w-20260616T030000Z-daily.sqlite', true],
        [manual.backup, false],
      ]);
      // A daily backup restores like any other.
      const r = await t.core.call('workspace.restore', { backup: backups[0]!.backup, name: 'w from daily' });
      expect((await t.core.services.jobs.waitFor(r.jobId)).status).toBe('completed');
    } finally {
      await t.cleanup();
    }
  });
});
