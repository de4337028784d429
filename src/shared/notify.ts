import type { Severity } from './insights';

/** Notification levels (engine settings notifications.minSeverity): none, critical only, high and critical. */
export type NotifyLevel = 'off' | 'critical' | 'high';

export interface InsightAlert {
  workspace: string;
  id: string;
  title: string;
  severity: Severity;
}

/** One desktop notification: a single insight (opens it) or a group (opens the list filtered to those severities). */
export interface PlannedNotification {
  title: string;
  body: string;
  /** The workspace the insights are in (a click switches to it), and where the click goes, as an in-app path. */
  workspace: string;
  path: string;
  /** Notifications with the same tag replace each other (one group per workspace, not a pile). */
  tag: string;
  count: number;
}

export const meetsLevel = (severity: Severity, level: NotifyLevel): boolean => (level === 'critical' ? severity === 'critical' : level === 'high' ? severity === 'critical' || severity === 'high' : false);

/**
 * Turns alerts that arrived together into notifications: each insight on its own up to `maxSingles` per workspace,
 * one grouped notification per workspace beyond that. Alerts below the level are dropped; duplicates folded. Pure.
 */
export function groupAlerts(alerts: readonly InsightAlert[], level: NotifyLevel, maxSingles = 3): PlannedNotification[] {
  const seen = new Set<string>();
  const byWorkspace = new Map<string, InsightAlert[]>();
  for (const a of alerts) {
    if (!meetsLevel(a.severity, level) || seen.has(`${a.workspace}/${a.id}`)) continue;
    seen.add(`${a.workspace}/${a.id}`);
    byWorkspace.set(a.workspace, [...(byWorkspace.get(a.workspace) ?? []), a]);
  }
  const out: PlannedNotification[] = [];
  for (const [workspace, list] of byWorkspace) {
    if (list.length <= maxSingles) {
      for (const a of list) {
        out.push({ title: `${a.severity === 'critical' ? 'Critical' : 'High'} insight · ${workspace}`, body: a.title, path: `/insights?id=${encodeURIComponent(a.id)}`, tag: `insight-${a.id}`, count: 1, workspace });
      }
      continue;
    }
    const critical = list.filter((a) => a.severity === 'critical').length;
    const parts = [critical ? `${critical} critical` : null, list.length - critical ? `${list.length - critical} high` : null].filter(Boolean).join(', ');
    const severities = level === 'critical' ? 'severity=critical' : 'severity=critical&severity=high';
    out.push({
      title: `${list.length} new insights need attention · ${workspace}`,
      body: `${parts}. ${list
        .slice(0, 2)
        .map((a) => a.title)
        .join('; ')}${list.length > 2 ? '; …' : ''}`,
      path: `/insights?${severities}`,
      tag: `insights-${workspace}`,
      count: list.length,
      workspace,
    });
  }
  return out;
}
