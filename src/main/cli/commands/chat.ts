import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AGENT_KEYS, type AgentKey, type ProposalView, type TurnResult } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { CliContext } from '../context';
import { table } from '../context';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

interface Change {
  entity: string;
  id: number | string | null;
  op?: string;
  fields: { name: string; before: unknown; after: unknown }[];
}

/** A proposal's diff as lines: "tasks (new)  title: — → Follow up". */
export function diffLines(p: ProposalView): string {
  const changes = ((p.diff as { changes?: Change[] } | null)?.changes ?? []) as Change[];
  const show = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  const lines = [`Proposed: ${p.summary}  [${p.action}, ${p.status}, id ${p.id}]${p.afterUntrusted ? '  (proposed after reading record text)' : ''}`];
  for (const c of changes) {
    lines.push(`  ${c.entity}${c.id === null ? ' (new)' : ` #${c.id}`}`);
    for (const f of c.fields) lines.push(`    ${f.name}: ${show(f.before)} → ${show(f.after)}`);
  }
  return lines.join('\n');
}

/** `chat`, `conversations list|show|export`, `memory list|forget` (README → Copilot). */
export function registerChatCommands(program: Command, run: Run): void {
  program
    .command('chat')
    .argument('<message>', 'what to ask the agent')
    .requiredOption('--workspace <name>', 'workspace')
    .option('--agent <agent>', `${AGENT_KEYS.join(' | ')}`, 'analyst')
    .option('--conversation <id>', 'continue this conversation')
    .option('--approve', 'approve the writes the agent proposes in this run (otherwise they stay pending)')
    .description('Ask a copilot agent; the answer streams, proposed writes are printed with their diff and left pending')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; agent: string; conversation?: string; approve?: boolean }>();
        if (!(AGENT_KEYS as readonly string[]).includes(o.agent)) throw new AppError('validation', `--agent must be one of ${AGENT_KEYS.join(', ')} (got "${o.agent}").`);
        const core = ctx.getCore();
        const turnId = randomBytes(12).toString('base64url');
        let wrote = false;
        const off = core.events.on('copilot.stream', (ev) => {
          if (ev.turnId !== turnId || ctx.json) return;
          if (ev.type === 'delta' && ev.text) {
            process.stdout.write(ev.text);
            wrote = true;
          } else if (ev.type === 'tool' && ev.tool && ev.tool.status !== 'running') {
            process.stderr.write(`${wrote ? '\n' : ''}· ${ev.tool.name} ${ev.tool.status}\n`);
            wrote = false;
          }
        });
        const onSigint = (): void => void core.call('copilot.stop', { turnId });
        process.once('SIGINT', onSigint);
        let result: TurnResult;
        try {
          result = await ctx.call('copilot.send', { workspace: o.workspace, agent: o.agent as AgentKey, message: cmd.args[0] as string, conversationId: o.conversation, turnId });
        } finally {
          off();
          process.removeListener('SIGINT', onSigint);
        }
        if (wrote) process.stdout.write('\n');
        const approved: { id: string; status: string }[] = [];
        // --approve decides in the same run, through the action layer (role checked again, diff recomputed).
        if (o.approve) for (const p of result.message.proposals) approved.push({ id: p.id, status: (await ctx.call('actions.approve', { workspace: o.workspace, id: p.id })).status });
        const m = result.message;
        ctx.print({ ...result, approved }, () => {
          const parts: string[] = [];
          for (const p of m.proposals) parts.push(diffLines(p));
          for (const a of approved) parts.push(`Approved ${a.id}: ${a.status}`);
          if (m.proposals.length && !o.approve) parts.push('Pending: approve in the app, or run again with --approve.');
          if (m.citations.length) parts.push(`Sources: ${m.citations.map((c) => `${c.entity}:${c.id}`).join(', ')}`);
          if (m.droppedCitations) parts.push(`(${m.droppedCitations} citation(s) of records the agent did not read were dropped)`);
          parts.push(`— conversation ${result.conversationId} · ${m.model ?? '?'} · ${m.tokensIn} in / ${m.tokensOut} out · $${m.costUsd.toFixed(4)}${m.status === 'done' ? '' : ` · ${m.status}`}`);
          return parts.join('\n');
        });
      }),
    );

  const conv = program.command('conversations').description('Copilot conversations (yours, in a workspace)');
  conv
    .command('list')
    .requiredOption('--workspace <name>', 'workspace')
    .option('--search <text>', 'only conversations whose title or messages contain this')
    .description('Conversations, pinned first, newest first')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; search?: string }>();
        const { conversations } = o.search ? await ctx.call('conversations.search', { workspace: o.workspace, query: o.search }) : await ctx.call('conversations.list', { workspace: o.workspace });
        ctx.print({ conversations }, () =>
          conversations.length
            ? table(
                conversations.map((c) => [c.id, c.pinned ? '★' : '', c.agent, c.title, c.updatedAt.slice(0, 16).replace('T', ' '), `$${c.costUsd.toFixed(4)}`]),
                ['ID', '', 'AGENT', 'TITLE', 'UPDATED', 'COST'],
              )
            : 'No conversations yet. Start one: intelligence-desk chat --workspace W "…"',
        );
      }),
    );
  conv
    .command('show')
    .argument('<id>', 'conversation id')
    .requiredOption('--workspace <name>', 'workspace')
    .description('A conversation as Markdown')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string }>();
        const r = await ctx.call('conversations.export', { workspace: o.workspace, conversationId: cmd.args[0] as string });
        ctx.print(await ctx.call('conversations.get', { workspace: o.workspace, conversationId: cmd.args[0] as string }), () => r.markdown);
      }),
    );
  conv
    .command('export')
    .argument('<id>', 'conversation id')
    .requiredOption('--workspace <name>', 'workspace')
    .option('--out <file>', 'write to this file (default: print)')
    .description('Export a conversation to Markdown')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; out?: string }>();
        const r = await ctx.call('conversations.export', { workspace: o.workspace, conversationId: cmd.args[0] as string });
        if (o.out) writeFileSync(o.out, r.markdown);
        ctx.print({ ...r, file: o.out ?? null }, () => (o.out ? `Wrote ${o.out}` : r.markdown));
      }),
    );

  const memory = program.command('memory').description('What the copilot remembers for you in a workspace');
  memory
    .command('list')
    .requiredOption('--workspace <name>', 'workspace')
    .description('Memories, newest first (expired ones are swept)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string }>();
        const { items } = await ctx.call('memory.list', { workspace: o.workspace });
        ctx.print({ items }, () =>
          items.length ? table(items.map((i) => [i.id, i.type, i.retention, i.expiresAt?.slice(0, 16).replace('T', ' ') ?? 'never', i.content.slice(0, 80)]), ['ID', 'TYPE', 'KEEP', 'EXPIRES', 'CONTENT']) : 'Nothing remembered yet.',
        );
      }),
    );
  memory
    .command('forget')
    .argument('<id>', 'memory id (see memory list)')
    .requiredOption('--workspace <name>', 'workspace')
    .description('Delete a memory')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string }>();
        await ctx.call('memory.forget', { workspace: o.workspace, memoryId: cmd.args[0] as string });
        ctx.print({ ok: true }, () => 'Forgotten.');
      }),
    );
}
