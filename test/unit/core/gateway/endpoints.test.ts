import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src/main/core/logger';
import { keyFileCipher } from '../../../../src/main/core/secrets/keyFile';
import type { ProviderAdapter } from '../../../../src/main/core/gateway/types';
import { makeTestCore, tempDir, type TestCore } from '../../../fixtures/core';
import { startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';
import { ask, meta, rejection, testPolicy, usageRows } from '../../../fixtures/gateway';

const KEY = 'sk-proj-LIVEKEY-7a6b5c4d3e2f1g0h';
const HEADER_SECRET = 'hdr-secret-value-123456789';

describe('provider endpoints', () => {
  let t: TestCore;
  let fake: FakeOpenAI;
  beforeAll(async () => {
    t = makeTestCore();
    fake = await startFakeOpenAI();
    await t.core.call('workspace.create', { name: 'w' });
  });
  afterAll(async () => {
    await t.cleanup();
    await fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    for (const p of (await t.core.call('providers.list', {})).providers) await t.core.call('providers.remove', { name: p.name });
  });

  it('the first endpoint becomes primary; primary, secondary and tertiary are held by one endpoint each', async () => {
    const first = await t.core.call('providers.add', { name: 'one', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat' });
    expect(first.role).toBe('primary');
    const second = await t.core.call('providers.add', { name: 'two', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat' });
    expect(second.role).toBe('standby');
    await t.core.call('providers.add', { name: 'three', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', role: 'primary' });
    const roles = Object.fromEntries((await t.core.call('providers.list', {})).providers.map((p) => [p.name, p.role]));
    expect(roles).toEqual({ one: 'standby', two: 'standby', three: 'primary' });
    const { providers } = await t.core.call('providers.setRole', { name: 'one', role: 'secondary' });
    expect(providers.find((p) => p.name === 'one')?.role).toBe('secondary');
  });

  it('each kind says what it is missing', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'x', kind: 'openai' }, /OpenAI endpoint needs an API key/],
      [{ name: 'x', kind: 'openai-compatible' }, /needs a base URL/],
      [{ name: 'x', kind: 'azure', apiKey: 'k'.repeat(20) }, /Azure OpenAI endpoint needs the resource URL/],
      [{ name: 'x', kind: 'anthropic' }, /Anthropic endpoint needs an API key/],
      [{ name: 'x', kind: 'local' }, /local endpoint needs a GGUF model file/],
    ];
    for (const [input, message] of cases) {
      const e = await rejection(t.core.invoke('providers.add', input));
      expect(e.code).toBe('validation');
      expect(e.message).toMatch(message);
    }
    const bad = await rejection(t.core.invoke('providers.add', { name: 'x', kind: 'openai-compatible', baseUrl: 'ftp://nope' }));
    expect(bad.message).toMatch(/baseUrl: Use an http/);
    await t.core.call('providers.add', { name: 'Dup', kind: 'openai-compatible', baseUrl: fake.url });
    expect((await rejection(t.core.invoke('providers.add', { name: 'dup', kind: 'openai-compatible', baseUrl: fake.url }))).code).toBe('conflict');
  });

  it('shows keys and header values only masked, and keeps a header whose masked value is sent back', async () => {
    const p = await t.core.call('providers.add', { name: 'gw', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', apiKey: KEY, headers: { 'X-Api-Key': HEADER_SECRET, 'X-Team': 'ops' } });
    expect(p.apiKeyMasked).toBe('sk-…1g0h');
    expect(p.headersMasked).toEqual({ 'X-Api-Key': '…6789', 'X-Team': '••••' });
    expect(JSON.stringify(p)).not.toContain(KEY);
    expect(JSON.stringify(p)).not.toContain(HEADER_SECRET);
    // The hub sends the form back with the masked values untouched and one header changed.
    await t.core.call('providers.update', { name: 'gw', headers: { ...p.headersMasked, 'X-Team': 'support' } });
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['gw'] }) });
    await t.core.services.gateway.chat(meta(), ask('x'));
    expect(fake.requests[0]!.headers['x-api-key']).toBe(HEADER_SECRET);
    expect(fake.requests[0]!.headers['x-team']).toBe('support');
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    const cleared = await t.core.call('providers.update', { name: 'gw', apiKey: null, rename: 'gw2' });
    expect(cleared).toMatchObject({ name: 'gw2', apiKeyMasked: null });
  });

  it('a local endpoint with a missing model file fails clearly; with a provider plugged in it serves calls', async () => {
    await t.core.call('providers.add', { name: 'offline', kind: 'local', modelPath: '/models/tiny.gguf', model: 'tiny' });
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['offline'] }) });
    const e = await rejection(t.core.services.gateway.chat(meta(), ask('x')));
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(/\/models\/tiny\.gguf does not exist/);
    expect((await usageRows(t.core))[0]).toMatchObject({ status: 'error', errorCode: 'not_found' });
    const seen: unknown[] = [];
    const local: ProviderAdapter = {
      kind: 'local',
      capabilities: { streaming: true, structuredOutput: 'native', tools: false, embeddings: false, transcription: false },
      chat: async (req) => {
        seen.push(req.model);
        return { text: 'offline answer', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 2, cachedTokens: 0 }, model: req.model };
      },
      streamChat: async function* () {},
      listModels: async () => [{ id: 'tiny', kind: 'chat' }],
      countTokens: () => 3,
    };
    let options: unknown = null;
    t.core.services.gateway.setLocalAdapterFactory((o) => {
      options = o;
      return local;
    });
    const r = await t.core.services.gateway.chat(meta(), ask('x'));
    expect(r).toMatchObject({ text: 'offline answer', providerKind: 'local', costUsd: 0 });
    expect(options).toEqual({ modelPath: '/models/tiny.gguf' });
    expect((await usageRows(t.core))[0]).toMatchObject({ status: 'ok', providerKind: 'local', priceKnown: true });
    t.core.services.gateway.setLocalAdapterFactory(null);
  });
});

describe('credentials at rest and in every output', () => {
  let t: TestCore;
  let fake: FakeOpenAI;
  let logFile: string;
  beforeAll(async () => {
    const dataDir = tempDir();
    logFile = join(dataDir, 'logs', 'test.log');
    t = makeTestCore({ dataDir, secrets: keyFileCipher(join(dataDir, 'secret.key')), logger: createLogger({ file: logFile, level: 'debug' }) });
    // The server wants another key, and its 401 echoes the one it got — as real services do.
    fake = await startFakeOpenAI({ apiKey: 'sk-the-server-wants-this-one' });
    await t.core.call('workspace.create', { name: 'w' });
    await t.core.call('providers.add', { name: 'leaky', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', apiKey: KEY, headers: { 'X-Api-Key': HEADER_SECRET } });
    await t.core.call('policies.set', { workspace: 'w', yaml: testPolicy({ fallback: ['leaky'], retries: 1 }) });
  });
  afterAll(async () => {
    await t.cleanup();
    await fake.close();
  });

  const leaks = (text: string): boolean => text.includes(KEY) || text.includes(HEADER_SECRET) || text.includes('7a6b5c4d3e2f');

  it('are encrypted in app.sqlite (key file cipher, 0600)', () => {
    const dbFiles = ['app.sqlite', 'app.sqlite-wal'].map((f) => join(t.dataDir, f)).filter((f) => existsSync(f));
    expect(dbFiles.length).toBeGreaterThan(0);
    for (const f of dbFiles) {
      const bytes = readFileSync(f).toString('latin1');
      expect(bytes.includes(KEY)).toBe(false);
      expect(bytes.includes(HEADER_SECRET)).toBe(false);
    }
    const row = t.core.services.appDb.prepare("SELECT api_key_enc, headers_enc FROM gateway_endpoints WHERE name = 'leaky'").get() as { api_key_enc: string; headers_enc: string };
    expect(row.api_key_enc).toMatch(/^kf1:/);
    expect(row.headers_enc).toMatch(/^kf1:/);
    if (process.platform !== 'win32') expect(readFileSync(join(t.dataDir, 'secret.key')).length).toBe(32);
  });

  it('never appear in errors, usage rows, test results or logs, even when the provider echoes them', async () => {
    const e = await rejection(t.core.invoke('gateway.ask', { workspace: 'w', useCase: 'copilot.chat', prompt: 'hello' }));
    expect(e.code).toBe('provider_error');
    expect(e.message).toMatch(/answered 401/);
    expect(leaks(e.message)).toBe(false);
    expect(leaks(JSON.stringify(e.toJSON()))).toBe(false);

    // A gateway that echoes request headers in its error body.
    fake.handle('models', (req) => ({ status: 500, message: `upstream rejected header ${String(req.headers['x-api-key'])} with key ${String(req.headers.authorization)}` }));
    const test = await t.core.call('providers.test', { name: 'leaky' });
    expect(test.ok).toBe(false);
    expect(leaks(JSON.stringify(test))).toBe(false);
    expect(test.error?.message).toMatch(/\[redacted\]/);

    const events: unknown[] = [];
    const off = t.core.events.subscribe((name, payload) => events.push({ name, payload }));
    const { streamId } = await t.core.call('gateway.streamStart', { workspace: 'w', useCase: 'copilot.chat', prompt: 'stream' });
    await new Promise<void>((resolve) => {
      const stop = t.core.events.on('gateway.stream', (ev) => {
        if (ev.streamId === streamId && ev.type !== 'delta') {
          stop();
          resolve();
        }
      });
    });
    off();
    expect(events.length).toBeGreaterThan(0);
    expect(leaks(JSON.stringify(events))).toBe(false);

    const rows = await usageRows(t.core);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.status === 'error')).toBe(true);
    expect(leaks(JSON.stringify(rows))).toBe(false);
    const raw = t.core.services.workspaces.open('w').prepare('SELECT * FROM gateway_usage').all();
    expect(leaks(JSON.stringify(raw))).toBe(false);

    const listed = await t.core.call('providers.list', {});
    expect(leaks(JSON.stringify(listed))).toBe(false);

    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    expect(log).toMatch(/model call failed/);
    expect(leaks(log)).toBe(false);
  });
});
