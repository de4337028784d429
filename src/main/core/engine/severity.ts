import { SEVERITIES, severityRank, type Severity } from '@shared/insights';
import type { SeverityClassifier, SeverityCondition } from '../personas/types';

/** Reads a dotted path ('budget_reallocation.action') out of a validated answer. */
export function readPath(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function holds(c: SeverityCondition, output: Record<string, unknown>): boolean {
  const v = readPath(output, c.field);
  switch (c.op) {
    case 'eq':
      return v === c.value;
    case 'in':
      return (c.value as readonly unknown[]).includes(v);
    case 'gte':
      return typeof v === 'number' && v >= c.value;
    case 'lte':
      return typeof v === 'number' && v <= c.value;
    case 'minItems':
      return Array.isArray(v) && v.length >= c.value;
  }
}

/** The highest severity among the rules whose conditions all hold; `otherwise` when none do. */
export function classifySeverity(classifier: SeverityClassifier, output: Record<string, unknown>): Severity {
  let best: Severity | null = null;
  for (const rule of classifier.rules) {
    if (rule.when.every((c) => holds(c, output)) && (best === null || severityRank(rule.severity) > severityRank(best))) best = rule.severity;
  }
  return best ?? classifier.otherwise;
}

const humanize = (v: unknown): string => (typeof v === 'string' ? v.replace(/_/g, ' ') : typeof v === 'number' ? String(Math.round(v * 100) / 100) : v === undefined || v === null ? '?' : JSON.stringify(v));

/** Fills a title template: {entityTitle} and {field.path} placeholders. Titles are capped at 200 characters. */
export function renderTitle(template: string, values: Record<string, unknown>): string {
  const title = template.replace(/\{([a-zA-Z_][\w.]*)\}/g, (_m, key: string) => humanize(readPath(values, key))).trim();
  return title.length > 200 ? `${title.slice(0, 199)}…` : title;
}

/** Placeholders a template uses (for the invariant tests). */
export const templateFields = (template: string): string[] => [...template.matchAll(/\{([a-zA-Z_][\w.]*)\}/g)].map((m) => m[1]!);

export { SEVERITIES };
