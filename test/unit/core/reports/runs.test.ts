import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../../../src/shared/charts/format';
import { reportMeasure } from '../../../../src/shared/reports/measures';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { pdfImages, pdfInfo, pdfPages, pdfText, renderPages } from '../../../fixtures/poppler';
import { ScriptedGateway } from '../../../fixtures/scriptedGateway';
import { ANALYTICS_MEASURES, reportFigureSource } from '../../../../src/main/core/reports/figureSource';
import { buildReport } from '../../../../src/main/core/reports/build';
import { reportParams, reportTemplateByKey } from '../../../../src/shared/reports/templates';

/**
 * Report runs end to end on a pinned demo workspace (real SQLite or PostgreSQL, real worker): figures the test
 * computes itself must appear in the PDF; the narrative's numbers are checked; schedules catch up once with an
 * injected clock; a failed section fails the run with its reason.
 */

const ANCHOR = '2026-06-15';
let nowMs = Date.parse(`${ANCHOR}T12:00:00Z`);
let t: TestCore;
let out: string;
const shellCalls: string[] = [];

/** The "model": quotes the first figure of its prompt exactly, and invents one number. */
const gateway = new ScriptedGateway((_meta, req) => {
  const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
  const first = /^- ([^:\n]+): ([^\n(]+?)(?: \(previous|$)/m.exec(user);
  return { text: `The ${first?.[1] ?? 'figure'} was ${first?.[2]?.trim() ?? '?'} in this period.\n\nOur team of 4,321 sellers kept going.`, model: 'fake-narrator' };
});

beforeAll(async () => {
  t = makeTestCore({
    clock: { now: () => new Date(nowMs) },
    gateway,
    shell: { openPath: async (p) => (shellCalls.push(`open ${p}`), ''), showItemInFolder: (p) => void shellCalls.push(`reveal ${p}`) },
  });
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
    return { wonValue: won.reduce((s, r) => s + Number(r.amount ?? 0), 0), won: won.length, lost: rows.filter((r) => r.stage === 'closed_lost').length };
  });
}

const flat = (file: string): string => pdfText(file).replace(/\s+/g, ' ');

describe('report runs', () => {
  let weeklyId = '';
  it('generates the weekly sales report as a job: PDF with title, parameters and the figures, recorded in the history', async () => {
    const file = join(out, 'weekly.pdf');
    const params = { from: '2026-01-05', to: '2026-06-14', team: undefined };
    const { run, jobId } = await t.core.call('reports.run', { workspace: 'demo', template: 'weekly_sales', params: { from: params.from, to: params.to }, out: file, csvDir: join(out, 'csv') });
    expect(run.status).toBe('running');
    weeklyId = run.id;
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status, job.error?.message).toBe('completed');

    const expected = await wonFigures(params.from, params.to);
    expect(expected.won).toBeGreaterThan(0);
    const text = flat(file);
    expect(text).toContain('Weekly sales summary');
    expect(text).toContain('2026-01-05 – 2026-06-14');
    expect(text).toContain('2025-07-28 – 2026-01-04'); // the previous period of the same length
    expect(text).toContain(formatValue(expected.wonValue, reportMeasure('won_value')!.format));
    expect(text).toContain(formatValue(expected.won / (expected.won + expected.lost), reportMeasure('win_rate')!.format));
    expect(pdfInfo(file).Title).toBe('Weekly sales summary');
    expect(pdfPages(file)).toBeGreaterThanOrEqual(3);
    expect(renderPages(file)).toBe(pdfPages(file));
    expect(pdfImages(file)).toEqual([]); // six charts, all vector
    expect(readdirSync(join(out, 'csv')).sort()).toEqual(['owners.csv', 'sources.csv', 'won-deals.csv']);

    const { runs } = await t.core.call('reports.history', { workspace: 'demo' });
    const entry = runs.find((r) => r.id === run.id)!;
    expect(entry).toMatchObject({ status: 'ok', template: 'weekly_sales', file, fileExists: true, pages: pdfPages(file), params: { from: '2026-01-05', to: '2026-06-14' }, trigger: 'manual' });
    expect(entry.fingerprint).toMatch(/^sha256:[0-9a-f]{24}$/);
    expect(entry.bytes).toBeGreaterThan(1000);
    expect(entry.durationMs).toBeGreaterThan(0);
  }, 120_000);

  it('query sections run on the metrics layer where it defines them, with the figures the reports compiler computes', async () => {
    await t.core.services.workspaces.withWorkspace('demo', async (ws) => {
      const scope = { from: '2026-01-05', to: '2026-06-14', now: `${ANCHOR}T12:00:00.000Z` };
      const source = reportFigureSource(ws, t.core.services.analytics);
      const close = (a: number | null | undefined, b: number | null | undefined): void => {
        if (a === null || a === undefined || b === null || b === undefined) expect(a ?? null).toBe(b ?? null);
        else expect(a).toBeCloseTo(b, 6);
      };
      for (const m of Object.keys(ANALYTICS_MEASURES)) {
        const [viaAnalytics] = await source.figures([m], null, scope);
        const [own] = await ws.repos.reportFigures.figures([m], null, scope);
        close(viaAnalytics!.values[m], own!.values[m]);
      }
      const byOwner = await source.figures(['won_value', 'win_rate'], 'owner', scope);
      const ownByOwner = new Map((await ws.repos.reportFigures.figures(['won_value', 'win_rate'], 'owner', scope)).map((r) => [r.key, r.values]));
      expect(byOwner.length).toBe(ownByOwner.size);
      for (const r of byOwner) {
        close(r.values.won_value, ownByOwner.get(r.key)?.won_value);
        close(r.values.win_rate, ownByOwner.get(r.key)?.win_rate);
      }
      expect(source.routes.every((r) => r.via === 'analytics')).toBe(true);

      // Which sections of the weekly sales report take which path.
      const routed = reportFigureSource(ws, t.core.services.analytics);
      await buildReport({ template: reportTemplateByKey('weekly_sales')!, params: reportParams.parse({ from: scope.from, to: scope.to }), workspace: 'demo', now: new Date(scope.now), figures: routed });
      const own = routed.routes.filter((r) => r.via === 'reports').map((r) => `${r.measures.join('+')}/${r.dimension ?? '-'}`);
      expect([...new Set(own)].sort()).toEqual(['deals_created+pipeline_value/-', 'deals_created/-', 'deals_created/source', 'pipeline_value/stage', 'won_value/deal']);
      expect(routed.routes.filter((r) => r.via === 'analytics').length).toBeGreaterThanOrEqual(8);
    });
  }, 120_000);

  it('writes the narrative through the model from the figures, and flags the number it invented', async () => {
    const file = join(out, 'weekly.pdf');
    const call = gateway.calls.find((c) => c.meta.useCase === 'report.narrative')!;
    expect(call.meta.workspace).toBe('demo');
    const text = flat(file);
    expect(text).toContain('4,321');
    expect(text).toMatch(/unverified/i);
    expect(text).toContain('"4,321" is not among the figures of this report.');
    const run = await t.core.call('reports.get', { workspace: 'demo', id: weeklyId });
    expect(run.flagged).toBe(1);
    expect(run.status).toBe('ok');
  });

  it('the same data and parameters give the same fingerprint; a different owner gives another', async () => {
    const a = await t.core.call('reports.preview', { workspace: 'demo', template: 'weekly_sales', params: { from: '2026-01-05', to: '2026-06-14' } });
    const b = await t.core.call('reports.preview', { workspace: 'demo', template: 'weekly_sales', params: { from: '2026-01-05', to: '2026-06-14' } });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.html).toContain('Weekly sales summary');
    expect(a.html).toContain('<svg');
    expect(a.status).toBe('ok');
    const run = await t.core.call('reports.get', { workspace: 'demo', id: weeklyId });
    expect(a.fingerprint).toBe(run.fingerprint);
    const owner = await t.core.services.workspaces.withWorkspace('demo', (ws) => ws.db.selectFrom('users').select('name').orderBy('id').executeTakeFirstOrThrow());
    const c = await t.core.call('reports.preview', { workspace: 'demo', template: 'weekly_sales', params: { from: '2026-01-05', to: '2026-06-14', owner: owner.name } });
    expect(c.fingerprint).not.toBe(a.fingerprint);
    expect(c.html).toContain(owner.name);
  }, 120_000);

  it('the pipeline forecast compares with the previous forecast run', async () => {
    const first = await t.core.call('reports.run', { workspace: 'demo', template: 'pipeline_forecast', out: join(out, 'f1.pdf') });
    await t.core.services.jobs.waitFor(first.jobId);
    expect(flat(join(out, 'f1.pdf'))).toContain('No previous forecast yet');
    nowMs += 86_400_000;
    const second = await t.core.call('reports.run', { workspace: 'demo', template: 'pipeline_forecast', out: join(out, 'f2.pdf') });
    await t.core.services.jobs.waitFor(second.jobId);
    const text = flat(join(out, 'f2.pdf'));
    expect(text).toContain(`Forecast of ${ANCHOR}`);
    expect(text).toContain(`vs forecast of ${ANCHOR}`);
    nowMs -= 86_400_000;
  }, 120_000);

  it('opens, reveals, downloads, re-runs and deletes history entries', async () => {
    const opened = await t.core.call('reports.open', { workspace: 'demo', id: weeklyId });
    expect(opened).toEqual({ opened: true, path: join(out, 'weekly.pdf'), reason: null });
    await t.core.call('reports.open', { workspace: 'demo', id: weeklyId, reveal: true });
    expect(shellCalls).toEqual([`open ${join(out, 'weekly.pdf')}`, `reveal ${join(out, 'weekly.pdf')}`]);
    const dl = await t.core.call('reports.download', { workspace: 'demo', id: weeklyId });
    expect(dl.mime).toBe('application/pdf');
    expect(Buffer.from(dl.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    const again = await t.core.call('reports.rerun', { workspace: 'demo', id: weeklyId });
    await t.core.services.jobs.waitFor(again.jobId);
    const rerun = await t.core.call('reports.get', { workspace: 'demo', id: again.run.id });
    expect(rerun).toMatchObject({ status: 'ok', template: 'weekly_sales', params: { from: '2026-01-05', to: '2026-06-14' } });
    expect(rerun.file).not.toBe(join(out, 'weekly.pdf'));

    const del = await t.core.call('reports.delete', { workspace: 'demo', id: again.run.id });
    expect(del).toEqual({ deleted: true, filesRemoved: 1 });
    expect(existsSync(rerun.file!)).toBe(false);
    await expect(t.core.call('reports.get', { workspace: 'demo', id: again.run.id })).rejects.toMatchObject({ code: 'not_found' });
  }, 120_000);

  it('a cancelled run leaves no file and says it was cancelled', async () => {
    const file = join(out, 'cancelled.pdf');
    const { run, jobId } = await t.core.call('reports.run', { workspace: 'demo', template: 'weekly_sales', params: { from: '2026-01-05', to: '2026-06-14' }, out: file });
    await t.core.call('jobs.cancel', { jobId });
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status).toBe('cancelled');
    const done = await t.core.call('reports.get', { workspace: 'demo', id: run.id });
    expect(done.status).toBe('cancelled');
    expect(done.failure).toMatch(/cancelled/);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(out).filter((f) => f.startsWith('.cancelled.pdf'))).toEqual([]);
  }, 120_000);

  it('schedules: next runs in the time zone, missed runs caught up once, the last status on the list', async () => {
    const dir = mkdtempSync(join(out, 'sched-'));
    const preview = await t.core.call('reports.schedules.preview', { cron: '0 9 * * 1', timezone: 'Europe/London', count: 2 });
    expect(preview.next).toEqual(['2026-06-22T08:00:00.000Z', '2026-06-29T08:00:00.000Z']); // 09:00 BST
    await expect(t.core.call('reports.schedules.add', { workspace: 'demo', template: 'weekly_sales', cron: '61 9 * * 1', outDir: dir })).rejects.toMatchObject({ code: 'validation' });
    await expect(t.core.call('reports.schedules.add', { workspace: 'demo', template: 'weekly_sales', cron: '0 9 * * 1', timezone: 'Mars/Olympus', outDir: dir })).rejects.toMatchObject({ code: 'validation' });
    const s = await t.core.call('reports.schedules.add', { workspace: 'demo', template: 'operations_throughput', cron: '0 9 * * 1', timezone: 'Europe/London', outDir: dir });
    expect(s.nextRunAt).toBe('2026-06-22T08:00:00.000Z');

    const svc = t.core.services.reportRuns;
    expect((await svc.runDue()).started).toEqual([]); // not due yet
    nowMs = Date.parse('2026-07-08T10:00:00Z'); // three Mondays missed while "closed"
    const due = await svc.runDue();
    expect(due.started).toHaveLength(1);
    expect((await svc.runDue()).started).toEqual([]); // caught up once, not three times
    await t.core.services.jobs.waitFor(due.started[0]!.jobId);
    const [listed] = (await t.core.call('reports.schedules.list', { workspace: 'demo' })).schedules;
    expect(listed).toMatchObject({ id: s.id, lastStatus: 'ok', lastRunId: due.started[0]!.runId, nextRunAt: '2026-07-13T08:00:00.000Z' });
    expect(listed!.upcoming[0]).toBe('2026-07-13T08:00:00.000Z');
    expect(readdirSync(dir).filter((f) => f.endsWith('.pdf'))).toHaveLength(1);
    const run = await t.core.call('reports.get', { workspace: 'demo', id: due.started[0]!.runId });
    expect(run).toMatchObject({ trigger: 'schedule', scheduleId: s.id, status: 'ok' });

    expect(await t.core.call('reports.schedules.remove', { workspace: 'demo', id: s.id })).toEqual({ removed: true });
    expect((await t.core.call('reports.schedules.list', { workspace: 'demo' })).schedules).toEqual([]);
    nowMs = Date.parse(`${ANCHOR}T12:00:00Z`);
  }, 120_000);

  it('a section that cannot be computed fails the run with the reason; the PDF says so instead of an empty section', async () => {
    await t.core.services.workspaces.withWorkspace('demo', (ws) => sql`DROP TABLE dispatch_jobs`.execute(ws.db));
    const file = join(out, 'ops.pdf');
    const { run, jobId } = await t.core.call('reports.run', { workspace: 'demo', template: 'operations_throughput', params: { from: '2026-06-01', to: '2026-06-14' }, out: file });
    await t.core.services.jobs.waitFor(jobId);
    const done = await t.core.call('reports.get', { workspace: 'demo', id: run.id });
    expect(done.status).toBe('failed');
    expect(done.failure).toMatch(/^Throughput: .*dispatch_jobs/);
    expect(done.failure).toContain('Field jobs completed by type');
    const text = flat(file);
    expect(text).toContain('REPORT FAILED');
    expect(text).toContain('dispatch_jobs');
    expect(pdfInfo(file).Title).toContain('(failed)');
  }, 120_000);
});
