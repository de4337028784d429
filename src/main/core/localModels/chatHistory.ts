import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from 'node-llama-cpp';
import { AppError } from '@shared/errors';
import type { ChatMessage } from '../gateway/types';

const parseLoose = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * Gateway messages → node-llama-cpp chat history. node-llama-cpp keeps a tool call and its result together inside
 * the model's response, where the gateway (like OpenAI) has an assistant message with toolCalls followed by one
 * 'tool' message per call; the results are folded back into the assistant turn here.
 *
 * The history ends with the model turn to be generated: an empty one after a user or system message, or the last
 * assistant turn itself (a prefill, or a turn that made tool calls whose results are now known).
 */
export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  if (messages.length === 0) throw new AppError('validation', 'Send at least one message.');
  const history: ChatHistoryItem[] = [];
  const answered = new Set<number>();
  messages.forEach((m, i) => {
    switch (m.role) {
      case 'system':
        history.push({ type: 'system', text: m.content });
        break;
      case 'user':
        history.push({ type: 'user', text: m.content });
        break;
      case 'assistant': {
        const response: ChatModelResponse['response'] = [];
        if (m.content) response.push(m.content);
        for (const call of m.toolCalls ?? []) {
          const at = messages.findIndex((x, j) => j > i && x.role === 'tool' && x.toolCallId === call.id);
          if (at >= 0) answered.add(at);
          const item: ChatModelFunctionCall = {
            type: 'functionCall',
            name: call.name,
            params: parseLoose(call.arguments),
            result: at >= 0 ? parseLoose(messages[at]!.content) : null,
          };
          response.push(item);
        }
        history.push({ type: 'model', response });
        break;
      }
      case 'tool':
        if (!answered.has(i)) {
          throw new AppError('validation', `Message ${i + 1} is a tool result for call "${m.toolCallId ?? '?'}", but no earlier assistant message made that call.`);
        }
        break;
    }
  });
  if (history[history.length - 1]?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}
