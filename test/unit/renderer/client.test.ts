import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, on, setTransport, webTransport } from '../../../src/renderer/src/api/client';
import { AppError } from '../../../src/shared/errors';
import { fakeTransport } from './fakeTransport';

afterEach(() => {
  setTransport(null);
  vi.unstubAllGlobals();
});

describe('api client', () => {
  it('returns typed results and throws AppError with the code and message', async () => {
    const fake = fakeTransport({
      'workspace.list': () => ({ workspaces: [] }),
      'workspace.delete': () => {
        throw new AppError('forbidden', 'Only an admin can do this');
      },
    });
    setTransport(fake.transport);
    await expect(call('workspace.list', {})).resolves.toEqual({ workspaces: [] });
    const err = await call('workspace.delete', { workspace: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'forbidden', message: 'Only an admin can do this' });
  });

  it('delivers events to subscribers', () => {
    const fake = fakeTransport({});
    setTransport(fake.transport);
    const got: unknown[] = [];
    const off = on('data.changed', (p) => got.push(p));
    fake.emit('data.changed', { workspace: 'a', entities: ['tickets'] });
    off();
    fake.emit('data.changed', { workspace: 'b', entities: [] });
    expect(got).toEqual([{ workspace: 'a', entities: ['tickets'] }]);
  });

  it('web transport: takes the token from the URL fragment, hides it, and sends it as a bearer token', async () => {
    window.history.replaceState(null, '', '/#token=abc123');
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ok: true, result: { workspaces: [] } })));
    vi.stubGlobal('fetch', fetchMock);
    const t = webTransport();
    expect(window.location.hash).not.toContain('abc123');
    expect(sessionStorage.getItem('intelligence-desk.token')).toBe('abc123');
    await t.invoke('workspace.list', {});
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/invoke');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer abc123');
    expect(JSON.parse(String(init.body))).toEqual({ route: 'workspace.list', input: {} });
  });

  it('web transport: an unreachable server becomes an unavailable error, not a crash', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    setTransport(webTransport());
    await expect(call('workspace.list', {})).rejects.toMatchObject({ code: 'unavailable' });
  });
});
