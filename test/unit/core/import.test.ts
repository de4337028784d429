import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../src/shared/contract';
import { demoWorkspace, makeTestCore, type TestCore } from '../../fixtures/core';

const CSV = [
  'code,subject,status,priority,account_id,created_at',
  'TCK-900001,Login fails,open,high,3,2026-11-01T10:00:00Z',
  'TCK-900002,Refund please,bogus,normal,4,2026-11-02',
  'TCK-900003,Slow app,Open,Urgent,2,',
].join('\n');

async function runImport(t: TestCore, csv: string, opts: { dryRun?: boolean; skipBadRows?: boolean; mapping?: Record<string, string | null> } = {}): Promise<ImportReport> {
  const { uploadId } = await t.core.call('import.stage', { chunk: csv });
  const { jobId } = await t.core.call('import.run', { workspace: 'demo', entity: 'tickets', uploadId, ...opts });
  const job = await t.core.services.jobs.waitFor(jobId);
  expect(job.status, job.error?.message).toBe('completed');
  return job.result as ImportReport;
}

const ticketCount = async (t: TestCore): Promise<number> => (await t.core.call('data.stats', { workspace: 'demo' })).counts.tickets!;

describe('CSV import', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = makeTestCore();
    await demoWorkspace(t.core);
  });
  afterAll(() => t.cleanup());

  it('suggests a mapping from the header', async () => {
    const { uploadId } = await t.core.call('import.stage', { chunk: CSV });
    const a = await t.core.call('import.analyze', { workspace: 'demo', entity: 'tickets', uploadId });
    expect(a.headers).toEqual(['code', 'subject', 'status', 'priority', 'account_id', 'created_at']);
    expect(a.suggestedMapping).toMatchObject({ code: 'code', subject: 'subject', account_id: 'account_id', description: null });
    expect(a.sample).toHaveLength(3);
  });

  it('a dry run reports bad rows by line and writes nothing', async () => {
    const before = await ticketCount(t);
    const r = await runImport(t, CSV, { dryRun: true });
    expect(r).toMatchObject({ dryRun: true, committed: false, totalRows: 3, validRows: 2, badRows: 1, imported: 0 });
    expect(r.errors).toEqual([{ line: 3, column: 'status', reason: expect.stringContaining('"bogus"') }]);
    expect(await ticketCount(t)).toBe(before);
  });

  it('an import with a bad row commits nothing', async () => {
    const before = await ticketCount(t);
    const r = await runImport(t, CSV);
    expect(r).toMatchObject({ committed: false, imported: 0, badRows: 1 });
    expect(await ticketCount(t)).toBe(before);
  });

  it('with skipBadRows the good rows go in; enum case is normalised and empty created_at means now', async () => {
    const before = await ticketCount(t);
    const r = await runImport(t, CSV, { skipBadRows: true });
    expect(r).toMatchObject({ committed: true, imported: 2, skipped: 1 });
    expect(await ticketCount(t)).toBe(before + 2);
    const { rows } = await t.core.call('data.browse', { workspace: 'demo', entity: 'tickets', search: 'TCK-900003' });
    expect(rows[0]).toMatchObject({ status: 'open', priority: 'urgent' });
    expect(rows[0]!.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('reports duplicates of unique codes and missing references as bad rows', async () => {
    const r = await runImport(t, ['code,subject,status,priority,account_id', 'TCK-900001,Again,open,low,1', 'TCK-777777,New,open,low,999999'].join('\n'), { dryRun: true });
    expect(r.badRows).toBe(2);
    expect(r.errors.map((e) => e.reason).join(' | ')).toMatch(/code already exists.*\|.*does not exist/);
  });

  it('refuses a mapping that leaves a required column unmapped, naming it', async () => {
    const { uploadId } = await t.core.call('import.stage', { chunk: 'subject\nx\n' });
    await expect(t.core.call('import.run', { workspace: 'demo', entity: 'tickets', uploadId })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/Map a CSV column to Code, Status, Priority/),
    });
  });

  it('refuses broken CSV with the line number', async () => {
    const { uploadId } = await t.core.call('import.stage', { chunk: 'code,subject,status,priority\n"TCK-1,unterminated,open,low\n' });
    await expect(t.core.call('import.run', { workspace: 'demo', entity: 'tickets', uploadId, dryRun: true })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/line 2/),
    });
  });

  it('a large file with a duplicate and a broken reference part-way: nothing, or every good row with skipBadRows', async () => {
    // More rows than one write batch (1,000 on PostgreSQL), with the bad rows in the second and third batches.
    const lines = ['code,subject,status,priority,account_id'];
    for (let i = 1; i <= 2500; i++) lines.push(`TCK-8${String(i).padStart(5, '0')},Bulk ${i},open,low,${(i % 5) + 1}`);
    lines[1800] = 'TCK-800001,Duplicate of the first,open,low,1';
    lines[2300] = 'TCK-899999,Broken reference,open,low,999999';
    const csv = lines.join('\n');
    const before = await ticketCount(t);
    const strict = await runImport(t, csv);
    expect(strict).toMatchObject({ committed: false, totalRows: 2500, badRows: 2, validRows: 2498, imported: 0 });
    expect(strict.errors).toEqual([
      { line: 1801, column: null, reason: expect.stringMatching(/code already exists/) },
      { line: 2301, column: 'account_id', reason: expect.stringMatching(/999999 does not exist/) },
    ]);
    expect(await ticketCount(t)).toBe(before);
    const lenient = await runImport(t, csv, { skipBadRows: true });
    expect(lenient).toMatchObject({ committed: true, imported: 2498, skipped: 2 });
    expect(await ticketCount(t)).toBe(before + 2498);
  });

  it('rejects upload ids that are not ids (no path traversal)', async () => {
    await expect(t.core.call('import.stage', { uploadId: '../../secret', chunk: 'x' })).rejects.toMatchObject({ code: 'validation' });
  });
});
