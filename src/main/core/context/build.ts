import { createHash } from 'node:crypto';
import type { Db } from '../db/open';
import { mergeEvents, neutralize, type FilterEvent } from '../prompt/untrusted';
import { packSections } from './pack';
import { createRedactor, type RedactionCounts, type RedactionSettings } from './redact';
import type { ContextBuilder, ContextSection } from './types';

export interface BuiltContext {
  entityType: string;
  entityId: number;
  entityTitle: string;
  /** What the model sees: packed within the budget, PII already redacted. */
  text: string;
  /** Changes when the text or the salt (persona and version) changes; scheduled scans compare it. */
  hash: string;
  chars: number;
  truncated: boolean;
  redactions: RedactionCounts;
  /** What the untrusted-text step changed in the record text, by rule (for the audit trail). */
  filtered: FilterEvent[];
  /** The [entityType#id] tags present in the text: the records the model may cite. */
  refs: string[];
}

export interface BuildOptions {
  budgetChars: number;
  redaction: RedactionSettings;
  /** Mixed into the hash (persona key and version), so a new prompt version counts as a change. */
  hashSalt: string;
}

const TAG = /\[([a-z_]+)#(\d+)\]/g;

export const contextHash = (salt: string, text: string): string => createHash('sha256').update(salt).update('\n').update(text).digest('hex').slice(0, 32);

/**
 * Every title and line of every builder passes the untrusted-text step here, before packing, so no builder can
 * forget it and the packer measures what is really sent. Builders mix their own labels with record text in one
 * line; the step leaves the labels alone (they hold nothing it matches).
 */
export function neutralizeSections(sections: readonly ContextSection[]): { sections: ContextSection[]; filtered: FilterEvent[] } {
  const found: FilterEvent[][] = [];
  const clean = (text: string): string => {
    const out = neutralize(text);
    if (out.filtered) found.push(out.events);
    return out.text;
  };
  const out = sections.map((s) => ({ ...s, title: clean(s.title), lines: s.lines.map(clean) }));
  return { sections: out, filtered: mergeEvents(found) };
}

/** Builds the context for one record, or null if the record does not exist. Pure: no clock, no randomness. */
export function buildContext(db: Db, builder: ContextBuilder, id: number, options: BuildOptions): BuiltContext | null {
  const found = builder.sections(db, id);
  if (!found) return null;
  const neutral = neutralizeSections(found.sections);
  const packed = packSections(neutral.sections, options.budgetChars);
  const redactor = createRedactor(options.redaction);
  let text = redactor.redact(packed.text);
  if (text.length > options.budgetChars) text = `${text.slice(0, options.budgetChars - 1)}…`;
  const refs = new Set<string>();
  for (const m of text.matchAll(TAG)) refs.add(`${m[1]}#${m[2]}`);
  return {
    entityType: builder.entityType,
    entityId: id,
    // The title stays on this machine (insight titles), so it is not redacted and not counted.
    entityTitle: found.title,
    text,
    hash: contextHash(options.hashSalt, text),
    chars: text.length,
    truncated: packed.truncated,
    redactions: { ...redactor.counts },
    filtered: neutral.filtered,
    refs: [...refs],
  };
}
