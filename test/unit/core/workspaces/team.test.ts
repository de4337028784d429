import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { AppError } from '../../../../src/shared/errors';
import { createPostgresPool, postgresKysely } from '../../../../src/main/core/db/postgres';
import { makeTestCore, tempDir, type TestCore } from '../../../fixtures/core';
import { describePostgres } from '../../../fixtures/engines';

const rejection = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a failure');
};

const ANCHOR = '2026-06-15';

describePostgres('team workspaces on PostgreSQL: create, attach, detach, connection test', (url) => {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  // The test cluster's superuser logs in without a password from this machine only (scripts/pg-test-cluster.mjs).
  const superUrl = `postgres://postgres@${u.host}${u.pathname}`;
  const admin = postgresKysely<unknown>(createPostgresPool({ engine: 'postgres', url: superUrl, schema: 'public' }, { max: 1 }));
  const roles: string[] = [];
  const cores: TestCore[] = [];
  /** Cores that create SQLite workspaces by default, so every team workspace in a test is made explicitly. */
  const core = (dataDir?: string): TestCore => {
    const t = makeTestCore({ newWorkspaces: { engine: 'sqlite' }, ...(dataDir ? { dataDir } : {}) });
    cores.push(t);
    return t;
  };
  /** A login role with a password and, unless told otherwise, no privileges on the test database. */
  const role = async (): Promise<{ name: string; url: string }> => {
    const name = `idesk_r_${randomBytes(4).toString('hex')}`;
    await sql.raw(`CREATE ROLE ${name} LOGIN PASSWORD 'pw-${name}'`).execute(admin);
    roles.push(name);
    return { name, url: `postgres://${name}:pw-${name}@${u.host}${u.pathname}` };
  };

  beforeAll(async () => {
    await sql`SELECT 1`.execute(admin);
  });
  afterEach(async () => {
    for (const t of cores.splice(0).reverse()) await t.cleanup();
  });
  afterAll(async () => {
    for (const r of roles) {
      await sql.raw(`DROP OWNED BY ${r}`).execute(admin).catch(() => {});
      await sql.raw(`DROP ROLE IF EXISTS ${r}`).execute(admin).catch(() => {});
    }
    await admin.destroy();
  });

  it('creates a team workspace on the server, stores the connection string encrypted and shows only host and database', async () => {
    const t = core();
    const { workspace } = await t.core.call('workspace.create', { name: 'Team', postgres: { url } });
    expect(workspace).toMatchObject({ name: 'Team', kind: 'postgres', status: 'ready', server: { host: u.hostname, port: Number(u.port), database: 'idesk_test' } });
    const listed = await t.core.call('workspace.list', {});
    expect(JSON.stringify(listed)).not.toContain(password);
    expect(JSON.stringify(listed)).not.toContain(`${u.username}:`);
    const row = t.core.services.workspaces.resolve('Team');
    expect(row.pg_url_enc).not.toContain(password);
    expect(workspace.server!.schema).toBe(row.pg_schema);
    // The schema exists on the server and holds the workspace's name.
    const meta = (await sql<{ value: string }>`SELECT value FROM ${sql.table(`${row.pg_schema}.workspace_meta`)} WHERE key = 'name'`.execute(admin)).rows;
    expect(meta).toEqual([{ value: 'Team' }]);
  });

  it('a second desktop attaches by name, sees the same data, and detaching leaves the data on the server', async () => {
    const a = core();
    await a.core.call('workspace.create', { name: 'Sales team', postgres: { url } });
    const schema = a.core.services.workspaces.resolve('Sales team').pg_schema!;

    const b = core();
    // No schema given and no workspace of that name: nothing is attached, the schemas are listed.
    const listing = await b.core.call('workspace.attach', { name: 'Elsewhere', postgres: { url } });
    expect(listing.workspace).toBeNull();
    expect(listing.schemas).toContainEqual(expect.objectContaining({ schema, name: 'Sales team', compatible: true, attachedAs: null }));
    // By the recorded name (case does not matter).
    const joined = await b.core.call('workspace.attach', { name: 'sales TEAM', postgres: { url } });
    expect(joined.workspace).toMatchObject({ name: 'sales TEAM', kind: 'postgres', server: { schema } });
    expect(await b.core.services.workspaces.withWorkspace('sales TEAM', (ctx) => ctx.repos.meta.get('name'))).toBe('Sales team');

    // A write on one desktop is read on the other: it is one schema.
    await a.core.services.workspaces.withWorkspace('Sales team', (ctx) => ctx.repos.meta.set('note', 'from A'));
    expect(await b.core.services.workspaces.withWorkspace('sales TEAM', (ctx) => ctx.repos.meta.get('note'))).toBe('from A');

    // Attaching the same schema twice on one machine is refused, naming the local workspace.
    const twice = await rejection(b.core.call('workspace.attach', { name: 'Again', postgres: { url, schema } }));
    expect(twice.code).toBe('conflict');
    expect(twice.message).toMatch(/already attached on this machine as "sales TEAM"/);

    expect((await b.core.call('workspace.detach', { workspace: 'sales TEAM' })).detached).toBe('sales TEAM');
    expect((await b.core.call('workspace.list', {})).workspaces).toEqual([]);
    expect(await a.core.services.workspaces.withWorkspace('Sales team', (ctx) => ctx.repos.meta.get('note'))).toBe('from A');
    // And it can join again, by schema this time.
    expect((await b.core.call('workspace.attach', { name: 'Back', postgres: { url, schema } })).workspace?.name).toBe('Back');
    await b.core.call('workspace.detach', { workspace: 'Back' });

    // Detaching a local SQLite workspace is not a thing: it says what to do instead.
    await b.core.call('workspace.create', { name: 'local' });
    expect((await rejection(b.core.call('workspace.detach', { workspace: 'local' }))).message).toMatch(/not a team workspace: delete it instead/);
  });

  it('generates a demo into a team workspace: the same rows as the same demo on SQLite', async () => {
    const t = core();
    const demo = { scale: 0.2, seed: 11, anchorDate: ANCHOR };
    const [pg, local] = await Promise.all([
      t.core.call('workspace.create', { name: 'Team demo', demo, postgres: { url } }),
      t.core.call('workspace.create', { name: 'Local demo', demo }),
    ]);
    expect(pg.workspace).toMatchObject({ kind: 'postgres', status: 'generating' });
    const [pgJob, localJob] = await Promise.all([t.core.services.jobs.waitFor(pg.jobId!), t.core.services.jobs.waitFor(local.jobId!)]);
    expect(pgJob.status, pgJob.error?.message).toBe('completed');
    expect(localJob.status).toBe('completed');
    expect((await t.core.call('workspace.list', {})).workspaces.find((w) => w.name === 'Team demo')).toMatchObject({ status: 'ready', kind: 'postgres' });
    const pgCounts = (await t.core.call('data.stats', { workspace: 'Team demo' })).counts;
    const localCounts = (await t.core.call('data.stats', { workspace: 'Local demo' })).counts;
    expect(pgCounts).toEqual(localCounts);
    expect(pgCounts.tickets).toBeGreaterThan(50);
    // Row for row: the same ticket, and the workspace's own name in its metadata.
    const first = async (w: string): Promise<unknown> => (await t.core.call('data.browse', { workspace: w, entity: 'tickets', limit: 3 })).rows;
    expect(await first('Team demo')).toEqual(await first('Local demo'));
    expect(await t.core.services.workspaces.withWorkspace('Team demo', (ctx) => ctx.repos.meta.get('name'))).toBe('Team demo');
    // New rows after the demo's explicit ids get fresh ids (the identity sequences moved past them).
    const schema = t.core.services.workspaces.resolve('Team demo').pg_schema!;
    const next = (await sql<{ id: number }>`INSERT INTO ${sql.table(`${schema}.users`)} (name, role, created_at) VALUES ('New', 'agent', '2026-06-15T00:00:00Z') RETURNING id`.execute(admin)).rows[0]!.id;
    expect(Number(next)).toBe(pgCounts.users! + 1);
  });

  it('the connection test reports the server, the user, TLS and whether schemas may be created', async () => {
    const t = core();
    const report = await t.core.call('workspace.testConnection', { postgres: { url } });
    expect(report).toMatchObject({ ok: true, server: { host: u.hostname, port: Number(u.port), database: 'idesk_test', user: u.username }, tls: false, canCreateSchema: true });
    expect(report.serverVersion).toMatch(/^\d+/);
  });

  it('explains bad credentials, a missing database and a refused connection, without the password', async () => {
    const t = core();
    const wrong = await rejection(t.core.call('workspace.testConnection', { postgres: { url: `postgres://${u.username}:wrong-pass@${u.host}${u.pathname}` } }));
    expect(wrong).toMatchObject({ code: 'forbidden', details: { reason: 'credentials', code: '28P01' } });
    expect(wrong.message).toMatch(/refused the user name or password/);
    expect(wrong.message).not.toContain('wrong-pass');

    const noDb = await rejection(t.core.call('workspace.testConnection', { postgres: { url: `postgres://${u.username}:${u.password}@${u.host}/no_such_db` } }));
    expect(noDb).toMatchObject({ code: 'not_found', details: { reason: 'database' } });
    expect(noDb.message).toMatch(/does not exist; create it first/);
    expect(noDb.message).not.toContain(password);

    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const refused = await rejection(t.core.call('workspace.create', { name: 'Nope', postgres: { url: `postgres://${u.username}:${u.password}@127.0.0.1:${port}/idesk_test` } }));
    expect(refused).toMatchObject({ code: 'unavailable', details: { reason: 'refused' } });
    expect(refused.message).toMatch(/Nothing answers at/);
    expect(refused.message).not.toContain(password);
    // A failed create leaves nothing behind.
    expect((await t.core.call('workspace.list', {})).workspaces).toEqual([]);
  });

  it('refuses to create without CREATE on the database, and to attach without USAGE on the schema, saying what to grant', async () => {
    const t = core();
    const weak = await role();
    const cannot = await rejection(t.core.call('workspace.create', { name: 'Weak', postgres: { url: weak.url } }));
    expect(cannot).toMatchObject({ code: 'forbidden', details: { reason: 'privilege' } });
    expect(cannot.message).toContain(`GRANT CREATE ON DATABASE "idesk_test" TO "${weak.name}"`);
    expect((await t.core.call('workspace.testConnection', { postgres: { url: weak.url } })).canCreateSchema).toBe(false);

    await t.core.call('workspace.create', { name: 'Owned', postgres: { url } });
    const schema = t.core.services.workspaces.resolve('Owned').pg_schema!;
    const noUsage = await rejection(t.core.call('workspace.attach', { name: 'Peek', postgres: { url: weak.url, schema } }));
    expect(noUsage).toMatchObject({ code: 'forbidden', details: { reason: 'privilege' } });
    expect(noUsage.message).toContain(`GRANT USAGE, CREATE ON SCHEMA ${schema} TO "${weak.name}"`);
    // Listed, so a person can see it exists, but without its name (it cannot be read).
    const listed = await t.core.call('workspace.testConnection', { postgres: { url: weak.url } });
    expect(listed.schemas).toContainEqual(expect.objectContaining({ schema, name: null }));
  });

  it('refuses a schema made by a newer app with the version needed, in the connection test and when attaching', async () => {
    const t = core();
    await t.core.call('workspace.create', { name: 'Future', postgres: { url } });
    const schema = t.core.services.workspaces.resolve('Future').pg_schema!;
    await sql`INSERT INTO ${sql.table(`${schema}.schema_migrations`)} (version, name, applied_at, app_version) VALUES (999, 'later', '2026-06-15T00:00:00Z', '9.4.0')`.execute(admin);
    const b = core();
    const listed = await b.core.call('workspace.testConnection', { postgres: { url } });
    expect(listed.schemas).toContainEqual(expect.objectContaining({ schema, compatible: false, appVersion: '9.4.0', schemaVersion: 999 }));
    const probe = await rejection(b.core.call('workspace.testConnection', { postgres: { url, schema } }));
    expect(probe).toMatchObject({ code: 'conflict', details: { reason: 'newer_schema', appVersionNeeded: '9.4.0' } });
    expect(probe.message).toMatch(/Update Intelligence Desk to 9\.4\.0 or later/);
    const attach = await rejection(b.core.call('workspace.attach', { name: 'Future', postgres: { url, schema } }));
    expect(attach.details).toMatchObject({ reason: 'newer_schema' });
    expect((await b.core.call('workspace.list', {})).workspaces).toEqual([]);
  });

  it('names a missing schema and lists the ones that exist', async () => {
    const t = core();
    const e = await rejection(t.core.call('workspace.attach', { name: 'Ghost', postgres: { url, schema: 'ws_doesnotexist' } }));
    expect(e).toMatchObject({ code: 'not_found', details: { reason: 'schema' } });
    expect(e.message).toMatch(/has no workspace schema "ws_doesnotexist"/);
  });

  /** Writes a text file as the server's OS user (superuser COPY), line by line, verbatim; empty lines are left out. */
  const writeServerFile = async (file: string, text: string): Promise<void> => {
    await sql`CREATE TEMP TABLE IF NOT EXISTS file_out (line text)`.execute(admin);
    await sql`TRUNCATE file_out`.execute(admin);
    for (const line of text.split('\n').filter((l) => l.trim() !== '')) await sql`INSERT INTO file_out VALUES (${line})`.execute(admin);
    // CSV with a delimiter and quote that never occur: each row is written as its line (empty ones would be quoted).
    await sql.raw(`COPY file_out TO '${file}' WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`).execute(admin);
  };
  /** Reloads the server's configuration and waits until new connections get it (the postmaster reloads on its own). */
  const reload = async (): Promise<void> => {
    const before = (await sql<{ t: string }>`SELECT pg_conf_load_time()::text AS t`.execute(admin)).rows[0]!.t;
    expect((await sql<{ ok: boolean }>`SELECT pg_reload_conf() AS ok`.execute(admin)).rows[0]!.ok).toBe(true);
    // New connections inherit the postmaster's load time: wait until one shows the new one.
    for (let attempt = 0; ; attempt++) {
      const fresh = postgresKysely<unknown>(createPostgresPool({ engine: 'postgres', url: superUrl, schema: 'public' }, { max: 1 }));
      const now = (await sql<{ t: string }>`SELECT pg_conf_load_time()::text AS t`.execute(fresh)).rows[0]!.t;
      await fresh.destroy();
      if (now !== before) return;
      if (attempt > 500) throw new Error('the server did not reload its configuration');
    }
  };
  const setting = async (name: string): Promise<string> => (await sql<{ v: string }>`SELECT current_setting(${name}) AS v`.execute(admin)).rows[0]!.v;
  /** Runs `fn` with one more pg_hba rule in front of the others, for one role only; the file is restored after. */
  const withHbaRule = async (rule: string, fn: () => Promise<void>): Promise<void> => {
    const hbaFile = await setting('hba_file');
    const original = (await sql<{ t: string }>`SELECT pg_read_file(${hbaFile}) AS t`.execute(admin)).rows[0]!.t;
    try {
      await writeServerFile(hbaFile, `${rule}\n${original}`);
      await reload();
      await fn();
    } finally {
      await writeServerFile(hbaFile, original);
      await reload();
    }
  };

  it('tells a server that refuses this user and host apart from one that wants TLS (pg_hba)', async () => {
    // Plain connections rejected for one throwaway role, as a server with hostssl-only rules does. The test server
    // offers no TLS, so the connection test's retry with TLS fails too: the rule is what is missing.
    const r = await role();
    const t = core();
    await withHbaRule(`hostnossl all ${r.name} 127.0.0.1/32 reject`, async () => {
      const refused = await rejection(t.core.call('workspace.testConnection', { postgres: { url: r.url } }));
      expect(refused).toMatchObject({ code: 'forbidden', details: { reason: 'not_allowed' } });
      expect(refused.message).toMatch(/does not let this user connect .* from this machine/);
      expect(refused.message).not.toContain(`pw-${r.name}`);
    });
    // The rule is gone again: the role reaches the server (and is then stopped by its missing privilege).
    expect((await t.core.call('workspace.testConnection', { postgres: { url: r.url } })).canCreateSchema).toBe(false);
  });

  it('says TLS is required when the server offers TLS and refuses this user without it', async () => {
    // A throwaway self-signed certificate, TLS switched on (reloadable), and a hostnossl reject rule for one role.
    // The key must be private to the server: 0600 and owned by its user, or 0640 with its group when owned by root
    // (as root, the test cluster runs as the postgres OS user: scripts/pg-test-cluster.mjs).
    const dir = tempDir('idesk-tls-');
    chmodSync(dir, 0o755);
    const cert = join(dir, 'server.crt');
    const key = join(dir, 'server.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    chmodSync(cert, 0o644);
    if (process.getuid?.() === 0) {
      chownSync(key, 0, Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()));
      chmodSync(key, 0o640);
    } else chmodSync(key, 0o600);
    const r = await role();
    const t = core();
    try {
      await sql.raw(`ALTER SYSTEM SET ssl_cert_file = '${cert}'`).execute(admin);
      await sql.raw(`ALTER SYSTEM SET ssl_key_file = '${key}'`).execute(admin);
      await sql.raw(`ALTER SYSTEM SET ssl = on`).execute(admin);
      await reload();
      await withHbaRule(`hostnossl all ${r.name} 127.0.0.1/32 reject`, async () => {
        const e = await rejection(t.core.call('workspace.testConnection', { postgres: { url: r.url } }));
        expect(e).toMatchObject({ code: 'forbidden', details: { reason: 'tls_required' } });
        expect(e.message).toMatch(/only accepts encrypted connections .* add \?sslmode=require/);
        // With TLS asked for (and the self-signed certificate accepted), it connects, and says so.
        const ok = await t.core.call('workspace.testConnection', { postgres: { url: `${r.url}?sslmode=no-verify` } });
        expect(ok.tls).toBe(true);
      });
    } finally {
      await sql.raw('ALTER SYSTEM RESET ssl').execute(admin);
      await sql.raw('ALTER SYSTEM RESET ssl_cert_file').execute(admin);
      await sql.raw('ALTER SYSTEM RESET ssl_key_file').execute(admin);
      await reload();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
