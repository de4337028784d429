import { AppError } from '@shared/errors';
import { accountContext } from './builders/account';
import { agentContext } from './builders/agent';
import { campaignContext } from './builders/campaign';
import { conversationContext } from './builders/conversation';
import { dispatchContext } from './builders/dispatch';
import { projectContext } from './builders/project';
import { ticketContext } from './builders/ticket';
import { vendorContext } from './builders/vendor';
import type { ContextBuilder } from './types';

export const CONTEXT_BUILDERS: readonly ContextBuilder[] = [
  ticketContext,
  projectContext,
  conversationContext,
  campaignContext,
  dispatchContext,
  vendorContext,
  agentContext,
  accountContext,
];

const byKey = new Map(CONTEXT_BUILDERS.map((b) => [b.key, b]));

export const findContextBuilder = (key: string): ContextBuilder | undefined => byKey.get(key);

export function getContextBuilder(key: string): ContextBuilder {
  const b = byKey.get(key);
  if (!b) throw new AppError('internal', `There is no context builder "${key}".`);
  return b;
}
