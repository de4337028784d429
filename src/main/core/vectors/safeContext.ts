import { decodeEntities, INVISIBLE } from './text/clean';

/**
 * The safe-context filter: every piece of workspace text that goes into a model prompt passes through here. Record
 * text is data written by customers, vendors and colleagues, and some of it may try to steer the model ("ignore
 * previous instructions", fake role tags, hidden HTML). The filter neutralises those patterns by replacing them
 * with a visible marker, caps the length, and reports exactly what it changed, so the caller can record it with
 * the insight. It does not make text trustworthy; it removes the cheap, known tricks (ADR 0034).
 */

export type FilterRule = 'instruction_override' | 'role_tag' | 'markup' | 'exfiltration_link' | 'long_run' | 'invisible' | 'truncated';

export interface FilterEvent {
  rule: FilterRule;
  count: number;
  /** The first thing removed under this rule, shortened; for the audit trail, never sent to a model. */
  sample: string;
}

export interface SafeText {
  text: string;
  /** True when anything was changed. */
  filtered: boolean;
  events: FilterEvent[];
  removedChars: number;
}

export interface SafeOptions {
  /** Cap on the output length (characters); longer text is cut at a word boundary with "…". */
  maxChars?: number;
  /** Longest run of one repeated character, and longest unbroken token, that are kept. */
  maxRun?: number;
  maxToken?: number;
}

export const SAFE_DEFAULTS = { maxChars: 1200, maxRun: 12, maxToken: 64 } as const;

const marker = (rule: FilterRule): string => `[filtered: ${rule.replace('_', ' ')}]`;

/** Phrases that try to replace the system's instructions. Case-insensitive, tolerant of extra words. */
const OVERRIDES: RegExp[] = [
  /\b(?:please\s+)?(?:ignore|disregard|forget|skip|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+|these\s+|those\s+|every\s+)*(?:previous|prior|above|earlier|preceding|foregoing|original|system|initial|existing)?\s*(?:instructions?|prompts?|rules?|directions?|guidelines?|messages?|context|constraints?|guardrails?)\b[^.\n]*/gi,
  /\byou\s+are\s+(?:now\s+)?(?:an?\s+)?(?:admin|administrator|root|superuser|developer|system)\b[^.\n]*/gi,
  /\b(?:you\s+are\s+now|from\s+now\s+on,?\s+you\s+(?:are|will|must)|act\s+as\s+(?:an?\s+)?(?:unrestricted|jailbroken|evil|different)|pretend\s+(?:to\s+be|you\s+are)|roleplay\s+as)\b[^.\n]*/gi,
  /\b(?:new|updated|real|actual|hidden)\s+(?:system\s+)?instructions?\s*:[^\n]*/gi,
  /\b(?:reveal|print|show|repeat|output|leak)\s+(?:me\s+)?(?:your|the)\s+(?:system\s+|hidden\s+|initial\s+)?(?:prompt|instructions|rules)\b[^.\n]*/gi,
  /\b(?:developer|god|dan|jailbreak)\s+mode\b[^.\n]*/gi,
  /\bdo\s+not\s+(?:follow|obey)\s+(?:the\s+|your\s+)?(?:system|previous|above)\b[^.\n]*/gi,
];

/** Chat-template and role markers that could make data look like a new conversation turn. */
const ROLE_TAGS: RegExp[] = [
  /<\s*\|[^|>\n]{1,40}\|\s*>/g, // <|im_start|>, <|system|>, <|endoftext|>, also spaced out
  /\[\/?(?:INST|SYS|SYSTEM|ASSISTANT|USER)\]/gi,
  /<<\/?SYS>>/gi,
  /<\/?s>/g,
  /<\/?(?:system|assistant|user|developer|tool|instructions?)\b[^>]*>/gi,
  /^\s*#{2,}\s*(?:system|instruction|instructions|assistant|user|response)\s*:?\s*$/gim,
  // "assistant:" at a line start, or right after a chat-template tag neutralised above.
  /(^|\n|\[filtered: role tag\] )\s*(?:system|assistant|developer|user|tool)\s*:\s*/gi,
];

/** Active content removed whole, before role tags are looked for. */
const MARKUP_BLOCKS: RegExp[] = [/<(script|style|iframe|object|embed|svg|math|template)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, /<!--[\s\S]*?(?:-->|$)/g, /\bjavascript\s*:[^\s)"']*/gi];
/** Any other tag, after role tags (<system>, </s>) were marked as such. */
const MARKUP_TAGS = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/gi;

/** Markdown images and links that would make a renderer fetch a URL carrying data out. */
const EXFIL = [/!\[[^\]]*\]\([^)]*\)/g, /\[[^\]]*\]\((?:https?:)?\/\/[^)]*[?&=][^)]*\)/gi];

export function safeContext(input: string, options: SafeOptions = {}): SafeText {
  const maxChars = options.maxChars ?? SAFE_DEFAULTS.maxChars;
  const maxRun = options.maxRun ?? SAFE_DEFAULTS.maxRun;
  const maxToken = options.maxToken ?? SAFE_DEFAULTS.maxToken;
  const events = new Map<FilterRule, FilterEvent>();
  const note = (rule: FilterRule, found: string): void => {
    const e = events.get(rule);
    if (e) e.count++;
    else events.set(rule, { rule, count: 1, sample: found.trim().slice(0, 80) });
  };
  const originalLength = input.length;
  let text = input;

  const invisible = text.match(INVISIBLE);
  if (invisible) {
    note('invisible', `${invisible.length} invisible character(s)`);
    events.get('invisible')!.count = invisible.length;
    text = text.replace(INVISIBLE, '');
  }
  // Entity-encoded tags (&lt;script&gt;) are decoded first so they cannot slip past the markup rules.
  if (/&(?:#x?[0-9a-f]+|[a-z]+);/i.test(text)) text = decodeEntities(text);
  for (const re of MARKUP_BLOCKS) text = text.replace(re, (m) => (note('markup', m), ' '));
  for (const re of ROLE_TAGS) {
    text = text.replace(re, (m: string, lead?: string) => {
      note('role_tag', m);
      const keep = typeof lead === 'string' ? (lead.includes('\n') ? '\n' : lead.startsWith('[') ? lead : '') : '';
      return `${keep}${marker('role_tag')} `;
    });
  }
  text = text.replace(MARKUP_TAGS, (m) => (note('markup', m), ' '));
  for (const re of EXFIL) text = text.replace(re, (m) => (note('exfiltration_link', m), marker('exfiltration_link')));
  for (const re of OVERRIDES) text = text.replace(re, (m) => (note('instruction_override', m), marker('instruction_override')));
  // Long runs of one character (padding, ASCII art separators) and unbroken tokens (base64 blobs, smuggled payloads).
  text = text.replace(new RegExp(`(\\S)\\1{${maxRun},}`, 'gu'), (m: string, ch: string) => (note('long_run', m), ch.repeat(3)));
  text = text.replace(new RegExp(`[^\\s]{${maxToken + 1},}`, 'gu'), (m) => (note('long_run', m), marker('long_run')));
  text = text.replace(/[ \t]{2,}/g, ' ').replace(/\n{3,}/g, '\n\n').trim();

  if (text.length > maxChars) {
    let cut = text.lastIndexOf(' ', maxChars - 1);
    if (cut < maxChars * 0.6) cut = maxChars - 1;
    note('truncated', `${text.length} → ${cut} characters`);
    text = `${text.slice(0, cut).trimEnd()}…`;
  }
  const list = [...events.values()];
  return { text, filtered: list.length > 0, events: list, removedChars: Math.max(0, originalLength - text.length) };
}

/** Sums filter events across many texts (for an insight's audit record). */
export function mergeEvents(all: readonly FilterEvent[][]): FilterEvent[] {
  const out = new Map<FilterRule, FilterEvent>();
  for (const list of all) {
    for (const e of list) {
      const cur = out.get(e.rule);
      if (cur) cur.count += e.count;
      else out.set(e.rule, { ...e });
    }
  }
  return [...out.values()];
}
