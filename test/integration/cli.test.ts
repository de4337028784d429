import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/core';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const dataDir = tempDir('idesk-cli-');

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(tsx, [join(root, 'src/main/cli/index.ts'), '--data-dir', dataDir, ...args], { encoding: 'utf8', cwd: root, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI (subprocess)', () => {
  beforeAll(() => {
    const r = cli('workspace', 'create', 'acme', '--demo', '--scale', '0.2', '--seed', '5', '--anchor-date', '2026-06-15', '--json');
    expect(r.code, r.stderr).toBe(0);
  });

  it('workspace list --json shows the demo workspace as ready', () => {
    const r = cli('workspace', 'list', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).workspaces).toEqual([expect.objectContaining({ name: 'acme', status: 'ready', demo: { scale: 0.2, seed: 5 } })]);
  });

  it('data stats --json prints {"counts": {table: n}}', () => {
    const r = cli('data', 'stats', '--workspace', 'acme', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { counts: Record<string, number> };
    expect(Object.keys(out)).toEqual(['counts']);
    expect(out.counts.tickets).toBeGreaterThan(0);
    expect(Object.values(out.counts).every((n) => Number.isInteger(n))).toBe(true);
  });

  it('data find and data record reach a record by the code people see', () => {
    const found = cli('data', 'find', 'tickets', 'tck-000002', '--workspace', 'acme', '--json');
    expect(found.code, found.stderr).toBe(0);
    const match = (JSON.parse(found.stdout) as { matches: { id: number; title: string }[] }).matches[0]!;
    expect(match).toMatchObject({ id: 2, title: 'TCK-000002' });
    const rec = cli('data', 'record', 'tickets', 'TCK-000002', '--workspace', 'acme', '--children', '3', '--json');
    expect(rec.code, rec.stderr).toBe(0);
    const out = JSON.parse(rec.stdout) as { id: number; title: string; refs: { column: string; title: string | null }[]; children: { entity: string; total: number; rows: unknown[] }[] };
    expect(out).toMatchObject({ id: 2, title: 'TCK-000002' });
    expect(out.children.every((c) => c.rows.length <= 3 && c.total >= c.rows.length)).toBe(true);
    const text = cli('data', 'record', 'tickets', '2', '--workspace', 'acme');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^TCK-000002 · /);
    const missing = cli('data', 'record', 'tickets', 'TCK-999999', '--workspace', 'acme');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no ticket with the code or name “TCK-999999”/);
  });

  it('global flags work after the subcommand too', () => {
    const r = cli('data', 'stats', '--json', '--workspace', 'acme');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).counts).toBeDefined();
  });

  it('bad input exits non-zero with one line on stderr and writes nothing', () => {
    const cases: [string[], RegExp][] = [
      [['workspace', 'create', 'bad/name'], /name: Use letters/],
      [['workspace', 'create', 'x', '--demo', '--scale', 'lots'], /--scale must be a number/],
      [['workspace', 'create', 'acme'], /already exists/],
      [['data', 'stats', '--workspace', 'ghost'], /no workspace named "ghost"/],
      [['data', 'import', '--workspace', 'acme', '--entity', 'tickets', '/nonexistent.csv'], /no file at/],
      [['data', 'import', '--workspace', 'acme', '--entity', 'ticket_comments', '/nonexistent.csv'], /cannot be imported|no file/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(JSON.parse(cli('workspace', 'list', '--json').stdout).workspaces.map((w: { name: string }) => w.name)).toEqual(['acme']);
  });

  it('--json errors are machine-readable too', () => {
    const r = cli('data', 'stats', '--workspace', 'ghost', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'not_found', message: expect.any(String), details: { workspace: 'ghost' } } });
  });

  it('imports a CSV: a bad row fails the dry run and the import, --skip-bad-rows imports the rest', () => {
    const file = join(dataDir, 'accounts.csv');
    writeFileSync(file, 'name,tier,arr\nNorthwind,enterprise,120000\nBadCo,galactic,5\n');
    const before = JSON.parse(cli('data', 'stats', '--workspace', 'acme', '--json').stdout).counts.accounts as number;
    const dry = cli('data', 'import', '--workspace', 'acme', '--entity', 'accounts', file, '--dry-run', '--json');
    expect(dry.code).toBe(1);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, badRows: 1, validRows: 1, errors: [{ line: 3, column: 'tier' }] });
    expect(cli('data', 'import', '--workspace', 'acme', '--entity', 'accounts', file).code).toBe(1);
    expect(JSON.parse(cli('data', 'stats', '--workspace', 'acme', '--json').stdout).counts.accounts).toBe(before);
    const skip = cli('data', 'import', '--workspace', 'acme', '--entity', 'accounts', file, '--skip-bad-rows', '--json');
    expect(skip.code).toBe(0);
    expect(JSON.parse(skip.stdout)).toMatchObject({ committed: true, imported: 1, skipped: 1 });
    expect(JSON.parse(cli('data', 'stats', '--workspace', 'acme', '--json').stdout).counts.accounts).toBe(before + 1);
  });

  it('call lists routes and calls any route through the contract', () => {
    const list = JSON.parse(cli('call', '--json').stdout) as { routes: { route: string }[] };
    expect(list.routes.map((r) => r.route)).toContain('data.browse');
    const r = cli('call', 'data.browse', JSON.stringify({ workspace: 'acme', entity: 'tickets', limit: 2 }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows).toHaveLength(2);
    expect(cli('call', 'data.browse', '{"workspace":"acme","entity":"nope"}').code).toBe(2);
  });

  it('workspace delete removes it', () => {
    cli('workspace', 'create', 'temp');
    expect(cli('workspace', 'delete', 'temp').code).toBe(0);
    expect(cli('workspace', 'delete', 'temp').code).toBe(1);
  });
});
