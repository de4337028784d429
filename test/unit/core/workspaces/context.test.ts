import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/shared/errors';
import { WORKSPACE_ROUTES } from '../../../../src/main/core/router';
import type { WorkspaceContext } from '../../../../src/main/core/workspaces/workspaceContext';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { requireEngine } from '../../../fixtures/engines';

const { engine } = requireEngine();

const rejection = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
};

/** Lets every settled promise run its callbacks (a turn of the event loop), so "still waiting" is observable. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(`workspace contexts (${engine})`, () => {
  const cores: TestCore[] = [];
  const core = async (): Promise<TestCore> => {
    const t = makeTestCore();
    cores.push(t);
    await t.core.call('workspace.create', { name: 'w' });
    return t;
  };
  afterEach(async () => {
    for (const t of cores.splice(0)) await t.cleanup();
  });

  it('the contract decides which routes get a context: those that require a workspace, except deleting one', () => {
    for (const r of ['data.stats', 'data.browse', 'data.get', 'import.analyze', 'insights.list', 'policies.get', 'vectors.status'] as const) expect(WORKSPACE_ROUTES.has(r), r).toBe(true);
    for (const r of ['workspace.delete', 'workspace.create', 'workspace.list', 'jobs.list', 'schedule.list', 'session.get'] as const) expect(WORKSPACE_ROUTES.has(r), r).toBe(false);
  });

  it('dispatch resolves the workspace once, holds it for the handler, and releases it after (also when the handler fails)', async () => {
    const t = await core();
    const seen: { ctx: WorkspaceContext; holders: number }[] = [];
    const original = t.core.handlers['data.stats'];
    t.core.handlers['data.stats'] = (args, ctx) => {
      seen.push({ ctx: ctx.workspace, holders: t.core.services.workspaces.holders('w') });
      if (seen.length === 2) throw new AppError('conflict', 'planned failure');
      return original(args, ctx);
    };
    const out = await t.core.call('data.stats', { workspace: 'W' });
    expect(out.counts.tickets).toBe(0);
    expect((await rejection(t.core.call('data.stats', { workspace: 'w' }))).message).toBe('planned failure');
    expect(seen.map((s) => s.holders)).toEqual([1, 1]);
    expect(seen[0]!.ctx).toMatchObject({ name: 'w', engine, status: 'ready' });
    expect(seen[0]!.ctx.location.engine).toBe(engine);
    expect(t.core.services.workspaces.holders('w')).toBe(0);
    // One cache: both requests ran on the same open database.
    expect(seen[1]!.ctx.db).toBe(seen[0]!.ctx.db);
  });

  it('an unknown workspace is not_found before any handler runs', async () => {
    const t = await core();
    const e = await rejection(t.core.call('data.stats', { workspace: 'ghost' }));
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(/no workspace named "ghost".*Workspaces: w/);
  });

  it('deleting waits for held contexts, refuses new ones meanwhile, and finishes when they are released', async () => {
    const t = await core();
    const ws = t.core.services.workspaces;
    const lease = await ws.acquire('w');
    let disposed = 0;
    lease.context.state('test.slot', () => ({ n: 1 }), () => void disposed++);
    let done = false;
    const deleting = t.core.call('workspace.delete', { workspace: 'w' }).then((r) => {
      done = true;
      return r;
    });
    await turn();
    expect(done).toBe(false);
    expect((await rejection(ws.acquire('w'))).message).toMatch(/being deleted/);
    // The held context still works while the delete waits.
    expect(await lease.context.repos.meta.get('name')).toBe('w');
    lease.release();
    lease.release(); // idempotent
    expect(await deleting).toEqual({ deleted: 'w' });
    expect(disposed).toBe(1);
    expect((await t.core.call('workspace.list', {})).workspaces).toEqual([]);
  });

  it('deleting refuses when holders do not finish in time, and the workspace stays usable', async () => {
    const t = await core();
    const ws = t.core.services.workspaces;
    const lease = await ws.acquire('w');
    const e = await rejection(ws.delete('w', { waitMs: 0 }));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/still in use by 1 request/);
    lease.release();
    expect((await t.core.call('data.stats', { workspace: 'w' })).counts.users).toBe(0);
    expect(await ws.delete('w', { waitMs: 0 })).toBe('w');
  });

  it('a transaction spans repositories and rolls back as a whole', async () => {
    const t = await core();
    await t.core.services.workspaces.withWorkspace('w', async (ctx) => {
      const failed = await rejection(
        ctx.transaction(async (tx) => {
          await tx.repos.meta.set('a', '1');
          await tx.db.insertInto('users').values({ name: 'Ann', role: 'agent', created_at: '2026-01-01T00:00:00Z' }).execute();
          throw new AppError('validation', 'changed my mind');
        }),
      );
      expect(failed.message).toBe('changed my mind');
      expect(await ctx.repos.meta.get('a')).toBeUndefined();
      expect((await ctx.repos.records.counts(['users'])).users).toBe(0);
      await ctx.transaction(async (tx) => {
        await tx.repos.meta.setJson('a', { n: 1 });
        await tx.db.insertInto('users').values({ name: 'Ann', role: 'agent', created_at: '2026-01-01T00:00:00Z' }).execute();
      });
      expect(await ctx.repos.meta.getJson('a')).toEqual({ n: 1 });
      expect((await ctx.repos.records.counts(['users'])).users).toBe(1);
      expect(await ctx.repos.meta.all()).toEqual({ a: '{"n":1}', name: 'w' });
      expect(await ctx.repos.meta.delete('a')).toBe(true);
      expect(await ctx.repos.meta.delete('a')).toBe(false);
    });
  });

  it('the transitional raw handle is the one under Kysely on SQLite, and a clear refusal on PostgreSQL', async () => {
    const t = await core();
    const ws = t.core.services.workspaces;
    await ws.withWorkspace('w', async (ctx) => {
      await ctx.repos.meta.set('shared', 'yes');
      if (engine === 'sqlite') {
        const legacy = ws.open('w');
        expect(legacy).toBe(ctx.legacySqlite());
        expect(legacy.prepare("SELECT value FROM workspace_meta WHERE key = 'shared'").pluck().get()).toBe('yes');
        expect(ctx.indexDb()).toBe(legacy);
        expect(ws.fileOf(ws.resolve('w'))).toBe(ctx.location.engine === 'sqlite' ? ctx.location.file : '');
      } else {
        for (const attempt of [() => ws.open('w'), () => ctx.legacySqlite(), () => ws.fileOf(ws.resolve('w'))]) {
          expect(attempt).toThrow(/on PostgreSQL, and this feature still reads SQLite files directly/);
        }
        // The search index stays a local SQLite file, migrated with the index migrations only.
        expect(ctx.indexDb().prepare("SELECT count(*) FROM sqlite_master WHERE name = 'vec_versions'").pluck().get()).toBe(1);
      }
    });
  });

  it('lists the workspace with its engine and schema version, and hands workers a location', async () => {
    const t = await core();
    const [info] = (await t.core.call('workspace.list', {})).workspaces;
    expect(info).toMatchObject({ name: 'w', kind: engine, status: 'ready' });
    expect(info!.schemaVersion).toBeGreaterThanOrEqual(20);
    const row = t.core.services.workspaces.resolve('w');
    const location = t.core.services.workspaces.locationOf(row);
    expect(location.engine).toBe(engine);
    if (location.engine === 'postgres') {
      expect(location.schema).toBe(row.id);
      expect(location.url).toBe(process.env.INTELLIGENCE_DESK_TEST_PG_URL);
      // Stored encrypted, never in clear.
      expect(row.pg_url_enc).not.toContain(new URL(location.url).password);
    }
  });

  it('a second core opening the same workspace shares one connection between concurrent first requests', async () => {
    const first = makeTestCore();
    await first.core.call('workspace.create', { name: 'w' });
    await first.core.dispose();
    const t = makeTestCore({ dataDir: first.dataDir });
    cores.push(t);
    const [a, b] = await Promise.all([t.core.services.workspaces.acquire('w'), t.core.services.workspaces.acquire('w')]);
    expect(a.context.db).toBe(b.context.db);
    expect(await a.context.repos.meta.get('name')).toBe('w');
    a.release();
    b.release();
  });

  it.runIf(engine === 'sqlite')('a workspace still generating gets a context whose database says so', async () => {
    const t = makeTestCore();
    cores.push(t);
    const { jobId } = await t.core.call('workspace.create', { name: 'demo', demo: { scale: 0.05, seed: 1, anchorDate: '2026-06-15' } });
    // The demo runs in a worker thread, which cannot report back before this continuation runs.
    const lease = await t.core.services.workspaces.acquire('demo');
    expect(lease.context.status).toBe('generating');
    expect(() => lease.context.db).toThrow(/still being generated/);
    lease.release();
    await t.core.services.jobs.waitFor(jobId!);
  });

  it.runIf(engine === 'postgres')('demo generation on PostgreSQL is refused with a way forward', async () => {
    const t = makeTestCore();
    cores.push(t);
    const e = await rejection(t.core.call('workspace.create', { name: 'demo', demo: { scale: 0.05, seed: 1, anchorDate: '2026-06-15' } }));
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/create it empty, or make the demo workspace on SQLite/);
    expect((await t.core.call('workspace.list', {})).workspaces).toEqual([]);
  });
});
