import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultCatalog } from '../../../../src/main/core/localModels/catalog';
import { checkGgufHeader, inspectGguf, kindFromMetadata } from '../../../../src/main/core/localModels/ggufInfo';
import { toGrammarSchema, validateAgainstSchema } from '../../../../src/main/core/localModels/jsonSchema';
import type { AppError } from '../../../../src/shared/errors';
import { tempDir } from '../../../fixtures/core';
import { encodeGguf, kv, writeTinyGguf } from '../../../fixtures/tinyGguf';

const dir = tempDir('idesk-gguf-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failure = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
};

describe('tiny GGUF writer', () => {
  it('writes the GGUF v3 layout: magic, version, counts, aligned tensor data', () => {
    const path = join(dir, 'layout.gguf');
    const info = writeTinyGguf(path, { seed: 1 });
    const b = readFileSync(path);
    expect(b.toString('latin1', 0, 4)).toBe('GGUF');
    expect(b.readUInt32LE(4)).toBe(3);
    expect(Number(b.readBigUInt64LE(8))).toBe(2 * 9 + 3); // tensors: 9 per layer + embeddings, norm, output
    expect(Number(b.readBigUInt64LE(16))).toBeGreaterThan(20); // metadata entries
    expect(b.length % 32).toBe(0);
    // specials, bytes, '▁', printable ASCII, merges
    expect(info).toMatchObject({ vocabSize: 3 + 256 + 1 + 94 + 16, embedding: 32, layers: 2, bytes: b.length });
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = join(dir, 'a.gguf');
    const b = join(dir, 'b.gguf');
    const c = join(dir, 'c.gguf');
    writeTinyGguf(a, { seed: 7 });
    writeTinyGguf(b, { seed: 7 });
    writeTinyGguf(c, { seed: 8 });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
  });

  it('refuses tensors whose data does not match their dimensions', () => {
    expect(() => encodeGguf({ 'general.architecture': kv.str('llama') }, [{ name: 't', dims: [4, 4], data: new Float32Array(15) }])).toThrow(/16 values/);
  });
});

describe('GGUF validation and metadata', () => {
  it('summarises a chat model and an embedding model from their headers', async () => {
    const chat = join(dir, 'chat.gguf');
    const emb = join(dir, 'emb.gguf');
    const c = writeTinyGguf(chat, { seed: 2, contextLength: 4096 });
    writeTinyGguf(emb, { seed: 2, variant: 'embedding' });
    expect(await inspectGguf(chat)).toEqual({
      version: 3,
      architecture: 'llama',
      name: 'tiny-llama',
      kind: 'chat',
      parameters: c.parameters,
      contextLength: 4096,
      embeddingLength: 32,
      fileType: 'F32',
      license: 'MIT',
      hasChatTemplate: false,
      sizeBytes: c.bytes,
    });
    expect((await inspectGguf(emb)).kind).toBe('embedding');
  });

  it('rejects files that are not GGUF, saying what they look like', async () => {
    const cases: [string, Buffer, RegExp][] = [
      ['page.gguf', Buffer.from('<!DOCTYPE html><html><head>'), /web page/],
      ['archive.gguf', Buffer.from('PK\u0003\u0004 zip zip zip zip'), /ZIP/],
      ['weights.safetensors', Buffer.concat([Buffer.alloc(8, 1), Buffer.from('{"__metadata__":{}}')]), /safetensors/],
      ['empty.gguf', Buffer.alloc(0), /empty/],
      ['random.bin', Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8]), /deadbeef/],
    ];
    for (const [name, bytes, why] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const err = await failure(checkGgufHeader(path));
      expect(err.code, name).toBe('validation');
      expect(err.message, name).toMatch(/is not a GGUF model file/);
      expect(err.message, name).toMatch(why);
      expect(err.details).toEqual({ reason: 'not_gguf' });
    }
  });

  it('rejects an unknown GGUF version and a truncated file', async () => {
    const v9 = join(dir, 'v9.gguf');
    const good = readFileSync(writeTinyGguf(join(dir, 'good.gguf')).path);
    const bumped = Buffer.from(good);
    bumped.writeUInt32LE(9, 4);
    writeFileSync(v9, bumped);
    expect(await failure(checkGgufHeader(v9))).toMatchObject({ code: 'validation', message: expect.stringMatching(/version 9/) });
    const cut = join(dir, 'cut.gguf');
    writeFileSync(cut, good.subarray(0, Math.floor(good.length * 0.8)));
    expect(await failure(inspectGguf(cut))).toMatchObject({ code: 'validation', details: { reason: 'gguf_damaged' } });
    const headerOnly = join(dir, 'header-only.gguf');
    writeFileSync(headerOnly, good.subarray(0, 300));
    expect(await failure(inspectGguf(headerOnly))).toMatchObject({ code: 'validation', details: { reason: 'gguf_damaged' } });
  });

  it('tells embedding models from chat models by architecture, pooling and attention', () => {
    expect(kindFromMetadata('bert', {})).toBe('embedding');
    expect(kindFromMetadata('nomic-bert', {})).toBe('embedding');
    expect(kindFromMetadata('qwen2', { pooling_type: 1 })).toBe('embedding');
    expect(kindFromMetadata('llama', { causal_attention: false })).toBe('embedding');
    expect(kindFromMetadata('llama', { pooling_type: 0 })).toBe('chat');
    expect(kindFromMetadata('qwen2', {})).toBe('chat');
  });
});

describe('JSON Schema → grammar schema', () => {
  it('maps types, nullability, unions, refs and small integer ranges', () => {
    const out = toGrammarSchema({
      type: 'object',
      properties: {
        score: { type: 'integer', minimum: 1, maximum: 5 },
        big: { type: 'integer', minimum: 0, maximum: 10_000 },
        even: { type: 'integer', minimum: 0, maximum: 10, multipleOf: 2 },
        confidence: { type: 'number', minimum: 0, maximum: 1 },
        owner: { type: ['string', 'null'] },
        when: { type: 'string', format: 'date-time' },
        note: { type: 'string', nullable: true, maxLength: 5 },
        kind: { anyOf: [{ const: 'a' }, { $ref: '#/definitions/K' }] },
        list: { type: 'array', items: { type: 'boolean' }, maxItems: 2 },
        free: { type: 'object' },
      },
      required: ['score'],
      definitions: { K: { enum: ['x', 'y'] } },
    });
    expect(out).toEqual({
      type: 'object',
      properties: {
        score: { enum: [1, 2, 3, 4, 5] },
        big: { type: 'integer' },
        even: { enum: [0, 2, 4, 6, 8, 10] },
        confidence: { type: 'number' },
        owner: { oneOf: [{ type: 'string' }, { type: 'null' }] },
        when: { type: 'string', format: 'date-time' },
        note: { oneOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }] },
        kind: { oneOf: [{ const: 'a' }, { $ref: '#/$defs/K' }] },
        list: { type: 'array', items: { type: 'boolean' }, maxItems: 2 },
        free: { type: 'object', additionalProperties: true },
      },
      additionalProperties: false,
      $defs: { K: { enum: ['x', 'y'] } },
    });
  });

  it('merges allOf and rejects references it cannot follow', () => {
    expect(toGrammarSchema({ allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { properties: { b: { type: 'boolean' } } }] })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'boolean' } },
      additionalProperties: false,
    });
    expect(() => toGrammarSchema({ $ref: 'https://example.com/schema.json' })).toThrow(/local references/);
  });

  it('a zod-generated persona schema converts and validates', () => {
    const persona = z.object({ confidence: z.number().min(0).max(1), label: z.string(), factors: z.array(z.object({ text: z.string(), weight: z.number() })).max(3), note: z.string().nullable() });
    const schema = z.toJSONSchema(persona) as Record<string, unknown>;
    expect(() => toGrammarSchema(schema)).not.toThrow();
    expect(validateAgainstSchema('{"confidence":0.7,"label":"ok","factors":[],"note":null}', schema)).toMatchObject({ ok: true });
    // What the grammar cannot enforce is caught afterwards.
    expect(validateAgainstSchema('{"confidence":1.7,"label":"ok","factors":[],"note":null}', schema)).toMatchObject({ ok: false, problem: expect.stringMatching(/^confidence/) });
    expect(validateAgainstSchema('{"confidence":', schema)).toMatchObject({ ok: false, problem: expect.stringMatching(/not valid JSON/) });
  });

  it('counts string length in code points, as JSON Schema does', () => {
    const schema = { type: 'object', properties: { s: { type: 'string', maxLength: 2 } } };
    expect(validateAgainstSchema(JSON.stringify({ s: '😀😀' }), schema)).toMatchObject({ ok: true });
    expect(validateAgainstSchema(JSON.stringify({ s: '😀😀😀' }), schema)).toMatchObject({ ok: false });
  });
});

describe('curated catalog (resources/models.json)', () => {
  it('is valid, with unique ids, https links to .gguf (or whisper.cpp .bin) files, and every purpose covered', () => {
    const catalog = defaultCatalog();
    expect(catalog.length).toBeGreaterThanOrEqual(4);
    expect(new Set(catalog.map((c) => c.id)).size).toBe(catalog.length);
    for (const c of catalog) {
      expect(c.url, c.id).toMatch(c.purpose === 'transcription' ? /^https:\/\/.+\/ggml-[a-z.]+\.bin$/ : /^https:\/\/.+\.gguf$/);
      expect(c.license.length, c.id).toBeGreaterThan(1);
    }
    expect(catalog.some((c) => c.purpose === 'analysis')).toBe(true);
    expect(catalog.some((c) => c.purpose === 'embedding')).toBe(true);
    expect(catalog.filter((c) => c.purpose === 'transcription').map((c) => c.id)).toEqual(['whisper-tiny.en', 'whisper-base.en', 'whisper-small.en', 'whisper-tiny', 'whisper-base', 'whisper-small']);
    for (const c of catalog.filter((x) => x.purpose === 'transcription')) expect(c.sha1, c.id).toMatch(/^[a-f0-9]{40}$/);
  });
});
