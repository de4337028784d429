import type { InsightStatus, Severity } from '@shared/insights';

/** Display names and colours shared by the insights browser and the dashboard. */

export const SEVERITY_COLOR: Record<Severity, string> = { critical: 'red', high: 'orange', medium: 'yellow', low: 'blue', info: 'gray' };
export const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

export const STATUS_COLOR: Record<InsightStatus, string> = {
  pending: 'gray',
  completed: 'indigo',
  failed: 'red',
  acknowledged: 'teal',
  actioned: 'green',
  dismissed: 'gray',
  expired: 'gray',
};
export const STATUS_LABEL: Record<InsightStatus, string> = {
  pending: 'Pending',
  completed: 'New',
  failed: 'Failed',
  acknowledged: 'Acknowledged',
  actioned: 'Actioned',
  dismissed: 'Dismissed',
  expired: 'Expired',
};

/** Business domains insights belong to: one per persona, plus the CRM metrics the detectors watch. */
export const DOMAIN_LABEL: Record<string, string> = {
  support: 'Support',
  projects: 'Projects',
  inbox: 'Inbox',
  marketing: 'Marketing',
  dispatch: 'Field service',
  vendors: 'Vendors',
  performance: 'Agent performance',
  success: 'Customer success',
  crm: 'Sales & CRM',
};
export const domainLabel = (d: string): string => DOMAIN_LABEL[d] ?? d.charAt(0).toUpperCase() + d.slice(1);

/** "priority_score" → "Priority score". */
export const fieldLabel = (name: string): string => {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/\b(sla|csat|ctr|cpa|kpi|kpis|eta|roi|nps)\b/g, (w) => w.toUpperCase().replace(/S$/, 's'));
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** A persona's domain field value as text: enums read as words, lists as lines. */
export function fieldValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : String(Math.round(value * 1000) / 1000);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') return /^[a-z]+(_[a-z]+)+$/.test(value) ? value.replace(/_/g, ' ') : value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v !== null ? compactObject(v as Record<string, unknown>) : fieldValue(v))).join('\n');
  return compactObject(value as Record<string, unknown>);
}

const compactObject = (o: Record<string, unknown>): string =>
  Object.entries(o)
    .map(([k, v]) => `${fieldLabel(k)}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : fieldValue(v)}`)
    .join(' · ');

export const pct = (confidence: number | null): string => (confidence === null ? '—' : `${Math.round(confidence * 100)}%`);
