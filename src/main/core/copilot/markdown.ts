import type { ConversationInfo, CopilotMessage } from '@shared/contract/copilot';

/** A conversation as Markdown: the title, who and what answered, then each message; tool calls as one line each. */
export function conversationMarkdown(c: ConversationInfo, messages: readonly CopilotMessage[], agentName: string): string {
  const lines = [
    `# ${c.title}`,
    '',
    `Agent: ${agentName} · Model: ${c.model ?? '—'} · Tokens: ${c.tokensIn} in / ${c.tokensOut} out · Cost: $${c.costUsd.toFixed(4)}`,
    `Started ${c.createdAt} · Last message ${c.updatedAt}`,
    '',
  ];
  if (c.summary) lines.push('> Summary of earlier turns:', ...c.summary.split('\n').map((l) => `> ${l}`), '');
  for (const m of messages) {
    if (m.role === 'tool') continue;
    if (m.role === 'user') {
      lines.push('## You', '', m.content, '');
      continue;
    }
    for (const t of m.toolCalls) lines.push(`- Tool \`${t.name}\` (${t.status}): \`${t.arguments.replace(/`/g, "'")}\``);
    if (m.content || m.status !== 'done') {
      lines.push(`## ${agentName}${m.status === 'done' ? '' : ` (${m.status})`}`, '', m.content, '');
    }
    for (const p of m.proposals) lines.push(`- Proposed: ${p.summary} (${p.action}, ${p.status})`);
    if (m.citations.length) lines.push('', `Sources: ${m.citations.map((r) => `${r.entity}:${r.id}`).join(', ')}`, '');
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
