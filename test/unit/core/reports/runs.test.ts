import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../../../src/shared/charts/format';
import { reportMeasure } from '../../../../src/shared/reports/measures';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { pdfImages, pdfPages, pdfText, renderPages } from '../../../fixtures/poppler';

/** Report runs end to end on a pinned demo workspace: figures the test computes itself must appear in the PDF. */

const ANCHOR = '2026-06-15';
let t: TestCore;
let out: string;

beforeAll(async () => {
  t = makeTestCore({ clock: { now: () => new Date(`${ANCHOR}T12:00:00Z`) } });
  out = mkdtempSync(join(tmpdir(), 'idesk-reports-'));
  const { jobId } = await t.core.call('workspace.create', { name: 'demo', demo: { scale: 0.2, seed: 7, anchorDate: ANCHOR } });
  const job = await t.core.services.jobs.waitFor(jobId!);
  if (job.status !== 'completed') throw new Error(`demo ${job.status}`);
}, 180_000);
afterAll(async () => {
  await t.cleanup();
  rmSync(out, { recursive: true, force: true });
});

async function wonFigures(from: string, to: string): Promise<{ wonValue: number; won: number; lost: number }> {
  return t.core.services.workspaces.withWorkspace('demo', async (ws) => {
    const next = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const rows = await ws.db.selectFrom('deals').select(['stage', 'amount']).where('close_date', '>=', from).where('close_date', '<', next).execute();
    const won = rows.filter((r) => r.stage === 'closed_won');
    return { wonValue: won.reduce((s, r) => s + (r.amount ?? 0), 0), won: won.length, lost: rows.filter((r) => r.stage === 'closed_lost').length };
  });
}

describe('report runs', () => {
  it('generates the weekly sales report as a job: PDF with title, parameters and the figures, recorded in the history', async () => {
    const file = join(out, 'weekly.pdf');
    const params = { from: '2026-01-05', to: '2026-06-14' };
    const { run, jobId } = await t.core.call('reports.run', { workspace: 'demo', template: 'weekly_sales', params, out: file, csvDir: join(out, 'csv') });
    expect(run.status).toBe('running');
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status, job.error?.message).toBe('completed');

    const expected = await wonFigures(params.from, params.to);
    expect(expected.won).toBeGreaterThan(0);
    const text = pdfText(file).replace(/\s+/g, ' ');
    expect(text).toContain('Weekly sales summary');
    expect(text).toContain('2026-01-05 – 2026-06-14');
    expect(text).toContain(formatValue(expected.wonValue, reportMeasure('won_value')!.format));
    expect(text).toContain(formatValue(expected.won / (expected.won + expected.lost), reportMeasure('win_rate')!.format));
    expect(pdfPages(file)).toBeGreaterThanOrEqual(2);
    expect(renderPages(file)).toBe(pdfPages(file));
    expect(pdfImages(file)).toEqual([]);
    expect(existsSync(join(out, 'csv', 'owners.csv'))).toBe(true);

    const { runs } = await t.core.call('reports.history', { workspace: 'demo' });
    const entry = runs.find((r) => r.id === run.id)!;
    expect(entry).toMatchObject({ status: 'ok', template: 'weekly_sales', file, fileExists: true, pages: pdfPages(file), params: { from: '2026-01-05', to: '2026-06-14' } });
    expect(entry.fingerprint).toMatch(/^sha256:/);
    expect(entry.bytes).toBeGreaterThan(1000);
    expect(entry.durationMs).toBeGreaterThan(0);
  }, 120_000);
});
