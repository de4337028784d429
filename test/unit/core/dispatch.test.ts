import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { makeTestCore, type TestCore } from '../../fixtures/core';

const rejection = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected the call to fail');
};

describe('dispatch: validation, roles, errors', () => {
  let t: TestCore;
  beforeAll(() => (t = makeTestCore()));
  afterAll(() => t.cleanup());

  it('the first profile is an admin', async () => {
    const s = await t.core.call('session.get', {});
    expect(s.profile.role).toBe('admin');
    expect(s.host).toBe('test');
  });

  it('rejects unknown routes as not_found', async () => {
    const e = await rejection(t.core.invoke('nope.nothing', {}));
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('not_found');
  });

  it('rejects bad input with a validation error naming the field', async () => {
    const e = await rejection(t.core.invoke('workspace.create', { name: '../../etc' }));
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/^name: /);
    const e2 = await rejection(t.core.invoke('workspace.create', { name: 'ok', demo: { scale: 5000 } }));
    expect(e2.code).toBe('validation');
    expect(e2.message).toMatch(/demo\.scale/);
  });

  it('a member calling an admin route gets forbidden, and nothing changes', async () => {
    await t.core.call('workspace.create', { name: 'keep' });
    const member = await t.core.call('profiles.create', { name: 'Mia', role: 'member' });
    const e = await rejection(t.core.invoke('workspace.delete', { workspace: 'keep' }, { profileId: member.id }));
    expect(e.code).toBe('forbidden');
    expect(e.message).toMatch(/Only an admin/);
    expect((await t.core.call('workspace.list', {})).workspaces.map((w) => w.name)).toContain('keep');
    const e2 = await rejection(t.core.invoke('profiles.create', { name: 'X' }, { profileId: member.id }));
    expect(e2.code).toBe('forbidden');
  });

  it('refuses to demote the last admin', async () => {
    const admin = t.core.activeProfile();
    const e = await rejection(t.core.invoke('profiles.setRole', { id: admin.id, role: 'member' }));
    expect(e.code).toBe('conflict');
  });

  it('duplicate workspace names conflict, case-insensitively', async () => {
    await t.core.call('workspace.create', { name: 'Acme' });
    const e = await rejection(t.core.invoke('workspace.create', { name: 'acme' }));
    expect(e.code).toBe('conflict');
  });
});
