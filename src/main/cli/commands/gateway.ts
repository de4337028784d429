import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { AskAnswer, BudgetState, EffectivePolicy, LimitValue, RouteInput, UsageSummary } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { CliContext } from '../context';
import { number, table } from '../context';
import type { ActionRunner } from '../index';

function readFile(file: string): string {
  if (!existsSync(file) || !statSync(file).isFile()) throw new AppError('not_found', `There is no file at ${file}.`);
  return readFileSync(file, 'utf8');
}

/** --workspace, or the only workspace there is. */
async function workspaceOf(ctx: CliContext, given: string | undefined): Promise<string> {
  if (given) return given;
  const { workspaces } = await ctx.call('workspace.list', {});
  if (workspaces.length === 1) return workspaces[0]!.name;
  throw new AppError('validation', workspaces.length ? `Say which workspace: --workspace ${workspaces.map((w) => w.name).join('|')}.` : 'There is no workspace yet; create one first (workspace create NAME).');
}

const money = (usd: number): string => `$${usd < 0.01 && usd > 0 ? usd.toFixed(4) : usd.toFixed(2)}`;
const lim = (l: LimitValue | null): string => (l ? [l.usd !== undefined ? money(l.usd) : null, l.tokens !== undefined ? `${l.tokens.toLocaleString('en-US')} tokens` : null].filter(Boolean).join(' / ') : '—');

function describePolicy(p: EffectivePolicy): string {
  const chain = p.chain.length ? p.chain.map((h) => `${h.endpoint} (${h.model ?? 'default model'}${h.breaker !== 'closed' ? `, circuit ${h.breaker}` : ''})`).join(' → ') : '(no endpoint available)';
  return [
    `${p.useCase}${p.label ? ` — ${p.label}` : ''}`,
    `  from:        ${p.from.join(' ← ') || 'built-in defaults'}`,
    `  model:       ${p.model ?? "each endpoint's default"}`,
    `  temperature: ${p.temperature ?? 'provider default'}   max_tokens: ${p.maxTokens}   top_p: ${p.topP ?? 'default'}`,
    `  timeout:     ${p.timeoutMs} ms   retries: ${p.retries}   backoff: ${p.backoff.baseMs}–${p.backoff.maxMs} ms`,
    `  chain:       ${chain}`,
    `  cache:       ${p.cache.ttlSeconds ? `${p.cache.ttlSeconds} s${p.cache.sampled ? ', sampled too' : ''}${p.cache.streaming ? ', streams too' : ''}` : 'off'}   stream: ${p.stream ? 'yes' : 'no'}`,
    `  budget:      per request ${lim(p.budget.perRequest)}, daily ${lim(p.budget.daily)}`,
  ].join('\n');
}

function describeSummary(s: UsageSummary): string {
  const t = s.totals;
  const group = (title: string, rows: UsageSummary['byModel']): string =>
    rows.length ? `\n${title}\n${table(rows.map((r) => [r.key, r.calls, r.tokensIn.toLocaleString('en-US'), r.tokensOut.toLocaleString('en-US'), money(r.costUsd), r.errors]), ['', 'CALLS', 'IN', 'OUT', 'COST', 'ERRORS'])}` : '';
  return [
    `Usage in ${s.workspace}, ${s.from} … ${s.to} (${s.range}):`,
    `  ${t.calls} calls (${t.ok} ok, ${t.cached} cached, ${t.errors} failed, ${t.cancelled} cancelled, ${t.refused} refused, ${t.fallbacks} by fallback)`,
    `  ${t.tokensIn.toLocaleString('en-US')} tokens in, ${t.tokensOut.toLocaleString('en-US')} out — ${money(t.costUsd)}${t.avgLatencyMs !== null ? `, ${t.avgLatencyMs} ms average` : ''}`,
    s.unpricedModels.length ? `  Unpriced models (recorded at $0): ${s.unpricedModels.join(', ')} — add them with prices set.` : '',
    group('By provider', s.byProvider),
    group('By model', s.byModel),
    group('By use case', s.byUseCase),
    s.daily.length > 1 ? `\nDaily\n${table(s.daily.map((d) => [d.day, d.calls, money(d.costUsd)]), ['DAY', 'CALLS', 'COST'])}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function describeBudget(b: BudgetState): string {
  const row = (name: string, s: BudgetState['workspaceDaily']): (string | number)[] => [name, lim(s.limit), money(s.spent.usd), s.spent.tokens.toLocaleString('en-US'), s.remaining.usd !== null ? money(s.remaining.usd) : '—'];
  return [
    `Budgets of ${b.workspace} for ${b.day} (reset ${b.resetsAt}); per request: ${lim(b.perRequest)}`,
    table([row('workspace / day', b.workspaceDaily), row('you / day', b.perUserDaily), ...b.useCases.map((u) => row(`${u.useCase} / day`, u.daily))], ['SCOPE', 'LIMIT', 'SPENT', 'TOKENS', 'LEFT']),
  ].join('\n');
}

const askFields = (a: AskAnswer): Record<string, unknown> => ({
  text: a.text,
  provider: a.provider,
  model: a.model,
  endpoint: a.endpoint,
  fallbackUsed: a.fallbackUsed,
  tokensIn: a.tokensIn,
  tokensOut: a.tokensOut,
  costUsd: a.costUsd,
  latencyMs: a.latencyMs,
});

const footer = (a: AskAnswer): string =>
  `— ${a.endpoint} (${a.provider}/${a.model}) · ${a.tokensIn} in / ${a.tokensOut} out · ${money(a.costUsd)} · ${a.latencyMs} ms${a.fallbackUsed ? ' · fallback' : ''}${a.cached ? ' · cached' : ''}`;

/** Streams an answer to stdout through the same contract route and events the renderer's playground uses. */
async function streamAnswer(ctx: CliContext, input: RouteInput<'gateway.ask'>): Promise<AskAnswer> {
  const core = ctx.getCore();
  const streamId = randomBytes(12).toString('base64url');
  return new Promise<AskAnswer>((resolve, reject) => {
    let wroteText = false;
    const unsubscribe = core.events.on('gateway.stream', (ev) => {
      if (ev.streamId !== streamId) return;
      if (ev.type === 'delta' && ev.text) {
        process.stdout.write(ev.text);
        wroteText = true;
      } else if (ev.type === 'done' && ev.answer) {
        done();
        if (wroteText) process.stdout.write('\n');
        resolve(ev.answer);
      } else if (ev.type === 'error') {
        done();
        if (wroteText) process.stdout.write('\n');
        reject(AppError.fromJSON(ev.error));
      }
    });
    const onSigint = (): void => void ctx.call('gateway.streamCancel', { streamId });
    process.once('SIGINT', onSigint);
    const done = (): void => {
      unsubscribe();
      process.removeListener('SIGINT', onSigint);
    };
    ctx.call('gateway.streamStart', { ...input, streamId }).catch((error: unknown) => {
      done();
      reject(error);
    });
  });
}

export function registerGatewayCommands(program: Command, run: ActionRunner): void {
  const policy = program.command('policy').description('Model policies per use case (YAML, per workspace)');

  policy
    .command('show')
    .argument('[use-case]', 'one use case, e.g. copilot.chat or persona.ticket_analyst')
    .option('--workspace <name>', 'workspace (default: the only one)')
    .option('--yaml', 'print the policy document itself')
    .description('Show effective policies (or the YAML document)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace?: string; yaml?: boolean }>();
        const useCase = cmd.args[0] as string | undefined;
        const state = await ctx.call('policies.get', { workspace: await workspaceOf(ctx, o.workspace), ...(useCase ? { useCase } : {}) });
        if (o.yaml && !ctx.json) {
          process.stdout.write(state.yaml.endsWith('\n') ? state.yaml : `${state.yaml}\n`);
          return;
        }
        ctx.print(useCase ? { ...state, policy: state.policies[0] } : state, () =>
          [
            `Policies of ${state.workspace} (${state.source === 'default' ? 'the default document' : `revision ${state.rev}, ${state.updatedAt ?? ''}${state.updatedBy ? ` by ${state.updatedBy}` : ''}`})`,
            ...state.issues.map((i) => `  ${i.severity === 'error' ? 'error' : 'warning'}: ${i.line !== null ? `line ${i.line}: ` : ''}${i.message}`),
            '',
            ...state.policies.map(describePolicy),
          ].join('\n'),
        );
      }),
    );

  policy
    .command('set')
    .argument('<file>', 'policy document (YAML)')
    .option('--workspace <name>', 'workspace (default: the only one)')
    .description('Replace the policy document; one with errors is refused and the old one stays (admin)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace?: string }>();
        const state = await ctx.call('policies.set', { workspace: await workspaceOf(ctx, o.workspace), yaml: readFile(cmd.args[0] as string) });
        ctx.print(state, () => [`Saved policies of ${state.workspace} (revision ${state.rev}).`, ...state.issues.map((i) => `  warning: ${i.line !== null ? `line ${i.line}: ` : ''}${i.message}`)].join('\n'));
      }),
    );

  policy
    .command('validate')
    .argument('<file>', 'policy document (YAML)')
    .option('--workspace <name>', 'workspace (default: the only one)')
    .description('Check a policy document without saving it')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace?: string }>();
        const res = await ctx.call('policies.validate', { workspace: await workspaceOf(ctx, o.workspace), yaml: readFile(cmd.args[0] as string) });
        ctx.print(res, () => (res.issues.length ? res.issues.map((i) => `${i.severity}: ${i.line !== null ? `line ${i.line}: ` : ''}${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n') : 'The document is valid.'));
        if (!res.ok) process.exitCode = 1;
      }),
    );

  policy
    .command('reset')
    .option('--workspace <name>', 'workspace (default: the only one)')
    .description('Go back to the default policy document (admin)')
    .action(
      run(async (ctx, cmd) => {
        const state = await ctx.call('policies.reset', { workspace: await workspaceOf(ctx, cmd.opts<{ workspace?: string }>().workspace) });
        ctx.print(state, () => `Policies of ${state.workspace} are back to the default document.`);
      }),
    );

  program
    .command('ask')
    .argument('<prompt>', 'what to ask')
    .requiredOption('--use-case <key>', 'policy to route by, e.g. copilot.chat, persona.ticket_analyst, default')
    .option('--workspace <name>', 'workspace (default: the only one)')
    .option('--system <text>', 'system prompt')
    .option('--model <model>', "override the policy's model")
    .option('--temperature <t>', "override the policy's temperature")
    .option('--max-tokens <n>', "override the policy's max_tokens")
    .description('Send a prompt through a use case policy; streams the answer (with --json: one JSON object)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ useCase: string; workspace?: string; system?: string; model?: string; temperature?: string; maxTokens?: string }>();
        const input = {
          workspace: await workspaceOf(ctx, o.workspace),
          useCase: o.useCase,
          prompt: cmd.args[0] as string,
          ...(o.system ? { system: o.system } : {}),
          ...(o.model ? { model: o.model } : {}),
          ...(o.temperature !== undefined ? { temperature: number(o.temperature, '--temperature') } : {}),
          ...(o.maxTokens !== undefined ? { maxTokens: number(o.maxTokens, '--max-tokens') } : {}),
        };
        if (ctx.json) {
          const a = await ctx.call('gateway.ask', input);
          process.stdout.write(`${JSON.stringify(askFields(a), null, 2)}\n`);
          return;
        }
        const a = await streamAnswer(ctx, input);
        if (!a.text) process.stdout.write('(empty answer)\n');
        process.stderr.write(`${footer(a)}\n`);
      }),
    );

  const usage = program.command('usage').description('Model usage and cost');
  usage
    .command('summary')
    .option('--workspace <name>', 'workspace (default: the only one)')
    .option('--range <range>', '1d|7d|30d|90d', '7d')
    .description('Totals, by provider, model and use case, and a daily series')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace?: string; range: string }>();
        if (!['1d', '7d', '30d', '90d'].includes(o.range)) throw new AppError('validation', `--range must be 1d, 7d, 30d or 90d (got "${o.range}").`);
        const s = await ctx.call('usage.summary', { workspace: await workspaceOf(ctx, o.workspace), range: o.range as UsageSummary['range'] });
        ctx.print(s, () => describeSummary(s));
      }),
    );
  usage
    .command('list')
    .option('--workspace <name>', 'workspace (default: the only one)')
    .option('--limit <n>', 'how many calls', '20')
    .description('The latest model calls')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace?: string; limit: string }>();
        const res = await ctx.call('usage.list', { workspace: await workspaceOf(ctx, o.workspace), limit: number(o.limit, '--limit') });
        ctx.print(res, () =>
          table(
            res.rows.map((r) => [r.at.slice(0, 19), r.useCase, r.status, r.endpoint ?? '', r.model ?? '', r.tokensIn, r.tokensOut, money(r.costUsd), r.latencyMs ?? '', r.fallbackUsed ? 'yes' : '', r.errorCode ?? '', r.anomaly ? 'yes' : '']),
            ['TIME', 'USE CASE', 'STATUS', 'ENDPOINT', 'MODEL', 'IN', 'OUT', 'COST', 'MS', 'FALLBACK', 'ERROR', 'CORRECTED'],
          ) + (res.rows.some((r) => r.anomaly) ? '\nCORRECTED: the provider reported implausible usage and the row holds a corrected figure (--json shows why).' : ''),
        );
      }),
    );

  const budget = program.command('budget').description("Budget limits and today's spend");
  budget
    .command('show')
    .option('--workspace <name>', 'workspace (default: the only one)')
    .description("Limits and today's spend against them")
    .action(
      run(async (ctx, cmd) => {
        const b = await ctx.call('budgets.get', { workspace: await workspaceOf(ctx, cmd.opts<{ workspace?: string }>().workspace) });
        ctx.print(b, () => describeBudget(b));
      }),
    );
  budget
    .command('set')
    .option('--workspace <name>', 'workspace (default: the only one)')
    .option('--per-request-usd <usd>', 'most one call may cost ("none" removes the limit)')
    .option('--user-daily-usd <usd>', 'per profile per day')
    .option('--workspace-daily-usd <usd>', 'the whole workspace per day')
    .option('--use-case <key>', 'with --daily-usd / --daily-tokens: the limit of one use case')
    .option('--daily-usd <usd>', 'daily limit of --use-case')
    .option('--daily-tokens <n>', 'daily token limit of --use-case')
    .description('Change budget limits; they are written into the policy document (admin)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<Record<string, string | undefined>>();
        const usd = (v: string | undefined, flag: string): LimitValue | null | undefined => (v === undefined ? undefined : v === 'none' ? null : { usd: number(v, flag) });
        const useCases: Record<string, { daily?: LimitValue | null }> = {};
        if (o.useCase) {
          const daily: LimitValue = {};
          if (o.dailyUsd !== undefined && o.dailyUsd !== 'none') daily.usd = number(o.dailyUsd, '--daily-usd');
          if (o.dailyTokens !== undefined && o.dailyTokens !== 'none') daily.tokens = number(o.dailyTokens, '--daily-tokens');
          useCases[o.useCase] = { daily: Object.keys(daily).length ? daily : null };
        }
        const b = await ctx.call('budgets.set', {
          workspace: await workspaceOf(ctx, o.workspace),
          perRequest: usd(o.perRequestUsd, '--per-request-usd'),
          perUserDaily: usd(o.userDailyUsd, '--user-daily-usd'),
          workspaceDaily: usd(o.workspaceDailyUsd, '--workspace-daily-usd'),
          ...(o.useCase ? { useCases } : {}),
        });
        ctx.print(b, () => describeBudget(b));
      }),
    );

  const prices = program.command('prices').description('The model price table (USD per million tokens)');
  prices
    .command('show')
    .option('--yaml', 'print the YAML document')
    .description('Show the price table')
    .action(
      run(async (ctx, cmd) => {
        const p = await ctx.call('prices.get', {});
        if (cmd.opts<{ yaml?: boolean }>().yaml && !ctx.json) {
          process.stdout.write(p.yaml);
          return;
        }
        ctx.print(p, () =>
          table(
            p.models.map((m) => [m.match, m.input ?? '', m.cachedInput ?? '', m.output ?? '', m.perMinute ?? '']),
            ['MODEL', 'INPUT', 'CACHED', 'OUTPUT', 'PER MIN'],
          ),
        );
      }),
    );
  prices
    .command('set')
    .argument('<file>', 'price table (YAML)')
    .option('--dry-run', 'only validate')
    .description('Replace the price table (admin)')
    .action(
      run(async (ctx, cmd) => {
        const res = await ctx.call('prices.set', { yaml: readFile(cmd.args[0] as string), dryRun: cmd.opts<{ dryRun?: boolean }>().dryRun === true });
        ctx.print(res, () =>
          res.ok
            ? `${cmd.opts<{ dryRun?: boolean }>().dryRun ? 'The price table is valid' : 'Saved the price table'} (${res.models.length} models).`
            : res.issues.map((i) => `error: ${i.line !== null ? `line ${i.line}: ` : ''}${i.message}`).join('\n'),
        );
        if (!res.ok) process.exitCode = 1;
      }),
    );
}
