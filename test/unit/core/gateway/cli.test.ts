import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../fixtures/core';
import { startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';
import { testPolicy } from '../../../fixtures/gateway';
import { runCliIn } from '../../../fixtures/cli';

const KEY = 'sk-cli-secret-0123456789abcdef';

const cli = runCliIn;

describe('CLI: provider, policy, ask, usage', () => {
  let dir: string;
  let fake: FakeOpenAI;
  beforeAll(async () => {
    dir = tempDir();
    fake = await startFakeOpenAI();
    process.env.ID_TEST_KEY = KEY;
    expect((await cli(dir, 'workspace', 'create', 'w')).code).toBe(0);
  });
  afterAll(async () => {
    delete process.env.ID_TEST_KEY;
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('provider add / list / test, keys masked everywhere', async () => {
    const add = await cli(dir, 'provider', 'add', '--name', 'fake', '--kind', 'openai-compatible', '--base-url', fake.url, '--model', 'fake-chat', '--api-key-env', 'ID_TEST_KEY', '--header', 'X-Team: ops');
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/Added provider fake \(openai-compatible, primary\)/);
    expect(add.out).toMatch(/API key: {3}sk-…cdef/);
    const list = await cli(dir, '--json', 'provider', 'list');
    const parsed = JSON.parse(list.out) as { providers: { name: string; apiKeyMasked: string; headersMasked: Record<string, string> }[] };
    expect(parsed.providers).toEqual([expect.objectContaining({ name: 'fake', apiKeyMasked: 'sk-…cdef', headersMasked: { 'X-Team': '••••' } })]);
    const test = await cli(dir, 'provider', 'test', 'fake');
    expect(test.code).toBe(0);
    expect(test.out).toMatch(/^fake: OK in \d+ ms \(4 models\)/);
    for (const r of [add, list, test]) expect(r.out + r.err).not.toContain(KEY);
  });

  it('bad input exits non-zero with one line and changes nothing', async () => {
    const bad = await cli(dir, 'provider', 'add', '--name', 'x', '--kind', 'nope');
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/--kind must be one of openai, openai-compatible, azure, anthropic, gemini, local/);
    const missing = await cli(dir, 'provider', 'test', 'ghost');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/There is no provider named "ghost". Providers: fake\./);
  });

  it('policy set refuses a broken file with its line; policy show prints effective policies', async () => {
    const badFile = join(dir, 'bad.yaml');
    writeFileSync(badFile, 'version: 1\nuse_cases:\n  default:\n    retries: many\n');
    const bad = await cli(dir, 'policy', 'set', badFile, '--workspace', 'w');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/line 4 \(use_cases\.default\.retries\)/);
    const good = join(dir, 'good.yaml');
    writeFileSync(good, testPolicy({ fallback: ['fake'] }));
    expect((await cli(dir, 'policy', 'set', good, '--workspace', 'w')).out).toMatch(/Saved policies of w \(revision 1\)/);
    const show = await cli(dir, 'policy', 'show', 'copilot.chat');
    expect(show.out).toMatch(/copilot\.chat — Copilot chat/);
    expect(show.out).toMatch(/chain: {7}fake \(fake-chat\)/);
    const yaml = await cli(dir, 'policy', 'show', '--yaml', '--workspace', 'w');
    expect(yaml.out).toBe(`${testPolicy({ fallback: ['fake'] })}\n`);
  });

  it('ask streams to the terminal; with --json it prints the answer object', async () => {
    fake.enqueue('chat', { text: 'Streaming, piece by piece.', chunkSize: 4 });
    const streamed = await cli(dir, 'ask', '--use-case', 'copilot.chat', 'hello there');
    expect(streamed.code).toBe(0);
    expect(streamed.out).toBe('Streaming, piece by piece.\n');
    expect(streamed.err).toMatch(/— fake \(openai-compatible\/fake-chat\) · \d+ in \/ \d+ out · \$0\.00 · \d+ ms/);
    const json = await cli(dir, '--json', 'ask', '--use-case', 'copilot.chat', 'hello json');
    const answer = JSON.parse(json.out) as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(['costUsd', 'endpoint', 'fallbackUsed', 'latencyMs', 'model', 'provider', 'text', 'tokensIn', 'tokensOut'].sort());
    expect(answer).toMatchObject({ text: 'ok: hello json', provider: 'openai-compatible', model: 'fake-chat', endpoint: 'fake', fallbackUsed: false });
    fake.enqueue('chat', { status: 500 });
    const failed = await cli(dir, 'ask', '--use-case', 'copilot.chat', 'fail please');
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/fake answered 500.*\[provider_error\]/);
  });

  it('usage summary, budget show, prices show', async () => {
    const s = await cli(dir, '--json', 'usage', 'summary', '--range', '1d', '--workspace', 'w');
    const summary = JSON.parse(s.out) as { totals: { calls: number; ok: number; errors: number } };
    expect(summary.totals).toMatchObject({ calls: 3, ok: 2, errors: 1 });
    const human = await cli(dir, 'usage', 'summary', '--range', '7d');
    expect(human.out).toMatch(/3 calls \(2 ok, 0 cached, 1 failed, 0 cancelled, 0 refused, 0 by fallback\)/);
    expect(human.out).toMatch(/Unpriced models \(recorded at \$0\): fake-chat/);
    expect((await cli(dir, 'usage', 'summary', '--range', '2d')).code).toBe(2);
    const b = await cli(dir, 'budget', 'set', '--workspace-daily-usd', '3', '--use-case', 'coaching', '--daily-usd', '1');
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/workspace \/ day\s+\$3\.00\s+\$0\.00\s+\d+\s+\$3\.00/);
    expect(b.out).toMatch(/coaching \/ day\s+\$1\.00/);
    const p = await cli(dir, 'prices', 'show');
    expect(p.out).toMatch(/gpt-4o-mini\*\s+0\.15\s+0\.075\s+0\.6/);
  });

  it('provider remove', async () => {
    expect((await cli(dir, 'provider', 'remove', 'fake')).out).toBe('Removed provider fake.\n');
    expect((await cli(dir, 'provider', 'list')).out).toMatch(/^No providers yet/);
  });
});
