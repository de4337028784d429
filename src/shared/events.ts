import { z } from 'zod';
import { gatewayChangedEvent, gatewayStreamEvent } from './contract/gateway';
import { jobInfo } from './contract/jobs';
import { vectorsChangedReasons } from './contract/vectors';
import { copilotStreamEvent } from './contract/copilot';

/** Main → renderer events. Hosts forward every one of these; payloads are validated in tests, trusted at runtime. */
export const events = {
  'job.progress': jobInfo,
  'workspace.changed': z.object({ workspace: z.string().nullable(), reason: z.enum(['created', 'deleted', 'ready', 'failed']) }),
  'data.changed': z.object({ workspace: z.string(), entities: z.array(z.string()) }),
  'profile.changed': z.object({ profileId: z.string() }),
  'vectors.changed': z.object({ workspace: z.string(), reason: z.enum(vectorsChangedReasons), versionId: z.number().int().nullable() }),
  'gateway.stream': gatewayStreamEvent,
  'gateway.changed': gatewayChangedEvent,
  'models.changed': z.object({ modelId: z.string(), reason: z.enum(['added', 'downloading', 'installed', 'failed', 'removed', 'loaded', 'unloaded']) }),
  /** Insights were created, changed status or expired; `ids` lists them (capped), `count` says how many in all. */
  'insights.changed': z.object({
    workspace: z.string(),
    reason: z.enum(['created', 'updated', 'expired', 'detected']),
    ids: z.array(z.string()),
    count: z.number().int(),
  }),
  'coaching.changed': z.object({ workspace: z.string() }),
  /**
   * A new insight at or above the notification level in engine settings (notifications.minSeverity): the renderer
   * raises a desktop notification (grouped when a scan finds many; groupAlerts in src/shared/notify.ts).
   */
  'insights.alert': z.object({ workspace: z.string(), id: z.string(), title: z.string(), severity: z.enum(['info', 'low', 'medium', 'high', 'critical']) }),
  /** Model calls were recorded in a workspace's usage ledger (coalesced: at most about one a second per workspace). */
  'usage.changed': z.object({ workspace: z.string() }),
  /** One copilot turn's progress: deltas, tool calls, proposals, then 'done' or 'error'. */
  'copilot.stream': copilotStreamEvent,
  /** A workspace's conversations or memories changed (list views refresh). */
  'copilot.changed': z.object({ workspace: z.string(), what: z.enum(['conversations', 'memory']) }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];
