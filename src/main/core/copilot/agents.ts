import type { AgentKey } from '@shared/contract/copilot';
import type { Role } from '@shared/contract/define';

/**
 * The copilot's agents as data (GUIDE §2.5): the turn loop reads a spec and never switches on an agent's key.
 * `allowedActions` names action-layer actions (src/main/core/actions/registry.ts); a name ending in `*` allows a family.
 * The policy use case is `copilot.<key>` when the workspace's policy has an entry for it, else `copilot.chat`.
 */
export interface AgentSpec {
  key: AgentKey;
  name: string;
  description: string;
  systemPrompt: string;
  allowedActions: readonly string[];
  /** Policy key tried first; `copilot.chat` serves when the policy document has no entry for it. */
  useCase: `copilot.${string}`;
  /** Model calls one turn may make before it must answer (each tool round is one call). */
  maxToolIterations: number;
  role: Role;
}

export const DEFAULT_COPILOT_USE_CASE = 'copilot.chat';

/** Read actions every agent may use: search, fetch a record, list by filters. */
const READS = ['search_records', 'get_record', 'list_deals', 'list_tasks', 'list_tickets', 'list_projects'] as const;

const CITE =
  'Cite every record you use as [table:id], for example [tickets:42] or [deals:7], exactly as the tools return them. ' +
  'Cite only records a tool returned in this conversation. If the tools return nothing useful, say so; never invent records or figures.';

const WRITES =
  'You cannot change records yourself: a write tool only proposes the change, and the person approves or rejects it. ' +
  'After proposing, say what you proposed in one sentence and stop.';

export const AGENTS: readonly AgentSpec[] = [
  {
    key: 'sales',
    name: 'Sales',
    description: 'Pipeline, deals, accounts and follow-ups: summarises a deal, proposes tasks, activities, meetings and deal updates.',
    systemPrompt: `You are the Sales agent of Intelligence Desk, helping a sales team with its pipeline, deals, accounts and follow-ups. Be brief and concrete. ${CITE} ${WRITES}`,
    allowedActions: [...READS, 'pipeline_summary', 'create_task', 'log_activity', 'schedule_meeting', 'update_deal', 'draft_email', 'delete_task', 'delete_note'],
    useCase: 'copilot.sales',
    maxToolIterations: 6,
    role: 'member',
  },
  {
    key: 'operations',
    name: 'Operations',
    description: 'Projects, dispatch, vendors and purchasing: status, risks and the next steps, with tasks proposed for them.',
    systemPrompt: `You are the Operations agent of Intelligence Desk, helping with projects, field dispatch, vendors and purchase orders. Be brief and concrete. ${CITE} ${WRITES}`,
    allowedActions: [...READS, 'kpi_figures', 'create_task', 'log_activity', 'schedule_meeting', 'delete_task'],
    useCase: 'copilot.operations',
    maxToolIterations: 6,
    role: 'member',
  },
  {
    key: 'success',
    name: 'Success',
    description: 'Support tickets and customer health: triage, ticket updates, follow-up tasks and draft replies.',
    systemPrompt: `You are the Customer Success agent of Intelligence Desk, helping with support tickets, customer health and renewals. Be brief and concrete. ${CITE} ${WRITES}`,
    allowedActions: [...READS, 'list_insights', 'get_insight', 'update_ticket', 'create_task', 'log_activity', 'draft_email', 'acknowledge_insight', 'action_insight', 'dismiss_insight'],
    useCase: 'copilot.success',
    maxToolIterations: 6,
    role: 'member',
  },
  {
    key: 'builder',
    name: 'Builder',
    description: 'Sets up the workspace: scheduled scans, persona switches and policies. Admins only.',
    systemPrompt: `You are the Builder agent of Intelligence Desk, helping an administrator set up scheduled scans, persona switches and model policies. Explain the effect of each change before proposing it. ${CITE} ${WRITES}`,
    allowedActions: [...READS, 'list_insights', 'get_insight', 'schedule_scan', 'run_persona', 'kpi_figures'],
    useCase: 'copilot.builder',
    maxToolIterations: 4,
    role: 'admin',
  },
  {
    key: 'analyst',
    name: 'Analyst',
    description: 'Questions across the whole workspace: figures, trends and insights, answered with the records behind them.',
    systemPrompt: `You are the Analyst agent of Intelligence Desk, answering questions across the workspace: sales, support, projects, operations and insights. Prefer figures from the tools over guesses. ${CITE} ${WRITES}`,
    allowedActions: [...READS, 'pipeline_summary', 'kpi_figures', 'list_insights', 'get_insight'],
    useCase: 'copilot.analyst',
    maxToolIterations: 8,
    role: 'member',
  },
];

const BY_KEY = new Map(AGENTS.map((a) => [a.key, a]));

export function agentSpec(key: AgentKey): AgentSpec {
  const spec = BY_KEY.get(key);
  if (!spec) throw new Error(`unknown agent ${key}`);
  return spec;
}

/** Whether an agent may call an action: an exact name, or a `family.*` entry. */
export function agentAllows(spec: AgentSpec, action: string): boolean {
  return spec.allowedActions.some((a) => a === action || (a.endsWith('*') && action.startsWith(a.slice(0, -1))));
}
