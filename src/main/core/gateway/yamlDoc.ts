import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { AppError } from '@shared/errors';
import { plainYamlMessage } from '@shared/yamlWords';

export interface ConfigIssue {
  /** 1-based line, when the problem has a place in the text. */
  line: number | null;
  column: number | null;
  /** Dotted path of the offending key ('use_cases.copilot.chat.temperature'). */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface ParsedDoc<T> {
  value: T;
  doc: Document.Parsed;
  lines: LineCounter;
}

export type ParseOutcome<T> = { ok: true; parsed: ParsedDoc<T>; issues: ConfigIssue[] } | { ok: false; issues: ConfigIssue[] };

/** Where a path points in the text; falls back to the nearest ancestor that exists (a missing key's parent). */
export function positionOf(doc: Document.Parsed, lines: LineCounter, path: readonly (string | number)[]): { line: number; column: number } | null {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    let node: unknown = sub.length === 0 ? doc.contents : doc.getIn(sub, true);
    // Point at the key, not the value, when the parent is a map: "line 12: temperature …" reads naturally.
    if (sub.length > 0) {
      const parent = sub.length === 1 ? doc.contents : doc.getIn(sub.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(sub[sub.length - 1]));
        if (pair && isScalar(pair.key)) node = pair.key;
      }
    }
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const pos = lines.linePos(range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return null;
}

export const dotted = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/**
 * Parses YAML and validates it with a zod schema, reporting every problem with its line: syntax errors from the
 * yaml parser's own positions, schema problems by locating the offending key in the document.
 */
export function parseYaml<T>(text: string, schema: z.ZodType<T>): ParseOutcome<T> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({
        line: e.linePos?.[0]?.line ?? null,
        column: e.linePos?.[0]?.col ?? null,
        path: '',
        message: plainYamlMessage(e.code, e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')),
        severity: 'error' as const,
      })),
    };
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 50 });
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    return {
      ok: false,
      issues: result.error.issues.slice(0, 20).map((i) => {
        const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
        // "Unrecognized key" issues name the keys; point at the first one.
        const keys = (i as { keys?: string[] }).keys;
        const target = keys?.length ? [...path, keys[0]!] : path;
        const pos = positionOf(doc, lines, target);
        return { line: pos?.line ?? null, column: pos?.column ?? null, path: dotted(target), message: i.message, severity: 'error' as const };
      }),
    };
  }
  return { ok: true, parsed: { value: result.data, doc, lines }, issues: [] };
}

export const formatIssue = (i: ConfigIssue): string => `${i.line !== null ? `line ${i.line}` : 'document'}${i.path ? ` (${i.path})` : ''}: ${i.message}`;

/** One validation error for a whole document: the first few issues in the message, all of them in details. */
export function documentError(what: string, issues: readonly ConfigIssue[]): AppError {
  const errors = issues.filter((i) => i.severity === 'error');
  const shown = errors.slice(0, 3).map(formatIssue).join('; ');
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return new AppError('validation', `${what} was not saved: ${shown}${more}. The previous version stays in force.`, { issues });
}
