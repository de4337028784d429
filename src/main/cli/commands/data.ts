import { createReadStream, existsSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Command } from 'commander';
import { CSV_DELIMITERS, type CsvDelimiter, type ImportReport } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { CliContext } from '../context';
import { table } from '../context';

const CHUNK = 1024 * 1024;

/** Sends a local file to the core's staging area in 1 MB chunks (the same route the renderer uses). */
async function stageFile(ctx: CliContext, file: string): Promise<string> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new AppError('not_found', `There is no file at ${file}.`);
  let uploadId: string | undefined;
  const decoder = new StringDecoder('utf8');
  for await (const buf of createReadStream(file, { highWaterMark: CHUNK })) {
    const res = await ctx.call('import.stage', { uploadId, chunk: decoder.write(buf as Buffer) });
    uploadId = res.uploadId;
  }
  const rest = decoder.end();
  if (rest || !uploadId) uploadId = (await ctx.call('import.stage', { uploadId, chunk: rest })).uploadId;
  return uploadId;
}

export function registerDataCommands(program: Command, run: (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>): void {
  const data = program.command('data').description('Workspace data: counts, records by id or code, and CSV import');

  data
    .command('stats')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('Row count per table')
    .action(
      run(async (ctx, cmd) => {
        const { counts } = await ctx.call('data.stats', { workspace: cmd.opts<{ workspace: string }>().workspace });
        ctx.print({ counts }, () => table(Object.entries(counts).map(([t, n]) => [t, n.toLocaleString('en-US')]), ['TABLE', 'ROWS']));
      }),
    );

  data
    .command('record')
    .argument('<entity>', 'entity type, e.g. tickets, accounts')
    .argument('<ref>', 'the record’s id or code (TCK-000575)')
    .requiredOption('--workspace <name>', 'workspace name')
    .option('--children <n>', 'rows of each related kind to show', '5')
    .description('One record with its references named, the records that point at it, and its insights')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; children: string }>();
        const [entity, ref] = cmd.args as [string, string];
        const r = await ctx.call('data.record', { workspace: o.workspace, entity, id: /^\d+$/.test(ref) ? Number(ref) : ref, childLimit: Math.max(1, Math.min(100, Number(o.children) || 5)) });
        ctx.print(r, () => {
          const names = new Map(r.refs.map((x) => [x.column, `${x.title ?? '(missing)'} [${x.entity}#${x.id}]`]));
          const fields = Object.entries(r.record).map(([k, v]) => [k, names.get(k) ?? (v === null ? '' : String(v).replace(/\s+/g, ' ').slice(0, 100))]);
          const lines = [`${r.title}${r.subtitle ? ` · ${r.subtitle}` : ''}  [${r.entity}#${r.id}]`, table(fields, ['FIELD', 'VALUE'])];
          for (const c of r.children) lines.push('', `${c.label}: ${c.total.toLocaleString('en-US')}${c.total > c.rows.length ? ` (first ${c.rows.length})` : ''}`);
          lines.push('', `Insights: ${r.insights.total}`, ...r.insights.items.map((i) => `  ${i.severity ?? '-'} · ${i.status} · ${i.title} (${i.id})`));
          return lines.join('\n');
        });
      }),
    );

  data
    .command('find')
    .argument('<entity>', 'entity type, e.g. tickets, accounts')
    .argument('<text>', 'a code, a name or an id')
    .requiredOption('--workspace <name>', 'workspace name')
    .option('--limit <n>', 'at most this many matches', '10')
    .description('Find records by the code, name or id people know (as the record picker does)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; limit: string }>();
        const [entity, text] = cmd.args as [string, string];
        const { matches } = await ctx.call('data.lookup', { workspace: o.workspace, entity, query: text, limit: Math.max(1, Math.min(50, Number(o.limit) || 10)) });
        ctx.print({ matches }, () => (matches.length ? table(matches.map((m) => [String(m.id), m.title, m.subtitle ?? '']), ['ID', 'TITLE', 'DETAIL']) : `No ${entity} match “${text}”.`));
      }),
    );

  data
    .command('import')
    .argument('<file>', 'CSV file with a header row')
    .requiredOption('--workspace <name>', 'workspace name')
    .requiredOption('--entity <type>', 'entity type, e.g. tickets, accounts, contacts')
    .option('--dry-run', 'validate only: report bad rows, write nothing')
    .option('--skip-bad-rows', 'import the good rows and skip the bad ones')
    .option('--delimiter <d>', "field delimiter: auto (detect), ',', ';', tab or '|'", 'auto')
    .option('--map <column=header...>', 'map an entity column to a CSV header (repeatable); unmapped columns are matched by name')
    .description('Import a CSV file; with any bad row nothing is written unless --skip-bad-rows')
    .action(
      run(async (ctx, cmd) => {
        const file = cmd.args[0] as string;
        const o = cmd.opts<{ workspace: string; entity: string; dryRun?: boolean; skipBadRows?: boolean; map?: string[]; delimiter: string }>();
        const delimiter = o.delimiter === 'tab' || o.delimiter === '\\t' ? '\t' : o.delimiter;
        if (delimiter !== 'auto' && !(CSV_DELIMITERS as readonly string[]).includes(delimiter)) throw new AppError('validation', `--delimiter takes auto, ',', ';', tab or '|' (got "${o.delimiter}").`);
        const picked = delimiter as CsvDelimiter | 'auto';
        // Fail on an unknown workspace before uploading anything.
        ctx.getCore().services.workspaces.resolve(o.workspace);
        const uploadId = await stageFile(ctx, file);
        try {
          let mapping: Record<string, string | null> | undefined;
          if (o.map?.length) {
            const analysis = await ctx.call('import.analyze', { workspace: o.workspace, entity: o.entity, uploadId, delimiter: picked });
            mapping = { ...analysis.suggestedMapping };
            for (const m of o.map) {
              const eq = m.indexOf('=');
              if (eq <= 0) throw new AppError('validation', `--map takes column=header (got "${m}").`);
              mapping[m.slice(0, eq)] = m.slice(eq + 1) || null;
            }
          }
          const { jobId } = await ctx.call('import.run', { workspace: o.workspace, entity: o.entity, uploadId, mapping, dryRun: o.dryRun === true, skipBadRows: o.skipBadRows === true, delimiter: picked });
          const job = await ctx.followJob(jobId, o.dryRun ? `Checking ${file}` : `Importing ${file}`);
          const report = job.result as ImportReport;
          ctx.print(report, () => describeReport(report));
          if (report.badRows > 0 && !report.committed && !o.skipBadRows) process.exitCode = 1;
        } finally {
          await ctx.call('import.discard', { uploadId }).catch(() => undefined);
        }
      }),
    );
}

export function describeReport(r: ImportReport): string {
  const lines = [
    r.dryRun
      ? `Dry run of ${r.entity}: ${r.totalRows} rows, ${r.validRows} valid, ${r.badRows} bad. Nothing was written.`
      : r.committed
        ? `Imported ${r.imported} ${r.entity}${r.skipped ? `, skipped ${r.skipped} bad rows` : ''}.`
        : `Nothing was imported: ${r.badRows} of ${r.totalRows} rows are bad. Fix them, or rerun with --skip-bad-rows.`,
  ];
  if (r.errors.length) {
    lines.push('', table(r.errors.slice(0, 50).map((e) => [e.line, e.column ?? '', e.reason]), ['LINE', 'COLUMN', 'PROBLEM']));
    if (r.badRows > 50) lines.push(`… and ${r.badRows - 50} more bad rows (use --json for the first 1,000).`);
  }
  return lines.join('\n');
}
