/**
 * Spoken numbers to digits, for record codes and quantities in a transcript: "ticket forty-two" → "ticket 42",
 * "one hundred and five" → "105", "two thousand twenty" → "2020". Engines write some numbers as words and some as
 * digits; the resolver only has to deal with digits afterwards. English only (the language of the catalog's codes).
 */
const UNITS: Record<string, number> = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Record<string, number> = { hundred: 100, thousand: 1_000, million: 1_000_000 };

const isNumberWord = (w: string): boolean => w in UNITS || w in TENS || w in SCALES;

/** The value of a run of number words ("forty two", "one hundred and five"); null when it is not a number. */
export function wordsToNumber(words: readonly string[]): number | null {
  let total = 0;
  let current = 0;
  let seen = false;
  for (const raw of words) {
    const w = raw.toLowerCase();
    if (w === 'and' && seen) continue;
    if (w in UNITS) current += UNITS[w]!;
    else if (w in TENS) current += TENS[w]!;
    else if (w === 'hundred') current = (current || 1) * 100;
    else if (w in SCALES) {
      total += (current || 1) * SCALES[w]!;
      current = 0;
    } else return null;
    seen = true;
  }
  return seen ? total + current : null;
}

/**
 * Replaces every run of number words in `text` with its digits. "oh" only counts inside a run ("four oh two"), and a
 * run of single digits said one by one ("four two") reads as digits in sequence ("42"), as people say codes.
 */
export function spokenNumbersToDigits(text: string): string {
  const tokens = text.split(/(\s+|-)/);
  const out: string[] = [];
  let run: string[] = [];
  let runRaw: string[] = [];
  const flush = (): void => {
    if (!run.length) return;
    // Trailing "and" belongs to the sentence ("two and ...").
    while (run.length && run[run.length - 1]!.toLowerCase() === 'and') {
      run.pop();
    }
    const lowered = run.map((w) => w.toLowerCase());
    const digitsOnly = lowered.length > 1 && lowered.every((w) => w in UNITS && UNITS[w]! < 10);
    const value = digitsOnly ? Number(lowered.map((w) => UNITS[w]).join('')) : wordsToNumber(lowered);
    const onlyOh = lowered.length === 1 && lowered[0] === 'oh';
    if (value === null || onlyOh) out.push(...runRaw);
    else {
      out.push(digitsOnly ? lowered.map((w) => UNITS[w]).join('') : String(value));
      const consumed = runRaw.join('');
      const trailing = consumed.match(/(\s+and)?\s*$/)?.[0] ?? '';
      if (trailing.trim()) out.push(trailing);
      else if (/\s+$/.test(consumed)) out.push(consumed.match(/\s+$/)![0]);
    }
    run = [];
    runRaw = [];
  };
  for (const token of tokens) {
    const word = token.replace(/[.,!?;:]+$/, '');
    const punct = token.slice(word.length);
    if (/^\s+$|^-$/.test(token)) {
      if (run.length) runRaw.push(token);
      else out.push(token);
      continue;
    }
    const lower = word.toLowerCase();
    if (isNumberWord(lower) || (lower === 'and' && run.length > 0)) {
      run.push(word);
      runRaw.push(word);
      if (punct) {
        flush();
        out.push(punct);
      }
      continue;
    }
    // Separators between number words inside the run were kept in runRaw; drop a dangling one at the end.
    if (run.length) {
      const sep = runRaw[runRaw.length - 1];
      if (sep && /^\s+$|^-$/.test(sep)) runRaw.pop();
      flush();
      if (sep && /^\s+$/.test(sep)) out.push(sep);
      else if (sep === '-') out.push('-');
    }
    out.push(token);
  }
  if (run.length) {
    const sep = runRaw[runRaw.length - 1];
    if (sep && /^\s+$|^-$/.test(sep)) runRaw.pop();
    flush();
  }
  return out.join('');
}
