import type { Command } from 'commander';
import type { WorkspaceInfo } from '@shared/contract';
import type { CliContext } from '../context';
import { number, table } from '../context';
import { existsSync } from 'node:fs';
import { workspaceName } from '@shared/contract';
import { AppError } from '@shared/errors';
import { BACKUP_FILE, type BackupResult, type RestoreResult } from '../../core/workspaces/backupService';

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
/** Where the data lives: this machine, or the server's host and database (never the connection string). */
const where = (w: WorkspaceInfo): string => (w.server ? `PostgreSQL ${w.server.host}:${w.server.port}/${w.server.database}` : 'SQLite');

export function registerWorkspaceCommands(program: Command, run: (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>): void {
  const ws = program.command('workspace').description('Create, list and delete workspaces');

  ws.command('create')
    .argument('<name>', 'workspace name')
    .option('--demo', 'fill it with generated demo data')
    .option('--scale <n>', 'demo size: 1 ≈ 5k rows, 100 ≈ 500k rows', '1')
    .option('--seed <n>', 'demo random seed (same seed, same data)', '42')
    .option('--anchor-date <YYYY-MM-DD>', 'the day the demo history ends (default: today); pins the data to any day')
    .option('--postgres <url>', 'a team workspace: a new schema on this PostgreSQL server (postgres://user:password@host:5432/db)')
    .description('Create a workspace, empty or with demo data, locally or on a PostgreSQL server')
    .action(
      run(async (ctx, cmd) => {
        const name = cmd.args[0] as string;
        const o = cmd.opts<{ demo?: boolean; scale: string; seed: string; anchorDate?: string; postgres?: string }>();
        const demo = o.demo ? { scale: number(o.scale, '--scale'), seed: number(o.seed, '--seed'), ...(o.anchorDate ? { anchorDate: o.anchorDate } : {}) } : undefined;
        const created = await ctx.call('workspace.create', { name, demo, ...(o.postgres ? { postgres: { url: o.postgres } } : {}) });
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
                workspaces.map((w) => [w.name, w.status, w.demo ? `demo ×${w.demo.scale} seed ${w.demo.seed}` : 'data', where(w), mb(w.sizeBytes), w.createdAt.slice(0, 10)]),
                ['NAME', 'STATUS', 'KIND', 'WHERE', 'SIZE', 'CREATED'],
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

  ws.command('attach')
    .argument('<name>', 'local name for the team workspace')
    .requiredOption('--postgres <url>', 'the PostgreSQL server that holds it (postgres://user:password@host:5432/db)')
    .option('--schema <schema>', 'its schema on the server (default: the workspace whose name is <name>; lists them if none is)')
    .description('Join a team workspace that already exists on a PostgreSQL server')
    .action(
      run(async (ctx, cmd) => {
        const name = cmd.args[0] as string;
        const o = cmd.opts<{ postgres: string; schema?: string }>();
        const res = await ctx.call('workspace.attach', { name, postgres: { url: o.postgres, ...(o.schema ? { schema: o.schema } : {}) } });
        ctx.print(res, () =>
          res.workspace
            ? `Attached team workspace "${res.workspace.name}" (${where(res.workspace)}).`
            : res.schemas.length
              ? `No workspace named "${name}" on that server. Pick one with --schema:\n${table(
                  res.schemas.map((s) => [s.schema, s.name ?? '(no access)', String(s.schemaVersion), s.compatible ? 'yes' : `needs app ${s.appVersion ?? '?'}`, s.attachedAs ?? '']),
                  ['SCHEMA', 'NAME', 'VERSION', 'OPENS', 'ATTACHED AS'],
                )}`
              : 'That database holds no workspaces yet: create one with workspace create NAME --postgres URL.',
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

  ws.command('test-connection')
    .requiredOption('--postgres <url>', 'the PostgreSQL connection string to check')
    .option('--schema <schema>', 'also check that this workspace schema can be opened')
    .description('Check a PostgreSQL connection: server, credentials, database, privileges, TLS, schema version')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ postgres: string; schema?: string }>();
        const r = await ctx.call('workspace.testConnection', { postgres: { url: o.postgres, ...(o.schema ? { schema: o.schema } : {}) } });
        ctx.print(r, () =>
          [
            `Connected to PostgreSQL ${r.serverVersion} at ${r.server.host}:${r.server.port}, database "${r.server.database}", as "${r.server.user}"${r.tls ? ' over TLS' : ' (not encrypted)'}.`,
            r.canCreateSchema ? 'This user may create team workspaces here.' : 'This user may not create schemas here (GRANT CREATE ON DATABASE …): it can only join existing workspaces.',
            `${r.schemas.length} workspace schema(s)${r.schemas.length ? `: ${r.schemas.map((s) => `${s.schema}${s.name ? ` ("${s.name}")` : ''}`).join(', ')}` : ''}.`,
          ].join('\n'),
        );
      }),
    );

  ws.command('detach')
    .argument('<name>', 'team workspace name')
    .description('Forget a team workspace on this machine; its data stays on the server')
    .action(
      run(async (ctx, cmd) => {
        const res = await ctx.call('workspace.detach', { workspace: cmd.args[0] as string });
        ctx.print(res, () => `Detached "${res.detached}"; its data stays on the server.`);
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
