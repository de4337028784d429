import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIpcBridge, trustedSenderCheck, type InvokeEnvelope } from '../../../src/main/electron/ipcBridge';
import { makeTestCore, type TestCore } from '../../fixtures/core';

type Handler = (event: unknown, ...args: unknown[]) => Promise<InvokeEnvelope>;

describe('Electron IPC bridge (stub ipcMain)', () => {
  let t: TestCore;
  const handlers = new Map<string, Handler>();
  const sent: unknown[][] = [];
  const ipcMain = { handle: (ch: string, h: Handler) => handlers.set(ch, h), removeHandler: (ch: string) => handlers.delete(ch) };
  const trusted = trustedSenderCheck('file:///opt/app/out/renderer/index.html');
  const appFrame = { senderFrame: { url: 'file:///opt/app/out/renderer/index.html#/data', parent: null } };
  let dispose: () => void;

  beforeAll(() => {
    t = makeTestCore();
    dispose = registerIpcBridge({
      ipcMain: ipcMain as never,
      core: t.core,
      isTrustedSender: trusted as never,
      targets: () => [{ send: (...a: unknown[]) => sent.push(a), isDestroyed: () => false }],
    });
  });
  afterAll(async () => {
    dispose();
    await t.cleanup();
  });

  const invoke = (event: unknown, route: string, input: unknown) => handlers.get('contract:invoke')!(event, route, input);

  it('answers a trusted frame through the contract', async () => {
    await expect(invoke(appFrame, 'workspace.list', {})).resolves.toEqual({ ok: true, result: { workspaces: [] } });
  });

  it('refuses frames that are not our renderer: other pages, other files, subframes', async () => {
    for (const senderFrame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///tmp/other.html', parent: null },
      { url: 'file:///opt/app/out/renderer/index.html', parent: {} },
      null,
    ]) {
      await expect(invoke({ senderFrame }, 'workspace.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('parses input and returns typed errors as data', async () => {
    await expect(invoke(appFrame, 'workspace.create', { name: '' })).resolves.toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/^name:/) } });
    await expect(invoke(appFrame, 'nope', {})).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('checks the role: a member calling an admin route is forbidden', async () => {
    const member = await t.core.call('profiles.create', { name: 'Member', role: 'member' });
    await t.core.call('profiles.switch', { id: member.id });
    await expect(invoke(appFrame, 'profiles.create', { name: 'X' })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('forwards core events to the windows', async () => {
    sent.length = 0;
    await invoke(appFrame, 'workspace.create', { name: 'evt' });
    expect(sent).toContainEqual(['contract:event', 'workspace.changed', { workspace: 'evt', reason: 'created' }]);
  });

  it('trusts the dev server by origin', () => {
    const dev = trustedSenderCheck('http://localhost:5173/');
    expect(dev({ senderFrame: { url: 'http://localhost:5173/#/x', parent: null } } as never)).toBe(true);
    expect(dev({ senderFrame: { url: 'http://localhost:5174/', parent: null } } as never)).toBe(false);
  });
});
