/**
 * PII redaction, run on every context before it leaves the machine. Each distinct value becomes a numbered token
 * ([EMAIL_1], [PHONE_2]) so the model can still tell two people apart without seeing who they are. Callers get counts
 * by kind for the audit trail, never the values.
 */
export const PII_KINDS = ['email', 'card', 'national_id', 'ip', 'phone'] as const;
export type PiiKind = (typeof PII_KINDS)[number];
export type RedactionCounts = Record<PiiKind, number>;

export interface RedactionSettings {
  enabled: boolean;
  kinds: Record<PiiKind, boolean>;
}

export const DEFAULT_REDACTION: RedactionSettings = { enabled: true, kinds: { email: true, card: true, national_id: true, ip: true, phone: true } };

const digits = (s: string): string => s.replace(/\D/g, '');

function luhn(num: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = num.length - 1; i >= 0; i--) {
    let d = num.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

interface Detector {
  kind: PiiKind;
  token: string;
  pattern: RegExp;
  /** Second look at a match the pattern alone cannot decide (checksums, digit counts). */
  accept?: (match: string) => boolean;
}

const HEX = '[0-9A-Fa-f]{1,4}';

// Order matters: an email is removed before its digits can look like a phone number, a card before its groups can.
const DETECTORS: readonly Detector[] = [
  { kind: 'email', token: 'EMAIL', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  {
    kind: 'card',
    token: 'CARD',
    pattern: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    accept: (m) => {
      const d = digits(m);
      return d.length >= 13 && d.length <= 19 && luhn(d);
    },
  },
  // US social security numbers, UK National Insurance numbers, and ids introduced by a label.
  { kind: 'national_id', token: 'NATIONAL_ID', pattern: /(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])/g },
  { kind: 'national_id', token: 'NATIONAL_ID', pattern: /\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g },
  {
    kind: 'national_id',
    token: 'NATIONAL_ID',
    pattern: /(?<=\b(?:SSN|SIN|NINO|national (?:id|insurance)(?: number)?|passport(?: number| no\.?)?|social security(?: number| no\.?)?|tax id|id number)\s*[:#]?\s*)[A-Z0-9]*\d[A-Z0-9]*(?:[ -]\d+){0,4}\b/gi,
    accept: (m) => m.replace(/\D/g, '').length >= 5,
  },
  { kind: 'ip', token: 'IP', pattern: /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]*\d)/g },
  { kind: 'ip', token: 'IP', pattern: new RegExp(`(?<![0-9A-Fa-f:])(?:${HEX}:){7}${HEX}(?![0-9A-Fa-f:])`, 'g') },
  {
    kind: 'ip',
    token: 'IP',
    pattern: new RegExp(`(?<![0-9A-Fa-f:])(?:${HEX}(?::${HEX}){0,6})?::(?:${HEX}(?::${HEX}){0,6})?(?![0-9A-Fa-f:])`, 'g'),
    accept: (m) => m.split(':').filter(Boolean).length >= 2,
  },
  // North American numbers: (555) 123-4567, 555.123.4567, +1-555-123-4567 x89.
  {
    kind: 'phone',
    token: 'PHONE',
    pattern: /(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w-])/g,
  },
  // International numbers starting with +: +44 20 7946 0958, +49 (30) 123456.
  {
    kind: 'phone',
    token: 'PHONE',
    pattern: /(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,5}(?![\w-])/g,
    accept: (m) => {
      const n = digits(m).length;
      return n >= 8 && n <= 15;
    },
  },
  // National formats with a trunk 0: 020 7946 0958, 06 12 34 56 78.
  {
    kind: 'phone',
    token: 'PHONE',
    pattern: /(?<![\w.+-])0\d{1,4}(?:[\s.-]\d{2,4}){2,4}(?![\w.-]*\d)/g,
    accept: (m) => {
      const n = digits(m).length;
      return n >= 9 && n <= 12;
    },
  },
];

export const emptyCounts = (): RedactionCounts => ({ email: 0, card: 0, national_id: 0, ip: 0, phone: 0 });

export interface Redactor {
  redact(text: string): string;
  readonly counts: RedactionCounts;
}

/**
 * A redactor keeps one token per distinct value across all the text it sees (one context = one redactor). A second
 * redactor over text sent alongside uses a prefix ([R_EMAIL_1]) so its tokens never alias the first one's.
 */
export function createRedactor(settings: RedactionSettings = DEFAULT_REDACTION, options: { tokenPrefix?: string } = {}): Redactor {
  const prefix = options.tokenPrefix ? `${options.tokenPrefix}_` : '';
  const counts = emptyCounts();
  const tokens = new Map<string, string>();
  const next: Record<string, number> = {};
  const tokenFor = (d: Detector, value: string): string => {
    const key = `${d.kind}\u0000${d.kind === 'email' ? value.toLowerCase() : digits(value) || value}`;
    let t = tokens.get(key);
    if (!t) {
      next[d.token] = (next[d.token] ?? 0) + 1;
      t = `[${prefix}${d.token}_${next[d.token]}]`;
      tokens.set(key, t);
    }
    return t;
  };
  return {
    counts,
    redact(text: string): string {
      if (!settings.enabled) return text;
      let out = text;
      for (const d of DETECTORS) {
        if (!settings.kinds[d.kind]) continue;
        out = out.replace(d.pattern, (m: string) => {
          if (d.accept && !d.accept(m)) return m;
          counts[d.kind]++;
          return tokenFor(d, m);
        });
      }
      return out;
    },
  };
}

/** One-shot redaction of a single text. */
export function redactPii(text: string, settings: RedactionSettings = DEFAULT_REDACTION): { text: string; counts: RedactionCounts } {
  const r = createRedactor(settings);
  return { text: r.redact(text), counts: r.counts };
}

export const totalRedactions = (c: RedactionCounts): number => PII_KINDS.reduce((a, k) => a + c[k], 0);
