/**
 * The patterns of the untrusted-text step (untrusted.ts), kept apart so the step reads as a pipeline. Every
 * pattern here describes a way record text has been seen to steer a model: hiding characters, dressing letters up
 * as other letters, encoding, chat-template tokens and role markers of the common model families, markup, links
 * that carry data out, and "ignore your instructions" in the languages our customers write in.
 */

/** Characters that only serve to hide text: controls, zero-width spaces and joiners, bidi controls, BOMs, tag characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;

/** Named entities decoded before the markup rules, so `&lt;script&gt;` cannot slip past them. */
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  sol: '/',
  bsol: '\\',
  verbar: '|',
  vert: '|',
  colon: ':',
  lsqb: '[',
  rsqb: ']',
  lbrack: '[',
  rbrack: ']',
  lsaquo: '‹',
  rsaquo: '›',
  lang: '〈',
  rang: '〉',
  excl: '!',
  num: '#',
  equals: '=',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
};

/** `&lt;`, `&#60;`, `&#x3c;`, and the four that browsers also accept without a semicolon (`&lt`). */
const ENTITY = /&(?:(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});|(lt|gt|amp|quot)(?![a-z0-9;]))/gi;

/** Decodes HTML entities until none are left (double-encoded `&amp;lt;` too); returns how many were decoded. */
export function decodeEntities(text: string): { text: string; count: number } {
  let count = 0;
  let out = text;
  for (let round = 0; round < 8 && out.includes('&'); round++) {
    let changed = false;
    out = out.replace(ENTITY, (m, body: string | undefined, bare: string | undefined) => {
      const name = (body ?? bare ?? '').toLowerCase();
      let ch: string | undefined;
      if (name[0] === '#') {
        const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        ch = Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      } else ch = ENTITIES[name];
      if (ch === undefined) return m;
      count++;
      changed = true;
      return ch;
    });
    if (!changed) break;
  }
  return { text: out, count };
}

/**
 * URL- and escape-encoded brackets and pipes (`%3C`, `%253C`, `\u003c`, `\x3c`): a model reads them as the
 * character, so they are decoded where they could form a tag. Other percent-escapes (a URL's `%20`) are left alone.
 */
const ENCODED_SYMBOL = /%(?:25)*(3c|3e|7c|2f|5b|5d)|\\u00(3c|3e|7c)|\\x(3c|3e|7c)/gi;
const SYMBOL: Record<string, string> = { '3c': '<', '3e': '>', '7c': '|', '2f': '/', '5b': '[', '5d': ']' };
const HAS_ENCODED_BRACKET = /%(?:25)*(?:3c|3e)|\\u003[ce]|\\x3[ce]/i;

export function decodeSymbols(text: string): { text: string; count: number } {
  if (!HAS_ENCODED_BRACKET.test(text)) return { text, count: 0 };
  let count = 0;
  const out = text.replace(ENCODED_SYMBOL, (_m, a?: string, b?: string, c?: string) => {
    count++;
    return SYMBOL[(a ?? b ?? c ?? '').toLowerCase()] ?? '';
  });
  return { text: out, count };
}

/** Letters dressed up as ASCII: mathematical alphanumerics, full-width letters, circled letters (NFKC folds them). */
const STYLED_LETTERS = /[\u{1d400}-\u{1d7ff}\uff21-\uff3a\uff41-\uff5a\u24b6-\u24e9]/gu;
/** Symbols that stand in for the ones tags and chat tokens are made of. CJK punctuation (，：！) is left alone. */
const SYMBOL_LOOKALIKES: Record<string, string> = {
  '\uff1c': '<', '\ufe64': '<', '\u2039': '<', '\u2329': '<', '\u3008': '<', '\u27e8': '<', '\u1438': '<', '\u02c2': '<', '\u276e': '<', '\u276c': '<', '\u29fc': '<',
  '\uff1e': '>', '\ufe65': '>', '\u203a': '>', '\u232a': '>', '\u3009': '>', '\u27e9': '>', '\u1433': '>', '\u02c3': '>', '\u276f': '>', '\u276d': '>', '\u29fd': '>',
  '\uff5c': '|', '\uffe8': '|', '\u2223': '|', '\uff3b': '[', '\uff3d': ']', '\uff0f': '/', '\u2215': '/', '\u2044': '/', '\uff3c': '\\', '\uff3f': '_',
};
const SYMBOL_LOOKALIKE = new RegExp(`[${Object.keys(SYMBOL_LOOKALIKES).join('')}]`, 'gu');
/** The brackets this step itself writes in place of `<` and `>`; folding them back is not a change to report. */
export const OWN_BRACKETS = { open: '\u2039', close: '\u203a' } as const;

/** Cyrillic and Greek letters that look like Latin ones. */
const CONFUSABLE: Record<string, string> = {
  а: 'a', в: 'b', с: 'c', е: 'e', һ: 'h', і: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', ѕ: 's', т: 't', у: 'y', х: 'x', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', ү: 'y',
  А: 'A', В: 'B', С: 'C', Е: 'E', Н: 'H', І: 'I', Ј: 'J', К: 'K', М: 'M', О: 'O', Р: 'P', Ѕ: 'S', Т: 'T', Х: 'X', У: 'Y', Ү: 'Y', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W',
  α: 'a', ο: 'o', ρ: 'p', ν: 'v', υ: 'u', ι: 'i', κ: 'k', τ: 't', ε: 'e', ϲ: 'c', ϳ: 'j',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', Ϲ: 'C',
};
const LATIN = /\p{Script=Latin}/u;
const CYRILLIC_OR_GREEK = /[\u0370-\u03ff\u0400-\u052f]/;
const WORD = /[\p{L}\p{M}]+/gu;
/** Words a look-alike spelling is suspicious for even when no real Latin letter is mixed in ("ЅУЅТЕМ:"). */
const SENSITIVE = new Set(['system', 'assistant', 'user', 'developer', 'human', 'tool', 'admin', 'prompt', 'instructions', 'inst', 'sys', 'script']);

/**
 * Folds look-alikes to what they imitate: styled and full-width letters, bracket and pipe look-alikes, and
 * Cyrillic or Greek letters inside an otherwise Latin word (or spelling a sensitive word). A word written wholly
 * in another script (Russian, Greek text) is left alone. Returns how many characters changed, not counting the
 * step's own brackets.
 */
export function foldLookalikes(text: string): { text: string; count: number; own: number } {
  let count = 0;
  let own = 0;
  let out = text.replace(STYLED_LETTERS, (ch) => (count++, ch.normalize('NFKC')));
  out = out.replace(SYMBOL_LOOKALIKE, (ch) => {
    if (ch === OWN_BRACKETS.open || ch === OWN_BRACKETS.close) own++;
    else count++;
    return SYMBOL_LOOKALIKES[ch]!;
  });
  // Only a text with Cyrillic or Greek letters can hold their look-alikes; most text skips the word pass.
  if (!CYRILLIC_OR_GREEK.test(out)) return { text: out, count, own };
  out = out.replace(WORD, (word) => {
    let confusables = 0;
    let others = 0;
    for (const ch of word) {
      if (CONFUSABLE[ch]) confusables++;
      else if (!LATIN.test(ch)) others++;
    }
    if (confusables === 0 || others > 0) return word;
    const folded = [...word].map((ch) => CONFUSABLE[ch] ?? ch).join('');
    const mixed = confusables < [...word].length;
    if (!mixed && !SENSITIVE.has(folded.toLowerCase())) return word;
    count += confusables;
    return folded;
  });
  return { text: out, count, own };
}

/** Active content removed whole, before role tags are looked for. */
export const MARKUP_BLOCKS: readonly RegExp[] = [
  /<\s*(script|style|iframe|object|embed|svg|math|template|noscript|frameset|frame|applet)\b[\s\S]*?(?:<\s*\/\s*\1\s*>|$)/gi,
  /<!--[\s\S]*?(?:-->|$)/g,
  /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)/gi,
  /\b(?:javascript|vbscript)\s*:[^\s)"']*/gi,
  /\bdata\s*:\s*text\/html[^\s)"']*/gi,
];

/** Chat-template tokens and role markers that could make data look like a new conversation turn. */
export const ROLE_TAGS: readonly RegExp[] = [
  // ChatML (<|im_start|>), Llama 3 (<|start_header_id|>, <|eot_id|>), Phi (<|user|>), DeepSeek (<｜User｜>, folded),
  // Command R (<|SYSTEM_TOKEN|>), Granite (<|start_of_role|>), harmony (<|channel|>); also spaced out.
  /<\s*\|[^|<>\n]{1,48}\|\s*>/g,
  // Llama 2 and Mistral.
  /\[\s*\/?\s*(?:INST|SYS|SYSTEM|ASSISTANT|USER|SYSTEM_PROMPT|AVAILABLE_TOOLS|TOOL_CALLS|TOOL_RESULTS|TOOL_CONTENT)\s*\]/gi,
  /<<\s*\/?\s*SYS\s*>>/gi,
  /<\/?s>/g,
  // Gemma (<start_of_turn>user), XML-style role tags, tool-call tags of several fine-tunes.
  /<\s*\/?\s*(?:system|assistant|user|developer|tool|human|model|instructions?|start_of_turn|end_of_turn|bos|eos|tool_call|tool_response|function_call|im_start|im_end)\b[^<>]*>/gi,
  // Markdown-style turn headers: "### Instruction:", "## System" on a line of its own.
  /^\s*#{2,}\s*(?:system|instructions?|assistant|user|response|input|human)\s*[:：]?\s*$/gim,
  /#{3,}\s*(?:system|instructions?|assistant|response|input|human)\s*[:：]/gi,
];

/**
 * "assistant:" at the start of a line, after a chat-template tag neutralised above, or in capitals anywhere; and
 * the system-like roles also after a sentence or a field label ("description: System: …"). Title-case "User: Maria"
 * inside a sentence is ordinary text and stays.
 */
export const ROLE_LINE = /(^|\n|\[filtered: role tag\] )[ \t]*(?:system|assistant|developer|user|tool|human)\s*[:：﹕]\s*/gi;
export const ROLE_INLINE: readonly RegExp[] = [
  /(?<=[.!?;:：)\]]\s{1,3})(?:system|assistant|developer|human)\s*[:：﹕]\s*/gi,
  /\b(?:SYSTEM|ASSISTANT|DEVELOPER|HUMAN|USER)\s*[:：﹕]\s*/g,
];

/**
 * Tags named like the blocks prompts put untrusted text in (untrusted.ts BLOCK_NAMES), opening or closing: the
 * first thing an injection tries. Built from the names so a new block kind is covered by adding its name there.
 */
export const delimiterTag = (names: readonly string[]): RegExp => new RegExp(`<\\s*\\/?\\s*(?:${names.join('|')})\\b(?:\\s+[\\w-]+\\s*=\\s*(?:"[^"<>]*"|'[^'<>]*'|[^\\s<>]*))*\\s*\\/?\\s*>?`, 'gi');

/** Any other tag, after role tags were marked as such. */
export const MARKUP_TAG = /<\s*\/?\s*[a-z][\w:.-]*(?:\s[^<>]*)?\/?\s*>/gi;

/** Markdown images and links that would make a renderer fetch a URL carrying data out. */
export const EXFIL: readonly RegExp[] = [
  /!\[[^\]]*\]\([^)]*\)/g,
  /!\[[^\]]*\]\[[^\]]*\]/g,
  /\[[^\]]*\]\((?:https?:)?\/\/[^)]*[?&=][^)]*\)/gi,
  /\[[^\]]+\]:\s*<?(?:https?:)?\/\/\S*[?&=]\S*/gi,
];

/**
 * Phrases that try to replace the system's instructions, in English; case-insensitive, tolerant of extra words.
 * They run over all record text, so they are narrower than "ignore … messages": a customer writing "please ignore
 * my previous message, it is fixed" or "you are now subscribed" is not an attack and must reach the model intact.
 */
const FILLER = '(?:(?:all|any|the|your|these|those|every|of|above|prior|previous|earlier|preceding|foregoing|original|system|initial|existing|current)\\s+)*';
const OVERRIDES_EN: RegExp[] = [
  // Words only a model has: instructions, prompts, guidelines, guardrails.
  new RegExp(`\\b(?:please\\s+)?(?:ignore|disregard|forget|override|bypass)\\s+(?:my\\s+)?${FILLER}(?:instructions?|prompts?|guidelines|guardrails|constraints|directives)\\b[^.\\n]*`, 'gi'),
  // Words people use too (rules, context, text) count only with a qualifier: "disregard prior rules".
  /\b(?:please\s+)?(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|the|your|of)\s+)*(?:previous|prior|above|earlier|preceding|foregoing|system|all|your)\s+(?:rules|context|text|content)\b[^.\n]*/gi,
  /\byou\s+are\s+(?:now\s+)?(?:an?\s+)?(?:admin|administrator|root|superuser|developer|system)\b[^.\n]*/gi,
  /\byou\s+are\s+now\s+(?:an?\s+)?(?:dan|unrestricted|jailbroken|unfiltered|free\s+of|no\s+longer|in\s+(?:developer|god|admin|maintenance|debug)\s+mode|(?:[\w-]+\s+){0,3}(?:assistant|ai|bot|chatbot|model|llm))\b[^.\n]*/gi,
  /\bfrom\s+now\s+on,?\s+you\s+(?:are|will|must|shall|should)\s+(?:only\s+)?(?:answer|respond|reply|act|ignore|obey|follow|say|pretend|be\s+an?)\b[^.\n]*/gi,
  /\b(?:act\s+as\s+(?:an?\s+)?(?:unrestricted|jailbroken|evil|different|unfiltered)|pretend\s+(?:to\s+be|you\s+are)|roleplay\s+as)\b[^.\n]*/gi,
  /\b(?:new|updated|real|actual|hidden)\s+(?:system\s+)?instructions?\s*[:：][^\n]*/gi,
  /\b(?:reveal|print|show|repeat|output|leak)\s+(?:me\s+)?(?:(?:your|the)\s+(?:system|hidden|initial|original)\s+(?:prompt|instructions|rules)|your\s+(?:prompt|instructions|rules))\b[^.\n]*/gi,
  /\b(?:developer|god|dan|jailbreak)\s+mode\b[^.\n]*/gi,
  /\bdo\s+not\s+(?:follow|obey)\s+(?:the\s+|your\s+)?(?:system|previous|above)\b[^.\n]*/gi,
];

/** The same in the other languages the corpus covers. Letters outside ASCII need the u flag and no \b. */
const TAIL = '[^.。!?！？\\n]*';
const W = '(?:[\\p{L}\\p{M}\'’-]+\\s+)';

/**
 * verb … qualifier … noun, or verb … noun qualifier ("ignoriere alle vorherigen Anweisungen", "ignorez les
 * instructions précédentes"). The qualifier (previous, all, your, system) keeps "the customer ignores the assembly
 * instructions" out: that is a complaint, not an attack.
 */
function override(verbs: string, quals: string, nouns: string): RegExp {
  return new RegExp(`(?<![\\p{L}])(?:${verbs})\\s+(?:${W}{0,3}?(?:${quals})\\s+${W}{0,2}?(?:${nouns})|${W}{0,2}?(?:${nouns})\\s+(?:${quals}))(?![\\p{L}])${TAIL}`, 'giu');
}

const OVERRIDES_INTL: RegExp[] = [
  // German
  override('ignorier(?:e|en|t)?|vergiss|vergessen\\s+sie|missachte(?:n)?|übergehe', 'vorherigen|vorigen|bisherigen|obigen|früheren|alle[n]?|deine[n]?|ihre[n]?|System', 'Anweisungen|Instruktionen|Regeln|Befehle|Vorgaben|Systemanweisungen'),
  // French
  override('ignore[rz]?|oublie[rz]?', 'précédentes|antérieures|ci-dessus|toutes|tous|vos|tes|du\\s+système', 'instructions|consignes|règles|directives'),
  // Spanish
  override('ignora(?:r|d)?|olvida(?:r|d)?|omite', 'anteriores|previas|todas|todos|tus|sus|del\\s+sistema', 'instrucciones|reglas|indicaciones|órdenes'),
  // Portuguese
  override('ignor[ea](?:r)?|esqueç[ae](?:r)?|desconsider[ea]', 'anteriores|prévias|todas|todos|suas|tuas|do\\s+sistema', 'instruções|regras|orientações'),
  // Italian
  override('ignora(?:re)?|dimentica(?:re)?|trascura', 'precedenti|tutte|tutti|tue|sue|del\\s+sistema', 'istruzioni|regole|indicazioni'),
  // Dutch
  override('negeer|vergeet|omzeil', 'vorige|eerdere|bovenstaande|voorgaande|alle|je|jouw|uw', 'instructies|opdrachten|regels|richtlijnen'),
  // Russian
  override('игнорируй(?:те)?|проигнорируй(?:те)?|забудь(?:те)?', 'все|предыдущие|прошлые|свои|системные|твои|ваши', 'инструкции|указания|правила|команды'),
  // Arabic
  override('تجاهل|تجاهلي|انس|انسى', 'جميع|كل|السابقة', 'التعليمات|الأوامر|القواعد|تعليماتك'),
  // Chinese and Japanese run words together: the qualifier sits between verb and noun.
  new RegExp(`(?:忽略|无视|忽視|無視|忘记|忘記|不要理会|不要遵守)(?:掉)?(?:之前|以前|先前|上面|以上|前面|所有|全部|的|你的|系统|系統){1,4}(?:指令|指示|说明|說明|规则|規則|提示)${TAIL}`, 'gu'),
  new RegExp(`(?:以前|前|上記|これまで|すべて|全て)の(?:すべての|全ての)?(?:指示|命令|ルール|プロンプト)(?:を|は)?(?:すべて|全て)?(?:無視|忘れ)${TAIL}`, 'gu'),
  new RegExp(`(?:指示|命令|ルール)(?:を|は)(?:すべて|全て)無視${TAIL}`, 'gu'),
];

export const OVERRIDES: readonly RegExp[] = [...OVERRIDES_EN, ...OVERRIDES_INTL];

/**
 * A word every override above starts with (or, for Chinese and Japanese, contains). Text without one skips the
 * override patterns, which are the slow part of the step; keep it in step with them (the corpus tests check).
 */
export const OVERRIDE_GATE =
  /ignor|disregard|forget|override|bypass|you\s+are|from\s+now|act\s+as|pretend|roleplay|instruction|reveal|print|show|repeat|output|leak|mode|do\s+not|vergiss|vergessen|missacht|übergeh|anweisung|oubli|olvid|omite|esqueç|desconsider|dimentic|trascur|negeer|vergeet|omzeil|игнор|проигнор|забуд|تجاهل|انس|忽略|无视|忽視|無視|忘记|忘記|不要|忘れ/i;

/** A run that could be base64 (or base64url) of a smuggled instruction. Shorter ones cannot hold one. */
export const BASE64_TOKEN = /(?<![A-Za-z0-9+/=_-])(?=[A-Za-z0-9+/_-]*[0-9+/=_-])(?=[A-Za-z0-9+/_-]*[A-Z])(?=[A-Za-z0-9+/_-]*[a-z])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])/g;

/** Decodes a base64 candidate to text, or null when it is not printable UTF-8 (ids, hashes, random tokens). */
export function decodeBase64Text(token: string): string | null {
  const clean = token.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (clean.length % 4 === 1) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(clean, 'base64'));
  } catch {
    return null;
  }
  if (text.length < 8) return null;
  const printable = [...text].filter((ch) => /[\p{L}\p{N}\p{P}\p{S}\p{Zs}\n\t]/u.test(ch)).length;
  return printable / [...text].length >= 0.95 ? text : null;
}
