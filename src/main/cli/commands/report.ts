import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ReportRunInfo, ReportScheduleInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import { PARAM_KEYS, type ReportParamsInput } from '@shared/reports/templates';
import type { ActionRunner } from '../index';
import { table } from '../context';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `--param from=2026-06-01 --param owner="Ana Silva"` → report parameters (checked again by the route). */
export function parseParams(pairs: readonly string[]): ReportParamsInput {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new AppError('validation', `--param takes key=value (got "${pair}"). Keys: ${PARAM_KEYS.join(', ')}.`);
    const key = pair.slice(0, i).trim();
    if (!(PARAM_KEYS as readonly string[]).includes(key)) throw new AppError('validation', `Unknown report parameter "${key}". Use one of: ${PARAM_KEYS.join(', ')}.`);
    out[key] = pair.slice(i + 1).trim();
  }
  return out as ReportParamsInput;
}

const kb = (bytes: number | null): string => (bytes === null ? '' : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`);
const params = (p: Record<string, string>): string =>
  Object.entries(p)
    .filter(([k]) => k !== 'compare' || p[k] !== 'previous_period')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

function runLine(r: ReportRunInfo): string[] {
  return [r.id, r.template, r.status, r.startedAt.slice(0, 16).replace('T', ' '), params(r.params), r.pages === null ? '' : String(r.pages), kb(r.bytes), r.durationMs === null ? '' : `${(r.durationMs / 1000).toFixed(1)} s`, r.file ?? ''];
}

function scheduleLines(list: readonly ReportScheduleInfo[]): string {
  if (list.length === 0) return 'No report schedules. Add one with: report schedule add TEMPLATE --workspace W --cron "0 9 * * 1" --tz Europe/London --out DIR';
  return table(
    list.map((s) => [s.id, s.template, `${s.cron} (${s.timezone})`, s.nextRunAt?.slice(0, 16).replace('T', ' ') ?? '', s.lastStatus ?? '', s.outDir]),
    ['ID', 'TEMPLATE', 'CRON', 'NEXT RUN (UTC)', 'LAST', 'FOLDER'],
  );
}

/** `report templates|run|history|schedule add|list|remove|run-due` (README "Reports"). */
export function registerReportCommands(program: Command, run: ActionRunner): void {
  const report = program.command('report').description('Report templates, PDF reports, history and schedules');

  report
    .command('templates')
    .description('List the report templates with their parameters and sections')
    .action(
      run(async (ctx) => {
        const res = await ctx.call('reports.templates', {});
        ctx.print(res, () =>
          res.templates
            .map((t) => `${t.key} — ${t.name}\n  ${t.description}\n  parameters: from, to, compare${t.parameters.map((p) => `, ${p}`).join('')} (default: ${t.defaultRange.direction === 'past' ? 'last' : 'next'} ${t.defaultRange.days} days)\n  sections: ${t.sections.map((s) => s.title).join('; ')}`)
            .join('\n\n'),
        );
      }),
    );

  report
    .command('run')
    .argument('<template>', 'template key (see report templates)')
    .requiredOption('--workspace <name>', 'workspace')
    .option('--param <key=value>', 'a parameter: from, to (YYYY-MM-DD), owner, team, pipeline, compare (previous_period|none); repeatable', collect, [])
    .requiredOption('--out <file>', 'the PDF to write (.html writes the HTML preview instead)')
    .option('--csv <dir>', 'also write each table as CSV into this folder')
    .description('Generate a report and wait for it (Ctrl-C cancels); exits with 2 when a section failed')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; param: string[]; out: string; csv?: string }>();
        const out = resolve(o.out);
        const started = await ctx.call('reports.run', {
          workspace: o.workspace,
          template: cmd.args[0] as string,
          params: parseParams(o.param),
          out,
          format: out.toLowerCase().endsWith('.html') ? 'html' : 'pdf',
          ...(o.csv ? { csvDir: resolve(o.csv) } : {}),
        });
        await ctx.followJob(started.jobId, `Generating ${started.run.title}`).catch(() => undefined);
        const r = await ctx.call('reports.get', { workspace: o.workspace, id: started.run.id });
        ctx.print(r, () => {
          if (r.status === 'ok') return `Wrote ${r.file} (${r.pages ?? '?'} pages, ${kb(r.bytes)}) in ${((r.durationMs ?? 0) / 1000).toFixed(1)} s${r.flagged ? `; ${r.flagged} narrative number(s) flagged as unverified` : ''}.${r.csvDir ? `\nCSV in ${r.csvDir}` : ''}\nData fingerprint ${r.fingerprint ?? ''}; run ${r.id}.`;
          return `The report ${r.status === 'cancelled' ? 'was cancelled' : 'FAILED'}: ${r.failure ?? 'unknown reason'}${r.fileExists ? `\nThe failed report (marked as such) is at ${r.file}.` : ''}`;
        });
        if (r.status !== 'ok') process.exitCode = 2;
      }),
    );

  report
    .command('history')
    .requiredOption('--workspace <name>', 'workspace')
    .option('--template <key>', 'only this template')
    .option('--limit <n>', 'how many runs', '50')
    .description('Report runs, newest first')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; template?: string; limit: string }>();
        const res = await ctx.call('reports.history', { workspace: o.workspace, template: o.template, limit: Number(o.limit) });
        ctx.print(res, () => (res.runs.length ? table(res.runs.map(runLine), ['ID', 'TEMPLATE', 'STATUS', 'STARTED (UTC)', 'PARAMETERS', 'PAGES', 'SIZE', 'TIME', 'FILE']) : 'No reports yet.'));
      }),
    );

  const schedule = report.command('schedule').description('Report schedules (cron in a time zone, an output folder)');
  schedule
    .command('add')
    .argument('<template>', 'template key')
    .requiredOption('--workspace <name>', 'workspace')
    .requiredOption('--cron <expr>', 'five-field cron, e.g. "0 9 * * 1" (Mondays 09:00)')
    .option('--tz <zone>', 'IANA time zone of the cron', 'UTC')
    .requiredOption('--out <dir>', 'folder the PDFs go to')
    .option('--param <key=value>', 'a parameter (as for report run); repeatable', collect, [])
    .description('Schedule a report; prints its next runs')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; cron: string; tz: string; out: string; param: string[] }>();
        const s = await ctx.call('reports.schedules.add', { workspace: o.workspace, template: cmd.args[0] as string, cron: o.cron, timezone: o.tz, outDir: resolve(o.out), params: parseParams(o.param) });
        ctx.print(s, () => `Scheduled ${s.template} as ${s.id}: ${s.cron} (${s.timezone}) into ${s.outDir}\nNext runs (UTC): ${s.upcoming.map((x) => x.slice(0, 16).replace('T', ' ')).join(', ')}`);
      }),
    );
  schedule
    .command('list')
    .requiredOption('--workspace <name>', 'workspace')
    .description('Report schedules with their next run and last status')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string }>();
        const res = await ctx.call('reports.schedules.list', { workspace: o.workspace });
        ctx.print(res, () => scheduleLines(res.schedules));
      }),
    );
  schedule
    .command('remove')
    .argument('<id>', 'schedule id (see report schedule list)')
    .requiredOption('--workspace <name>', 'workspace')
    .description('Remove a report schedule (its reports stay in the history)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string }>();
        const res = await ctx.call('reports.schedules.remove', { workspace: o.workspace, id: cmd.args[0] as string });
        ctx.print(res, () => `Removed ${cmd.args[0] as string}.`);
      }),
    );
  schedule
    .command('run-due')
    .option('--workspace <name>', 'only this workspace')
    .description('Generate every scheduled report that is due (missed runs run once), and wait for them')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace?: string }>();
        const core = ctx.getCore();
        const res = await core.services.reportRuns.runDue({ workspace: o.workspace });
        for (const s of res.started) await core.services.jobs.waitFor(s.jobId);
        ctx.print(res, () => (res.started.length || res.failed.length ? [...res.started.map((s) => `started ${s.scheduleId} → run ${s.runId}`), ...res.failed.map((f) => `failed ${f.scheduleId}: ${f.reason}`)].join('\n') : 'No report schedule is due.'));
      }),
    );
}
