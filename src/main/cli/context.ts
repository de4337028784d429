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
}

/** What every command gets: the core (created on first use), output helpers and job following. */
export class CliContext {
  private core: Core | null = null;
  /** Jobs taken over from an earlier run that stopped (start-up recovery), followed to their end before commands run. */
  private recovery: Promise<void> = Promise.resolve();
  constructor(readonly opts: GlobalOptions) {}

  get json(): boolean {
    return this.opts.json === true;
  }

  getCore(): Core {
    if (!this.core) {
      // The app's start-up recovery, limited to jobs a workspace waits for (a demo generation killed under an earlier
      // CLI run): those resume here rather than leaving the workspace 'generating' until the app starts.
      const ports = nodePorts('cli', resolveDataDir({ dataDir: this.opts.dataDir }), { resumeJobs: 'blocking' });
      // One command and no UI: local models run on this thread rather than in the llama host worker.
      this.core = createCore({ ...ports, localModels: { ...ports.localModels, inProcess: true } });
      this.recovery = this.finishRecovered(this.core);
    }
    return this.core;
  }

  /** The core once start-up recovery has finished: for commands that call a service directly. */
  async ready(): Promise<Core> {
    const core = this.getCore();
    await this.recovery;
    return core;
  }

  private async finishRecovered(core: Core): Promise<void> {
    for (const job of core.services.jobs.running()) {
      const label = `Finishing ${job.kind}${job.workspace ? ` of "${job.workspace}"` : ''} left by an earlier run`;
      process.stderr.write(`${label}…\n`);
      try {
        await this.followJob(job.jobId, label);
      } catch (error) {
        process.stderr.write(`${label}: ${AppError.wrap(error).message}\n`);
      }
    }
  }

  /** The profile commands act as, for the few that call a service directly (files of the person's choosing). */
  profileIdOrNull(): string | null {
    return this.profileId() ?? this.getCore().activeProfile().id;
  }

  private profileId(): string | undefined {
    if (!this.opts.profile) return undefined;
    const p = this.getCore().services.profiles.findByName(this.opts.profile);
    if (!p) throw new AppError('not_found', `There is no profile named "${this.opts.profile}".`);
    return p.id;
  }

  async call<R extends RouteName>(route: R, input: RouteInput<R>): Promise<RouteOutput<R>> {
    const core = this.getCore();
    await this.recovery;
    return core.call(route, input, { profileId: this.profileId() });
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
    await this.recovery;
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
