import { describe, expect, it } from 'vitest';
import { parseModelOutput } from '../../../../src/main/core/model/parse';

describe('parsing model answers', () => {
  it('reads plain JSON', () => {
    expect(parseModelOutput('{"a": 1}')).toEqual({ value: { a: 1 }, method: 'json' });
  });

  it('reads JSON in a Markdown fence, with prose around it', () => {
    const text = 'Here is my analysis:\n```json\n{"summary": "ok", "n": [1, 2]}\n```\nLet me know if you need more.';
    expect(parseModelOutput(text)).toEqual({ value: { summary: 'ok', n: [1, 2] }, method: 'fenced' });
  });

  it('reads a JSON object embedded in prose, braces inside strings included', () => {
    const text = 'Sure! {"summary": "use {braces} and \\"quotes\\"", "x": {"y": 2}} Hope that helps {not json}';
    expect(parseModelOutput(text)).toEqual({ value: { summary: 'use {braces} and "quotes"', x: { y: 2 } }, method: 'embedded' });
  });

  it('repairs light damage: trailing commas, single quotes, unquoted keys, a cut-off end', () => {
    expect(parseModelOutput("{summary: 'ok', items: [1, 2,],}")).toEqual({ value: { summary: 'ok', items: [1, 2] }, method: 'repaired' });
    const cut = parseModelOutput('```json\n{"summary": "cut off", "factors": [{"text": "a"');
    expect(cut?.method).toBe('repaired');
    expect(cut?.value).toMatchObject({ summary: 'cut off', factors: [{ text: 'a' }] });
  });

  it('gives up on answers that are not JSON at all', () => {
    expect(parseModelOutput('I am sorry, I cannot help with that.')).toBeUndefined();
    expect(parseModelOutput('')).toBeUndefined();
    expect(parseModelOutput('[1, 2, 3]')).toBeUndefined();
  });
});
