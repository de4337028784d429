import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { failureCode, ModelStepError, runModelStep, textOutput, zodOutput, type ModelStepRequest } from '../../../../src/main/core/model/modelStep';
import { AppError } from '../../../../src/shared/errors';
import { ScriptedGateway, type ScriptedReply } from '../../../fixtures/scriptedGateway';

/** What an analytics question could ask for: a small query spec. */
const spec = z.object({ metric: z.enum(['tickets', 'revenue']), groupBy: z.string().optional(), limit: z.number().int().min(1).max(100) });
const output = zodOutput('query_spec', spec);
const meta = { workspace: 'w', useCase: 'analytics.ask', profileId: 'p1', subject: 'question:1' };
const base = (over: Partial<ModelStepRequest<z.infer<typeof spec>>> = {}): ModelStepRequest<z.infer<typeof spec>> => ({
  meta,
  messages: [
    { role: 'system', content: 'Turn the question into a query spec.' },
    { role: 'user', content: 'Tickets by team, top 5' },
  ],
  output,
  retries: 1,
  ...over,
});
const replies = (...list: ScriptedReply[]) => new ScriptedGateway((_m, _r, n) => list[Math.min(n, list.length - 1)]!);
const good = JSON.stringify({ metric: 'tickets', groupBy: 'team', limit: 5 });

async function failure(p: Promise<unknown>): Promise<ModelStepError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ModelStepError) return e;
    throw e;
  }
  throw new Error('expected the step to fail');
}

describe('the model step', () => {
  it('sends the messages with the schema non-strict under the caller’s use case, and returns the validated value', async () => {
    const gw = replies({ text: good, inputTokens: 120, outputTokens: 30, costUsd: 0.002, endpoint: 'main', model: 'm1' });
    const out = await runModelStep(gw, base());
    expect(out.value).toEqual({ metric: 'tickets', groupBy: 'team', limit: 5 });
    expect(out).toMatchObject({ parse: 'json', warnings: [], text: good });
    expect(out.tally).toMatchObject({ provider: 'openai-compatible', model: 'm1', endpoint: 'main', attempts: 1, tokensIn: 120, tokensOut: 30, costUsd: 0.002, fallbackUsed: false, cached: false });
    expect(out.tally.calls).toEqual([expect.objectContaining({ attempt: 1, outcome: 'accepted', problem: null, usageId: 'usage_0' })]);
    const call = gw.calls[0]!;
    expect(call.meta).toEqual(meta);
    expect(call.req.responseSchema).toEqual({ name: 'query_spec', schema: expect.objectContaining({ type: 'object', required: ['metric', 'limit'] }), strict: false });
    expect(call.req.messages).toHaveLength(2);
    // Parameters are the policy's unless the caller sets them.
    expect(call.req.temperature).toBeUndefined();
    expect(call.req.maxTokens).toBeUndefined();
  });

  it('asks again with the bad answer and a repair message naming the problem, and tallies both attempts', async () => {
    const gw = replies({ text: JSON.stringify({ metric: 'Tickets!', limit: 500 }), inputTokens: 100, outputTokens: 20, costUsd: 0.001, endpoint: 'main' }, { text: good, inputTokens: 150, outputTokens: 25, costUsd: 0.0015, endpoint: 'backup', fallbackUsed: true });
    const out = await runModelStep(gw, base());
    expect(gw.calls).toHaveLength(2);
    const second = gw.calls[1]!.req.messages;
    expect(second).toHaveLength(4);
    expect(second[2]).toEqual({ role: 'assistant', content: JSON.stringify({ metric: 'Tickets!', limit: 500 }) });
    expect(second[3]!.role).toBe('user');
    expect(second[3]!.content).toMatch(/^That answer could not be used \(metric: .+; limit: .+\)\. Reply again with only the JSON object/);
    expect(out.warnings).toEqual([expect.stringMatching(/^The first answer was unusable \(metric: .*\); the model was asked again\.$/)]);
    expect(out.tally).toMatchObject({ tokensIn: 250, tokensOut: 45, attempts: 2, endpoint: 'backup', fallbackUsed: true });
    expect(out.tally.costUsd).toBeCloseTo(0.0025, 10);
    expect(out.tally.calls.map((c) => c.outcome)).toEqual(['invalid', 'accepted']);
  });

  it('a validation that fails on every attempt ends as invalid_output, with every attempt in the tally', async () => {
    const gw = replies({ text: JSON.stringify({ metric: 'weather', limit: 5 }), inputTokens: 100, outputTokens: 10, costUsd: 0.001 });
    const e = await failure(runModelStep(gw, base({ retries: 1 })));
    expect(gw.calls).toHaveLength(2);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'provider_error', failure: 'invalid_output', details: { reason: 'invalid_output', attempts: 2 } });
    expect(e.problem).toMatch(/^metric: /);
    expect(e.message).toMatch(/^The model's answer could not be used: metric: /);
    expect(failureCode(e)).toBe('invalid_output');
    expect(e.tally).toMatchObject({ tokensIn: 200, tokensOut: 20, attempts: 2 });
    expect(e.tally.calls.map((c) => c.outcome)).toEqual(['invalid', 'invalid']);
  });

  it('asks N times when told to, and not at all with retries 0', async () => {
    const never = replies({ text: 'no JSON here' });
    await failure(runModelStep(never, base({ retries: 3 })));
    expect(never.calls).toHaveLength(4);
    expect(never.calls[3]!.req.messages.filter((m) => m.role === 'assistant')).toHaveLength(3);
    const once = replies({ text: 'no JSON here' });
    const e = await failure(runModelStep(once, base({ retries: 0 })));
    expect(once.calls).toHaveLength(1);
    expect(e.problem).toBe('it was not JSON');
  });

  it('reads fenced, embedded and repaired JSON, and says when it repaired', async () => {
    const fenced = await runModelStep(replies({ text: `Here:\n\`\`\`json\n${good}\n\`\`\`` }), base());
    expect(fenced).toMatchObject({ parse: 'fenced', warnings: [] });
    const repaired = await runModelStep(replies({ text: `{"metric": "tickets", "limit": 5,}` }), base());
    expect(repaired).toMatchObject({ parse: 'repaired', warnings: ['The answer was malformed JSON and was repaired.'] });
  });

  it('a cut-off answer is re-asked with a request to be brief', async () => {
    let n = 0;
    const gw = new ScriptedGateway(() => ({ text: n++ === 0 ? '{"metric": "tick' : good }));
    const chat = gw.chat.bind(gw);
    gw.chat = async (m, r, o) => {
      const res = await chat(m, r, o);
      return gw.calls.length === 1 ? { ...res, finishReason: 'length' } : res;
    };
    const out = await runModelStep(gw, base());
    expect(out.value.limit).toBe(5);
    expect(gw.calls[1]!.req.messages.at(-1)!.content).toMatch(/cut off at the output limit, so answer more briefly/);
  });

  it('an answer the gateway refused as not JSON is asked again too', async () => {
    const refusal = new AppError('provider_error', 'main answered, but not with the JSON that was asked for (the answer is not JSON).', { endpoint: 'main', failure: 'invalid_output' });
    const gw = replies({ error: refusal }, { text: good });
    const out = await runModelStep(gw, base());
    expect(gw.calls).toHaveLength(2);
    expect(gw.calls[1]!.req.messages.at(-1)!.content).toMatch(/could not be used \(it was not JSON\)/);
    expect(out.tally.calls.map((c) => c.outcome)).toEqual(['refused', 'accepted']);
    const twice = replies({ error: refusal });
    expect(failureCode(await failure(runModelStep(twice, base())))).toBe('invalid_output');
  });

  it('does not re-ask transport or budget failures (the gateway owns those) and keeps what was spent before', async () => {
    const budget = new AppError('budget_exceeded', 'The daily budget is used up.');
    const gw = replies({ text: 'prose', inputTokens: 80, outputTokens: 5, costUsd: 0.0004 }, { error: budget });
    const e = await failure(runModelStep(gw, base({ retries: 3 })));
    expect(gw.calls).toHaveLength(2);
    expect(e).toMatchObject({ code: 'budget_exceeded', failure: 'budget_exceeded', message: 'The daily budget is used up.' });
    expect(e.tally).toMatchObject({ tokensIn: 80, costUsd: 0.0004 });
    expect(e.tally.calls.map((c) => c.outcome)).toEqual(['unparsable', 'error']);
  });

  it('stops when cancelled: before the first call, and during one', async () => {
    const idle = replies({ text: good });
    const done = new AbortController();
    done.abort();
    const before = await failure(runModelStep(idle, base({ signal: done.signal })));
    expect(before).toMatchObject({ code: 'cancelled', failure: 'cancelled' });
    expect(idle.calls).toHaveLength(0);

    const ctl = new AbortController();
    const slow = new ScriptedGateway(() => {
      // The call is in flight now; cancel it from here rather than racing a timer.
      queueMicrotask(() => ctl.abort());
      return { text: good, delayMs: 60_000 };
    });
    const during = await failure(runModelStep(slow, base({ signal: ctl.signal })));
    expect(during).toMatchObject({ code: 'cancelled', failure: 'cancelled' });
    expect(slow.calls).toHaveLength(1);
    expect(during.tally.calls.map((c) => c.outcome)).toEqual(['cancelled']);
  });

  it('a cancellation between attempts does not start another one', async () => {
    const ctl = new AbortController();
    const gw = new ScriptedGateway(() => {
      ctl.abort();
      return { text: 'not json', inputTokens: 10 };
    });
    const e = await failure(runModelStep(gw, base({ signal: ctl.signal, retries: 2 })));
    expect(gw.calls).toHaveLength(1);
    expect(e.failure).toBe('cancelled');
    expect(e.tally.tokensIn).toBe(10);
  });

  it('flags answers from the response cache and passes explicit parameters through', async () => {
    const gw = replies({ text: good });
    const chat = gw.chat.bind(gw);
    gw.chat = async (m, r, o) => ({ ...(await chat(m, r, o)), cached: true });
    const attempts: number[] = [];
    const out = await runModelStep(gw, base({ params: { temperature: 0, maxTokens: 200 }, onAttempt: (n) => attempts.push(n) }));
    expect(out.tally.cached).toBe(true);
    expect(out.warnings).toContain('Answered from the gateway response cache: the same request was answered recently.');
    expect(gw.calls[0]!.req).toMatchObject({ temperature: 0, maxTokens: 200 });
    expect(attempts).toEqual([1]);
  });

  it('free text: no schema is sent, empty answers are re-asked, a validator can refuse', async () => {
    const gw = replies({ text: '   ' }, { text: 'Revenue grew 4% in March, led by EMEA.' });
    const out = await runModelStep(gw, { meta, messages: [{ role: 'user', content: 'Write the narrative.' }], output: textOutput(), retries: 1 });
    expect(out).toMatchObject({ value: 'Revenue grew 4% in March, led by EMEA.', parse: 'text' });
    expect(gw.calls[0]!.req.responseSchema).toBeUndefined();
    expect(gw.calls[1]!.req.messages.at(-1)!.content).toMatch(/could not be used \(it was empty\)\. Reply again with only the text asked for above\./);
    const short = textOutput((t) => (t.length >= 20 ? { ok: true, value: t } : { ok: false, problem: 'it was shorter than one sentence' }));
    const e = await failure(runModelStep(replies({ text: 'OK.' }), { meta, messages: [{ role: 'user', content: 'Write.' }], output: short, retries: 1 }));
    expect(e).toMatchObject({ failure: 'invalid_output', problem: 'it was shorter than one sentence' });
  });

  it('zodOutput coerces near-misses before validating, and a custom repair message is used', async () => {
    const lenient = zodOutput('query_spec', spec, { coerce: (v) => ({ ...v, metric: typeof v.metric === 'string' ? v.metric.toLowerCase() : v.metric }) });
    const gw = replies({ text: JSON.stringify({ metric: 'bogus', limit: 2 }) }, { text: JSON.stringify({ metric: 'REVENUE', limit: 2 }) });
    const out = await runModelStep(gw, { ...base(), output: lenient, repair: (p) => ({ role: 'user', content: `Fix: ${p}` }) });
    expect(out.value.metric).toBe('revenue');
    expect(gw.calls[1]!.req.messages.at(-1)!.content).toMatch(/^Fix: metric: /);
  });
});
