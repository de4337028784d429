import type { ActionService } from '../actions/types';
import { refsIn, type CopilotTools } from './tools';

/**
 * The copilot's tools over the action layer (ADR 0060): reads run through ActionService.execute (audited), writes
 * through ActionService.propose (a pending approval with its preview as the diff). Nothing else changes records.
 */
export function actionTools(actions: ActionService): CopilotTools {
  return {
    list: (role) => actions.list(role).map((a) => ({ name: a.name, description: a.description, parameters: a.inputSchema, risk: a.risk, role: a.role })),
    async read(name, args, ctx) {
      const out = await actions.execute({ workspace: ctx.workspace, profile: ctx.profile, name, args, source: 'copilot', agent: ctx.agent, conversationId: ctx.conversationId, untrusted: ctx.afterUntrusted });
      if (out.status !== 'done') throw new Error(`${name} did not run at once (it is a write)`);
      return { result: out.result, records: refsIn(out.result) };
    },
    async propose(name, args, ctx) {
      const a = await actions.propose({ workspace: ctx.workspace, profile: ctx.profile, name, args, source: 'copilot', agent: ctx.agent, conversationId: ctx.conversationId, untrusted: ctx.afterUntrusted });
      return { id: a.id, action: a.action, summary: a.preview.summary, arguments: (a.args ?? {}) as Record<string, unknown>, diff: a.preview, status: a.status };
    },
  };
}
