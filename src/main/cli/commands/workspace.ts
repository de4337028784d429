import type { Command } from 'commander';
import type { CliContext } from '../context';
import { number, table } from '../context';
import { existsSync } from 'node:fs';
import { workspaceName } from '@shared/contract';
import { AppError } from '@shared/errors';
import { BACKUP_FILE, type BackupResult, type RestoreResult } from '../../core/workspaces/backupService';

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

  ws.command('backup')
    .argument('<name>', 'workspace name')
    .option('--out <file>', 'write the backup to this new file (default: a new file in the backup folder)')
    .description('Back up a workspace while the app may keep running; the copy is verified (integrity check, row counts)')
    .action(
      run(async (ctx, cmd) => {
        const name = cmd.args[0] as string;
        const o = cmd.opts<{ out?: string }>();
        const core = await ctx.ready();
        // A file of the person's choosing is for the local CLI only; the app and web host write to the backup folder.
        const started = o.out ? core.services.backups.backup(name, await ctx.profileId(), o.out) : await ctx.call('workspace.backup', { workspace: name });
        const job = await ctx.followJob(started.jobId, `Backing up ${name}`);
        const r = job.result as BackupResult;
        ctx.print(r, () => `Backed up "${r.workspace}" to ${r.file}: ${mb(r.bytes)}, ${r.rows.toLocaleString('en-US')} rows in ${r.tables} tables, integrity ${r.integrity}, row counts match.`);
      }),
    );

  ws.command('backups')
    .option('--workspace <name>', 'only the backups of this workspace')
    .description('List the backups in the backup folder')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace?: string }>();
        const { backups } = await ctx.call('workspace.backups', o.workspace ? { workspace: o.workspace } : {});
        ctx.print({ backups, folder: ctx.getCore().services.backups.dir }, () =>
          backups.length ? table(backups.map((b) => [b.backup, b.workspace, mb(b.sizeBytes), b.createdAt]), ['BACKUP', 'WORKSPACE', 'SIZE', 'CREATED']) : 'No backups yet. Make one: workspace backup NAME',
        );
      }),
    );

  ws.command('restore')
    .argument('<file>', 'a backup file (a path, or the name of a backup in the backup folder)')
    .requiredOption('--name <new>', 'name of the new workspace (restoring never overwrites an existing one)')
    .description('Restore a backup into a new workspace')
    .action(
      run(async (ctx, cmd) => {
        const file = cmd.args[0] as string;
        const o = cmd.opts<{ name: string }>();
        const core = await ctx.ready();
        const name = workspaceName.safeParse(o.name);
        if (!name.success) throw new AppError('validation', `--name: ${name.error.issues[0]?.message ?? 'not a workspace name'}`);
        const inFolder = !existsSync(file) && BACKUP_FILE.test(file);
        const started = inFolder ? await ctx.call('workspace.restore', { backup: file, name: name.data }) : core.services.backups.restore({ file }, name.data, await ctx.profileId());
        const job = await ctx.followJob(started.jobId, `Restoring ${o.name}`);
        const r = job.result as RestoreResult;
        ctx.print(r, () => `Restored into new workspace "${r.workspace}": ${r.rows.toLocaleString('en-US')} rows in ${r.tables} tables, integrity ${r.integrity}.`);
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
