import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ActionIcon, Alert, Badge, Button, Group, Menu, Paper, SegmentedControl, Stack, Text, Textarea, TextInput, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { IconDots, IconPin, IconPinnedOff, IconPlayerStopFilled, IconPlus, IconSearch, IconSend, IconTrash } from '@tabler/icons-react';
import type { CopilotMessage, RecordRef, ToolCallView } from '@shared/contract';
import type { SerializedAppError } from '@shared/errors';
import { RecordDrawer } from '../data/RecordDrawer';
import { useCopilotStore } from '../../stores/copilotStore';
import { selectCurrentWorkspace, useWorkspaceStore } from '../../stores/workspaceStore';
import { ApprovalCard, CopilotMarkdown, MessageView, ToolCard } from './MessageView';
import classes from './copilot.module.css';

/** Which empty/error state an error is, so the page can say what to do. */
export function errorState(e: SerializedAppError): { title: string; body: string; link?: { to: string; label: string } } {
  const d = e.details ?? {};
  if (e.code === 'unavailable' && d.reason === 'no_tools') return { title: 'This model cannot call tools', body: e.message, link: { to: '/configuration', label: 'Change the policy' } };
  if (e.code === 'unavailable' && /No model provider is configured/.test(e.message)) return { title: 'No model provider yet', body: 'Add a provider to chat with the copilot.', link: { to: '/configuration', label: 'Add a provider' } };
  if (e.code === 'budget_exceeded') return { title: 'Budget reached', body: e.message, link: { to: '/configuration', label: 'See budgets' } };
  if ((e.code as string) === 'rate_limited' || d.status === 429 || d.failure === 'rate_limited') return { title: 'Rate limited', body: `${e.message} Wait a moment and send again.` };
  if (e.code === 'forbidden') return { title: 'Not allowed', body: e.message };
  return { title: 'The answer failed', body: e.message };
}

/** Tool calls of the assistant rounds before each answer, keyed by the answer's id. */
function toolsByAnswer(messages: readonly CopilotMessage[]): Map<string, ToolCallView[]> {
  const out = new Map<string, ToolCallView[]>();
  let acc: ToolCallView[] = [];
  for (const m of messages) {
    if (m.role === 'user') acc = [];
    else if (m.role === 'assistant' && m.toolCalls.length) acc = [...acc, ...m.toolCalls];
    else if (m.role === 'assistant') {
      out.set(m.id, acc);
      acc = [];
    }
  }
  return out;
}

const parseContext = (v: string | null): RecordRef | null => {
  const m = v ? /^([a-z][a-z0-9_]*):(\d+)$/.exec(v) : null;
  return m ? { entity: m[1]!, id: Number(m[2]) } : null;
};

export function CopilotPage() {
  const workspace = useWorkspaceStore(selectCurrentWorkspace);
  const name = workspace?.status === 'ready' ? workspace.name : null;
  const s = useCopilotStore();
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = useState('');
  const [opened, setOpened] = useState<RecordRef | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const chatEnd = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (!name) return;
    s.init(name).catch((e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [name]);

  // Opened from a record ("Ask copilot" in the record drawer): a new conversation with that record as context.
  const contextParam = params.get('context');
  useEffect(() => {
    const ref = parseContext(contextParam);
    if (!ref) return;
    s.newConversation();
    s.setContext(ref);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [contextParam]);

  useEffect(() => {
    chatEnd.current?.scrollIntoView({ block: 'end' });
  }, [s.messages, s.live?.text, s.live?.tools.length]);

  const tools = useMemo(() => toolsByAnswer(s.messages), [s.messages]);
  const lastAnswerId = [...s.messages].reverse().find((m) => m.role === 'assistant' && !m.toolCalls.length)?.id;
  const lastUser = [...s.messages].reverse().find((m) => m.role === 'user');
  const references = useMemo(() => {
    const seen = new Map<string, RecordRef>();
    for (const m of s.messages) for (const c of m.citations) seen.set(`${c.entity}:${c.id}`, c);
    return [...seen.values()];
  }, [s.messages]);
  const running = s.status === 'running';
  const agent = s.agents.find((a) => a.key === s.agent);

  const send = (): void => {
    const text = draft.trim();
    if (!text || running) return;
    setDraft('');
    void s.send(text);
  };
  const newConversation = (): void => {
    s.newConversation();
    s.setContext(null);
    if (contextParam) setParams({}, { replace: true });
    input.current?.focus();
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape' && running) {
      e.preventDefault();
      void s.stop();
    }
  };
  const onPageKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      newConversation();
    } else if (e.key === 'Escape' && running) {
      void s.stop();
    }
  };

  if (!name) {
    return (
      <Stack>
        <Title order={2}>Copilot</Title>
        <Alert color="gray">Open or create a workspace first: the copilot answers from its records.</Alert>
      </Stack>
    );
  }
  const err = s.error ? errorState(s.error) : null;

  return (
    <Stack gap="sm" data-owns-shortcuts="mod+k" onKeyDown={onPageKey} data-testid="copilot-page">
      <Group justify="space-between">
        <Title order={2}>Copilot</Title>
        <SegmentedControl
          size="xs"
          value={s.agent}
          onChange={(v) => s.setAgent(v as typeof s.agent)}
          data={s.agents.map((a) => ({ value: a.key, label: a.name, disabled: !a.available }))}
          data-testid="agent-switcher"
        />
      </Group>
      {loadError && <Alert color="red">{loadError}</Alert>}
      <div className={classes.layout}>
        <div className={classes.column}>
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={newConversation} variant="light">
            New conversation <Text span size="xs" c="dimmed" ml={6}>Ctrl/⌘K</Text>
          </Button>
          <TextInput size="xs" leftSection={<IconSearch size={14} />} placeholder="Search conversations" value={s.query} onChange={(e) => void s.search(e.currentTarget.value)} aria-label="Search conversations" />
          <div className={classes.scroll} data-testid="conversation-list">
            {s.conversations.length === 0 && (
              <Text size="xs" c="dimmed" p="xs">
                {s.query ? 'No conversation matches.' : 'No conversations yet.'}
              </Text>
            )}
            {s.conversations.map((c) => (
              <Group key={c.id} gap={2} wrap="nowrap">
                <UnstyledButton className={classes.conv} data-active={c.id === s.conversationId || undefined} onClick={() => void s.open(c.id)}>
                  <Text size="xs" fw={c.id === s.conversationId ? 600 : 400} lineClamp={1}>
                    {c.pinned ? '📌 ' : ''}
                    {c.title}
                  </Text>
                  <Text size="10px" c="dimmed">
                    {s.agents.find((a) => a.key === c.agent)?.name ?? c.agent} · ${c.costUsd.toFixed(3)}
                  </Text>
                </UnstyledButton>
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <ActionIcon size="sm" variant="subtle" aria-label="Conversation actions">
                      <IconDots size={14} />
                    </ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item leftSection={c.pinned ? <IconPinnedOff size={14} /> : <IconPin size={14} />} onClick={() => void s.pin(c.id, !c.pinned)}>
                      {c.pinned ? 'Unpin' : 'Pin'}
                    </Menu.Item>
                    <Menu.Item
                      onClick={() => {
                        const t = window.prompt('Rename the conversation', c.title);
                        if (t?.trim()) void s.rename(c.id, t.trim());
                      }}
                    >
                      Rename
                    </Menu.Item>
                    <Menu.Item
                      onClick={() =>
                        void s.exportMarkdown(c.id).then((r) => {
                          const url = URL.createObjectURL(new Blob([r.markdown], { type: 'text/markdown' }));
                          const a = document.createElement('a');
                          a.href = url;
                          a.download = r.fileName;
                          a.click();
                          URL.revokeObjectURL(url);
                        })
                      }
                    >
                      Export Markdown
                    </Menu.Item>
                    <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => void s.remove(c.id)}>
                      Delete
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Group>
            ))}
          </div>
        </div>

        <div className={classes.column}>
          {s.context && (
            <Paper withBorder p="xs" radius="sm" data-testid="context-panel">
              <Group justify="space-between">
                <Text size="xs">
                  Context: <UnstyledButton onClick={() => setOpened(s.context)} className={classes.cite}>{`${s.context.entity}:${s.context.id}`}</UnstyledButton> — the agent sees this record.
                </Text>
                {!s.conversationId && (
                  <Button size="compact-xs" variant="subtle" onClick={() => s.setContext(null)}>
                    Remove
                  </Button>
                )}
              </Group>
            </Paper>
          )}
          {s.conversation?.summary && (
            <Paper withBorder p="xs" radius="sm" data-testid="summary-panel">
              <Text size="xs" c="dimmed">
                Earlier turns are summarised to stay within the context budget:
              </Text>
              <Text size="xs">{s.conversation.summary}</Text>
            </Paper>
          )}
          <div className={classes.chat} data-testid="chat">
            {s.messages.length === 0 && !s.live && (
              <Stack gap={4} p="md">
                <Text fw={600}>{agent?.name ?? 'Copilot'}</Text>
                <Text size="sm" c="dimmed">
                  {agent?.description}
                </Text>
                <Text size="xs" c="dimmed">
                  Answers cite the records they used; changes to records wait for your approval.
                </Text>
              </Stack>
            )}
            {s.messages
              .filter((m) => m.role === 'user' || (m.role === 'assistant' && m.toolCalls.length === 0))
              .map((m) => (
                <MessageView
                  key={m.id}
                  message={m}
                  toolsBefore={tools.get(m.id) ?? []}
                  onOpen={setOpened}
                  decisions={s.decisions}
                  revised={s.revised}
                  onDecide={(p, d, args) => s.decide(p, d, args)}
                  onRegenerate={m.id === lastAnswerId && lastUser && !running ? () => void s.send(lastUser.content, { regenerate: true }) : undefined}
                />
              ))}
            {s.live && (
              <>
                <div className={classes.user}>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {s.live.userText}
                  </Text>
                </div>
                <Stack gap={6} className={classes.assistant} data-testid="live-answer">
                  {s.live.tools.map((t) => (
                    <ToolCard key={t.id} tool={t} />
                  ))}
                  {s.live.text ? <CopilotMarkdown text={s.live.text} onOpen={setOpened} /> : <Text size="xs" c="dimmed">Thinking…</Text>}
                  {s.live.proposals.map((p) => (
                    <ApprovalCard key={p.id} proposal={p} decided={s.decisions[p.id]} revised={s.revised[p.id]} onDecide={(d, args) => s.decide(p, d, args)} />
                  ))}
                </Stack>
              </>
            )}
            {err && (
              <Alert color={s.error?.code === 'budget_exceeded' ? 'orange' : 'red'} title={err.title} data-testid="copilot-error">
                <Text size="sm">{err.body}</Text>
                {err.link && (
                  <Button component={Link} to={err.link.to} size="compact-xs" variant="light" mt={6}>
                    {err.link.label}
                  </Button>
                )}
              </Alert>
            )}
            <div ref={chatEnd} />
          </div>
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <Textarea
              ref={input}
              style={{ flex: 1 }}
              autosize
              minRows={1}
              maxRows={8}
              placeholder={`Ask the ${agent?.name ?? ''} agent… (Enter sends, Shift+Enter new line)`}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              onKeyDown={onKey}
              aria-label="Message"
              data-testid="composer"
            />
            {running ? (
              <Button color="red" variant="light" leftSection={<IconPlayerStopFilled size={14} />} onClick={() => void s.stop()} data-testid="stop">
                Stop
              </Button>
            ) : (
              <Button leftSection={<IconSend size={14} />} onClick={send} disabled={!draft.trim()} data-testid="send">
                Send
              </Button>
            )}
          </Group>
        </div>

        <div className={`${classes.column} ${classes.side}`}>
          <Text size="xs" fw={600}>
            References
          </Text>
          <Stack gap={4} data-testid="references">
            {references.length === 0 && (
              <Text size="xs" c="dimmed">
                Records the answers cite appear here.
              </Text>
            )}
            {references.map((r) => (
              <UnstyledButton key={`${r.entity}:${r.id}`} className={classes.conv} onClick={() => setOpened(r)} data-testid="reference">
                <Badge size="xs" variant="light" mr={6}>
                  {r.entity}
                </Badge>
                <Text span size="xs">
                  #{r.id}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
          <Text size="xs" fw={600} mt="sm">
            Memory
          </Text>
          <div className={classes.scroll} data-testid="memory-panel">
            {s.memory.length === 0 && (
              <Text size="xs" c="dimmed">
                Nothing remembered yet.
              </Text>
            )}
            {s.memory.map((m) => (
              <Group key={m.id} gap={4} wrap="nowrap" align="flex-start" mb={4}>
                <Text size="xs" style={{ flex: 1 }}>
                  <Badge size="xs" variant="outline" mr={4}>
                    {m.type.replace('_', ' ')}
                  </Badge>
                  {m.content}
                  <Text span size="10px" c="dimmed">
                    {' '}
                    · {m.retention}
                  </Text>
                </Text>
                <Tooltip label="Forget">
                  <ActionIcon size="xs" variant="subtle" color="red" aria-label="Forget this memory" onClick={() => void s.forget(m.id)}>
                    <IconTrash size={12} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ))}
          </div>
        </div>
      </div>
      <RecordDrawer workspace={name} entity={opened?.entity ?? 'tickets'} id={opened?.id ?? null} onClose={() => setOpened(null)} />
    </Stack>
  );
}
