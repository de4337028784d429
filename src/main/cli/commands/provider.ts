import type { Command } from 'commander';
import type { ProviderAddInput, ProviderInfo, ProviderTestResult } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { ActionRunner } from '../index';
import { number, table } from '../context';

interface ProviderFlags {
  name?: string;
  kind?: string;
  baseUrl?: string;
  apiKey?: string;
  apiKeyEnv?: string;
  model?: string;
  deployment?: string;
  embeddingModel?: string;
  transcriptionModel?: string;
  role?: string;
  header?: string[];
  apiVersion?: string;
  modelPath?: string;
  contextSize?: string;
  threads?: string;
  rename?: string;
  disable?: boolean;
  enable?: boolean;
  clearApiKey?: boolean;
}

const KINDS = ['openai', 'openai-compatible', 'azure', 'anthropic', 'gemini', 'local'];
const ROLES = ['primary', 'secondary', 'tertiary', 'standby'];

/** Options shared by `provider add` and `provider update`. */
function endpointOptions(cmd: Command): Command {
  return cmd
    .option('--base-url <url>', 'API base URL (OpenAI-compatible: including /v1; Azure: https://NAME.openai.azure.com)')
    .option('--api-key <key>', 'API key (stored encrypted; prefer --api-key-env to keep it out of shell history)')
    .option('--api-key-env <var>', 'read the API key from this environment variable')
    .option('--model <model>', 'default chat model')
    .option('--deployment <name>', 'Azure: the chat deployment (same as --model)')
    .option('--embedding-model <model>', 'default embedding model (Azure: deployment)')
    .option('--transcription-model <model>', 'default transcription model (Azure: deployment)')
    .option('--role <role>', `routing role: ${ROLES.join(', ')}`)
    .option('--header <name:value...>', 'extra HTTP header sent with every call (repeatable; stored encrypted)')
    .option('--api-version <version>', 'Azure: api-version (default 2024-10-21)')
    .option('--model-path <file>', 'local: the GGUF model file')
    .option('--context-size <n>', 'local: context size in tokens')
    .option('--threads <n>', 'local: CPU threads');
}

function apiKeyOf(o: ProviderFlags): string | undefined {
  if (o.apiKeyEnv) {
    const v = process.env[o.apiKeyEnv];
    if (!v) throw new AppError('validation', `The environment variable ${o.apiKeyEnv} is empty or not set.`);
    return v;
  }
  return o.apiKey;
}

function headersOf(list: string[] | undefined): Record<string, string> | undefined {
  if (!list?.length) return undefined;
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(':');
    if (i <= 0) throw new AppError('validation', `--header takes "Name: value" (got "${h}").`);
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}

function oneOf(value: string | undefined, allowed: string[], flag: string): string | undefined {
  if (value !== undefined && !allowed.includes(value)) throw new AppError('validation', `${flag} must be one of ${allowed.join(', ')} (got "${value}").`);
  return value;
}

function fieldsOf(o: ProviderFlags): Partial<ProviderAddInput> {
  const model = o.model ?? o.deployment;
  return {
    ...(o.baseUrl !== undefined ? { baseUrl: o.baseUrl } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(o.embeddingModel !== undefined ? { embeddingModel: o.embeddingModel } : {}),
    ...(o.transcriptionModel !== undefined ? { transcriptionModel: o.transcriptionModel } : {}),
    ...(o.role !== undefined ? { role: oneOf(o.role, ROLES, '--role') as ProviderAddInput['role'] } : {}),
    ...(o.header ? { headers: headersOf(o.header) } : {}),
    ...(o.apiVersion !== undefined ? { apiVersion: o.apiVersion } : {}),
    ...(o.modelPath !== undefined ? { modelPath: o.modelPath } : {}),
    ...(o.contextSize !== undefined ? { contextSize: number(o.contextSize, '--context-size') } : {}),
    ...(o.threads !== undefined ? { threads: number(o.threads, '--threads') } : {}),
  };
}

export function describeProvider(p: ProviderInfo): string {
  const lines = [
    `${p.name} (${p.kind}, ${p.role}${p.enabled ? '' : ', disabled'})`,
    p.baseUrl ? `  base URL:  ${p.baseUrl}` : null,
    p.model ? `  model:     ${p.model}` : null,
    p.embeddingModel ? `  embedding: ${p.embeddingModel}` : null,
    p.transcriptionModel ? `  audio:     ${p.transcriptionModel}` : null,
    p.apiVersion ? `  api-version: ${p.apiVersion}` : null,
    p.modelPath ? `  model file: ${p.modelPath}` : null,
    `  API key:   ${p.apiKeyMasked ?? '(none)'}`,
    Object.keys(p.headersMasked).length ? `  headers:   ${Object.entries(p.headersMasked).map(([k, v]) => `${k}: ${v}`).join(', ')}` : null,
  ];
  return lines.filter((l): l is string => l !== null).join('\n');
}

export function describeTest(name: string, r: ProviderTestResult): string {
  if (!r.ok) return `${name}: FAILED after ${r.latencyMs} ms — ${r.error?.message ?? 'unknown error'} [${r.error?.code ?? 'provider_error'}]`;
  const models = r.models.slice(0, 20).map((m) => m.id).join(', ');
  return `${name}: OK in ${r.latencyMs} ms (${r.method === 'models' ? `${r.models.length} models` : 'one-token chat'})${models ? `\n  ${models}${r.models.length > 20 ? ', …' : ''}` : ''}`;
}

export function registerProviderCommands(program: Command, run: ActionRunner): void {
  const provider = program.command('provider').description('Model providers (endpoints): add, list, test, remove');

  endpointOptions(
    provider
      .command('add')
      .requiredOption('--name <name>', 'endpoint name, e.g. openai-main, ollama-laptop')
      .requiredOption('--kind <kind>', KINDS.join('|')),
  )
    .description('Add a provider endpoint (admin)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<ProviderFlags>();
        const apiKey = apiKeyOf(o);
        const input = { name: o.name!, kind: oneOf(o.kind, KINDS, '--kind') as ProviderAddInput['kind'], ...fieldsOf(o), ...(apiKey ? { apiKey } : {}) };
        const p = await ctx.call('providers.add', input);
        ctx.print(p, () => `Added provider ${describeProvider(p)}\nTest it: intelligence-desk provider test ${p.name}`);
      }),
    );

  endpointOptions(provider.command('update').argument('<name>', 'endpoint name'))
    .option('--rename <name>', 'new name')
    .option('--clear-api-key', 'remove the stored API key')
    .option('--disable', 'take the endpoint out of routing')
    .option('--enable', 'put it back into routing')
    .description('Change a provider endpoint; omitted settings stay as they are (admin)')
    .action(
      run(async (ctx, cmd) => {
        const o = cmd.opts<ProviderFlags>();
        const apiKey = o.clearApiKey ? null : apiKeyOf(o);
        const p = await ctx.call('providers.update', {
          name: cmd.args[0] as string,
          ...fieldsOf(o),
          ...(o.rename ? { rename: o.rename } : {}),
          ...(apiKey !== undefined ? { apiKey } : {}),
          ...(o.disable ? { enabled: false } : o.enable ? { enabled: true } : {}),
        });
        ctx.print(p, () => `Updated provider ${describeProvider(p)}`);
      }),
    );

  provider
    .command('list')
    .description('List provider endpoints (keys masked)')
    .action(
      run(async (ctx) => {
        const { providers } = await ctx.call('providers.list', {});
        ctx.print({ providers }, () =>
          providers.length
            ? table(
                providers.map((p) => [p.name, p.kind, p.role, p.enabled ? 'yes' : 'no', p.model ?? '', p.baseUrl ?? p.modelPath ?? '', p.apiKeyMasked ?? '', p.lastTest ? (p.lastTest.ok ? `ok ${p.lastTest.latencyMs} ms` : 'failed') : '']),
                ['NAME', 'KIND', 'ROLE', 'ON', 'MODEL', 'URL', 'KEY', 'LAST TEST'],
              )
            : 'No providers yet. Add one: intelligence-desk provider add --name openai-main --kind openai --api-key-env OPENAI_API_KEY --model gpt-4o-mini',
        );
      }),
    );

  provider
    .command('test')
    .argument('<name>', 'endpoint name')
    .description('Test the connection: latency and the model list (admin)')
    .action(
      run(async (ctx, cmd) => {
        const name = cmd.args[0] as string;
        const r = await ctx.call('providers.test', { name });
        ctx.print(r, () => describeTest(name, r));
        if (!r.ok) process.exitCode = 1;
      }),
    );

  provider
    .command('set-role')
    .argument('<name>', 'endpoint name')
    .argument('<role>', ROLES.join('|'))
    .description('Give an endpoint a routing role; primary/secondary/tertiary move from their previous holder (admin)')
    .action(
      run(async (ctx, cmd) => {
        const [name, role] = cmd.args as [string, string];
        const { providers } = await ctx.call('providers.setRole', { name, role: oneOf(role, ROLES, 'ROLE') as ProviderInfo['role'] });
        ctx.print({ providers }, () => table(providers.map((p) => [p.name, p.role]), ['NAME', 'ROLE']));
      }),
    );

  provider
    .command('remove')
    .argument('<name>', 'endpoint name')
    .description('Remove an endpoint and its stored key (admin)')
    .action(
      run(async (ctx, cmd) => {
        const res = await ctx.call('providers.remove', { name: cmd.args[0] as string });
        ctx.print(res, () => `Removed provider ${res.removed}.`);
      }),
    );
}
