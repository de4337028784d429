#!/usr/bin/env node
/**
 * intelligence-desk: the headless CLI over the same core and contract as the app.
 * Every command takes --data-dir DIR and --json. Bad input exits non-zero with one line on stderr and writes nothing.
 */
import { Command, CommanderError } from 'commander';
import { AppError } from '@shared/errors';
import { appVersion } from '../host/nodePorts';
import { registerCallCommand } from './commands/call';
import { registerDataCommands } from './commands/data';
import { registerVectorCommands } from './commands/vectors';
import { registerGatewayCommands } from './commands/gateway';
import { registerProviderCommands } from './commands/provider';
import { registerModelCommands } from './commands/model';
import { registerEngineCommands } from './commands/engine';
import { registerWorkspaceCommands } from './commands/workspace';
import { registerVoiceCommands } from './commands/voice';
import { registerActionCommands } from './commands/actions';
import { registerChatCommands } from './commands/chat';
import { registerAnalyticsCommands } from './commands/analytics';
import { registerReportCommands } from './commands/report';
import { registerProfileCommands } from './commands/profile';
import { CliContext, globalsOf } from './context';

export type ActionRunner = (fn: (ctx: CliContext, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;

export function buildProgram(): Command {
  const program = new Command('intelligence-desk')
    .description('Intelligence Desk — analyse operational data with AI personas, from the command line')
    .version(appVersion())
    .option('--data-dir <dir>', 'app data folder (default: $INTELLIGENCE_DESK_HOME, else the desktop app’s folder)')
    .option('--json', 'print machine-readable JSON')
    .option('--profile <name>', 'act as this local profile (default: the active one)')
    .option('--passphrase <text>', 'passphrase of a protected profile (else $INTELLIGENCE_DESK_PASSPHRASE, else asked for)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const run: ActionRunner = (fn) => async (...args) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = new CliContext(globalsOf(cmd));
    try {
      await fn(ctx, cmd);
    } finally {
      await ctx.close();
    }
  };

  registerWorkspaceCommands(program, run);
  registerDataCommands(program, run);
  registerVectorCommands(program, run);
  registerProviderCommands(program, run);
  registerGatewayCommands(program, run);
  registerModelCommands(program, run);
  registerEngineCommands(program, run);
  registerVoiceCommands(program, run);
  registerActionCommands(program, run);
  registerChatCommands(program, run);
  registerAnalyticsCommands(program, run);
  registerReportCommands(program, run);
  registerProfileCommands(program, run);
  registerCallCommand(program, run);
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode;
    }
    const e = AppError.wrap(error);
    if (json) process.stdout.write(`${JSON.stringify({ error: e.toJSON() })}\n`);
    process.stderr.write(`intelligence-desk: ${e.message} [${e.code}]\n`);
    return e.code === 'validation' ? 2 : 1;
  }
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`intelligence-desk: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
