import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/core';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const dataDir = tempDir('idesk-cli-analytics-');
/** Each CLI call starts Node and the core; on a busy machine a few of them take a while. */
const SLOW = 240_000;

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(tsx, [join(root, 'src/main/cli/index.ts'), '--data-dir', dataDir, ...args], { encoding: 'utf8', cwd: root, timeout: 180_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `analytics catalog | query | ask | eval` as a subprocess, on a pinned demo workspace, without a model. */
describe('analytics CLI (subprocess)', () => {
  beforeAll(() => {
    const r = cli('workspace', 'create', 'acme', '--demo', '--scale', '0.2', '--seed', '5', '--anchor-date', '2026-06-15', '--json');
    expect(r.code, r.stderr).toBe(0);
  }, SLOW);

  it('catalog lists the measures with their dimensions', () => {
    const r = cli('analytics', 'catalog', '--json');
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout) as { measures: { name: string; dimensions: string[] }[] };
    expect(c.measures.find((m) => m.name === 'win_rate')?.dimensions).toContain('owner');
  }, SLOW);

  it('query takes a spec file or --spec, and refuses an unknown measure with the nearest names (exit 2)', () => {
    const file = join(dataDir, 'spec.json');
    writeFileSync(file, JSON.stringify({ measures: ['ticket_volume'], dimensions: ['priority'] }));
    const fromFile = cli('analytics', 'query', file, '--workspace', 'acme', '--json');
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const inline = cli('analytics', 'query', '--workspace', 'acme', '--spec', JSON.stringify({ measures: ['ticket_volume'], dimensions: ['priority'] }), '--json');
    expect(JSON.parse(inline.stdout).rows).toEqual(JSON.parse(fromFile.stdout).rows);
    const text = cli('analytics', 'query', file, '--workspace', 'acme');
    expect(text.stdout).toMatch(/PRIORITY\s+TICKET VOLUME/);
    const bad = cli('analytics', 'query', '--workspace', 'acme', '--spec', '{"measures":["tickts"]}');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown measure "tickts"\. Valid names, nearest first: /);
  }, SLOW);

  it('ask answers from the patterns without a model, and eval prints exact-result accuracy', () => {
    const r = cli('analytics', 'ask', '--workspace', 'acme', 'win rate by owner last quarter');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Win rate overall was .* \(2026-01-01 to 2026-03-31\)/);
    expect(r.stdout).toMatch(/Read by the patterns/);
    const e = cli('analytics', 'eval', '--workspace', 'acme', '--mode', 'patterns', '--limit', '5');
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/Exact-result accuracy: \d+\/5 = [\d.]+%/);
  }, SLOW);
});
