import type { Command } from 'commander';
import type { CliContext } from '../context';
import { number, table } from '../context';

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function registerWorkspaceCommands(program: Command, run: (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>): void {
  const ws = program.command('workspace').description('Create, list and delete workspaces');

  ws.command('create')
    .argument('<name>', 'workspace name')
    .option('--demo', 'fill it with generated demo data')
    .option('--scale <n>', 'demo size: 1 ≈ 5k rows, 100 ≈ 500k rows', '1')
    .option('--seed <n>', 'demo random seed (same seed, same data)', '42')
    .option('--anchor-date <YYYY-MM-DD>', 'the day the demo history ends (default: today); pins the data to any day')
    .description('Create a workspace, empty or with demo data')
    .action(
      run(async (ctx, cmd) => {
        const name = cmd.args[0] as string;
        const o = cmd.opts<{ demo?: boolean; scale: string; seed: string; anchorDate?: string }>();
        const demo = o.demo ? { scale: number(o.scale, '--scale'), seed: number(o.seed, '--seed'), ...(o.anchorDate ? { anchorDate: o.anchorDate } : {}) } : undefined;
        const created = await ctx.call('workspace.create', { name, demo });
        const job = created.jobId ? await ctx.followJob(created.jobId, `Generating ${name}`) : null;
        const result = job?.result as { rows: number; ms: number } | undefined;
        ctx.print({ workspace: (await ctx.call('workspace.list', {})).workspaces.find((w) => w.id === created.workspace.id) ?? created.workspace, job }, () =>
          result ? `Created demo workspace "${name}": ${result.rows.toLocaleString('en-US')} rows in ${(result.ms / 1000).toFixed(1)} s.` : `Created empty workspace "${name}".`,
        );
      }),
    );

  ws.command('list')
    .description('List workspaces')
    .action(
      run(async (ctx) => {
        const { workspaces } = await ctx.call('workspace.list', {});
        ctx.print({ workspaces }, () =>
          workspaces.length
            ? table(
                workspaces.map((w) => [w.name, w.status, w.demo ? `demo ×${w.demo.scale} seed ${w.demo.seed}` : 'data', mb(w.sizeBytes), w.createdAt.slice(0, 10)]),
                ['NAME', 'STATUS', 'KIND', 'SIZE', 'CREATED'],
              )
            : 'No workspaces yet. Create one: workspace create NAME --demo',
        );
      }),
    );

  ws.command('delete')
    .argument('<name>', 'workspace name')
    .description('Delete a workspace and its database (admin)')
    .action(
      run(async (ctx, cmd) => {
        const res = await ctx.call('workspace.delete', { workspace: cmd.args[0] as string });
        ctx.print(res, () => `Deleted workspace "${res.deleted}".`);
      }),
    );
}
