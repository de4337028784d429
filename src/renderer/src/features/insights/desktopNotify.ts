import { groupAlerts, type InsightAlert, type NotifyLevel } from '@shared/notify';
import { call, on } from '../../api/client';
import { useWorkspaceStore } from '../../stores/workspaceStore';

/** Alerts arriving within this window (a scan finishing many records) become one batch, grouped by groupAlerts. */
const BATCH_MS = 1_500;

/**
 * Desktop notifications for new insights at or above the level in engine settings. Uses the browser Notification
 * API, which Electron's renderer and the web host's browser both provide; a click focuses the window and opens the
 * insight (or, for a group, the list filtered to those severities).
 */
export function bindInsightNotifications(navigate: (path: string) => void = (p) => (window.location.hash = `#${p}`)): () => void {
  if (typeof window === 'undefined' || !('Notification' in window)) return () => undefined;
  let pending: InsightAlert[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let level: NotifyLevel = 'off';
  const readLevel = async (): Promise<void> => {
    try {
      level = (await call('engine.settings', {})).notifications.minSeverity;
    } catch {
      // Keep the last known level.
    }
  };
  const flush = async (): Promise<void> => {
    timer = null;
    const batch = pending;
    pending = [];
    await readLevel();
    if (level === 'off') return;
    if (Notification.permission === 'default') await Notification.requestPermission();
    if (Notification.permission !== 'granted') return;
    for (const n of groupAlerts(batch, level)) {
      const shown = new Notification(n.title, { body: n.body, tag: n.tag });
      shown.onclick = () => {
        window.focus();
        if (useWorkspaceStore.getState().current !== n.workspace) useWorkspaceStore.getState().select(n.workspace);
        navigate(n.path);
        shown.close();
      };
    }
  };
  const off = on('insights.alert', (a) => {
    pending.push(a);
    timer ??= setTimeout(() => void flush(), BATCH_MS);
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}
