import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { dropPostgresSchema } from '../../src/main/core/db/workspaceStore';
import { tempDir } from '../fixtures/core';
import { describePostgres } from '../fixtures/engines';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

describePostgres('CLI: team workspaces (subprocess)', (url) => {
  const desk1 = tempDir('idesk-cli-team-a-');
  const desk2 = tempDir('idesk-cli-team-b-');
  const cli = (dataDir: string, ...args: string[]): { code: number; stdout: string; stderr: string } => {
    const r = spawnSync(tsx, [join(root, 'src/main/cli/index.ts'), '--data-dir', dataDir, ...args], { encoding: 'utf8', cwd: root, timeout: 120_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  let schema = '';
  afterAll(async () => {
    if (schema) await dropPostgresSchema({ engine: 'postgres', url, schema }, { label: 'cli' });
    rmSync(desk1, { recursive: true, force: true });
    rmSync(desk2, { recursive: true, force: true });
  });

  it('creates a demo team workspace, a second desktop attaches by name, lists show the server but no password', () => {
    const password = decodeURIComponent(new URL(url).password);
    const created = cli(desk1, 'workspace', 'create', 'Team CLI', '--postgres', url, '--demo', '--scale', '0.05', '--seed', '3', '--anchor-date', '2026-06-15', '--json');
    expect(created.code, created.stderr).toBe(0);
    const ws = JSON.parse(created.stdout).workspace as { status: string; kind: string; server: { schema: string } };
    expect(ws).toMatchObject({ status: 'ready', kind: 'postgres' });
    schema = ws.server.schema;

    const attached = cli(desk2, 'workspace', 'attach', 'Team CLI', '--postgres', url);
    expect(attached.code, attached.stderr).toBe(0);
    expect(attached.stdout).toMatch(/Attached team workspace "Team CLI" \(PostgreSQL 127\.0\.0\.1:\d+\/idesk_test\)/);
    const list = cli(desk2, 'workspace', 'list');
    expect(list.stdout).toMatch(/Team CLI .* PostgreSQL 127\.0\.0\.1:\d+\/idesk_test/);
    expect(list.stdout + list.stderr + attached.stdout).not.toContain(password);

    // Both desktops count the same rows.
    const a = JSON.parse(cli(desk1, 'data', 'stats', '--workspace', 'Team CLI', '--json').stdout).counts as Record<string, number>;
    const b = JSON.parse(cli(desk2, 'data', 'stats', '--workspace', 'Team CLI', '--json').stdout).counts as Record<string, number>;
    expect(b).toEqual(a);
    expect(a.tickets).toBeGreaterThan(0);
  });

  it('test-connection prints the server, and fails with the reason and without the password', () => {
    const ok = cli(desk1, 'workspace', 'test-connection', '--postgres', url);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Connected to PostgreSQL \d+.* database "idesk_test"/);
    const u = new URL(url);
    const bad = cli(desk1, 'workspace', 'test-connection', '--postgres', `postgres://${u.username}:not-this-one@${u.host}${u.pathname}`);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/refused the user name or password/);
    expect(bad.stderr).not.toContain('not-this-one');
  });
});
