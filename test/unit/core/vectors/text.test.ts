import { describe, expect, it } from 'vitest';
import { highlightSpans, makeSnippet, markSnippet } from '../../../../src/main/core/vectors/snippets';
import { chunkOptionsFor, chunkSections, chunkingKey, fixedWindows, splitSentences } from '../../../../src/main/core/vectors/text/chunk';
import { cleanMarkup } from '../../../../src/main/core/vectors/text/clean';
import { queryTerms } from '../../../../src/main/core/vectors/text/tokens';

describe('markup cleaning', () => {
  it('turns HTML into text: tags and scripts out, entities decoded, block breaks kept', () => {
    const html = '<div><p>Hello&nbsp;<b>team</b> &amp; friends</p><script>alert(1)</script><style>p{}</style><!-- secret --><ul><li>one</li><li>two</li></ul>&#39;ok&#x27;</div>';
    expect(cleanMarkup(html)).toBe("Hello team & friends\n\n- one\n- two\n'ok'");
  });

  it('turns Markdown into text: links keep their words, images their alt text, emphasis and headings go', () => {
    const md = '# Outage report\n\n**Root cause**: the [carrier API](https://example.com/x) was _down_.\n\n![diagram](http://img/x.png)\n\n> quoted `code`\n\n---';
    expect(cleanMarkup(md)).toBe('Outage report\n\nRoot cause: the carrier API was down.\n\ndiagram\n\nquoted code');
  });

  it('removes invisible characters and tidies whitespace, and leaves plain text alone', () => {
    expect(cleanMarkup('pay\u200bment  due\u202e\r\n\r\n\r\n\r\nnext')).toBe('payment due\n\nnext');
    expect(cleanMarkup('Plain sentence, with 3 numbers: 1, 2.5 and 10%.')).toBe('Plain sentence, with 3 numbers: 1, 2.5 and 10%.');
    expect(cleanMarkup(null)).toBe('');
  });
});

describe('chunking', () => {
  const sentences = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} talks about topic ${i % 5}.`);
  const long = sentences.join(' ');

  it('sentence: packs whole sentences up to maxChars and carries trailing sentences as overlap', () => {
    const chunks = chunkSections([{ field: 'description', text: long, access: 'standard' }], { strategy: 'sentence', maxChars: 200, overlap: 60 });
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(200);
      expect(c.text).toMatch(/^Sentence number \d+/);
      expect(c.text).toMatch(/\.$/);
    }
    // Overlap: each chunk after the first starts with the last sentence of the one before it.
    for (let i = 1; i < chunks.length; i++) {
      const prevLast = splitSentences(chunks[i - 1]!.text).pop()!;
      expect(chunks[i]!.text.startsWith(prevLast)).toBe(true);
    }
    // Every sentence is somewhere.
    for (const s of sentences) expect(chunks.some((c) => c.text.includes(s))).toBe(true);
  });

  it('fixed: windows of maxChars overlapping by about `overlap`, cut at word boundaries', () => {
    const windows = fixedWindows(long, 150, 40);
    for (const w of windows) expect(w.length).toBeLessThanOrEqual(150);
    for (let i = 1; i < windows.length; i++) {
      const tail = windows[i - 1]!.slice(-20);
      expect(windows[i]!.includes(tail.trim().split(' ').slice(-1)[0]!)).toBe(true);
    }
    expect(windows.join(' ')).toContain('Sentence number 29 talks about topic 4.');
    expect(windows.every((w) => !w.startsWith(' ') && !/^\S{1,3}\s/.test(w) || /^\d/.test(w) || /^[A-Za-z]/.test(w))).toBe(true);
  });

  it('paragraph: one chunk per paragraph when they fit, long paragraphs fall back to sentences', () => {
    const text = `First paragraph about billing.\n\nSecond paragraph about logins.\n\n${long}`;
    const chunks = chunkSections([{ field: 'body', text, access: 'standard' }], { strategy: 'paragraph', maxChars: 300, overlap: 0 });
    expect(chunks[0]!.text).toBe('First paragraph about billing.\n\nSecond paragraph about logins.');
    expect(chunks.slice(1).every((c) => c.text.length <= 300)).toBe(true);
  });

  it('packs short sections of one access level together and keeps access levels apart', () => {
    const chunks = chunkSections(
      [
        { field: 'description', text: 'Printer jams.', access: 'standard' },
        { field: 'comment:1', text: 'Agent: replaced the roller.', access: 'standard' },
        { field: 'comment:2', text: 'Agent (internal note): customer is difficult.', access: 'internal' },
        { field: 'comment:3', text: 'Customer: works now, thanks.', access: 'standard' },
      ],
      { strategy: 'sentence', maxChars: 800, overlap: 100 },
    );
    expect(chunks.map((c) => [c.field, c.access])).toEqual([
      ['description,comment:1', 'standard'],
      ['comment:2', 'internal'],
      ['comment:3', 'standard'],
    ]);
  });

  it('per-source overrides and a stable config key', () => {
    const cfg = { strategy: 'sentence' as const, maxChars: 800, overlap: 120, perSource: { conversations: { strategy: 'paragraph' as const } } };
    expect(chunkOptionsFor(cfg, 'conversations')).toEqual({ strategy: 'paragraph', maxChars: 800, overlap: 120 });
    expect(chunkOptionsFor(cfg, 'tickets')).toEqual({ strategy: 'sentence', maxChars: 800, overlap: 120 });
    expect(chunkingKey(cfg)).toBe('sentence/800/120;conversations=paragraph//');
    expect(chunkSections([{ field: 'f', text: '   ', access: 'standard' }], cfg)).toEqual([]);
  });
});

describe('query terms, FTS queries and snippets', () => {
  it('keeps codes whole and drops stop words and FTS5 operators', () => {
    expect(queryTerms('Why is TCK-000123 still OPEN?')).toEqual(['tck-000123', 'still', 'open']);
    expect(queryTerms('refund "now" OR NOT')).toEqual(['refund', 'now']);
    expect(queryTerms('the of and')).toEqual([]);
  });

  it('highlights whole codes, word forms and diacritic-folded words, and picks the window with most matches', () => {
    const text = `${'Filler words here. '.repeat(20)}The café login failed for TCK-000123 after two logins. ${'More filler. '.repeat(20)}`;
    const s = makeSnippet(text, queryTerms('cafe logins TCK-000123'), 120);
    expect(s.snippet.length).toBeLessThanOrEqual(122);
    const marked = markSnippet(s);
    expect(marked).toContain('[café]');
    expect(marked).toContain('[login]');
    expect(marked).toContain('[TCK-000123]');
    expect(marked).toContain('[logins]');
    expect(s.snippet.startsWith('…')).toBe(true);
    expect(highlightSpans('nothing relevant', ['invoice'])).toEqual([]);
  });
});
