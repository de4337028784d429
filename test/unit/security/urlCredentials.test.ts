import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/core/db/migrate';
import { appMigrations } from '../../../src/main/core/db/migrations/app';
import { openDatabase } from '../../../src/main/core/db/open';
import { EndpointStore } from '../../../src/main/core/gateway/endpointStore';
import { maskUrl, urlCredentials } from '../../../src/main/core/gateway/secrets';
import { createLogger } from '../../../src/main/core/logger';
import { keyFileCipher, memoryCipher } from '../../../src/main/core/secrets/keyFile';
import { makeTestCore, tempDir, type TestCore } from '../../fixtures/core';
import { startFakeOpenAI, type FakeOpenAI } from '../../fixtures/fakeOpenAI';
import { ask, meta, rejection, testPolicy, usageRows } from '../../fixtures/gateway';

/** Credentials in base URLs (issue 13 §1, ADR 0092): split off, encrypted at rest, masked everywhere. */

const URL_KEY = 'gw-query-key-SECRET-7788990011';
const SIG = 'sig-SECRET-aabbccddeeff';

describe('urlCredentials', () => {
  it('splits credential parameters and user info off, keeps the rest', () => {
    const c = urlCredentials(`https://gw.example.com/v1?api-version=2024-06-01&key=${URL_KEY}&sig=${SIG}`)!;
    expect(c.clean).toBe('https://gw.example.com/v1?api-version=2024-06-01');
    expect(c.secrets.sort()).toEqual([URL_KEY, SIG].sort());
    expect(c.masked).not.toContain(URL_KEY);
    expect(c.masked).not.toContain(SIG);
    expect(c.masked).toMatch(/key=…0011/);
    for (const name of ['key', 'api_key', 'apikey', 'api-key', 'token', 'access_token', 'sig', 'signature', 'code', 'client_secret', 'x-goog-api-key', 'my_token']) {
      expect(urlCredentials(`https://h/v1?${name}=LONGSECRETVALUE12345`)!.clean).toBe('https://h/v1');
    }
    const userinfo = urlCredentials('https://alice:p4ssw0rd-SECRET@h.example/v1')!;
    expect(userinfo.clean).toBe('https://h.example/v1');
    expect(userinfo.masked).toBe('https://••••@h.example/v1');
    expect(userinfo.secrets).toContain('p4ssw0rd-SECRET');
  });

  it('leaves a URL without credentials exactly as written', () => {
    for (const u of ['http://127.0.0.1:11434/v1', 'http://h:1', 'https://h/v1?api-version=1&model=x', 'not a url']) {
      expect(urlCredentials(u)?.clean ?? u).toBe(u);
      expect(maskUrl(u)).toBe(u);
    }
  });
});

describe('a provider whose base URL carries a key', () => {
  let t: TestCore;
  let fake: FakeOpenAI;
  let logFile: string;
  const leaks = (text: string): boolean => text.includes(URL_KEY) || text.includes(SIG);

  beforeAll(async () => {
    const dataDir = tempDir();
    logFile = join(dataDir, 'logs', 'test.log');
    t = makeTestCore({ dataDir, secrets: keyFileCipher(join(dataDir, 'secret.key')), logger: createLogger({ file: logFile, level: 'debug' }) });
    fake = await startFakeOpenAI();
    await t.core.call('workspace.create', { name: 'w' });
    await t.core.call('providers.add', { name: 'gw', kind: 'openai-compatible', baseUrl: `${fake.url}?key=${URL_KEY}&sig=${SIG}`, model: 'fake-chat' });
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['gw'], timeoutMs: 60_000 }) });
  });
  afterAll(async () => {
    await t.cleanup();
    await fake.close();
  });

  it('is stored without the key in clear, and the key still reaches the provider as a query parameter', async () => {
    const row = t.core.services.appDb.prepare("SELECT base_url, base_url_enc FROM gateway_endpoints WHERE name = 'gw'").get() as { base_url: string; base_url_enc: string };
    expect(row.base_url).toBe(fake.url);
    expect(row.base_url_enc).toMatch(/^kf1:/);
    for (const f of ['app.sqlite', 'app.sqlite-wal'].map((x) => join(t.dataDir, x)).filter((x) => existsSync(x))) {
      expect(leaks(readFileSync(f).toString('latin1'))).toBe(false);
    }
    const r = await t.core.services.gateway.chat(meta(), ask('with a query key'));
    expect(r.text).toBe('ok: with a query key');
    const req = fake.requests.find((x) => x.route === 'chat')!;
    expect(req.path).toMatch(/\/chat\/completions$/);
    expect(req.query).toMatchObject({ key: URL_KEY, sig: SIG });
  });

  it('is masked in listings, and a listing sent back as an update keeps the stored key', async () => {
    const listed = await t.core.call('providers.list', {});
    const gw = listed.providers.find((p) => p.name === 'gw')!;
    expect(leaks(JSON.stringify(listed))).toBe(false);
    expect(gw.baseUrl).toMatch(/\?key=…0011&sig=…eeff$/);
    await t.core.call('providers.update', { name: 'gw', baseUrl: gw.baseUrl!, model: 'fake-chat' });
    fake.reset();
    await t.core.services.gateway.chat(meta(), ask('still works'));
    expect(fake.requests[0]!.query).toMatchObject({ key: URL_KEY });
  });

  it('never appears in errors, usage rows or logs, even when the provider echoes the URL', async () => {
    fake.handle('chat', (req) => ({ status: 400, message: `bad request to ${req.path}?key=${req.query.key} sig ${req.query.sig}` }));
    const e = await rejection(t.core.services.gateway.chat(meta(), ask('echo')));
    expect(e.message).toMatch(/answered 400/);
    expect(leaks(JSON.stringify({ m: e.message, d: e.details }))).toBe(false);
    expect(leaks(JSON.stringify(await usageRows(t.core)))).toBe(false);
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    expect(log).toMatch(/model call failed/);
    expect(leaks(log)).toBe(false);
    fake.handle('chat', null);
  });

  it('rows written before migration 090 are split and encrypted when the store opens', () => {
    const db = openDatabase(join(tempDir(), 'app.sqlite'));
    migrate(db, appMigrations, { backupDir: tempDir(), label: 'app' });
    db.prepare(
      "INSERT INTO gateway_endpoints (id, name, kind, base_url, role, created_at, updated_at) VALUES ('ep1', 'old', 'openai-compatible', ?, 'primary', 'x', 'x')",
    ).run(`https://gw.example/v1?key=${URL_KEY}`);
    const store = new EndpointStore(db, memoryCipher, () => new Date());
    const row = db.prepare("SELECT base_url, base_url_enc FROM gateway_endpoints WHERE id = 'ep1'").get() as { base_url: string; base_url_enc: string | null };
    expect(row.base_url).toBe('https://gw.example/v1');
    expect(row.base_url_enc).not.toBeNull();
    expect(leaks(row.base_url_enc!)).toBe(false);
    expect(store.get('old').config.baseUrl).toBe(`https://gw.example/v1?key=${URL_KEY}`);
    db.close();
  });
});
