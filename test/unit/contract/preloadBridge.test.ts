import { describe, expect, it, vi } from 'vitest';
import { createDesktopApi, exposeDesktopApi } from '../../../src/preload/api';

const stubIpc = () => {
  const listeners = new Map<string, ((e: unknown, ...a: unknown[]) => void)[]>();
  return {
    invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, result: 'pong' })),
    on: vi.fn((ch: string, l: (e: unknown, ...a: unknown[]) => void) => listeners.set(ch, [...(listeners.get(ch) ?? []), l])),
    removeListener: vi.fn((ch: string, l: (e: unknown, ...a: unknown[]) => void) => listeners.set(ch, (listeners.get(ch) ?? []).filter((x) => x !== l))),
    emit: (ch: string, ...args: unknown[]) => (listeners.get(ch) ?? []).forEach((l) => l({}, ...args)),
  };
};

describe('preload bridge', () => {
  it('exposes exactly invoke and on under window.api', () => {
    const exposed: Record<string, unknown> = {};
    exposeDesktopApi({ exposeInMainWorld: (k, v) => (exposed[k] = v) }, stubIpc());
    expect(Object.keys(exposed)).toEqual(['api']);
    expect(Object.keys(exposed.api as object).sort()).toEqual(['invoke', 'kind', 'on']);
  });

  it('forwards known routes to the invoke channel and refuses unknown ones without IPC', async () => {
    const ipc = stubIpc();
    const api = createDesktopApi(ipc);
    await expect(api.invoke('workspace.list', {})).resolves.toEqual({ ok: true, result: 'pong' });
    expect(ipc.invoke).toHaveBeenCalledWith('contract:invoke', 'workspace.list', {});
    await expect(api.invoke('fs.readFile', { path: '/etc/passwd' })).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(ipc.invoke).toHaveBeenCalledTimes(1);
  });

  it('delivers only the subscribed event and unsubscribes', () => {
    const ipc = stubIpc();
    const api = createDesktopApi(ipc);
    const got: unknown[] = [];
    const off = api.on('job.progress', (p) => got.push(p));
    ipc.emit('contract:event', 'job.progress', { jobId: '1' });
    ipc.emit('contract:event', 'workspace.changed', { workspace: 'x' });
    off();
    ipc.emit('contract:event', 'job.progress', { jobId: '2' });
    expect(got).toEqual([{ jobId: '1' }]);
    expect(() => api.on('nope' as never, () => {})).toThrow(/Unknown event/);
  });
});
