/**
 * Crash and resume, for real: the CLI builds an index in its own process, gets killed with SIGKILL in the middle,
 * and a second CLI run resumes. Afterwards the index must hold exactly the chunks a clean build would, with no
 * duplicate and no orphan, and the file must pass SQLite's integrity check.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/main/core/db/open';
import { chunkOptionsFor, chunkSections, type ChunkingConfig } from '../../src/main/core/vectors/text/chunk';
import { SOURCES } from '../../src/main/core/vectors/sources';
import { SourceReader } from '../../src/main/core/vectors/sourceReader';
import { sha1 } from '../../src/main/core/vectors/store';
import { getVersion, liveLease } from '../../src/main/core/vectors/versions';
import { makeTestCore, tempDir } from '../fixtures/core';
import { seedAllSources, seedTickets } from '../fixtures/vectorData';
import { checkConsistency } from '../fixtures/vectors';

const root = join(import.meta.dirname, '..', '..');
let dataDir: string;
let dbFile: string;

function cli(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', '--data-dir', dataDir, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** What a clean build must contain: every chunk of every document, by position and text hash. */
function expectedChunks(db: Db, chunking: ChunkingConfig): Set<string> {
  const reader = new SourceReader(db);
  const out = new Set<string>();
  for (const src of SOURCES) {
    let after = 0;
    for (;;) {
      const docs = reader.next(src, after, 500);
      if (!docs.length) break;
      after = docs[docs.length - 1]!.entityId;
      for (const d of docs) chunkSections(d.sections, chunkOptionsFor(chunking, d.sourceType)).forEach((p, i) => out.add(`${d.sourceType}:${d.entityId}:${i}:${sha1(`${d.title}\n${p.text}`)}`));
    }
  }
  return out;
}

beforeAll(async () => {
  dataDir = tempDir('idesk-crash-');
  const t = makeTestCore({ dataDir });
  await t.core.call('workspace.create', { name: 'w' });
  const db = t.core.services.workspaces.open('w');
  seedAllSources(db);
  seedTickets(db, 8000);
  dbFile = t.core.services.workspaces.fileOf(t.core.services.workspaces.resolve('w'));
  await t.core.dispose();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('resumes an index build killed with SIGKILL, with no duplicate and no orphan vectors', async () => {
  const first = cli(['index', 'build', '--workspace', 'w']);
  const watcher = openDatabase(dbFile, { readonly: true });
  let killedAt = 0;
  try {
    // Kill once several batches are committed, i.e. in the middle of the run.
    for (let i = 0; i < 1200 && killedAt === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const n = (() => {
        try {
          return watcher.prepare('SELECT count(*) FROM vec_chunks').pluck().get() as number;
        } catch {
          return 0; // the table appears with the migration, done by the CLI
        }
      })();
      if (n >= 1500) {
        first.child.kill('SIGKILL');
        killedAt = n;
      }
    }
  } finally {
    watcher.close();
  }
  const killed = await first.done;
  expect(killed.signal).toBe('SIGKILL');
  expect(killedAt).toBeGreaterThan(0);

  let db = openDatabase(dbFile);
  const v = getVersion(db, 1);
  const chunking = JSON.parse(v.chunking) as ChunkingConfig;
  const expected = expectedChunks(db, chunking);
  // The run really was interrupted: unfinished, partial, its writer's lease dead (so it can be taken over at once).
  expect(v.status).toBe('building');
  expect(v.lease).not.toBeNull();
  expect(liveLease(v)).toBeNull();
  const partial = checkConsistency(db, 1);
  expect(partial.chunks).toBeGreaterThanOrEqual(killedAt);
  expect(partial.chunks).toBeLessThan(expected.size);
  db.close();

  const second = cli(['--json', 'index', 'build', '--workspace', 'w']);
  const out = await second.done;
  expect(out.code, out.stderr).toBe(0);
  const report = JSON.parse(out.stdout) as { action: string; versionId: number; result: { resumed: boolean; embedded: number; documents: number } };
  expect(report).toMatchObject({ action: 'resume', versionId: 1, result: { resumed: true } });
  // Only what the killed run had not committed was embedded again.
  expect(report.result.embedded).toBeLessThanOrEqual(expected.size - partial.chunks + 200 * 3);

  db = openDatabase(dbFile);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const final = checkConsistency(db, 1);
    expect(final.chunks).toBe(expected.size);
    const stored = new Set((db.prepare('SELECT source_type, entity_id, ordinal, hash FROM vec_chunks WHERE version_id = 1').all() as { source_type: string; entity_id: number; ordinal: number; hash: string }[]).map((r) => `${r.source_type}:${r.entity_id}:${r.ordinal}:${r.hash}`));
    expect(stored).toEqual(expected);
    const after = getVersion(db, 1);
    expect(after).toMatchObject({ status: 'ready', active: 1, lease: null, cursor: null });
    expect(JSON.parse(after.quality!)).toMatchObject({ orphanVectors: 0, missingVectors: 0, missingFts: 0, vectors: expected.size });
  } finally {
    db.close();
  }
});
