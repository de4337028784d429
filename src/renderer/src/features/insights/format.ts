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
  superseded: 'gray',
};
export const STATUS_LABEL: Record<InsightStatus, string> = {
  pending: 'Pending',
  completed: 'New',
  failed: 'Failed',
  acknowledged: 'Acknowledged',
  actioned: 'Actioned',
  dismissed: 'Dismissed',
  expired: 'Expired',
  superseded: 'Superseded',
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

const HISTORY_WORDS: Record<string, string> = {
  'insight.completed': 'Analysis completed',
  'insight.failed': 'Analysis failed',
  'insight.acknowledged': 'Acknowledged',
  'insight.actioned': 'Marked actioned',
  'insight.dismissed': 'Dismissed',
  'insight.expired': 'Expired',
  'insights.expired': 'Expired by the clean-up',
  'insights.interrupted': 'Interrupted: the app stopped before the model answered',
  'context.redacted': 'Personal data redacted before sending',
  'context.filtered': 'Text that tried to steer the model was neutralised',
  'insight.superseded': 'Superseded by a newer analysis',
  'insight.deleted': 'Deleted',
  'analysis.cancelled': 'Analysis cancelled',
  'detectors.run': 'Found by the anomaly and trend detectors',
  'coaching.generated': 'Coaching report generated',
};

/** A history entry in words: "Acknowledged", "Undone: back to New", "Personal data redacted (2 emails)". */
export function historyLabel(action: string, details: Record<string, unknown> | null): string {
  if (action === 'insight.reverted') {
    const to = details?.to as InsightStatus | undefined;
    return `Undone: back to ${to && STATUS_LABEL[to] ? STATUS_LABEL[to] : 'the previous status'}`;
  }
  if (action === 'context.redacted' && details?.counts && typeof details.counts === 'object') {
    const parts = Object.entries(details.counts as Record<string, number>)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}${n === 1 ? '' : 's'}`);
    return `${HISTORY_WORDS[action]}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  }
  if (HISTORY_WORDS[action]) return HISTORY_WORDS[action];
  // Keys added later ("insight.superseded") still read as words.
  const words = action.replace(/^[a-z]+\./, '').replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A number in a metric's unit: "4.09 tickets/day", "24%", "1,250 USD". */
export function inUnit(x: number, unit: string | undefined): string {
  const n = Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : String(Math.round(x * 100) / 100);
  if (!unit) return n;
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

const signedPct = (x: number): string => `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%`;

/** Detector findings with their units: magnitudes as signed percentages, levels in the metric's unit. */
export function detectorFieldValue(name: string, value: unknown, unit: string | undefined): string {
  if (typeof value !== 'number') return fieldValue(value);
  switch (name) {
    case 'magnitude':
      return signedPct(value);
    case 'baseline':
    case 'peak':
    case 'latest':
      return inUnit(value, unit);
    case 'slopePerWeek':
      return `${value >= 0 ? '+' : ''}${inUnit(value, unit?.replace(/\/week$/, ''))} per week`;
    default:
      return String(Math.round(value * 100) / 100);
  }
}

export const DETECTOR_FIELD_LABEL: Record<string, string> = {
  kind: 'Kind',
  start: 'From',
  end: 'To',
  magnitude: 'Change',
  zScore: 'Robust z-score',
  tau: 'Kendall’s tau',
  baseline: 'Typical level',
  peak: 'Peak',
  latest: 'Latest',
  slopePerWeek: 'Slope',
};
