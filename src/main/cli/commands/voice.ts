import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { VoiceTranscript } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { CliContext } from '../context';
import { table } from '../context';

type Run = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

const size = (bytes: number | null): string => (bytes === null ? '' : bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(0)} MB`);

function describe(r: VoiceTranscript): string {
  const who = r.engine === 'local' ? `local engine, ${r.model}` : `${r.endpoint ?? 'provider'}, ${r.model}`;
  const cost = r.costUsd > 0 ? `, $${r.costUsd.toFixed(4)}` : '';
  return `${r.text || '(no speech recognised)'}\n  ${who}; ${(r.audioMs / 1000).toFixed(1)} s of audio in ${Math.round(r.elapsedMs)} ms (RTF ${r.realTimeFactor.toFixed(2)}${cost})`;
}

/** `voice transcribe FILE.wav` and `voice models list|download|add|remove` (docs/voice.md). */
export function registerVoiceCommands(program: Command, run: Run): void {
  const voice = program.command('voice').description('Voice commands: transcribe recordings, manage speech models');

  voice
    .command('transcribe')
    .argument('<file>', 'a WAV recording (any rate; 16 kHz mono is what the app records)')
    .option('--engine <engine>', 'local | provider | auto (default: the voice setting, normally auto)')
    .option('--model <id>', 'speech model id (local) or provider model name')
    .option('--language <code>', 'language hint, e.g. en or de')
    .option('--workspace <name>', 'workspace for the policy, usage ledger and vocabulary (needed for providers)')
    .description('Transcribe a spoken command and print the text')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ engine?: string; model?: string; language?: string; workspace?: string }>();
        if (o.engine && !['local', 'provider', 'auto'].includes(o.engine)) throw new AppError('validation', `--engine must be local, provider or auto (got "${o.engine}").`);
        let bytes: Buffer;
        try {
          bytes = readFileSync(cmd.args[0] as string);
        } catch {
          throw new AppError('not_found', `There is no readable file at ${cmd.args[0] as string}.`);
        }
        const r = await ctx.call('voice.transcribe', {
          audio: bytes.toString('base64'),
          workspace: o.workspace ?? null,
          engine: o.engine as 'local' | 'provider' | 'auto' | undefined,
          model: o.model,
          language: o.language,
        });
        ctx.print({ text: r.text, engine: r.engine, model: r.model, endpoint: r.endpoint, language: r.language, audioMs: r.audioMs, elapsedMs: Math.round(r.elapsedMs), timings: r.timings, costUsd: r.costUsd }, () => describe(r));
      }),
    );

  const models = voice.command('models').description('Whisper speech models for the local engine');
  models
    .command('list')
    .description('Installed speech models and the ones you can download')
    .action(
      run(async (ctx) => {
        const res = await ctx.call('models.list', {});
        const installed = res.models.filter((m) => m.kind === 'whisper');
        const catalog = res.catalog.filter((c) => c.purpose === 'transcription');
        ctx.print({ models: installed, catalog, folder: res.folder }, () => {
          const mine = installed.length
            ? table(installed.map((m) => [m.id, m.name, m.status, size(m.sizeBytes), m.quantization ?? '', m.source]), ['ID', 'NAME', 'STATUS', 'SIZE', 'TYPE', 'SOURCE'])
            : 'No speech models yet.';
          const list = table(catalog.map((c) => [c.id, `~${size(c.sizeBytes)}`, c.parameters, c.license, c.status]), ['CATALOG ID', 'SIZE', 'PARAMS', 'LICENSE', 'STATUS']);
          return `${mine}\n\nDownloadable (voice models download ID):\n${list}\n\nModels folder: ${res.folder}`;
        });
      }),
    );
  models
    .command('download')
    .argument('<id>', 'catalog id (see voice models list)')
    .description('Download a speech model (resumable; verified against its published checksum; Ctrl-C cancels)')
    .action(
      run(async (ctx, cmd) => {
        const id = cmd.args[0] as string;
        const { catalog } = await ctx.call('models.list', {});
        if (!catalog.some((c) => c.id === id && c.purpose === 'transcription')) throw new AppError('validation', `"${id}" is not a speech model of the catalog. Run "voice models list" to see them.`);
        const started = await ctx.call('models.download', { source: id });
        const job = await ctx.followJob(started.jobId, `Downloading ${started.model.id}`);
        const m = (await ctx.call('models.list', {})).models.find((x) => x.id === started.model.id) ?? started.model;
        ctx.print({ model: m, job }, () => `Installed ${m.id} (${size(m.sizeBytes)}) at ${m.file}`);
      }),
    );
  models
    .command('add')
    .argument('<file>', 'a whisper.cpp model file (ggml-*.bin) on this computer; it stays where it is')
    .option('--name <name>', 'display name')
    .description('Register a speech model file you already have')
    .action(
      run(async (ctx, cmd) => {
        const { model: m } = await ctx.call('models.add', { path: cmd.args[0] as string, name: cmd.opts<{ name?: string }>().name, kind: 'whisper' });
        ctx.print({ model: m }, () => `Added ${m.id}: ${m.name} (${m.quantization ?? ''}, ${size(m.sizeBytes)})\n  ${m.file}`);
      }),
    );
  models
    .command('remove')
    .argument('<id>', 'speech model id')
    .description('Remove a speech model (deletes downloaded files; registered files stay on disk)')
    .action(
      run(async (ctx, cmd) => {
        const id = cmd.args[0] as string;
        const { models: all } = await ctx.call('models.list', {});
        const m = all.find((x) => x.id === id);
        if (!m || m.kind !== 'whisper') throw new AppError('not_found', `There is no speech model "${id}". Run "voice models list".`);
        const r = await ctx.call('models.remove', { id });
        ctx.print(r, () => `Removed ${id}${r.deletedFile ? ' and deleted its file' : ''}.`);
      }),
    );
}
