import type { Command } from 'commander';
import type { LocalModelInfo, ModelTestResult } from '@shared/contract';
import type { CliContext } from '../context';
import { table } from '../context';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

const size = (bytes: number | null): string => (bytes === null ? '' : bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);
const params = (n: number | null): string => (n === null ? '' : n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : n >= 1e6 ? `${(n / 1e6).toFixed(0)}M` : `${(n / 1e3).toFixed(0)}K`);

function describeModel(m: LocalModelInfo): string {
  const verified = m.verification === 'none' ? ' (checksum not verified: the server published none)' : m.verification ? ` (sha256 verified against the ${m.verification})` : '';
  return `${m.id}: ${m.name} — ${m.kind}, ${m.architecture ?? '?'} ${params(m.parameters)} ${m.quantization ?? ''}, ${size(m.sizeBytes)}${verified}\n  ${m.file}`;
}

function describeTest(r: ModelTestResult): string {
  const load = r.alreadyLoaded ? 'already loaded' : `loaded in ${(r.loadMs / 1000).toFixed(2)} s`;
  const speed = r.tokensPerSec ? `, ${r.tokensPerSec.toFixed(1)} tokens/s` : '';
  return `${r.id} (${r.kind}): ${load}; answered in ${Math.round(r.latencyMs)} ms${speed}\n  ${r.output.trim() || '(empty answer)'}`;
}

/** `model list|add|download|remove|test`: the local GGUF models behind the offline provider. */
export function registerModelCommands(program: Command, run: Run): void {
  const model = program.command('model').description('Local GGUF models for offline analysis and embeddings');

  model
    .command('list')
    .description('Installed models and the curated download catalog')
    .action(
      run(async (ctx) => {
        const res = await ctx.call('models.list', {});
        ctx.print(res, () => {
          const installed = res.models.length
            ? table(
                res.models.map((m) => [m.id, m.kind, m.status + (m.loaded ? ' (loaded)' : ''), size(m.sizeBytes), params(m.parameters), m.quantization ?? '', m.source]),
                ['ID', 'KIND', 'STATUS', 'SIZE', 'PARAMS', 'QUANT', 'SOURCE'],
              )
            : 'No local models yet.';
          const catalog = table(
            res.catalog.map((c) => [c.id, c.purpose, `~${size(c.sizeBytes)}`, c.license, c.status]),
            ['CATALOG ID', 'PURPOSE', 'SIZE', 'LICENSE', 'STATUS'],
          );
          return `${installed}\n\nDownloadable (model download ID):\n${catalog}\n\nModels folder: ${res.folder}`;
        });
      }),
    );

  model
    .command('download')
    .argument('<source>', 'catalog id (see model list) or an http(s) URL of a .gguf file')
    .option('--name <name>', 'display name')
    .option('--sha256 <hex>', 'expected sha256 of the file (verified after download)')
    .option('--no-wait', 'start the download job and return its id')
    .description('Download a model (resumes an interrupted download; Ctrl-C cancels)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ name?: string; sha256?: string; wait: boolean }>();
        const started = await ctx.call('models.download', { source: cmd.args[0] as string, name: o.name, sha256: o.sha256 });
        if (!o.wait) {
          ctx.print(started, () => `Downloading ${started.model.id} (job ${started.jobId}). Follow it with: call jobs.get '{"jobId":"${started.jobId}"}'`);
          return;
        }
        const job = await ctx.followJob(started.jobId, `Downloading ${started.model.id}`);
        const { models } = await ctx.call('models.list', {});
        const m = models.find((x) => x.id === started.model.id) ?? started.model;
        ctx.print({ model: m, job }, () => `Installed ${describeModel(m)}`);
      }),
    );

  model
    .command('add')
    .argument('<path>', 'a .gguf file on this computer (it stays where it is)')
    .option('--name <name>', 'display name')
    .description('Register a GGUF file you already have')
    .action(
      run(async (ctx, cmd) => {
        const { model: m } = await ctx.call('models.add', { path: cmd.args[0] as string, name: cmd.opts<{ name?: string }>().name });
        ctx.print({ model: m }, () => `Added ${describeModel(m)}`);
      }),
    );

  model
    .command('remove')
    .argument('<id>', 'model id (see model list)')
    .description('Remove a model: deletes files the app downloaded; registered files stay on disk')
    .action(
      run(async (ctx, cmd) => {
        const res = await ctx.call('models.remove', { id: cmd.args[0] as string });
        ctx.print(res, () => `Removed ${res.removed}${res.deletedFile ? ' and deleted its file' : ' (its file was left where it is)'}.`);
      }),
    );

  model
    .command('test')
    .argument('<id>', 'model id')
    .option('--prompt <text>', 'prompt for the test generation')
    .description('Load a model and run a tiny generation or embedding, with timings')
    .action(
      run(async (ctx, cmd) => {
        const res = await ctx.call('models.test', { id: cmd.args[0] as string, prompt: cmd.opts<{ prompt?: string }>().prompt });
        ctx.print(res, () => describeTest(res));
      }),
    );
}
