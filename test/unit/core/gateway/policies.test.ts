import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CompiledPolicies, policyDocument } from '../../../../src/main/core/gateway/policyConfig';
import { findResource } from '../../../../src/main/core/gateway/resources';
import { parseYaml } from '../../../../src/main/core/gateway/yamlDoc';
import { KNOWN_USE_CASES, PERSONA_KEYS } from '../../../../src/shared/contract';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { startFakeOpenAI, type FakeOpenAI } from '../../../fixtures/fakeOpenAI';
import { ask, meta, rejection, testPolicy } from '../../../fixtures/gateway';

describe('the default policy document', () => {
  const text = readFileSync(findResource('policies.default.yaml'), 'utf8');
  const parsed = parseYaml(text, policyDocument);

  it('is found in resources/ and parses', () => {
    expect(parsed.ok).toBe(true);
  });

  it('covers every use case the app calls, with personas deterministic and cached', () => {
    if (!parsed.ok) throw new Error('unparsed');
    const c = new CompiledPolicies(parsed.parsed.value, 0);
    for (const k of PERSONA_KEYS) {
      const p = c.resolve(`persona.${k}`);
      expect(p).toMatchObject({ temperature: 0, maxTokens: 2048, timeoutMs: 90_000, retries: 2 });
      expect(p.from).toEqual(['default', 'persona.*', `persona.${k}`]);
      expect(p.cache.ttlSeconds).toBe(3600);
    }
    for (const u of KNOWN_USE_CASES) expect(c.resolve(u.key).fallback.length).toBeGreaterThan(0);
    expect(c.resolve('copilot.chat')).toMatchObject({ temperature: 0.3, cache: { ttlSeconds: 0 } });
    expect(c.resolve('some.new_thing').from).toEqual(['default']);
    expect(c.budgets).toEqual({ perRequest: { usd: 0.5, tokens: undefined }, perUserDaily: { usd: 10, tokens: undefined }, workspaceDaily: { usd: 25, tokens: undefined } });
  });
});

describe('policies per workspace', () => {
  let t: TestCore;
  let fake: FakeOpenAI;
  const set = (yaml: string) => t.core.call('policies.set', { workspace: 'w', yaml });
  const lastModel = (): unknown => fake.requests.at(-1)?.body.model;

  beforeAll(async () => {
    t = makeTestCore();
    fake = await startFakeOpenAI();
    await t.core.call('workspace.create', { name: 'w' });
    await t.core.call('providers.add', { name: 'a', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', role: 'primary' });
    await t.core.call('providers.add', { name: 'b', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat-large', role: 'secondary' });
  });
  afterAll(async () => {
    await t.cleanup();
    await fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    await t.core.call('policies.reset', { workspace: 'w' });
  });

  it('starts from the default document', async () => {
    const s = await t.core.call('policies.get', { workspace: 'w' });
    expect(s.source).toBe('default');
    expect(s.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const copilot = s.policies.find((p) => p.useCase === 'copilot.chat')!;
    expect(copilot.chain).toEqual([
      { endpoint: 'a', kind: 'openai-compatible', model: 'fake-chat', breaker: 'closed' },
      { endpoint: 'b', kind: 'openai-compatible', model: 'fake-chat-large', breaker: 'closed' },
    ]);
    expect(s.policies.find((p) => p.useCase === 'persona.vendor_analyst')).toMatchObject({ temperature: 0, label: 'Persona analysis: vendor analyst' });
  });

  it('a syntax error is refused with its line, and the old policy stays in force', async () => {
    await set(testPolicy({ extra: '    model: fake-chat-large' }));
    const before = await t.core.call('policies.get', { workspace: 'w' });
    const broken = 'version: 1\nuse_cases:\n  default:\n    model: fake-chat\n    fallback: [a, b\n    retries: 1\n';
    const e = await rejection(set(broken));
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/^The policy document was not saved: line \d+/);
    expect(e.message).toMatch(/The previous version stays in force\.$/);
    const issues = e.details?.issues as { line: number }[];
    expect(issues[0]!.line).toBeGreaterThanOrEqual(5);
    const after = await t.core.call('policies.get', { workspace: 'w' });
    expect(after.rev).toBe(before.rev);
    await t.core.services.gateway.chat(meta(), ask('x'));
    expect(lastModel()).toBe('fake-chat-large');
  });

  it('syntax errors are told in plain words, not the YAML parser’s own', async () => {
    const cases: [string, RegExp][] = [
      ['version: 1\nuse_cases:\n  default:\n    model: a: b\n', /put the value in quotes/],
      ['version: 1\nuse_cases:\n  default:\n    model: x\n   retries: 2\n', /indentation is off/],
      ['version: 1\nuse_cases\n  default: {}\n', /missing ":"/],
      ['version: 1\nuse_cases:\n\tdefault: {}\n', /tab is used to indent/],
    ];
    for (const [yaml, words] of cases) {
      const res = await t.core.call('policies.validate', { workspace: 'w', yaml });
      expect(res.ok).toBe(false);
      expect(res.issues[0]!.message).toMatch(words);
      expect(res.issues[0]!.message).not.toMatch(/compact mappings|Implicit keys|must start at the same column|Tabs are not allowed/);
      expect(res.issues[0]!.line).not.toBeNull();
    }
  });

  it('schema problems point at the offending key', async () => {
    const yaml = ['version: 1', 'use_cases:', '  default:', '    temperature: 0.2', '  copilot.chat:', '    tempreature: 0.5', '  coaching:', '    temperature: 7', '    retries: -1'].join('\n');
    const res = await t.core.call('policies.validate', { workspace: 'w', yaml });
    expect(res.ok).toBe(false);
    expect(res.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 6, path: 'use_cases.copilot.chat.tempreature', severity: 'error' }),
        expect.objectContaining({ line: 8, path: 'use_cases.coaching.temperature', message: 'must be between 0 and 2' }),
        expect.objectContaining({ line: 9, path: 'use_cases.coaching.retries' }),
      ]),
    );
    const noVersion = await t.core.call('policies.validate', { workspace: 'w', yaml: 'use_cases: {}\n' });
    expect(noVersion.issues[0]).toMatchObject({ path: 'version', severity: 'error' });
  });

  it('unknown endpoints and models are errors with their line; roles nobody holds are warnings', async () => {
    const yaml = [
      'version: 1',
      'use_cases:',
      '  default:',
      "    fallback: ['@primary', ollama-laptop]",
      '  copilot.chat:',
      '    model: gpt-4o-mnii',
      '  coaching:',
      '    model: gpt-4o-mini',
      '    fallback:',
      '      - { endpoint: b, model: fake-chat-large }',
      "      - '@tertiary'",
      '  embeddings:',
      '    model: fake-embed',
    ].join('\n');
    const res = await t.core.call('policies.validate', { workspace: 'w', yaml });
    const errors = res.issues.filter((i) => i.severity === 'error');
    expect(errors).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringMatching(/^unknown endpoint "ollama-laptop" \(endpoints: a, b\)$/) }),
      expect.objectContaining({ line: 6, message: expect.stringMatching(/^unknown model "gpt-4o-mnii"/) }),
      expect.objectContaining({ line: 13, message: expect.stringMatching(/^unknown model "fake-embed"/) }),
    ]);
    expect(res.issues.find((i) => i.severity === 'warning' && i.line === 11)?.message).toMatch(/no endpoint has the role tertiary/);
    // A model becomes known once a test of the provider lists it.
    await t.core.call('providers.test', { name: 'a' });
    const again = await t.core.call('policies.validate', { workspace: 'w', yaml: yaml.replace(", ollama-laptop]", ']').replace('gpt-4o-mnii', 'gpt-4o-mini') });
    expect(again).toMatchObject({ ok: true });
  });

  it('a saved edit applies to the next call (hot reload), including per-entry models in the chain', async () => {
    await set(testPolicy({ fallback: ['a'] }));
    await t.core.services.gateway.chat(meta(), ask('x'));
    expect(lastModel()).toBe('fake-chat');
    await set(testPolicy({ fallback: ['a'], extra: '    model: fake-chat-large' }));
    await t.core.services.gateway.chat(meta(), ask('x'));
    expect(lastModel()).toBe('fake-chat-large');
    const yaml = 'version: 1\nuse_cases:\n  default:\n    fallback:\n      - { endpoint: a, model: fake-chat-large }\n      - b\n';
    await set(yaml);
    fake.enqueue('chat', { status: 400 });
    const r = await t.core.services.gateway.chat(meta(), ask('x'));
    expect(fake.requests.map((q) => q.body.model)).toEqual(['fake-chat', 'fake-chat-large', 'fake-chat-large', 'fake-chat-large']);
    expect(r).toMatchObject({ endpoint: 'b', model: 'fake-chat-large' });
  });

  it('an edit written by another process is picked up on the next call', async () => {
    await set(testPolicy({ fallback: ['a'] }));
    const file = t.core.services.workspaces.fileOf(t.core.services.workspaces.resolve('w'));
    const other = new Database(file);
    try {
      other.prepare('UPDATE gateway_policy SET yaml = ?, rev = rev + 1 WHERE id = 1').run(testPolicy({ fallback: ['a'], extra: '    model: fake-chat-large' }));
    } finally {
      other.close();
    }
    await t.core.services.gateway.chat(meta(), ask('x'));
    expect(lastModel()).toBe('fake-chat-large');
  });

  it('inheritance: default ← wildcard ← exact; budgets are not inherited from default', async () => {
    await set(
      [
        'version: 1',
        'use_cases:',
        '  default: { temperature: 0.5, max_tokens: 100, budget: { daily: { usd: 1 } } }',
        '  persona.*: { temperature: 0 }',
        '  persona.ticket_analyst: { max_tokens: 300 }',
      ].join('\n'),
    );
    const s = await t.core.call('policies.get', { workspace: 'w' });
    const pick = (k: string) => s.policies.find((p) => p.useCase === k)!;
    expect(pick('persona.ticket_analyst')).toMatchObject({ temperature: 0, maxTokens: 300, from: ['default', 'persona.*', 'persona.ticket_analyst'], budget: { daily: null } });
    expect(pick('persona.vendor_analyst')).toMatchObject({ temperature: 0, maxTokens: 100 });
    expect(pick('coaching')).toMatchObject({ temperature: 0.5, budget: { daily: { usd: 1 } } });
    const one = await t.core.call('policies.get', { workspace: 'w', useCase: 'persona.inbox_analyst' });
    expect(one.policies).toHaveLength(1);
  });

  it('an explicit model in the request overrides the policy for that call', async () => {
    await set(testPolicy({ fallback: ['a'] }));
    await t.core.services.gateway.chat(meta(), { ...ask('x'), model: 'fake-chat-large' });
    expect(lastModel()).toBe('fake-chat-large');
  });

  it('stream: false in the policy delivers a streamed call in one piece', async () => {
    await set(testPolicy({ fallback: ['a'], extra: '    stream: false' }));
    const events = [];
    for await (const ev of t.core.services.gateway.streamChat(meta(), ask('whole'))) events.push(ev.type);
    expect(events).toEqual(['delta', 'done', 'meta']);
    expect(fake.requests.at(-1)!.body.stream).toBeFalsy();
  });

  it('only admins change policies', async () => {
    const member = await t.core.call('profiles.create', { name: 'Policy Member', role: 'member' });
    expect((await rejection(t.core.invoke('policies.set', { workspace: 'w', yaml: testPolicy() }, { profileId: member.id }))).code).toBe('forbidden');
    await expect(t.core.invoke('policies.validate', { workspace: 'w', yaml: testPolicy() }, { profileId: member.id })).resolves.toMatchObject({ ok: true });
  });
});
