import type { Profile } from '@shared/contract';
import type { RecordRef } from '@shared/contract/copilot';
import type { JsonSchema } from '../gateway/types';
import type { WorkspaceContext } from '../workspaces/workspaceContext';

/**
 * What the copilot needs from the action layer (src/main/core/actions, ActionService): the tools an agent may see,
 * running a read at once, and proposing a write for approval. The copilot never changes records itself (GUIDE §6);
 * this narrow port is what ActionService satisfies (see actionTools.ts), and what tests fake.
 */
export interface CopilotToolInfo {
  name: string;
  description: string;
  /** JSON schema of the arguments, as the model sees it. */
  parameters: JsonSchema;
  risk: 'read' | 'write' | 'destructive';
  role: 'member' | 'admin';
}

export interface ToolCallCtx {
  workspace: WorkspaceContext;
  profile: Profile;
  agent: string;
  conversationId: string;
  /** The agent read record text (untrusted content) earlier in this conversation. */
  afterUntrusted: boolean;
}

export interface ToolReadResult {
  /** What the model sees (neutralised by the turn loop before it enters the prompt). */
  result: unknown;
  /** Records the result contains: the ones the agent may cite afterwards. */
  records: RecordRef[];
}

export interface ToolProposal {
  id: string;
  action: string;
  summary: string;
  arguments: Record<string, unknown>;
  diff: unknown;
  status: string;
}

export interface CopilotTools {
  list(role: 'member' | 'admin'): CopilotToolInfo[];
  read(name: string, args: Record<string, unknown>, ctx: ToolCallCtx): Promise<ToolReadResult>;
  propose(name: string, args: Record<string, unknown>, ctx: ToolCallCtx): Promise<ToolProposal>;
}

/** Until an action layer is plugged in: no tools, so agents answer from memory and the conversation only. */
export const noTools: CopilotTools = {
  list: () => [],
  read: (name) => Promise.reject(new Error(`no tool ${name}`)),
  propose: (name) => Promise.reject(new Error(`no tool ${name}`)),
};

/**
 * Record references inside a tool result, when the action layer gives none: any object with a string
 * `entity`/`entityType`/`table`/`sourceType` and an integer `id`/`entityId`.
 */
export function refsIn(value: unknown, out: RecordRef[] = [], depth = 0): RecordRef[] {
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    for (const v of value) refsIn(v, out, depth + 1);
    return out;
  }
  const o = value as Record<string, unknown>;
  const entity = [o.entity, o.entityType, o.table, o.sourceType].find((v) => typeof v === 'string');
  const id = [o.entityId, o.id].find((v) => typeof v === 'number' && Number.isInteger(v));
  if (typeof entity === 'string' && typeof id === 'number' && /^[a-z][a-z0-9_]*$/.test(entity)) out.push({ entity, id });
  // A list result: { entity: 'deals', rows: [{ id: 7, … }] }.
  if (typeof o.entity === 'string' && Array.isArray(o.rows) && /^[a-z][a-z0-9_]*$/.test(o.entity)) {
    for (const r of o.rows as unknown[]) {
      const rid = r && typeof r === 'object' ? (r as Record<string, unknown>).id : undefined;
      if (typeof rid === 'number' && Number.isInteger(rid)) out.push({ entity: o.entity, id: rid });
    }
  }
  for (const v of Object.values(o)) if (v && typeof v === 'object') refsIn(v, out, depth + 1);
  return out;
}
