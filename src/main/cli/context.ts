import type { Command } from 'commander';
import type { RouteInput, RouteName, RouteOutput } from '@shared/contract';
import type { JobInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import { createCore, type Core } from '../core/createCore';
import { resolveDataDir } from '../core/paths';
import { nodePorts } from '../host/nodePorts';

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  profile?: string;
  passphrase?: string;
}

/** Where a passphrase comes from on the command line: --passphrase, else this variable, else a prompt on a terminal. */
export const PASSPHRASE_ENV = 'INTELLIGENCE_DESK_PASSPHRASE';

/** Reads a line from the terminal without echoing it. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    if (!stdin.isTTY) {
      reject(new AppError('forbidden', `A passphrase is needed: pass --passphrase or set ${PASSPHRASE_ENV}.`, { reason: 'passphrase_required' }));
      return;
    }
    process.stderr.write(question);
    let text = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (value: string | null): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (value === null) reject(new AppError('cancelled', 'No passphrase was given.'));
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(text);
        if (ch === '\u0003' || ch === '\u0004') return done(null);
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** What every command gets: the core (created on first use), output helpers and job following. */
export class CliContext {
  private core: Core | null = null;
  constructor(readonly opts: GlobalOptions) {}

  get json(): boolean {
    return this.opts.json === true;
  }

  getCore(): Core {
    if (!this.core) {
      const ports = nodePorts('cli', resolveDataDir({ dataDir: this.opts.dataDir }), { resumeJobs: false });
      // One command and no UI: local models run on this thread rather than in the llama host worker.
      this.core = createCore({ ...ports, localModels: { ...ports.localModels, inProcess: true } });
    }
    return this.core;
  }

  private acting: Promise<string> | null = null;

  /**
   * The profile every command of this run acts as: --profile NAME, else the app's active profile. A protected
   * profile named with --profile must be unlocked with its passphrase first (ADR 0093). Resolved once per run.
   */
  profileId(): Promise<string> {
    this.acting ??= (async () => {
      const profiles = this.getCore().services.profiles;
      if (!this.opts.profile) return profiles.active().id;
      const p = profiles.findByName(this.opts.profile);
      if (!p) throw new AppError('not_found', `There is no profile named "${this.opts.profile}". Profiles: ${profiles.list().map((x) => x.name).join(', ')}.`);
      if (p.protected && p.id !== profiles.active().id) await profiles.unlock(p.id, await this.passphrase(`Passphrase for ${p.name}: `), 'act as it');
      return p.id;
    })();
    return this.acting;
  }

  /** --passphrase, else INTELLIGENCE_DESK_PASSPHRASE, else asked for on the terminal (not echoed). */
  async passphrase(question = 'Passphrase: '): Promise<string> {
    if (this.opts.passphrase !== undefined) return this.opts.passphrase;
    const env = process.env[PASSPHRASE_ENV];
    if (env !== undefined && env !== '') return env;
    return promptHidden(question);
  }

  /** Like passphrase(), but only when one is at hand without asking (for routes where it is optional). */
  givenPassphrase(): string | undefined {
    return this.opts.passphrase ?? (process.env[PASSPHRASE_ENV] || undefined);
  }

  async call<R extends RouteName>(route: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
    return this.getCore().call(route, input, { profileId: await this.profileId() });
  }

  /** The untyped entry (`call ROUTE JSON`), acting as the selected profile like every other command. */
  async invoke(route: unknown, input: unknown): Promise<unknown> {
    return this.getCore().invoke(route, input, { profileId: await this.profileId() });
  }

  /** Prints a result: JSON with --json, otherwise the human text. */
  print(jsonValue: unknown, human: () => string): void {
    process.stdout.write(this.json ? `${JSON.stringify(jsonValue, null, 2)}\n` : `${human()}\n`);
  }

  /**
   * Follows a job to its end with a progress line on stderr (a redrawn bar on a terminal). Ctrl-C cancels the job,
   * waits for it to roll back, and exits. A failed or cancelled job becomes a thrown AppError.
   */
  async followJob(jobId: string, label: string): Promise<JobInfo> {
    const core = this.getCore();
    const tty = process.stderr.isTTY && !this.json;
    let lastLine = 0;
    const unsubscribe = core.events.on('job.progress', (j) => {
      if (j.jobId !== jobId || this.json) return;
      const now = Date.now();
      if (!tty && now - lastLine < 2000 && j.status === 'running') return;
      lastLine = now;
      const line = progressLine(label, j);
      process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    });
    const onSigint = (): void => {
      process.stderr.write('\nCancelling…\n');
      core.services.jobs.cancel(jobId);
    };
    process.once('SIGINT', onSigint);
    try {
      const info = await core.services.jobs.waitFor(jobId);
      if (tty) process.stderr.write('\r\x1b[2K');
      if (info.status === 'failed' || info.status === 'interrupted') throw AppError.fromJSON(info.error);
      if (info.status === 'cancelled') throw new AppError('cancelled', `${label} was cancelled; nothing was changed.`);
      return info;
    } finally {
      unsubscribe();
      process.removeListener('SIGINT', onSigint);
    }
  }

  async close(): Promise<void> {
    await this.core?.dispose();
  }
}

export function progressLine(label: string, j: JobInfo): string {
  const pct = j.total ? Math.min(100, Math.floor((j.done / j.total) * 100)) : null;
  const width = 24;
  const bar = pct === null ? '' : `[${'#'.repeat(Math.round((pct / 100) * width)).padEnd(width, '-')}] ${String(pct).padStart(3)}% `;
  const eta = j.etaMs !== null && j.etaMs > 0 ? ` ETA ${Math.ceil(j.etaMs / 1000)}s` : '';
  return `${label}: ${bar}${j.phase}${j.message ? ` — ${j.message}` : ''}${eta}`;
}

/** Commander hands each action its own options; globals live on the root. */
export const globalsOf = (cmd: Command): GlobalOptions => cmd.optsWithGlobals() as GlobalOptions;

export function table(rows: readonly (readonly unknown[])[], header: readonly string[]): string {
  const cells = [header, ...rows].map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

export const number = (value: string, flag: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new AppError('validation', `${flag} must be a number (got "${value}").`);
  return n;
};
