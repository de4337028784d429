import type { Command } from 'commander';
import type { CoachingReport, JobInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Insight } from '@shared/insights';
import type { CliContext } from '../context';
import { number, table } from '../context';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

const list = (v: string | undefined): string[] | undefined => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
const usd = (v: number): string => `$${v.toFixed(4)}`;

export function describeInsight(i: Insight): string {
  const lines = [
    `${i.title}`,
    `${i.id} · ${i.status}${i.severity ? ` · ${i.severity}` : ''}${i.confidence !== null ? ` · confidence ${Math.round(i.confidence * 100)}%` : ''} · ${i.personaKey ?? i.type} on ${i.entityType ?? 'workspace'}${i.entityId !== null ? ` #${i.entityId}` : ''}`,
  ];
  if (i.status === 'failed') lines.push('', `Failed (${i.errorCode ?? 'unknown'}): ${i.errorMessage ?? ''}`);
  if (i.summary) lines.push('', i.summary);
  const fields = Object.entries(i.fields);
  if (fields.length) lines.push('', ...fields.map(([k, v]) => `  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`));
  if (i.recommendations.length) lines.push('', 'Recommended actions:', ...i.recommendations.map((r, n) => `  ${n + 1}. ${r.action} (${r.rationale})`));
  if (i.factors.length) {
    lines.push('', 'Factors:', ...i.factors.map((f) => `  ${f.direction} ${f.text}${f.evidence.length ? ` [${f.evidence.map((e) => `${e.entityType}#${e.entityId}`).join(', ')}]` : ''}`));
  }
  if (i.defaultedFields.length) lines.push('', `Defaulted (the model left these out): ${i.defaultedFields.join(', ')}`);
  if (i.warnings.length) lines.push('', ...i.warnings.map((w) => `Note: ${w}`));
  if (i.evidenceDropped > 0) lines.push(`Evidence dropped: ${i.evidenceDropped} reference(s) to records the prompt did not contain.`);
  if (i.provider) lines.push('', `${i.provider}/${i.model ?? '?'} via ${i.endpoint ?? '?'}${i.fallbackUsed ? ' (fallback)' : ''} · ${i.tokensIn}+${i.tokensOut} tokens · ${usd(i.costUsd)} · ${i.latencyMs ?? '?'} ms`);
  if (i.statusChangedAt) lines.push(`${i.status} ${i.statusChangedAt}${i.statusNote ? `: ${i.statusNote}` : ''}`);
  return lines.join('\n');
}

function describeCoaching(r: CoachingReport): string {
  const lines = [`Coaching insights, ${r.createdAt} (valid until ${r.expiresAt})`];
  if (r.missingSources.length) lines.push(`Built without: ${r.missingSources.map((m) => `${m.source} (${m.reason})`).join('; ')}`);
  r.insights.forEach((i, n) => {
    lines.push('', `${n + 1}. [${i.priority}] ${i.category}: ${i.title}`, `   ${i.description}`);
    for (const a of i.suggestedActions) lines.push(`   - ${a}`);
    if (i.metrics.length) lines.push(`   Metrics: ${i.metrics.map((m) => `${m.name} = ${m.value}`).join('; ')}`);
  });
  lines.push('', `By category: ${Object.entries(r.summary.byCategory).map(([k, v]) => `${k} ${v}`).join(', ')}`, `By priority: ${Object.entries(r.summary.byPriority).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return lines.join('\n');
}

export function registerEngineCommands(program: Command, run: Run): void {
  program
    .command('analyze')
    .requiredOption('--workspace <name>', 'workspace name')
    .requiredOption('--persona <key>', 'persona key, e.g. ticket_analyst (see: personas)')
    .option('--entity <id|code>', 'analyse this one record, by id or by the code people see (TCK-000575)')
    .option('--scan', 'analyse the records that need it, skipping unchanged ones')
    .option('--limit <n>', 'with --scan: at most this many records', '50')
    .option('--force', 're-analyse even when the data did not change (with --entity: "Analyze again", superseding the open insight)')
    .description('Run a persona on one record (--entity) or over many (--scan)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; persona: string; entity?: string; scan?: boolean; limit: string; force?: boolean }>();
        if (Boolean(o.entity) === Boolean(o.scan)) throw new AppError('validation', 'Give either --entity ID or --scan.');
        if (o.entity) {
          const { jobId } = await ctx.call('insights.analyze', { workspace: o.workspace, persona: o.persona, entityId: /^\d+$/.test(o.entity.trim()) ? number(o.entity, '--entity') : o.entity, force: o.force === true });
          const job = await ctx.followJob(jobId, `Analysing ${o.persona} #${o.entity}`);
          const result = job.result as { insightId: string; status: string };
          const insight = await ctx.call('insights.get', { workspace: o.workspace, id: result.insightId });
          const unchanged = result.status === 'unchanged' ? 'Nothing changed since the last analysis; its insight still holds (re-run with --force to analyse again).\n\n' : '';
          ctx.print(result.status === 'unchanged' ? { ...insight, unchanged: true } : insight, () => `${unchanged}${describeInsight(insight)}`);
          if (insight.status === 'failed') {
            process.stderr.write(`intelligence-desk: the analysis failed: ${insight.errorMessage ?? ''} [${insight.errorCode ?? 'unknown'}]\n`);
            process.exitCode = 1;
          }
          return;
        }
        const { jobId } = await ctx.call('insights.scan', { workspace: o.workspace, persona: o.persona, limit: number(o.limit, '--limit'), force: o.force === true });
        const job = await ctx.followJob(jobId, `Scanning with ${o.persona}`);
        const r = job.result as { analyzed: number; completed: number; failed: number; skippedUnchanged: number; tokens: number; stoppedBy: string | null; candidates: number };
        ctx.print({ jobId, ...r }, () =>
          `${o.persona}: ${r.analyzed} analysed (${r.completed} completed, ${r.failed} failed), ${r.skippedUnchanged} unchanged and skipped, of ${r.candidates} candidates · ${r.tokens} tokens${r.stoppedBy ? ` · stopped early: ${r.stoppedBy}` : ''}\nSee them: insights list --workspace ${o.workspace} --persona ${o.persona}`,
        );
        if (r.failed > 0 && r.completed === 0) process.exitCode = 1;
      }),
    );

  const insights = program.command('insights').description('Browse insights and move them through their lifecycle');
  insights
    .command('list')
    .requiredOption('--workspace <name>', 'workspace name')
    .option('--domain <list>', 'comma-separated domains, e.g. support,marketing')
    .option('--persona <list>', 'comma-separated persona keys')
    .option('--severity <list>', 'comma-separated: info,low,medium,high,critical')
    .option('--status <list>', 'comma-separated: pending,completed,failed,acknowledged,actioned,dismissed,expired,superseded')
    .option('--type <list>', 'comma-separated: persona,anomaly,trend')
    .option('--search <text>', 'full-text search')
    .option('--sort <column>', 'createdAt, severity, confidence, title or status', 'createdAt')
    .option('--asc', 'ascending order')
    .option('--limit <n>', 'rows per page', '50')
    .option('--offset <n>', 'rows to skip', '0')
    .description('List insights with filters')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; domain?: string; persona?: string; severity?: string; status?: string; type?: string; search?: string; sort: string; asc?: boolean; limit: string; offset: string }>();
        const res = await ctx.call('insights.list', {
          workspace: o.workspace,
          domain: list(o.domain),
          persona: list(o.persona),
          severity: list(o.severity) as never,
          status: list(o.status) as never,
          type: list(o.type) as never,
          search: o.search,
          sort: { column: o.sort as never, desc: !o.asc },
          limit: number(o.limit, '--limit'),
          offset: number(o.offset, '--offset'),
        });
        ctx.print(res, () =>
          res.items.length
            ? `${table(res.items.map((i) => [i.id, i.createdAt.replace('T', ' ').replace('Z', ''), i.status, i.severity ?? '', i.personaKey ?? i.type, i.title.slice(0, 80)]), ['ID', 'CREATED', 'STATUS', 'SEVERITY', 'SOURCE', 'TITLE'])}\n${res.items.length} of ${res.total}`
            : 'No insights match.',
        );
      }),
    );
  insights
    .command('show')
    .argument('<id>', 'insight id')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('Show one insight in full')
    .action(
      run(async (ctx, cmd) => {
        const insight = await ctx.call('insights.get', { workspace: cmd.opts<{ workspace: string }>().workspace, id: cmd.args[0] as string });
        ctx.print(insight, () => describeInsight(insight));
      }),
    );
  for (const [verb, route, done, help] of [
    ['ack', 'insights.acknowledge', 'Acknowledged', 'Acknowledge an insight'],
    ['action', 'insights.action', 'Marked as actioned', 'Mark an insight as actioned'],
    ['dismiss', 'insights.dismiss', 'Dismissed', 'Dismiss an insight'],
  ] as const) {
    insights
      .command(verb)
      .argument('<id>', 'insight id')
      .requiredOption('--workspace <name>', 'workspace name')
      .option('--note <text>', 'why (kept with the insight)')
      .description(`${help}, with an optional note`)
      .action(
        run(async (ctx, cmd) => {
          const o = cmd.opts<{ workspace: string; note?: string }>();
          const insight = await ctx.call(route, { workspace: o.workspace, id: cmd.args[0] as string, note: o.note });
          ctx.print(insight, () => `${done}: ${insight.title}`);
        }),
      );
  }
  insights
    .command('retry')
    .argument('<id>', 'id of a failed insight')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('Run a failed analysis again (the new insight supersedes the failed one)')
    .action(
      run(async (ctx, cmd) => {
        const workspace = cmd.opts<{ workspace: string }>().workspace;
        const { jobId } = await ctx.call('insights.retry', { workspace, id: cmd.args[0] as string });
        const job = await ctx.followJob(jobId, 'Retrying the analysis');
        const insight = await ctx.call('insights.get', { workspace, id: (job.result as { insightId: string }).insightId });
        ctx.print(insight, () => describeInsight(insight));
        if (insight.status === 'failed') process.exitCode = 1;
      }),
    );
  insights
    .command('delete')
    .argument('<id>', 'id of a failed or superseded insight')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('Delete a failed or superseded insight (open ones are dismissed instead)')
    .action(
      run(async (ctx, cmd) => {
        const res = await ctx.call('insights.delete', { workspace: cmd.opts<{ workspace: string }>().workspace, id: cmd.args[0] as string });
        ctx.print(res, () => `Deleted ${res.deleted}.`);
      }),
    );
  insights
    .command('expire')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('Run the TTL sweep now')
    .action(
      run(async (ctx, cmd) => {
        const res = await ctx.call('insights.expire', { workspace: cmd.opts<{ workspace: string }>().workspace });
        ctx.print(res, () => `${res.expired} insight(s) expired.`);
      }),
    );

  program
    .command('coach')
    .requiredOption('--workspace <name>', 'workspace name')
    .option('--refresh', 'generate a fresh report even if the cached one is less than a day old')
    .description('Workspace coaching insights (cached for 24 h)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; refresh?: boolean }>();
        const cached = await ctx.call('coaching.get', { workspace: o.workspace });
        let r = cached.report;
        if (!r || cached.stale || o.refresh) {
          const { jobId } = await ctx.call('coaching.refresh', { workspace: o.workspace });
          r = (await ctx.followJob(jobId, 'Generating coaching insights')).result as CoachingReport;
        }
        const report = r;
        ctx.print(report, () => describeCoaching(report));
      }),
    );

  program
    .command('detect')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('Run anomaly and trend detection over the workspace metrics (no model)')
    .action(
      run(async (ctx, cmd) => {
        const { jobId } = await ctx.call('detectors.run', { workspace: cmd.opts<{ workspace: string }>().workspace });
        const r = (await ctx.followJob(jobId, 'Detecting anomalies and trends')).result as { series: number; findings: number; created: number; alreadyKnown: number };
        ctx.print(r, () => `${r.series} series checked: ${r.findings} findings, ${r.created} new insights, ${r.alreadyKnown} already known.`);
      }),
    );

  program
    .command('personas')
    .description('List the AI personas and whether each is on')
    .action(
      run(async (ctx) => {
        const { personas } = await ctx.call('personas.list', {});
        ctx.print({ personas }, () => table(personas.map((p) => [p.key, p.enabled ? 'on' : 'off', p.entityType, p.schedule, `${p.ttlHours} h`, p.description]), ['KEY', 'ON', 'ANALYSES', 'SCHEDULE', 'TTL', 'DESCRIPTION']));
      }),
    );

  const schedule = program.command('schedule').description('Scheduled engine tasks');
  schedule
    .command('list')
    .option('--workspace <name>', 'only this workspace')
    .description('Scheduled tasks with their next and last runs')
    .action(
      run(async (ctx, cmd) => {
        const { schedules } = await ctx.call('schedule.list', { workspace: cmd.opts<{ workspace?: string }>().workspace });
        ctx.print({ schedules }, () =>
          schedules.length
            ? table(
                schedules.map((s) => [s.workspace, s.target ? `${s.kind}:${s.target}` : s.kind, s.cron, s.enabled ? 'on' : 'off', s.nextRunAt ?? '', s.running ? 'running' : (s.lastStatus ?? ''), s.lastRunAt ?? '']),
                ['WORKSPACE', 'TASK', 'CRON (UTC)', 'ON', 'NEXT RUN', 'LAST STATUS', 'LAST RUN'],
              )
            : 'No workspaces, so nothing is scheduled.',
        );
      }),
    );
  schedule
    .command('run-due')
    .option('--workspace <name>', 'only this workspace')
    .option('--no-wait', 'start the tasks and return without waiting for them')
    .description('Run every scheduled task that is due now (including runs missed while nothing was running)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace?: string; wait: boolean }>();
        const res = await ctx.call('schedule.runDue', { workspace: o.workspace });
        const jobs: JobInfo[] = o.wait ? await Promise.all(res.started.map((s) => ctx.getCore().services.jobs.waitFor(s.jobId))) : [];
        const outcome = res.started.map((s, n) => ({ ...s, status: jobs[n]?.status ?? 'started', error: jobs[n]?.error?.message ?? null }));
        ctx.print({ started: outcome, skipped: res.skipped }, () =>
          [
            res.started.length ? table(outcome.map((s) => [s.scheduleId, s.status, s.error ?? '']), ['TASK', 'STATUS', 'ERROR']) : 'Nothing is due.',
            ...res.skipped.map((s) => `Skipped ${s.scheduleId}: ${s.reason}`),
          ].join('\n'),
        );
        if (outcome.some((s) => s.status === 'failed')) process.exitCode = 1;
      }),
    );
}
