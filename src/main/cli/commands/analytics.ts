import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { QuerySpecInput } from '@shared/analytics/spec';
import { formatCell, formatValue } from '@shared/charts/format';
import type { QueryResult } from '@shared/analytics/spec';
import { AppError } from '@shared/errors';
import type { CliContext } from '../context';
import { table } from '../context';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

function resultText(r: QueryResult): string {
  const cols = r.columns;
  const rows = r.rows.map((row) => cols.map((c) => formatCell(row[c.key] ?? null, c)));
  const totals = cols.map((c) => (c.role === 'measure' || c.role === 'change' ? formatValue(typeof r.totals[c.key] === 'number' ? (r.totals[c.key] as number) : null, c.format) : c === cols[0] ? 'Total' : ''));
  const head = `${r.range?.label ?? 'All time'} · reference day ${r.referenceDate} · ${r.timing.statements} statements, ${r.timing.sqlMs.toFixed(1)} ms SQL`;
  return `${head}\n${table([...rows, totals], cols.map((c) => c.label.toUpperCase()))}${r.truncated ? `\n(first ${r.spec.limit} rows)` : ''}`;
}

function readSpec(file: string | undefined, inline: string | undefined): QuerySpecInput {
  if (!file && !inline) throw new AppError('validation', 'Give the spec as a file (analytics query --workspace W spec.json) or inline (--spec \'{"measures":["win_rate"]}\').');
  let text: string;
  if (inline) text = inline;
  else {
    try {
      text = readFileSync(file!, 'utf8');
    } catch {
      throw new AppError('not_found', `There is no readable file at ${file}.`);
    }
  }
  try {
    return JSON.parse(text) as QuerySpecInput;
  } catch (error) {
    throw new AppError('validation', `The spec is not JSON: ${(error as Error).message}`);
  }
}

const mode = (value: string | undefined): 'auto' | 'model' | 'patterns' => {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'model' || value === 'patterns') return value;
  throw new AppError('validation', `--mode must be auto, model or patterns (got "${value}").`);
};

/** `analytics catalog | query | ask | eval` (README → Analytics). */
export function registerAnalyticsCommands(program: Command, run: Run): void {
  const a = program.command('analytics').description('Metrics catalog, query specs, questions in plain language');

  a.command('catalog')
    .description('Measures (with their dimensions) and dimensions of the metrics catalog')
    .action(
      run(async (ctx) => {
        const c = await ctx.call('analytics.catalog', {});
        ctx.print(c, () => `${table(c.measures.map((m) => [m.name, m.label, m.unit, m.timeColumn, m.dimensions.join(', ')]), ['MEASURE', 'LABEL', 'UNIT', 'TIME', 'DIMENSIONS'])}\n\n${table(c.dimensions.map((d) => [d.name, d.label, d.description]), ['DIMENSION', 'LABEL', 'DESCRIPTION'])}`);
      }),
    );

  a.command('query')
    .argument('[spec.json]', 'a file holding the query spec')
    .option('--spec <json>', 'the query spec inline')
    .requiredOption('--workspace <name>', 'workspace')
    .description('Run a query spec and print the table (--json: columns, rows, totals, timing)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ spec?: string; workspace: string }>();
        const r = await ctx.call('analytics.query', { workspace: o.workspace, spec: readSpec(cmd.args[0] as string | undefined, o.spec) });
        ctx.print(r, () => resultText(r));
      }),
    );

  a.command('ask')
    .argument('<question>', 'the question, in quotes')
    .requiredOption('--workspace <name>', 'workspace')
    .option('--mode <mode>', 'auto (model, else patterns) | model | patterns', 'auto')
    .description('Answer a question in plain language: the spec it was read as, the summary and the table')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; mode?: string }>();
        const r = await ctx.call('analytics.ask', { workspace: o.workspace, question: cmd.args[0] as string, mode: mode(o.mode) });
        ctx.print(r, () => [`${r.summary}`, `Read by ${r.method === 'model' ? `the model (${r.model?.model ?? '?'})` : `the patterns (${r.pattern})`} as: ${JSON.stringify(r.spec)}`, ...r.warnings.map((w) => `! ${w}`), '', resultText(r.result)].join('\n'));
      }),
    );

  a.command('eval')
    .requiredOption('--workspace <name>', 'a demo workspace')
    .option('--mode <mode>', 'auto | model | patterns', 'auto')
    .option('--limit <n>', 'only the first n questions')
    .description('Ask the evaluation questions and print exact-result accuracy')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; mode?: string; limit?: string }>();
        const limit = o.limit === undefined ? undefined : Number(o.limit);
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new AppError('validation', '--limit must be a positive whole number.');
        const r = await ctx.call('analytics.eval', { workspace: o.workspace, mode: mode(o.mode), ...(limit ? { limit } : {}) });
        ctx.print(r, () => {
          const lines = r.items.map((i) => `${i.ok ? 'ok  ' : 'FAIL'} ${i.question}${i.ok ? '' : ` — ${i.problem}`}`);
          return `${lines.join('\n')}\n\nExact-result accuracy: ${r.correct}/${r.total} = ${(r.accuracy * 100).toFixed(1)}% (model answered ${r.byMethod.model}, patterns ${r.byMethod.patterns}; ${(r.elapsedMs / 1000).toFixed(1)} s)`;
        });
      }),
    );
}
