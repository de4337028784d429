import type { Command } from 'commander';
import type { EvaluationInfo, IndexVersionInfo, QualityReportInfo, RouteOutput, SearchResult } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { BuildJobResult } from '../../core/vectors/vectorJobs';
import { markSnippet } from '../../core/vectors/snippets';
import type { CliContext } from '../context';
import { number, table } from '../context';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

function describeVersion(v: IndexVersionInfo): string {
  const q = v.quality ? `quality ${v.quality.score.toFixed(3)}` : 'quality –';
  const chunking = `${v.chunking.strategy} ${v.chunking.maxChars}/${v.chunking.overlap}`;
  return `v${v.id}${v.active ? ' (active)' : ''}: ${v.status}, ${v.embedder.label}, chunking ${chunking}, ${v.documents.toLocaleString('en-US')} records, ${v.chunks.toLocaleString('en-US')} chunks, ${q}${v.writer ? `, being written by job ${v.writer.jobId ?? `pid ${v.writer.pid}`}` : ''}${v.error ? `; error: ${v.error}` : ''}`;
}

const versionsTable = (versions: IndexVersionInfo[]): string =>
  table(
    versions.map((v) => [
      `${v.active ? '*' : ' '}${v.id}`,
      v.status,
      v.embedder.id,
      v.dimensions,
      `${v.chunking.strategy} ${v.chunking.maxChars}/${v.chunking.overlap}`,
      v.documents.toLocaleString('en-US'),
      v.chunks.toLocaleString('en-US'),
      v.quality ? v.quality.score.toFixed(3) : '',
      (v.builtAt ?? v.createdAt).slice(0, 16).replace('T', ' '),
    ]),
    ['VERSION', 'STATUS', 'EMBEDDER', 'DIMS', 'CHUNKING', 'RECORDS', 'CHUNKS', 'QUALITY', 'BUILT'],
  );

function describeQuality(q: QualityReportInfo): string {
  return [
    `Index version ${q.versionId}: quality score ${q.score.toFixed(4)} (1 − zero-vector rate − duplicate rate)`,
    `  vectors ${q.vectors.toLocaleString('en-US')} for ${q.chunks.toLocaleString('en-US')} chunks, ${q.dimensions} dimensions${q.dimensionConsistent ? ', all consistent' : `, ${q.wrongDimension} with the wrong dimension`}`,
    `  zero vectors ${q.zeroVectors} (${(q.zeroRate * 100).toFixed(2)}%), duplicates ${q.duplicates} (${(q.duplicateRate * 100).toFixed(2)}%)`,
    `  norm mean ${q.normMean.toFixed(4)}, std ${q.normStd.toFixed(4)}`,
    `  orphan vectors ${q.orphanVectors}, chunks without vector ${q.missingVectors}, FTS mismatches ${q.missingFts}`,
  ].join('\n');
}

function describeResults(out: RouteOutput<'search.query'>, tty: boolean): string {
  if (out.results.length === 0) return `No results (${out.mode}, index v${out.versionId}).`;
  const [open, close] = tty ? ['\x1b[1;33m', '\x1b[0m'] : ['[', ']'];
  const lines = out.results.map((r: SearchResult, i) => {
    const title = markSnippet({ snippet: r.title, highlights: r.titleHighlights }, open, close);
    return `${String(i + 1).padStart(2)}. ${r.sourceLabel} #${r.entityId} — ${title}  (score ${r.score.toFixed(4)}, chunk ${r.chunkId}, ${r.field})\n    ${markSnippet(r, open, close)}`;
  });
  const note = out.embedder.lexical && out.mode !== 'keyword' ? ' — lexical embedder: matches words, not meaning' : '';
  return [...lines, '', `${out.mode} search on index v${out.versionId} (${out.embedder.label}${note}) in ${out.timings.totalMs.toFixed(1)} ms${out.prefilterUsed ? ', binary prefilter' : ''}.`, ...out.warnings].join('\n');
}

function describeEvaluations(list: EvaluationInfo[]): string {
  if (list.length === 0) return 'No evaluations yet. Run: index eval --workspace W';
  return table(
    list.map((e) => [e.versionId ?? '–', e.embedderId, e.mode, e.queries, e.recallAtK.toFixed(3), e.ndcgAtK.toFixed(3), ...(['code', 'title', 'paraphrase'] as const).map((k) => (e.byKind[k] ? e.byKind[k].recall.toFixed(2) : '–')), e.createdAt.slice(0, 16).replace('T', ' ')]),
    ['VERSION', 'EMBEDDER', 'MODE', 'QUERIES', 'RECALL@10', 'NDCG@10', 'CODE', 'TITLE', 'PARAPHRASE', 'WHEN'],
  );
}

export function registerVectorCommands(program: Command, run: Run): void {
  const index = program.command('index').description('The local search index of a workspace: build, versions, quality, evaluation');

  index
    .command('build')
    .requiredOption('--workspace <name>', 'workspace name')
    .option('--embedder <spec>', "builtin (offline, lexical), provider[:MODEL] or local:MODEL (default: the active version's, else builtin)")
    .option('--chunking <strategy>', 'fixed, sentence or paragraph')
    .option('--chunk-size <chars>', 'largest chunk, in characters (default 800)')
    .option('--overlap <chars>', 'characters repeated between neighbouring chunks (default 120)')
    .option('--rebuild', 'build a fresh version even if one with this configuration exists')
    .option('--no-activate', 'keep the current version active when the new one is ready')
    .option('--no-prefilter', 'no binary prefilter (saves disk; exact search only)')
    .description('Build (or resume, or update) an index version; the same configuration as an existing version resumes or updates it')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; embedder?: string; chunking?: string; chunkSize?: string; overlap?: string; rebuild?: boolean; activate: boolean; prefilter: boolean }>();
        const chunking = {
          ...(o.chunking ? { strategy: o.chunking as 'fixed' } : {}),
          ...(o.chunkSize ? { maxChars: number(o.chunkSize, '--chunk-size') } : {}),
          ...(o.overlap ? { overlap: number(o.overlap, '--overlap') } : {}),
        };
        if (o.chunking && !['fixed', 'sentence', 'paragraph'].includes(o.chunking)) throw new AppError('validation', `--chunking is fixed, sentence or paragraph (got "${o.chunking}").`);
        const started = await ctx.call('vectors.build', {
          workspace: o.workspace,
          embedder: o.embedder,
          chunking: Object.keys(chunking).length ? chunking : undefined,
          rebuild: o.rebuild === true,
          activate: o.activate,
          binaryPrefilter: o.prefilter,
        });
        const verb = started.action === 'build' ? 'Building' : started.action === 'resume' ? 'Resuming' : 'Updating';
        const job = await ctx.followJob(started.jobId, `${verb} index v${started.versionId}`);
        const result = job.result as BuildJobResult;
        const version = (await ctx.call('vectors.versions', { workspace: o.workspace })).versions.find((v) => v.id === started.versionId);
        ctx.print({ ...started, result, version }, () =>
          'skipped' in result
            ? `Index v${result.versionId} was already built.`
            : `${verb === 'Updating' ? 'Updated' : 'Built'} index v${result.versionId}${result.resumed ? ' (resumed)' : ''}: ${result.documents.toLocaleString('en-US')} records, ${result.embedded.toLocaleString('en-US')} chunks embedded, ${result.unchanged.toLocaleString('en-US')} unchanged, ${result.deletedDocuments} deleted, in ${(result.ms / 1000).toFixed(1)} s. Quality ${result.qualityScore.toFixed(3)}.${result.activated ? ' It is now active.' : ''}${version ? `\n${describeVersion(version)}` : ''}`,
        );
      }),
    );

  index
    .command('update')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('Incremental update of the active index: embeds new and changed records only, removes deleted ones')
    .action(
      run(async (ctx, cmd) => {
        const { workspace } = cmd.opts<{ workspace: string }>();
        const started = await ctx.call('vectors.update', { workspace });
        const job = await ctx.followJob(started.jobId, `Updating index v${started.versionId}`);
        const r = job.result as BuildJobResult;
        ctx.print({ ...started, result: r }, () => ('skipped' in r ? 'Nothing to do.' : `Updated index v${r.versionId}: ${r.embedded} chunks embedded, ${r.unchanged} records unchanged, ${r.deletedDocuments} deleted.`));
      }),
    );

  index
    .command('status')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('The active index version and any build in progress')
    .action(
      run(async (ctx, cmd) => {
        const st = await ctx.call('vectors.status', { workspace: cmd.opts<{ workspace: string }>().workspace });
        ctx.print(st, () =>
          [st.active ? describeVersion(st.active) : `Workspace "${st.workspace}" has no active index. Build one: index build --workspace "${st.workspace}"`, ...st.building.filter((b) => !b.active).map((b) => `building: ${describeVersion(b)}`)].join('\n'),
        );
      }),
    );

  index
    .command('versions')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('Every index version, newest first (* = active)')
    .action(
      run(async (ctx, cmd) => {
        const { versions } = await ctx.call('vectors.versions', { workspace: cmd.opts<{ workspace: string }>().workspace });
        ctx.print({ versions }, () => (versions.length ? versionsTable(versions) : 'No index versions yet.'));
      }),
    );

  index
    .command('switch')
    .argument('<version>', 'version number')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('Make a ready version the active one (admin)')
    .action(
      run(async (ctx, cmd) => {
        const v = await ctx.call('vectors.switch', { workspace: cmd.opts<{ workspace: string }>().workspace, version: number(cmd.args[0] as string, 'VERSION') });
        ctx.print(v, () => `Switched. ${describeVersion(v)}`);
      }),
    );

  index
    .command('rollback')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('Switch back to the previously active version (admin)')
    .action(
      run(async (ctx, cmd) => {
        const v = await ctx.call('vectors.rollback', { workspace: cmd.opts<{ workspace: string }>().workspace });
        ctx.print(v, () => `Rolled back. ${describeVersion(v)}`);
      }),
    );

  index
    .command('delete')
    .argument('<version>', 'version number')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('Delete an index version that is not active (admin)')
    .action(
      run(async (ctx, cmd) => {
        const res = await ctx.call('vectors.deleteVersion', { workspace: cmd.opts<{ workspace: string }>().workspace, version: number(cmd.args[0] as string, 'VERSION') });
        ctx.print(res, () => `Deleted index version ${res.deleted}.`);
      }),
    );

  index
    .command('quality')
    .argument('[version]', 'index version (default: the active one)')
    .requiredOption('--workspace <name>', 'workspace name')
    .option('--recompute', 'scan the vectors again instead of showing the figures from the last build')
    .description('Quality metrics: dimensions, zero vectors, norms, duplicates, orphans')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; recompute?: boolean }>();
        const version = cmd.args[0] as string | undefined;
        const q = await ctx.call('vectors.quality', { workspace: o.workspace, version: version ? number(version, 'VERSION') : undefined, recompute: o.recompute === true });
        ctx.print(q, () => describeQuality(q));
      }),
    );

  index
    .command('eval')
    .requiredOption('--workspace <name>', 'workspace name')
    .option('--versions <n,…>', 'index versions to evaluate (default: every ready version)', collect)
    .option('--mode <mode>', 'vector, keyword or hybrid (repeatable; default: all three)', collect)
    .description('Retrieval evaluation: recall@10 and nDCG@10 per index version on queries derived from the workspace records')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; versions?: string[]; mode?: string[] }>();
        for (const m of o.mode ?? []) if (!['vector', 'keyword', 'hybrid'].includes(m)) throw new AppError('validation', `--mode is vector, keyword or hybrid (got "${m}").`);
        const { jobId } = await ctx.call('vectors.evaluate', {
          workspace: o.workspace,
          versions: o.versions?.map((v) => number(v, '--versions')),
          modes: o.mode as ('vector' | 'keyword' | 'hybrid')[] | undefined,
        });
        const job = await ctx.followJob(jobId, 'Evaluating');
        const result = job.result as { querySet: string; evaluations: EvaluationInfo[] };
        ctx.print(result, () => `Query set ${result.querySet}\n${describeEvaluations(result.evaluations)}`);
      }),
    );

  index
    .command('evaluations')
    .requiredOption('--workspace <name>', 'workspace name')
    .description('Stored evaluation results, newest first')
    .action(
      run(async (ctx, cmd) => {
        const { evaluations } = await ctx.call('vectors.evaluations', { workspace: cmd.opts<{ workspace: string }>().workspace });
        ctx.print({ evaluations }, () => describeEvaluations(evaluations));
      }),
    );

  index
    .command('related')
    .requiredOption('--workspace <name>', 'workspace name')
    .option('--entity <type:id>', 'the record to find related records for, e.g. tickets:123')
    .option('--text <text>', 'or a text to find related records for')
    .option('--k <n>', 'how many records', '5')
    .option('--budget <chars>', 'character budget of all snippets together', '3000')
    .description('What persona grounding would see: related records as safe-filtered snippets with citations')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; entity?: string; text?: string; k: string; budget: string }>();
        const [type, id] = o.entity?.split(':') ?? [];
        if (!o.text && !(type && id)) throw new AppError('validation', 'Give --entity TYPE:ID or --text TEXT.');
        const res = await ctx.call('vectors.related', {
          workspace: o.workspace,
          entityType: type,
          entityId: id ? number(id, '--entity id') : undefined,
          text: o.text,
          k: number(o.k, '--k'),
          charBudget: number(o.budget, '--budget'),
        });
        ctx.print(res, () =>
          !res.available
            ? `Not available: ${res.reason}`
            : [
                ...res.snippets.map((s, i) => `${i + 1}. [${s.entityType}:${s.entityId} chunk ${s.chunkId}, score ${s.score.toFixed(4)}] ${s.text}${s.filtered.length ? `\n   filtered: ${s.filtered.map((f) => `${f.rule}×${f.count}`).join(', ')}` : ''}`),
                `${res.usedChars} characters used.`,
              ].join('\n'),
        );
      }),
    );

  program
    .command('search')
    .argument('<query>', 'what to look for: words, a code (TCK-000123), or a description')
    .requiredOption('--workspace <name>', 'workspace name')
    .option('--mode <mode>', 'vector, keyword or hybrid', 'hybrid')
    .option('--k <n>', 'number of results', '10')
    .option('--source <type>', 'only these source types, e.g. tickets (repeatable or comma-separated)', collect)
    .option('--entity-id <id>', 'only these record ids (repeatable or comma-separated)', collect)
    .option('--from <date>', 'records dated on or after YYYY-MM-DD')
    .option('--to <date>', 'records dated on or before YYYY-MM-DD')
    .option('--index-version <n>', 'search this ready index version instead of the active one')
    .description('Search a workspace by meaning, words and codes')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; mode: string; k: string; source?: string[]; entityId?: string[]; from?: string; to?: string; indexVersion?: string }>();
        if (!['vector', 'keyword', 'hybrid'].includes(o.mode)) throw new AppError('validation', `--mode is vector, keyword or hybrid (got "${o.mode}").`);
        const out = await ctx.call('search.query', {
          workspace: o.workspace,
          query: cmd.args[0] as string,
          mode: o.mode as 'hybrid',
          k: number(o.k, '--k'),
          filters: {
            ...(o.source ? { sourceTypes: o.source } : {}),
            ...(o.entityId ? { entityIds: o.entityId.map((x) => number(x, '--entity-id')) } : {}),
            ...(o.from ? { dateFrom: o.from } : {}),
            ...(o.to ? { dateTo: o.to } : {}),
          },
          version: o.indexVersion ? number(o.indexVersion, '--index-version') : undefined,
        });
        ctx.print(out, () => describeResults(out, process.stdout.isTTY === true));
      }),
    );
}
