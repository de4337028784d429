import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '@shared/contract';
import { AppError } from '@shared/errors';
import { RateLimiter } from '../../../../src/main/core/rateLimit';
import { makeTestCore, type TestCore } from '../../../fixtures/core';

const caught = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a rate_limited error');
};

describe('RateLimiter (injected clock)', () => {
  let now = 1_000_000;
  const limiter = new RateLimiter(() => ({ 'copilot.send': { limit: 3, windowSeconds: 60 }, 'voice.transcribe': { limit: 0, windowSeconds: 60 } }), () => now);

  it('lets `limit` calls through per window and workspace, then says when to retry', () => {
    for (let i = 0; i < 3; i++) {
      limiter.check('copilot.send', 'Sales');
      now += 1000;
    }
    const e = caught(() => limiter.check('copilot.send', 'sales'));
    expect(e.code).toBe('rate_limited');
    // The first call was 3 s ago: its slot frees in 57 s.
    expect(e.details).toMatchObject({ route: 'copilot.send', limit: 3, windowSeconds: 60, retryAfterMs: 57_000 });
    expect(e.message).toMatch(/at most 3 per 60 s\. Try again in 57 s/);
    // Another workspace has its own window; unlisted routes and limit 0 are not limited.
    expect(() => limiter.check('copilot.send', 'support')).not.toThrow();
    for (let i = 0; i < 20; i++) expect(() => limiter.check('data.browse', 'sales')).not.toThrow();
    for (let i = 0; i < 20; i++) expect(() => limiter.check('voice.transcribe', null)).not.toThrow();
    // The window slides: after the oldest call leaves it, one more call fits, and only one.
    now += 57_000;
    expect(() => limiter.check('copilot.send', 'sales')).not.toThrow();
    expect(caught(() => limiter.check('copilot.send', 'sales')).details).toMatchObject({ retryAfterMs: 1000 });
  });
});

describe('rate limits through dispatch', () => {
  let t: TestCore;
  let at = new Date('2026-06-15T12:00:00Z').getTime();
  let memberId: string;

  beforeAll(async () => {
    t = makeTestCore({ clock: { now: () => new Date(at) }, rateLimitDefaults: DEFAULT_RATE_LIMITS });
    await t.core.call('workspace.create', { name: 'w' });
    memberId = (await t.core.call('profiles.create', { name: 'Mia', role: 'member' })).id;
  });
  afterAll(async () => t.cleanup());

  it('applies the defaults to existing routes (voice.transcribe 6/min per workspace)', async () => {
    const call = () => t.core.call('voice.transcribe', { workspace: 'w', audio: Buffer.from('not a recording').toString('base64') });
    for (let i = 0; i < 6; i++) await expect(call()).rejects.toMatchObject({ code: 'validation' });
    await expect(call()).rejects.toMatchObject({ code: 'rate_limited', details: { route: 'voice.transcribe', workspace: 'w', retryAfterMs: 60_000 } });
    at += 60_000;
    await expect(call()).rejects.toMatchObject({ code: 'validation' });
  });

  it('is configurable by route name in the app settings (admins only), and invalid calls do not count', async () => {
    await expect(t.core.call('limits.set', { limits: { 'actions.pending': { limit: 2, windowSeconds: 10 } } }, { profileId: memberId })).rejects.toMatchObject({ code: 'forbidden' });
    const set = await t.core.call('limits.set', { limits: { 'actions.pending': { limit: 2, windowSeconds: 10 } } });
    expect(set.limits['actions.pending']).toEqual({ limit: 2, windowSeconds: 10 });
    expect(set.limits['copilot.send']).toEqual({ limit: 60, windowSeconds: 60 });
    await expect(t.core.call('actions.pending', { workspace: 'w', limit: 0 })).rejects.toMatchObject({ code: 'validation' });
    await t.core.call('actions.pending', { workspace: 'w' });
    at += 4000;
    await t.core.call('actions.pending', { workspace: 'w' });
    await expect(t.core.call('actions.pending', { workspace: 'w' })).rejects.toMatchObject({ code: 'rate_limited', details: { retryAfterMs: 6000 } });
    at += 6000;
    await expect(t.core.call('actions.pending', { workspace: 'w' })).resolves.toMatchObject({ approvals: [] });
    // null restores the default (none for this route).
    const back = await t.core.call('limits.set', { limits: { 'actions.pending': null } });
    expect(back.limits['actions.pending']).toBeUndefined();
    expect((await t.core.call('limits.get', {})).defaults).toEqual(DEFAULT_RATE_LIMITS);
  });
});
