import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassphrase, verifyPassphrase } from '../../../src/main/core/app/passphrase';
import { ROUTE_NAMES, routes } from '../../../src/shared/contract';
import { hasUnsafeNameChars } from '../../../src/shared/names';
import { makeTestCore, tempDir, type TestCore } from '../../fixtures/core';
import { rejection } from '../../fixtures/gateway';
import { runCliIn } from '../../fixtures/cli';

/** Profiles, passphrases and names (issue 13 §1, ADR 0093). */

const PASS = 'correct horse battery staple';

const cli = runCliIn;

describe('passphrase hashing', () => {
  it('is salted scrypt: the text never appears, each hash differs, only the right passphrase verifies', async () => {
    const a = await hashPassphrase(PASS);
    const b = await hashPassphrase(PASS);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(PASS);
    expect(await verifyPassphrase(PASS, a)).toBe(true);
    expect(await verifyPassphrase(`${PASS} `, a)).toBe(false);
    expect(await verifyPassphrase(PASS, 'scrypt$1$1$1$AAAA$AAAA')).toBe(false);
    expect(await verifyPassphrase(PASS, 'plain')).toBe(false);
  });
});

describe('protected profiles through the contract', () => {
  let t: TestCore;
  let admin: string;
  let member: string;
  let member2: string;
  let admin2: string;
  const as = (profileId: string) => ({ profileId });

  beforeAll(async () => {
    t = makeTestCore();
    admin = t.core.activeProfile().id;
    member = (await t.core.call('profiles.create', { name: 'Mia', role: 'member' })).id;
    member2 = (await t.core.call('profiles.create', { name: 'Max', role: 'member' })).id;
    admin2 = (await t.core.call('profiles.create', { name: 'Ada', role: 'admin' })).id;
  });
  afterAll(() => t.cleanup());

  it('members switch freely between unprotected profiles', async () => {
    await t.core.call('profiles.switch', { id: member }, as(admin));
    await t.core.call('profiles.switch', { id: member2 }, as(member));
    expect(t.core.activeProfile().id).toBe(member2);
    // An unprotected admin is reachable too: that is exactly what a passphrase is for.
    await t.core.call('profiles.switch', { id: admin }, as(member2));
    expect(t.core.activeProfile().id).toBe(admin);
  });

  it('only admin profiles can be protected, by an admin, with at least 8 characters', async () => {
    expect((await rejection(t.core.call('profiles.protect', { id: admin, passphrase: PASS }, as(member)))).code).toBe('forbidden');
    expect((await rejection(t.core.call('profiles.protect', { id: member, passphrase: PASS }, as(admin)))).code).toBe('validation');
    expect((await rejection(t.core.invoke('profiles.protect', { id: admin, passphrase: 'short' }, as(admin)))).code).toBe('validation');
    const p = await t.core.call('profiles.protect', { id: admin, passphrase: PASS }, as(admin));
    expect(p.protected).toBe(true);
    const stored = t.core.services.appDb.prepare('SELECT passphrase_hash FROM profiles WHERE id = ?').get(admin) as { passphrase_hash: string };
    expect(stored.passphrase_hash).toMatch(/^scrypt\$/);
    expect(readFileSync(join(t.dataDir, 'app.sqlite')).toString('latin1')).not.toContain(PASS);
    expect((await t.core.call('profiles.list', {})).profiles.find((x) => x.id === admin)?.protected).toBe(true);
  });

  it('switching to a protected profile needs its passphrase; a wrong one is refused', async () => {
    await t.core.call('profiles.switch', { id: member }, as(admin));
    const none = await rejection(t.core.call('profiles.switch', { id: admin }, as(member)));
    expect(none.code).toBe('forbidden');
    expect(none.message).toMatch(/protected by a passphrase/);
    const wrong = await rejection(t.core.call('profiles.switch', { id: admin, passphrase: 'guess guess' }, as(member)));
    expect(wrong.code).toBe('forbidden');
    expect(t.core.activeProfile().id).toBe(member);
    await t.core.call('profiles.switch', { id: admin, passphrase: PASS }, as(member));
    expect(t.core.activeProfile().id).toBe(admin);
  });

  it('changing roles while acting as a protected admin needs its passphrase', async () => {
    const e = await rejection(t.core.call('profiles.setRole', { id: member, role: 'admin' }, as(admin)));
    expect(e.code).toBe('forbidden');
    expect((await t.core.call('profiles.list', {})).profiles.find((x) => x.id === member)?.role).toBe('member');
    const p = await t.core.call('profiles.setRole', { id: member, role: 'admin', passphrase: PASS }, as(admin));
    expect(p.role).toBe('admin');
    await t.core.call('profiles.setRole', { id: member, role: 'member', passphrase: PASS }, as(admin));
    // An unprotected admin changes roles without one.
    await t.core.call('profiles.setRole', { id: member2, role: 'admin' }, as(admin2));
    await t.core.call('profiles.setRole', { id: member2, role: 'member' }, as(admin2));
  });

  it('changing or removing a passphrase needs the current one', async () => {
    expect((await rejection(t.core.call('profiles.protect', { id: admin, passphrase: 'a new passphrase' }, as(admin2)))).code).toBe('forbidden');
    expect((await rejection(t.core.call('profiles.unprotect', { id: admin, passphrase: 'wrong one!' }, as(admin2)))).code).toBe('forbidden');
    const p = await t.core.call('profiles.unprotect', { id: admin, passphrase: PASS }, as(admin2));
    expect(p.protected).toBe(false);
  });
});

describe('names refuse control and bidi characters', () => {
  let t: TestCore;
  beforeAll(() => {
    t = makeTestCore();
  });
  afterAll(() => t.cleanup());

  const BAD = ['nul\u0000name', 'bell\u0007', 'esc\u001b[31m', 'del\u007f', 'c1\u0085', 'lrm\u200e', 'rlm\u200f', 'rlo\u202eevil', 'lre\u202a', 'lri\u2066x', 'pdi\u2069', 'new\nline'];

  it('the shared check covers every listed range and nothing printable', () => {
    for (const b of BAD) expect(hasUnsafeNameChars(b)).toBe(true);
    for (const ok of ['Ada Lovelace', 'Zoë', 'مرحبا', '日本語', 'a.b-c_d', 'emoji 🎉']) expect(hasUnsafeNameChars(ok)).toBe(false);
  });

  it('profiles, workspaces, providers and local models refuse them with a typed validation error and create nothing', async () => {
    for (const b of BAD) {
      const attempts: [string, unknown][] = [
        ['profiles.create', { name: b, role: 'member' }],
        ['workspace.create', { name: b }],
        ['providers.add', { name: b, kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' }],
        ['models.add', { path: '/nowhere/x.gguf', name: b }],
      ];
      for (const [route, input] of attempts) {
        const e = await rejection(t.core.invoke(route, input));
        expect(e.code, `${route} ${JSON.stringify(b)}`).toBe('validation');
      }
    }
    expect((await t.core.call('profiles.list', {})).profiles).toHaveLength(1);
    expect((await t.core.call('workspace.list', {})).workspaces).toHaveLength(0);
    expect((await t.core.call('providers.list', {})).providers).toHaveLength(0);
  });
});

describe('the CLI acts as the selected profile on every path', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    expect((await cli(dir, 'workspace', 'create', 'w')).code).toBe(0);
    expect((await cli(dir, 'profile', 'create', 'mia')).code).toBe(0);
    expect((await cli(dir, 'profile', 'create', 'boss', '--role', 'admin')).code).toBe(0);
  });
  afterAll(() => {
    delete process.env.INTELLIGENCE_DESK_PASSPHRASE;
    rmSync(dir, { recursive: true, force: true });
  });

  it('`--profile <member> call` is refused every admin route', async () => {
    const adminRoutes = ROUTE_NAMES.filter((r) => routes[r].role === 'admin');
    expect(adminRoutes.length).toBeGreaterThan(10);
    for (const route of adminRoutes) {
      const r = await cli(dir, '--json', '--profile', 'mia', 'call', route, '{}');
      expect(r.code, route).toBe(1);
      expect((JSON.parse(r.out) as { error: { code: string } }).error.code, route).toBe('forbidden');
    }
    // The example, with valid input: still refused, and nothing changed.
    const { profiles } = JSON.parse((await cli(dir, '--json', 'call', 'profiles.list', '{}')).out) as { profiles: { id: string; name: string; role: string }[] };
    const mia = profiles.find((p) => p.name === 'mia')!;
    const r = await cli(dir, '--json', '--profile', 'mia', 'call', 'profiles.setRole', JSON.stringify({ id: mia.id, role: 'admin' }));
    expect(JSON.parse(r.out)).toMatchObject({ error: { code: 'forbidden' } });
    const after = JSON.parse((await cli(dir, '--json', 'call', 'profiles.list', '{}')).out) as { profiles: { name: string; role: string }[] };
    expect(after.profiles.find((p) => p.name === 'mia')?.role).toBe('member');
    // Member routes work as the member.
    const session = JSON.parse((await cli(dir, '--json', '--profile', 'mia', 'call', 'session.get', '{}')).out) as { profile: { name: string } };
    expect(session.profile.name).toBe('mia');
  });

  it('named commands act as --profile too', async () => {
    const r = await cli(dir, '--profile', 'mia', 'workspace', 'delete', 'w');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\[forbidden\]/);
    expect(JSON.parse((await cli(dir, '--json', 'workspace', 'list')).out).workspaces).toHaveLength(1);
  });

  it('a protected profile needs its passphrase: --passphrase, or INTELLIGENCE_DESK_PASSPHRASE', async () => {
    expect((await cli(dir, '--passphrase', PASS, 'profile', 'protect', 'boss')).code).toBe(0);
    const listed = JSON.parse((await cli(dir, '--json', 'profile', 'list')).out) as { profiles: { name: string; protected: boolean }[] };
    expect(listed.profiles.find((p) => p.name === 'boss')?.protected).toBe(true);
    // Not a terminal and no passphrase: refused, not asked.
    const none = await cli(dir, '--profile', 'boss', 'workspace', 'list');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/passphrase/i);
    const wrong = await cli(dir, '--profile', 'boss', '--passphrase', 'not it at all', 'workspace', 'list');
    expect(wrong.err).toMatch(/not the passphrase of boss\..*\[forbidden\]/);
    expect((await cli(dir, '--profile', 'boss', '--passphrase', PASS, 'workspace', 'list')).code).toBe(0);
    process.env.INTELLIGENCE_DESK_PASSPHRASE = PASS;
    expect((await cli(dir, '--profile', 'boss', 'workspace', 'list')).code).toBe(0);
    expect((await cli(dir, 'profile', 'switch', 'boss')).code).toBe(0);
    delete process.env.INTELLIGENCE_DESK_PASSPHRASE;
    // Acting as the protected (now active) admin, changing roles needs its passphrase.
    const promote = await cli(dir, 'profile', 'set-role', 'mia', 'admin');
    expect(promote.err).toMatch(/\[forbidden\]/);
    expect((await cli(dir, '--passphrase', PASS, 'profile', 'set-role', 'mia', 'admin')).code).toBe(0);
    expect((await cli(dir, '--passphrase', PASS, 'profile', 'unprotect', 'boss')).code).toBe(0);
  });
});
