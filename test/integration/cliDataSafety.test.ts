/**
 * A demo generation killed under the CLI (SIGTERM: no handler, the process just ends, like kill -9) must not stay
 * 'generating' until the desktop app starts: the next CLI run takes the job over and finishes it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { tempDir } from '../fixtures/core';
import { openDatabase } from '../../src/main/core/db/open';

const root = join(import.meta.dirname, '..', '..');
const dataDir = tempDir('idesk-cli-recovery-');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const cliArgs = (...args: string[]): string[] => ['--import', 'tsx', 'src/main/cli/index.ts', '--data-dir', dataDir, ...args];

it('the next CLI run finishes a demo generation that a killed CLI left behind', async () => {
  const child = spawn(process.execPath, cliArgs('workspace', 'create', 'killed', '--demo', '--scale', '20', '--seed', '4', '--anchor-date', '2026-06-15'), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  // Kill as soon as the worker reports rows being written (a progress bar with a percentage).
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/Generating killed: \[[#-]+\]/.test(stderr)) resolve();
    });
    child.on('exit', () => reject(new Error(`the CLI ended before it was killed: ${stderr}`)));
  });
  child.kill('SIGTERM');
  expect(await exited).toBe('SIGTERM');

  const app = openDatabase(join(dataDir, 'app.sqlite'), { readonly: true });
  try {
    expect(app.prepare("SELECT status FROM workspaces WHERE name = 'killed'").pluck().get()).toBe('generating');
    expect(app.prepare("SELECT status FROM jobs WHERE kind = 'demo.generate'").pluck().get()).toBe('running');
  } finally {
    app.close();
  }

  const next = spawnSync(process.execPath, cliArgs('workspace', 'list', '--json'), { cwd: root, encoding: 'utf8', timeout: 240_000 });
  expect(next.status, next.stderr).toBe(0);
  expect(next.stderr).toMatch(/Finishing demo\.generate of "killed"/);
  expect(JSON.parse(next.stdout).workspaces).toEqual([expect.objectContaining({ name: 'killed', status: 'ready' })]);
  const stats = spawnSync(process.execPath, cliArgs('data', 'stats', '--workspace', 'killed', '--json'), { cwd: root, encoding: 'utf8', timeout: 120_000 });
  expect(stats.status, stats.stderr).toBe(0);
  expect(JSON.parse(stats.stdout).counts.tickets).toBeGreaterThan(0);
}, 300_000);

it('workspace backup --out FILE and workspace restore FILE --name NEW, verified, never overwriting', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, cliArgs(...args), { cwd: root, encoding: 'utf8', timeout: 120_000 });
  const out = join(dataDir, 'killed.backup.sqlite');
  const backup = run('workspace', 'backup', 'killed', '--out', out, '--json');
  expect(backup.status, backup.stderr).toBe(0);
  const made = JSON.parse(backup.stdout) as { file: string; rows: number; integrity: string };
  expect(made).toMatchObject({ file: out, integrity: 'ok' });
  expect(made.rows).toBeGreaterThan(1000);
  const again = run('workspace', 'backup', 'killed', '--out', out);
  expect(again.status).not.toBe(0);
  expect(again.stderr).toMatch(/already exists/);

  const taken = run('workspace', 'restore', out, '--name', 'killed');
  expect(taken.status).not.toBe(0);
  expect(taken.stderr).toMatch(/already exists.*never overwrites/);
  const restored = run('workspace', 'restore', out, '--name', 'copy', '--json');
  expect(restored.status, restored.stderr).toBe(0);
  expect(JSON.parse(restored.stdout)).toMatchObject({ workspace: 'copy', rows: made.rows, integrity: 'ok' });
  const a = JSON.parse(run('data', 'stats', '--workspace', 'killed', '--json').stdout) as { counts: Record<string, number> };
  const b = JSON.parse(run('data', 'stats', '--workspace', 'copy', '--json').stdout) as { counts: Record<string, number> };
  expect(b.counts).toEqual(a.counts);
}, 300_000);
