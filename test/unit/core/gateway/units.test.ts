import { describe, expect, it } from 'vitest';
import { Channel } from '../../../../src/main/core/gateway/channel';
import { retryAfterMs, toProviderError } from '../../../../src/main/core/gateway/errors';
import { costOf } from '../../../../src/main/core/gateway/priceBook';
import { backoffDelay, CircuitBreaker, sleep } from '../../../../src/main/core/gateway/resilience';
import { cacheKey, stableStringify } from '../../../../src/main/core/gateway/responseCache';
import { maskSecret, Sanitizer } from '../../../../src/main/core/gateway/secrets';
import { checkTopLevel, extractJson } from '../../../../src/main/core/gateway/structured';
import { heuristicTokens, TokenEstimator } from '../../../../src/main/core/gateway/tokens';

describe('backoff and Retry-After', () => {
  it('full jitter stays within [0, min(cap, base·2^attempt))', () => {
    expect(backoffDelay(0, 100, 1000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 100, 1000, () => 0.999)).toBe(799);
    expect(backoffDelay(10, 100, 1000, () => 0.5)).toBe(500);
    expect(backoffDelay(2, 100, 1000, () => 0)).toBe(0);
  });

  it('reads seconds, HTTP dates and retry-after-ms', () => {
    const h = (m: Record<string, string>) => ({ get: (k: string) => m[k] ?? null });
    expect(retryAfterMs(h({ 'retry-after': '3' }))).toBe(3000);
    expect(retryAfterMs(h({ 'retry-after': '0.5' }))).toBe(500);
    expect(retryAfterMs(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(h({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(h({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(h({}))).toBeUndefined();
  });

  it('sleep rejects with cancelled when its signal aborts', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 10);
    await expect(sleep(10_000, ctrl.signal)).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('circuit breaker', () => {
  it('closed → open after N failures → half-open single probe → closed or open again', () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000 }, () => now);
    for (let i = 0; i < 2; i++) {
      expect(b.tryAcquire()).toBe(true);
      b.failure();
    }
    expect(b.state).toBe('closed');
    b.success(); // a success resets the count
    for (let i = 0; i < 3; i++) b.failure();
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    expect(b.retryInMs()).toBe(1000);
    now = 1000;
    expect(b.state).toBe('half_open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false); // only one probe at a time
    b.failure();
    expect(b.state).toBe('open');
    now = 2000;
    expect(b.tryAcquire()).toBe(true);
    b.success();
    expect(b.state).toBe('closed');
  });

  it('a probe that ends without a verdict frees the slot for another probe', () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100 }, () => now);
    b.failure();
    now = 100;
    expect(b.tryAcquire()).toBe(true);
    b.release();
    expect(b.tryAcquire()).toBe(true);
  });
});

describe('secrets', () => {
  it('masks keys to a prefix and the last four characters, short ones entirely', () => {
    expect(maskSecret('sk-proj-abcdefghijklmnop1234')).toBe('sk-…1234');
    expect(maskSecret('AIzaSyA-very-long-google-key-9999')).toBe('AIza…9999');
    expect(maskSecret('plainsecretvalue-5678')).toBe('…5678');
    expect(maskSecret('short-key')).toBe('••••');
    expect(maskSecret(null)).toBeNull();
  });

  it('scrubs known secrets, key-shaped strings, credential query parameters and auth headers', () => {
    const s = new Sanitizer(['my-company-token-abc', 'x']);
    expect(s.clean('failed with my-company-token-abc inside')).toBe('failed with [redacted] inside');
    expect(s.clean('Incorrect API key provided: sk-abcdefghijklmnop.')).toBe('Incorrect API key provided: [redacted].');
    expect(s.clean('GET https://g.example/v1/models?key=AIzaSecret123&alt=json')).toBe('GET https://g.example/v1/models?key=[redacted]&alt=json');
    expect(s.clean('headers: {"authorization": "Bearer abc.def.ghi"}')).toBe('headers: {"authorization": "[redacted]"}');
    expect(s.clean('x marks the spot')).toBe('x marks the spot');
    expect(s.leaks('... my-company-token-abc ...')).toBe(true);
  });

  it('turns SDK errors into typed errors without the original as cause', () => {
    const sdkError = Object.assign(new Error('401 Incorrect API key provided: sk-live-0123456789abc'), { status: 401, headers: new Headers() });
    const e = toProviderError(sdkError, { endpoint: 'main', sanitizer: new Sanitizer(['sk-live-0123456789abc']) });
    expect(e).toMatchObject({ code: 'provider_error', details: { status: 401, retryable: false, breaker: false } });
    expect(e.message).not.toContain('0123456789abc');
    expect(e.cause).toBeUndefined();
    const limited = toProviderError(Object.assign(new Error('429 slow down'), { status: 429, headers: new Headers({ 'retry-after': '7' }) }), { endpoint: 'main', sanitizer: new Sanitizer([]) });
    expect(limited.details).toMatchObject({ retryable: true, breaker: true, retryAfterMs: 7000 });
  });

  it('quotes a library message inside its sentence without doubled punctuation', () => {
    const connection = Object.assign(new Error('Connection error.'), { name: 'APIConnectionError' });
    const e = toProviderError(connection, { endpoint: 'bad-url', sanitizer: new Sanitizer([]) });
    expect(e.message).toBe('Could not reach bad-url (Connection error). Check the base URL and that the server is running.');
    expect(e.message).not.toMatch(/\.\)|\.\./);
  });
});

describe('structured output', () => {
  it('extracts bare, fenced and embedded JSON', () => {
    expect(extractJson('{"a":1}')).toMatchObject({ ok: true, value: { a: 1 } });
    expect(extractJson('Sure!\n```json\n{"a": 2}\n```\nAnything else?')).toMatchObject({ ok: true, json: '{"a": 2}', value: { a: 2 } });
    expect(extractJson('The answer is {"a": 3} as requested.')).toMatchObject({ ok: true, value: { a: 3 } });
    expect(extractJson('[1, 2]')).toMatchObject({ ok: true, value: [1, 2] });
    expect(extractJson('no json here')).toMatchObject({ ok: false });
    expect(extractJson('   ')).toMatchObject({ ok: false, reason: 'the answer was empty' });
  });

  it('checks the top-level shape against the schema', () => {
    const schema = { type: 'object', required: ['a', 'b'] };
    expect(checkTopLevel({ a: 1, b: 2 }, schema)).toBeNull();
    expect(checkTopLevel({ a: 1 }, schema)).toBe('missing required field b');
    expect(checkTopLevel([1], schema)).toBe('expected a JSON object');
    expect(checkTopLevel({}, { type: 'array' })).toBe('expected a JSON array');
  });
});

describe('tokens and prices', () => {
  it('the heuristic errs high against the real tokenizer for prose, and counts non-ASCII per character', async () => {
    const est = new TokenEstimator();
    const prose = 'The customer wrote in about a double charge on the March invoice and asked for a refund before Friday. '.repeat(20);
    const rough = est.text(prose);
    expect(est.exact).toBe(false);
    await est.warm();
    expect(est.exact).toBe(true);
    const exact = est.text(prose);
    expect(rough).toBeGreaterThanOrEqual(exact);
    expect(rough).toBeLessThan(exact * 1.6);
    expect(heuristicTokens('日本語のテキスト')).toBe(8);
    expect(est.messages([{ content: 'hi' }], 'anthropic')).toBeGreaterThan(est.messages([{ content: 'hi' }], 'openai'));
    expect(est.bulk(['a'.repeat(70_000)])).toBe(heuristicTokens('a'.repeat(70_000)));
  });

  it('costs fresh input, cached input and output per million tokens, or audio per minute', () => {
    expect(costOf({ input: 2, cachedInput: 0.5, output: 8 }, { inputTokens: 1_000_000, outputTokens: 1_000_000, cachedTokens: 500_000 })).toBeCloseTo(1 + 0.25 + 8, 9);
    expect(costOf({ input: 2 }, { inputTokens: 100, outputTokens: 0, cachedTokens: 100 })).toBeCloseTo(0.0002, 9);
    expect(costOf({ perMinute: 0.006 }, { inputTokens: 0, outputTokens: 0, cachedTokens: 0 }, 90)).toBeCloseTo(0.009, 9);
  });
});

describe('cache keys', () => {
  it('are stable under key order and surrounding whitespace, and differ when the request does', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    const base = { model: 'm', messages: [{ role: 'user' as const, content: 'Hello ' }], temperature: 0 };
    expect(cacheKey('Main', base)).toBe(cacheKey('main', { temperature: 0, messages: [{ role: 'user', content: ' Hello' }], model: 'm' }));
    expect(cacheKey('main', base)).not.toBe(cacheKey('main', { ...base, temperature: 0.1 }));
    expect(cacheKey('main', base)).not.toBe(cacheKey('other', base));
  });
});

describe('channel', () => {
  it('delivers pushed items in order, then ends or fails', async () => {
    const c = new Channel<number>();
    const seen: number[] = [];
    const reader = (async () => {
      for await (const x of c) seen.push(x);
    })();
    c.push(1);
    await Promise.resolve();
    c.push(2);
    c.push(3);
    c.close();
    await reader;
    expect(seen).toEqual([1, 2, 3]);
    const f = new Channel<number>();
    f.push(1);
    f.fail(new Error('boom'));
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const x of f) got.push(x);
      })(),
    ).rejects.toThrow('boom');
    expect(got).toEqual([1]);
  });
});
