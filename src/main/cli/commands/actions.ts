import type { Command } from 'commander';
import type { ActionApproval, ActionPreview } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { CliContext } from '../context';
import { table } from '../context';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

const show = (v: unknown): string => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** A diff as people read it: one line per field, before → after. */
export function describePreview(p: ActionPreview): string {
  const lines = [p.summary];
  for (const c of p.changes) {
    lines.push(`  ${c.op} ${c.entity}${c.id === null ? '' : ` #${c.id}`}${c.title ? ` (${c.title})` : ''}`);
    for (const f of c.fields) lines.push(c.op === 'create' ? `    ${f.name}: ${show(f.after)}` : c.op === 'delete' ? `    ${f.name}: ${show(f.before)}` : `    ${f.name}: ${show(f.before)} → ${show(f.after)}`);
  }
  return lines.join('\n');
}

export function describeApproval(a: ActionApproval): string {
  const flags = [a.status, a.risk, a.untrusted ? 'UNTRUSTED: proposed after reading record text' : null, a.agent ? `agent ${a.agent}` : null].filter(Boolean).join(', ');
  return `${a.id}  ${a.action}  (${flags})\n${describePreview(a.preview)
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}`;
}

function parseJson(text: string | undefined, flag: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new AppError('validation', `${flag} must be a JSON object, e.g. ${flag} '{"title":"Call back"}'.`);
}

/** The workspace holding an approval: the one named, or the one whose approvals list it. */
async function workspaceOf(ctx: CliContext, id: string, named: string | undefined): Promise<string> {
  if (named) return named;
  const { workspaces } = await ctx.call('workspace.list', {});
  for (const w of workspaces.filter((x) => x.status === 'ready')) {
    const { approvals } = await ctx.call('actions.pending', { workspace: w.name, status: ['pending', 'changed'] });
    if (approvals.some((a) => a.id === id)) return w.name;
  }
  throw new AppError('not_found', `No workspace has an open approval "${id}". See: actions pending --workspace W.`, { id });
}

/** `actions list|preview|run|pending|approve|reject` and `audit list` (README → Actions and approvals). */
export function registerActionCommands(program: Command, run: Run): void {
  const actions = program.command('actions').description('Typed actions: list, preview, run reads, propose writes, approve or reject them');

  actions
    .command('list')
    .description('The actions your profile may call')
    .action(
      run(async (ctx) => {
        const res = await ctx.call('actions.list', {});
        ctx.print(res, () => table(res.actions.map((a) => [a.name, a.risk, a.role, a.domain.join(','), a.description]), ['NAME', 'RISK', 'ROLE', 'DOMAIN', 'DESCRIPTION']));
      }),
    );

  actions
    .command('preview')
    .argument('<name>', 'action name')
    .requiredOption('--workspace <name>', 'workspace')
    .option('--args <json>', 'arguments as a JSON object', '{}')
    .description('Show what an action would change, changing nothing')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; args: string }>();
        const p = await ctx.call('actions.preview', { workspace: o.workspace, name: cmd.args[0] as string, args: parseJson(o.args, '--args') ?? {} });
        ctx.print(p, () => describePreview(p));
      }),
    );

  actions
    .command('run')
    .argument('<name>', 'action name')
    .requiredOption('--workspace <name>', 'workspace')
    .option('--args <json>', 'arguments as a JSON object', '{}')
    .description('Run a read action now; a write is left pending for approval (exit 0)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; args: string }>();
        const r = await ctx.call('actions.execute', { workspace: o.workspace, name: cmd.args[0] as string, args: parseJson(o.args, '--args') ?? {}, source: 'cli' });
        ctx.print(r, () => (r.status === 'done' ? JSON.stringify(r.result, null, 2) : `Pending approval (actions approve ${r.approval.id}):\n${describeApproval(r.approval)}`));
      }),
    );

  actions
    .command('pending')
    .requiredOption('--workspace <name>', 'workspace')
    .option('--all', 'every approval, decided ones too')
    .description('Approvals waiting for a decision')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; all?: boolean }>();
        const res = await ctx.call('actions.pending', { workspace: o.workspace, status: o.all ? ['pending', 'changed', 'executing', 'executed', 'rejected', 'failed'] : undefined });
        ctx.print(res, () => (res.approvals.length ? res.approvals.map(describeApproval).join('\n\n') : 'Nothing is waiting for approval.'));
      }),
    );

  actions
    .command('approve')
    .argument('<id>', 'approval id')
    .option('--workspace <name>', 'workspace (found from the id when left out)')
    .option('--args <json>', 'edited arguments as a JSON object (replace the proposed ones)')
    .description('Approve a pending action; if its records changed meanwhile, prints the new diff and asks again')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace?: string; args?: string }>();
        const id = cmd.args[0] as string;
        const args = parseJson(o.args, '--args');
        const r = await ctx.call('actions.approve', { workspace: await workspaceOf(ctx, id, o.workspace), id, args });
        ctx.print(r, () =>
          r.status === 'executed'
            ? `Done: ${r.approval.action} (audit ${r.auditId}); touched ${r.touched.map((t) => `${t.entity} #${t.id}`).join(', ') || 'nothing'}`
            : `The records changed since this was proposed. New diff — approve again to apply it:\n${describeApproval(r.approval)}`,
        );
      }),
    );

  actions
    .command('reject')
    .argument('<id>', 'approval id')
    .option('--workspace <name>', 'workspace (found from the id when left out)')
    .option('--reason <text>', 'why')
    .description('Reject a pending action; nothing is written')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace?: string; reason?: string }>();
        const id = cmd.args[0] as string;
        const r = await ctx.call('actions.reject', { workspace: await workspaceOf(ctx, id, o.workspace), id, reason: o.reason });
        ctx.print(r, () => `Rejected ${r.approval.action} (${r.approval.id}); nothing was written.`);
      }),
    );

  program
    .command('audit')
    .description('The audit trail of executed actions')
    .command('list')
    .requiredOption('--workspace <name>', 'workspace')
    .option('--action <name>', 'only this action')
    .option('--limit <n>', 'how many', '50')
    .description('Executed actions, newest first: who, when, agent, arguments, result, records touched')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; action?: string; limit: string }>();
        const res = await ctx.call('audit.list', { workspace: o.workspace, action: o.action, limit: Number(o.limit) });
        ctx.print(res, () =>
          res.entries.length
            ? table(
                res.entries.map((e) => [e.at, e.action, e.status, e.profile.name, e.source, e.agent ?? '', e.touched.map((t) => `${t.entity}#${t.id}`).join(' '), e.error ?? '']),
                ['AT', 'ACTION', 'STATUS', 'BY', 'SOURCE', 'AGENT', 'TOUCHED', 'ERROR'],
              )
            : 'No actions have run in this workspace yet.',
        );
      }),
    );
}
