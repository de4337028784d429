import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { VoiceCommandResult, VoiceTranscript } from '@shared/contract';
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

/** What a command became, for people: the transcript, what was understood, the resolved names, and what waits. */
function describeCommand(r: VoiceCommandResult): string {
  const lines = [`“${r.transcript}”`, `  ${r.summary} (${r.understoodBy === 'none' ? 'not understood' : `understood by ${r.understoodBy}`}, confidence ${r.confidence.toFixed(2)})`];
  for (const e of r.entities) lines.push(`  ${e.field}: “${e.text}” → ${e.entity === 'time' ? (e.value ?? '?') : e.match ? `${e.match.title}${e.match.code ? ` (${e.match.code})` : ''} #${e.match.id}` : 'no match'}${e.alternatives.length ? `; also: ${e.alternatives.map((a) => a.title).join(', ')}` : ''}`);
  if (r.navigateTo) lines.push(`  Opens ${r.navigateTo}`);
  if (r.approval) {
    for (const c of r.approval.preview.changes) {
      lines.push(`  ${c.op} ${c.entity}${c.id !== null && c.id !== undefined ? ` #${String(c.id)}` : ''}:`);
      for (const f of c.fields) lines.push(`    ${f.name}: ${f.before === null || f.before === undefined ? '—' : JSON.stringify(f.before)} → ${JSON.stringify(f.after)}`);
    }
  }
  if (r.status === 'confirm') lines.push(`  Waiting for confirmation (approval ${r.approval?.id ?? '?'}): run again with --approve, or "actions approve ${r.approval?.id ?? 'ID'}".`);
  if (r.status === 'done' && r.touched.length) lines.push(`  Done: ${r.touched.map((t) => `${t.entity} #${String(t.id)}`).join(', ')}`);
  if (r.question) lines.push(`  ${r.question}`);
  if (r.error) lines.push(`  Failed: ${r.error}`);
  return lines.join('\n');
}

/** `voice transcribe FILE.wav`, `voice command`, `voice history` and `voice models list|download|add|remove` (docs/voice.md). */
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

  voice
    .command('command')
    .argument('[file]', 'a WAV recording of the command')
    .requiredOption('--workspace <name>', 'the workspace the command acts on')
    .option('--text <command>', 'a typed command instead of a recording')
    .option('--engine <engine>', 'local | provider | auto, for the recording')
    .option('--time-zone <zone>', 'your IANA time zone, for "tomorrow at nine" (default: this computer’s)')
    .option('--approve', 'confirm a proposed write in the same run (otherwise it is left pending)')
    .description('Run a voice command: transcribe, understand, resolve names and times; writes are left pending unless --approve')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; text?: string; engine?: string; timeZone?: string; approve?: boolean }>();
        const file = cmd.args[0] as string | undefined;
        if (Boolean(file) === Boolean(o.text)) throw new AppError('validation', 'Give a WAV file or --text "the command", one of the two.');
        if (o.engine && !['local', 'provider', 'auto'].includes(o.engine)) throw new AppError('validation', `--engine must be local, provider or auto (got "${o.engine}").`);
        let audio: string | undefined;
        if (file) {
          try {
            audio = readFileSync(file).toString('base64');
          } catch {
            throw new AppError('not_found', `There is no readable file at ${file}.`);
          }
        }
        const timeZone = o.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
        let r = await ctx.call('voice.command', { workspace: o.workspace, ...(audio ? { audio } : { transcript: o.text! }), ...(o.engine ? { engine: o.engine as 'local' | 'provider' | 'auto' } : {}), timeZone });
        if (o.approve && r.status === 'confirm') r = await ctx.call('voice.confirm', { workspace: o.workspace, sessionId: r.sessionId });
        ctx.print(r, () => describeCommand(r));
        if (r.status === 'failed') process.exitCode = 1;
      }),
    );

  voice
    .command('history')
    .requiredOption('--workspace <name>', 'workspace')
    .option('--limit <n>', 'how many', '20')
    .description('Your past voice commands in a workspace: transcript, what was understood, status')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<{ workspace: string; limit: string }>();
        const res = await ctx.call('voice.history', { workspace: o.workspace, limit: Number(o.limit) });
        ctx.print(res, () =>
          res.sessions.length
            ? table(res.sessions.map((s) => [s.createdAt.slice(0, 16).replace('T', ' '), s.status, s.transcript.slice(0, 50), s.summary.slice(0, 50), s.hasAudio ? 'yes' : '']), ['WHEN', 'STATUS', 'SAID', 'UNDERSTOOD', 'AUDIO'])
            : 'No voice commands yet.',
        );
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
