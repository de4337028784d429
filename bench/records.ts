/**
 * The Data page and Search at size (ADR 0094, 0095): `npm run bench -- records [--scale 40] [--n 40] [--only records|search]`.
 *  - data.record (the record drawer: names, children with totals, insights) for a ticket, an account and a user;
 *    target p95 ≤ 100 ms at scale 40 (≈ 200k rows);
 *  - data.lookup (the record picker's type-ahead) by exact code, by digits and by a word; target p95 ≤ 50 ms;
 *  - data.browse for a page in the middle and at the end of the biggest table, sorted by an enumeration, with names
 *    for its references; target p95 ≤ 150 ms;
 *  - the search relevance floor: the one-off cost of measuring it (first search of a version), and how it sorts
 *    held-out nonsense (should have no good match) from record titles (should have one). Reported, no target.
 */
import { performance } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { createCore } from '../src/main/core/createCore';
import { silentLogger } from '../src/main/core/logger';
import { memoryCipher } from '../src/main/core/secrets/keyFile';
import { nodeWorkerLauncher } from '../src/main/core/workers/nodeLauncher';
import { noiseProbes } from '../src/main/core/vectors/relevance';
import { tempDir } from '../test/fixtures/core';
import { percentile, report, round } from './lib';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const scale = Number(arg('scale', '40'));
const n = Number(arg('n', '40'));
const only = arg('only', '');

const dir = tempDir('idesk-bench-records-');
const core = createCore({ host: 'test', appVersion: 'bench', dataDir: dir, logger: silentLogger, secrets: memoryCipher, launchWorker: nodeWorkerLauncher, resumeJobs: false });

async function timed(label: string, target: number | null, extra: Record<string, unknown>, fn: (i: number) => Promise<unknown>): Promise<void> {
  await fn(0); // warm the statement cache, as a page that is already open would be
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  report({ metric: `${label}_p50`, value: round(percentile(ms, 50), 2), unit: 'ms', n, ...extra });
  report({ metric: `${label}_p95`, value: round(percentile(ms, 95), 2), unit: 'ms', n, ...(target !== null ? { target } : {}), ...extra });
}

try {
  const created = await core.call('workspace.create', { name: 'bench', demo: { scale, seed: 42, anchorDate: '2026-03-31' } });
  const job = await core.services.jobs.waitFor(created.jobId!);
  if (job.status !== 'completed') throw new Error(`demo generation ${job.status}: ${job.error?.message}`);
  const { counts } = await core.call('data.stats', { workspace: 'bench' });
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  const db = core.services.workspaces.open('bench');
  const first = (sql: string): number => db.prepare(sql).pluck().get() as number;

  if (!only || only === 'records') {
    const ticket = first('SELECT id FROM tickets ORDER BY id DESC LIMIT 1');
    const account = first('SELECT account_id FROM tickets WHERE account_id IS NOT NULL GROUP BY account_id ORDER BY count(*) DESC LIMIT 1');
    const user = first('SELECT owner_id FROM accounts WHERE owner_id IS NOT NULL GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1');
    for (const [entity, id] of [['tickets', ticket], ['accounts', account], ['users', user]] as const) {
      await timed(`data_record_${entity}`, 100, { scale, rows }, () => core.call('data.record', { workspace: 'bench', entity, id }));
    }
    const code = db.prepare('SELECT code FROM tickets ORDER BY id LIMIT 1 OFFSET ?').pluck().get(Math.floor(counts.tickets! / 2)) as string;
    await timed('data_lookup_code', 50, { scale, rows }, () => core.call('data.lookup', { workspace: 'bench', entity: 'tickets', query: code }));
    await timed('data_lookup_digits', 50, { scale, rows }, () => core.call('data.lookup', { workspace: 'bench', entity: 'tickets', query: String(Number(code.replace(/\D/g, ''))) }));
    await timed('data_lookup_word', 50, { scale, rows }, () => core.call('data.lookup', { workspace: 'bench', entity: 'accounts', query: 'north' }));

    const [big, size] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
    const enumCol = (await import('../src/shared/entities')).getEntity(big)!.columns.find((c) => c.type === 'enum');
    const sort = enumCol ? { column: enumCol.name, desc: false } : undefined;
    for (const [where, offset] of [['middle', Math.floor(size / 2)], ['end', Math.max(0, size - 100)]] as const) {
      await timed(`data_browse_${where}`, 150, { scale, table: big, size, sort: sort?.column ?? 'default' }, () => core.call('data.browse', { workspace: 'bench', entity: big, sort, offset, limit: 100 }));
    }
    // An enumeration sort (CASE over the declared order, no index) in the middle of the tickets.
    await timed('data_browse_enum_sort_middle', 150, { scale, table: 'tickets', size: counts.tickets, sort: 'priority' }, () =>
      core.call('data.browse', { workspace: 'bench', entity: 'tickets', sort: { column: 'priority', desc: false }, offset: Math.floor(counts.tickets! / 2), limit: 100 }),
    );
    // What names cost on top of a page: the same page of tickets with and without the reference lookups.
    const page = db.prepare('SELECT * FROM tickets ORDER BY created_at DESC LIMIT 100').all() as Record<string, unknown>[];
    const spec = (await import('../src/shared/entities')).getEntity('tickets')!;
    await core.services.workspaces.withWorkspace('bench', (ctx) => timed('data_browse_names_overhead', 10, { scale, rowsPerPage: 100 }, () => core.services.records.refTitles(ctx.repos.records, spec, page)));
  }

  if (!only || only === 'search') {
    const build = await core.call('vectors.build', { workspace: 'bench' });
    const built = await core.services.jobs.waitFor(build.jobId);
    if (built.status !== 'completed') throw new Error(`index build ${built.status}`);
    const chunks = (await core.call('vectors.status', { workspace: 'bench' })).active!.chunks;
    // The first search of a version embeds the probes with the query and measures the floor; later ones do not.
    let t = performance.now();
    const firstAnswer = await core.call('search.query', { workspace: 'bench', query: 'login outage', k: 20 });
    const firstMs = performance.now() - t;
    t = performance.now();
    await core.call('search.query', { workspace: 'bench', query: 'invoice error', k: 20 });
    const secondMs = performance.now() - t;
    report({ metric: 'search_floor_first_search', value: round(firstMs, 1), unit: 'ms', n: 1, chunks, floor: round(firstAnswer.floor ?? NaN, 4) });
    report({ metric: 'search_floor_later_search', value: round(secondMs, 1), unit: 'ms', n: 1, chunks });

    // Held-out nonsense (another seed than the probes) should find no good match; record titles should.
    const nonsense = noiseProbes(100, 0xbe11);
    let falseGood = 0;
    for (const q of nonsense) if ((await core.call('search.query', { workspace: 'bench', query: q, k: 10, mode: 'vector' })).results.some((r) => !r.belowFloor)) falseGood++;
    report({ metric: 'search_floor_nonsense_with_good_match', value: round(falseGood / nonsense.length, 3), unit: 'share', n: nonsense.length, mode: 'vector' });
    const titles = db.prepare('SELECT subject FROM tickets ORDER BY random() LIMIT 100').pluck().all() as string[];
    let found = 0;
    for (const q of titles) if ((await core.call('search.query', { workspace: 'bench', query: q, k: 10 })).results.some((r) => !r.belowFloor)) found++;
    report({ metric: 'search_floor_titles_with_good_match', value: round(found / titles.length, 3), unit: 'share', n: titles.length, mode: 'hybrid' });
  }
} finally {
  await core.dispose();
  rmSync(dir, { recursive: true, force: true });
}
