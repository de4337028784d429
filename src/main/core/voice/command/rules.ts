import { VOICE_ENTITIES, VOICE_PAGES, type VoiceEntityWord, type VoiceIntent, type VoicePage } from './intent';

/**
 * Commands understood without a model: the documented patterns (README, "Voice commands"). They cover navigation,
 * opening a record by its code or number, search, insight filters, and creating a task. The text has already had its
 * spoken numbers turned into digits. Returns null when no pattern fits (the model, when there is one, is asked then).
 */
const PAGE_WORDS: Record<string, VoicePage> = {
  dashboard: 'dashboard', home: 'dashboard', insights: 'insights', insight: 'insights', copilot: 'copilot', assistant: 'copilot', search: 'search',
  analytics: 'analytics', reports: 'reports', report: 'reports', voice: 'voice', data: 'data', records: 'data', configuration: 'configuration', settings: 'configuration',
};
const ENTITY_WORDS = Object.keys(VOICE_ENTITIES).join('|');
const clean = (text: string): string => text.trim().replace(/[.!?]+$/u, '').replace(/\s+/g, ' ');
const stripThe = (s: string): string => s.replace(/^(the|a|an|our|my)\s+/i, '').trim();

export function ruleIntent(raw: string): VoiceIntent | null {
  const text = clean(raw);
  const lower = text.toLowerCase();
  let m: RegExpMatchArray | null;

  m = lower.match(/^(?:please\s+)?(?:open|go to|show(?: me)?|take me to|switch to)\s+(?:the\s+)?([a-z]+)(?:\s+page)?$/);
  if (m && PAGE_WORDS[m[1]!]) return { kind: 'navigate', confidence: 0.95, page: PAGE_WORDS[m[1]!]! };

  m = text.match(new RegExp(`^(?:please\\s+)?(?:open|show(?: me)?|go to|pull up)\\s+(?:the\\s+)?(${ENTITY_WORDS})\\s+(?:number\\s+|#)?([A-Za-z]{2,4}-?\\d+|\\d+)$`, 'i'));
  if (m) return { kind: 'open_record', confidence: 0.9, entity: m[1]!.toLowerCase() as VoiceEntityWord, reference: m[2]! };

  m = text.match(/^(?:please\s+)?(?:search(?: for)?|find|look up|look for)\s+(.+)$/i);
  if (m) return { kind: 'search', confidence: 0.85, query: stripThe(m[1]!) };

  m = lower.match(/^(?:show(?: me)?|filter|list)\s+(?:the\s+|all\s+)?((?:critical|high|medium|low)(?:\s*(?:and|,|or)\s*(?:critical|high|medium|low))*)\s+insights$/);
  if (m) {
    const severity = [...new Set(m[1]!.split(/\s*(?:and|,|or)\s*/).filter(Boolean))] as ('critical' | 'high' | 'medium' | 'low')[];
    return { kind: 'filter_insights', confidence: 0.9, severity };
  }

  // "create a (follow-up) task to call Acme about the renewal for the Globex deal due tomorrow"
  m = text.match(/^(?:please\s+)?(?:create|add|make|new)\s+(?:a\s+|an\s+)?(follow[- ]up\s+)?task\s+(?:to\s+)?(.+?)$/i);
  if (m) {
    let rest = m[2]!;
    const times: NonNullable<VoiceIntent['times']> = [];
    const mentions: NonNullable<VoiceIntent['mentions']> = [];
    const due = rest.match(/\s+(?:due|by|for)\s+((?:today|tomorrow|tonight|next\s+\w+|this\s+\w+|on\s+.+|in\s+\d+\s+\w+|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+at\s+.+)?)$/i);
    if (due) {
      times.push({ field: 'dueDate', text: due[1]! });
      rest = rest.slice(0, due.index);
    }
    const link = rest.match(/\s+(?:for|on|about)\s+(?:the\s+)?(.+?)\s+(deal|account|contact)$/i) ?? rest.match(/\s+(?:for|on)\s+(?:the\s+)?(deal|account|contact)\s+(.+)$/i);
    if (link) {
      const [name, word] = /^(deal|account|contact)$/i.test(link[1]!) ? [link[2]!, link[1]!] : [link[1]!, link[2]!];
      const entity = word.toLowerCase() as 'deal' | 'account' | 'contact';
      mentions.push({ field: `${entity}Id`, entity, text: stripThe(name) });
      rest = rest.slice(0, link.index);
    }
    const title = rest.trim().replace(/^./, (c) => c.toUpperCase());
    if (!title) return null;
    return { kind: 'action', confidence: mentions.length || times.length ? 0.8 : 0.75, action: 'create_task', args: { title: m[1] ? `Follow up: ${title}` : title }, mentions, times };
  }

  // "mark ticket 42 as solved", "set ticket 42 to high priority"
  m = text.match(/^(?:please\s+)?(?:mark|set|change|move)\s+ticket\s+(?:number\s+)?([A-Za-z]{2,4}-?\d+|\d+)\s+(?:as|to)\s+(open|pending|on hold|solved|closed|urgent|high|normal|low)(?:\s+priority)?$/i);
  if (m) {
    const value = m[2]!.toLowerCase().replace(' ', '_');
    const isPriority = ['urgent', 'high', 'normal', 'low'].includes(value);
    return { kind: 'action', confidence: 0.85, action: 'update_ticket', args: isPriority ? { priority: value } : { status: value }, mentions: [{ field: 'ticket', entity: 'ticket', text: m[1]! }], times: [] };
  }
  return null;
}

export const pagePath = (page: VoicePage): string => VOICE_PAGES[page];
