import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportRenderService } from '../../../../src/main/core/reports/render/reportRenderService';
import { silentLogger } from '../../../../src/main/core/logger';
import { nodeWorkerLauncher } from '../../../../src/main/core/workers/nodeLauncher';
import type { TaskProgress } from '../../../../src/main/core/workers/context';
import { CHART_PALETTES } from '../../../../src/shared/charts/theme';
import { makeTestCore } from '../../../fixtures/core';
import { pdfPages, pdfText } from '../../../fixtures/poppler';
import { weeklySalesDocument } from '../../../fixtures/reportDocs';

let dir: string;
let service: ReportRenderService;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'idesk-render-'));
  service = new ReportRenderService({ launchWorker: nodeWorkerLauncher, logger: silentLogger });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fresh = (name: string): string => {
  const d = join(dir, name);
  rmSync(d, { recursive: true, force: true });
  return mkdtempSync(join(dir, `${name}-`));
};

describe('report render service (worker)', () => {
  it('renders a PDF in a worker with progress by charts and pages, and leaves only the finished file', async () => {
    const out = fresh('pdf');
    const progress: TaskProgress[] = [];
    const result = await service.render(weeklySalesDocument(), { format: 'pdf', out: join(out, 'weekly.pdf'), onProgress: (p) => progress.push(p) });
    expect(readdirSync(out)).toEqual(['weekly.pdf']);
    expect(result.files).toEqual([{ key: 'report', path: join(out, 'weekly.pdf'), bytes: readFileSync(join(out, 'weekly.pdf')).length }]);
    expect(result.pages).toBe(pdfPages(join(out, 'weekly.pdf')));
    expect(result.status).toBe('ok');
    expect(progress.some((p) => p.phase === 'charts' && p.total === 6)).toBe(true);
    const pages = progress.filter((p) => p.phase === 'pages');
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((p) => p.total === result.pages)).toBe(true);
    expect(pdfText(join(out, 'weekly.pdf'))).toContain('Weekly sales summary');
  });

  it('writes an HTML preview in the dark theme and one CSV per table into a folder', async () => {
    const out = fresh('html');
    await service.render(weeklySalesDocument({ dealRows: 5 }), { format: 'html', out: join(out, 'preview.html'), theme: 'dark' });
    const html = readFileSync(join(out, 'preview.html'), 'utf8');
    expect(html).toContain(`background: ${CHART_PALETTES.dark.background}`);
    expect(html).toContain('<svg');
    const csvDir = join(out, 'csv');
    const csv = await service.render(weeklySalesDocument({ dealRows: 5 }), { format: 'csv', out: csvDir });
    expect(readdirSync(csvDir)).toEqual(['deals.csv']);
    expect(csv.files[0]!.path).toBe(join(csvDir, 'deals.csv'));
    const lines = readFileSync(join(csvDir, 'deals.csv'), 'utf8').split('\r\n');
    expect(lines[0]).toBe('\ufeffDeal,Account,Owner,Stage,Amount,Probability,Close date');
    expect(lines).toHaveLength(1 + 5 + 1 + 1); // header, rows, totals, trailing CRLF
  });

  it('a cancelled render rejects as cancelled and leaves no file, not even a partial one', async () => {
    const out = fresh('cancel');
    const controller = new AbortController();
    const run = service.render(weeklySalesDocument(), {
      format: 'pdf',
      out: join(out, 'weekly.pdf'),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses an invalid document with the field at fault, before any work', async () => {
    const out = fresh('invalid');
    const bad = weeklySalesDocument();
    (bad.sections[1] as { chart: { series: { data: number[] }[] } }).chart.series[0]!.data = [1, 2];
    await expect(service.render(bad, { format: 'pdf', out: join(out, 'x.pdf') })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('sections.1.chart.series.0.data') });
    await expect(service.render(weeklySalesDocument(), { format: 'pdf', out: join(out, 'missing', 'x.pdf') })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('does not exist') });
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('report render job', () => {
  it('runs as a background job with progress events and a result naming the file', async () => {
    const t = makeTestCore();
    try {
      const out = fresh('job');
      const events: string[] = [];
      const off = t.core.events.on('job.progress', (j) => events.push(`${j.status}:${j.phase}`));
      const job = t.core.services.reports.startJob({ document: weeklySalesDocument({ dealRows: 20 }), format: 'pdf', out: join(out, 'r.pdf') });
      const done = await t.core.services.jobs.waitFor(job.jobId);
      off();
      expect(done.status).toBe('completed');
      expect((done.result as { files: { path: string }[] }).files[0]!.path).toBe(join(out, 'r.pdf'));
      expect(existsSync(join(out, 'r.pdf'))).toBe(true);
      expect(events).toContain('running:charts');
      expect(events.at(-1)).toMatch(/^completed:/);
    } finally {
      await t.cleanup();
    }
  });
});
