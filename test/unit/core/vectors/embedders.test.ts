import { describe, expect, it } from 'vitest';
import type { EmbedRequest, ProviderAdapter } from '../../../../src/main/core/gateway/types';
import { LexicalEmbedder } from '../../../../src/main/core/vectors/embedders/lexical';
import { LocalEmbedder } from '../../../../src/main/core/vectors/embedders/local';
import { ProviderEmbedder } from '../../../../src/main/core/vectors/embedders/provider';
import { createEmbedder, embedderFor, parseEmbedderSpec } from '../../../../src/main/core/vectors/embedders/resolve';
import { stubGateway } from '../../../fixtures/stubGateway';
import { ticketChunkText } from '../../../fixtures/textCorpus';

const cos = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: Float32Array): number => Math.sqrt(cos(a, a));

describe('built-in lexical embedder', () => {
  const e = new LexicalEmbedder();

  it('is deterministic, unit length, 384-dimensional, and labelled as lexical', async () => {
    const [a, b] = await e.embed(['Customer cannot log in to the billing portal', 'Customer cannot log in to the billing portal']);
    expect(a!.length).toBe(384);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(norm(a!)).toBeCloseTo(1, 5);
    expect(e.lexical).toBe(true);
    expect(e.label).toMatch(/lexical/i);
    expect(e.id).toBe('builtin:lexical-v1');
    // A second instance (another process, another machine) gives the same bits.
    expect(Array.from(new LexicalEmbedder().embedOne('Customer cannot log in to the billing portal'))).toEqual(Array.from(a!));
  });

  it('puts texts sharing words and word forms closer than unrelated texts', () => {
    const q = e.embedOne('cannot login to the portal');
    const near = e.embedOne('Portal logins fail for all users');
    const far = e.embedOne('Quarterly marketing budget for the spring webinar');
    expect(cos(q, near)).toBeGreaterThan(cos(q, far) + 0.2);
    // Character n-grams: a code differing in one digit stays close, a different code family does not.
    expect(cos(e.embedOne('TCK-000123'), e.embedOne('TCK-000124'))).toBeGreaterThan(cos(e.embedOne('TCK-000123'), e.embedOne('PO-2026-0009')));
  });

  it('gives a zero vector only for text without any word', () => {
    expect(norm(e.embedOne('  ... !!! ---'))).toBe(0);
    expect(norm(e.embedOne('a'))).toBeCloseTo(1, 5);
  });

  it('honours other dimensions and rejects silly ones', () => {
    expect(new LexicalEmbedder(128).embedOne('hello world').length).toBe(128);
    expect(() => new LexicalEmbedder(8)).toThrow(/32–4096/);
  });

  it('handles a long document without slowing to a crawl (open-addressing table grows)', () => {
    const long = Array.from({ length: 300 }, (_, i) => ticketChunkText(i + 1)).join('\n');
    const v = e.embedOne(long);
    expect(norm(v)).toBeCloseTo(1, 5);
    // After a big text the table is reset correctly: a short text gives the same vector as on a fresh instance.
    expect(Array.from(e.embedOne('refund request'))).toEqual(Array.from(new LexicalEmbedder().embedOne('refund request')));
  });
});

describe('embedder specs', () => {
  it('parses builtin, provider and local specs and rejects the rest with a usable message', () => {
    expect(parseEmbedderSpec(undefined)).toEqual({ kind: 'builtin', model: null, dimensions: 384 });
    expect(parseEmbedderSpec('builtin:512')).toEqual({ kind: 'builtin', model: null, dimensions: 512 });
    expect(parseEmbedderSpec('provider')).toEqual({ kind: 'provider', model: null, dimensions: null });
    expect(parseEmbedderSpec('provider:text-embedding-3-small')).toMatchObject({ kind: 'provider', model: 'text-embedding-3-small' });
    expect(parseEmbedderSpec('local:nomic-embed')).toMatchObject({ kind: 'local', model: 'nomic-embed' });
    expect(() => parseEmbedderSpec('local')).toThrow(/local:MODEL/);
    expect(() => parseEmbedderSpec('openai')).toThrow(/builtin, provider/);
    expect(() => parseEmbedderSpec('builtin:100')).toThrow(/divisible by 8/);
  });

  it('without a gateway, provider embeddings are unavailable with a pointer to the configuration', async () => {
    await expect(createEmbedder({ kind: 'provider', model: null, dimensions: null }, {}, { workspace: 'w', profileId: null })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/Providers/) });
  });
});

describe('provider embedder (through the Gateway interface)', () => {
  it('probes the model and dimensions, batches, normalises, and tags calls with the embeddings use case', async () => {
    const g = stubGateway({ dimensions: 256, model: 'stub-embed-1' });
    const e = await createEmbedder(parseEmbedderSpec('provider'), { gateway: () => g }, { workspace: 'acme', profileId: 'p1' });
    expect(e).toBeInstanceOf(ProviderEmbedder);
    expect(e.id).toBe('provider:stub-embed-1');
    expect(e.dimensions).toBe(256);
    expect(e.lexical).toBe(false);
    const texts = Array.from({ length: 150 }, (_, i) => `text number ${i}`);
    const vectors = await e.embed(texts);
    expect(vectors).toHaveLength(150);
    for (const v of vectors) expect(norm(v)).toBeCloseTo(1, 5);
    // 1 probe + ceil(150 / 64) batches, each pinned to the probed model, each with the embeddings use case.
    expect(g.calls.map((c) => c.input.length)).toEqual([1, 64, 64, 22]);
    expect(g.calls.slice(1).every((c) => c.model === 'stub-embed-1' && c.meta.useCase === 'embeddings' && c.meta.workspace === 'acme' && c.meta.profileId === 'p1')).toBe(true);
  });

  it('reports a provider that changed dimensions or dropped vectors as a provider error', async () => {
    const g = stubGateway({ dimensions: 256 });
    const e = embedderFor({ embedder_kind: 'provider', model: 'm', dimensions: 512 }, { gateway: () => g }, { workspace: 'w', profileId: null });
    await expect(e.embed(['x'])).rejects.toMatchObject({ code: 'provider_error', message: expect.stringMatching(/256 dimensions.*512/) });
    const broken = { ...g, embed: async (...args: Parameters<typeof g.embed>) => ({ ...(await g.embed(...args)), vectors: [] }) };
    const e2 = new ProviderEmbedder(broken, { workspace: 'w', useCase: 'embeddings', profileId: null }, 'm', 256);
    await expect(e2.embed(['a', 'b'])).rejects.toMatchObject({ code: 'provider_error', message: expect.stringMatching(/0 vectors for 2 texts/) });
  });
});

describe('local (in-process) embedder', () => {
  const adapter = (dims: number, seen: EmbedRequest[]): ProviderAdapter => ({
    kind: 'local',
    capabilities: { streaming: true, structuredOutput: 'prompt', tools: false, embeddings: true, transcription: false },
    chat: () => Promise.reject(new Error('no chat')),
    streamChat: () => {
      throw new Error('no chat');
    },
    listModels: () => Promise.resolve([]),
    countTokens: () => 0,
    embed: (req) => {
      seen.push(req);
      return Promise.resolve({ vectors: req.input.map((t) => new LexicalEmbedder(dims).embedOne(t).map((x) => x * 2)), dimensions: dims, model: req.model, usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0 } });
    },
  });

  it('wraps ProviderAdapter.embed of the local provider: probes, batches by 16, normalises', async () => {
    const seen: EmbedRequest[] = [];
    const e = await createEmbedder(parseEmbedderSpec('local:bge-small'), { localAdapter: () => adapter(128, seen) }, { workspace: 'w', profileId: null });
    expect(e).toBeInstanceOf(LocalEmbedder);
    expect(e.id).toBe('local:bge-small');
    expect(e.dimensions).toBe(128);
    const out = await e.embed(Array.from({ length: 20 }, (_, i) => `t${i}`));
    expect(out.map(norm).every((n) => Math.abs(n - 1) < 1e-5)).toBe(true);
    expect(seen.map((r) => [r.model, r.input.length])).toEqual([
      ['bge-small', 1],
      ['bge-small', 16],
      ['bge-small', 4],
    ]);
  });

  it('refuses a non-local adapter', () => {
    expect(() => new LocalEmbedder({ ...adapter(8, []), kind: 'openai' }, 'm', 8)).toThrow(/local provider/);
  });
});
