import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../src/main/host/server';
import { makeTestCore, tempDir, type TestCore } from '../fixtures/core';

describe('web host', () => {
  let t: TestCore;
  let host: WebHost;
  beforeAll(async () => {
    t = makeTestCore();
    const staticDir = tempDir();
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(staticDir, 'assets', 'a.js'), 'console.log(1)');
    host = await startWebHost({ core: t.core, staticDir, token: 'secret-token' });
  });
  afterAll(async () => {
    await host.close();
    await t.cleanup();
  });

  const invoke = (route: string, input: unknown, headers: Record<string, string> = { authorization: 'Bearer secret-token' }) =>
    fetch(`${host.url}api/invoke`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ route, input }) });

  it('listens on 127.0.0.1 only and prints a URL with the token in the fragment', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.openUrl).toBe(`${host.url}#token=secret-token`);
  });

  it('serves the renderer with a strict CSP, and falls back to index.html for app routes', async () => {
    const res = await fetch(`${host.url}data`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('<title>app</title>');
    expect((await fetch(`${host.url}assets/a.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${host.url}..%2f..%2fetc%2fpasswd`)).status).not.toBe(500);
  });

  it('answers contract calls with the token', async () => {
    const res = await invoke('workspace.list', {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, result: { workspaces: [] } });
  });

  it('refuses calls without the token or with a wrong one', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer nope' }, { 'x-intelligence-desk-token': 'secret-tokex' }];
    for (const headers of attempts) {
      const res = await invoke('workspace.list', {}, headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
  });

  it('refuses another origin, even with the token', async () => {
    const res = await invoke('workspace.create', { name: 'x' }, { authorization: 'Bearer secret-token', origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect((await t.core.call('workspace.list', {})).workspaces).toEqual([]);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((ok) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/api/invoke', method: 'POST', headers: { host: 'evil.example', authorization: 'Bearer secret-token' } }, (res) => ok(res.statusCode ?? 0));
      req.end('{"route":"workspace.list","input":{}}');
    });
    expect(status).toBe(403);
  });

  it('maps typed errors to HTTP statuses', async () => {
    const bad = await invoke('workspace.create', { name: '' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: unknown }).error).toMatchObject({ code: 'validation' });
    const missing = await invoke('data.stats', { workspace: 'ghost' });
    expect(missing.status).toBe(404);
    const notJson = await fetch(`${host.url}api/invoke`, { method: 'POST', headers: { authorization: 'Bearer secret-token' }, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('streams events over a WebSocket after the token, and refuses other origins', async () => {
    const wsUrl = `${host.url.replace('http', 'ws')}api/events`;
    const ws = new WebSocket(wsUrl, { origin: host.url.slice(0, -1) });
    const messages: { event: string; payload?: unknown }[] = [];
    await new Promise<void>((ok) => ws.on('open', () => ok()));
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    ws.send(JSON.stringify({ token: 'secret-token' }));
    await expect.poll(() => messages.some((m) => m.event === 'ready')).toBe(true);
    await invoke('workspace.create', { name: 'ws-events' });
    await expect.poll(() => messages.find((m) => m.event === 'workspace.changed')?.payload).toEqual({ workspace: 'ws-events', reason: 'created' });
    ws.close();

    const evil = new WebSocket(wsUrl, { origin: 'http://evil.example' });
    const failed = await new Promise<boolean>((ok) => {
      evil.on('error', () => ok(true));
      evil.on('open', () => ok(false));
    });
    expect(failed).toBe(true);

    const noToken = new WebSocket(wsUrl);
    await new Promise<void>((ok) => noToken.on('open', () => ok()));
    noToken.send(JSON.stringify({ token: 'wrong' }));
    const code = await new Promise<number>((ok) => noToken.on('close', (c) => ok(c)));
    expect(code).toBe(4001);
  });
});
