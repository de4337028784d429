import { useState } from 'react';
import Markdown, { type Components } from 'react-markdown';
import { ActionIcon, Badge, Button, Code, Collapse, Group, Paper, Stack, Text, Textarea, Tooltip, UnstyledButton } from '@mantine/core';
import { IconCheck, IconChevronDown, IconChevronRight, IconCopy, IconEdit, IconLoader2, IconRefresh, IconTool, IconX } from '@tabler/icons-react';
import type { CopilotMessage, ProposalView, RecordRef, ToolCallView } from '@shared/contract';
import classes from './copilot.module.css';

/** `[tickets:42]` (or `[tickets:42, deals:7]`) → Markdown links the page turns into record buttons. */
export function linkCitations(text: string): string {
  return text.replace(/\[((?:[a-z][a-z0-9_]*:\d+)(?:\s*,\s*[a-z][a-z0-9_]*:\d+)*)\](?!\()/g, (_w, inner: string) =>
    inner
      .split(/\s*,\s*/)
      .map((k) => `[${k}](#ref:${k})`)
      .join(' '),
  );
}

/** Markdown as the copilot writes it: citations open the record; links open outside the app; no remote images. */
export function CopilotMarkdown({ text, onOpen }: { text: string; onOpen: (ref: RecordRef) => void }) {
  const components: Components = {
    a: ({ href, children }) => {
      const ref = href?.startsWith('#ref:') ? /^#ref:([a-z][a-z0-9_]*):(\d+)$/.exec(href) : null;
      if (ref) {
        return (
          <UnstyledButton component="span" className={classes.cite} data-testid="citation" data-ref={`${ref[1]}:${ref[2]}`} onClick={() => onOpen({ entity: ref[1]!, id: Number(ref[2]) })}>
            {children}
          </UnstyledButton>
        );
      }
      const safe = href && /^(https?:|mailto:)/i.test(href) ? href : undefined;
      return safe ? (
        <a href={safe} target="_blank" rel="noopener noreferrer">
          {children}
        </a>
      ) : (
        <span>{children}</span>
      );
    },
    // No remote images: the alt text stands in.
    img: ({ alt }) => <span className={classes.imageAlt}>[image{alt ? `: ${alt}` : ''}]</span>,
  };
  return (
    <div className={classes.markdown}>
      <Markdown components={components} skipHtml>
        {linkCitations(text)}
      </Markdown>
    </div>
  );
}

const STATUS_COLOR: Record<ToolCallView['status'], string> = { running: 'blue', done: 'teal', failed: 'red', proposed: 'grape' };

/** One line per tool call (running / done / failed / proposed); expands to its arguments and result. */
export function ToolCard({ tool }: { tool: ToolCallView }) {
  const [open, setOpen] = useState(false);
  return (
    <Paper withBorder radius="sm" px="xs" py={4} data-testid="tool-card" data-status={tool.status} data-tool={tool.name}>
      <UnstyledButton onClick={() => setOpen((o) => !o)} style={{ width: '100%' }} aria-expanded={open}>
        <Group gap={6} wrap="nowrap">
          {open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
          {tool.status === 'running' ? <IconLoader2 size={14} className={classes.spin} /> : <IconTool size={14} />}
          <Text size="xs" fw={600}>
            {tool.name}
          </Text>
          <Text size="xs" c="dimmed" lineClamp={1} style={{ flex: 1 }}>
            {tool.arguments}
          </Text>
          <Badge size="xs" variant="light" color={STATUS_COLOR[tool.status]}>
            {tool.status}
          </Badge>
        </Group>
      </UnstyledButton>
      <Collapse expanded={open}>
        <Stack gap={4} mt={4}>
          <Text size="xs" c="dimmed">
            Arguments
          </Text>
          <Code block>{tool.arguments}</Code>
          {tool.result !== null && (
            <>
              <Text size="xs" c="dimmed">
                Result
              </Text>
              <Code block className={classes.result}>
                {tool.result}
              </Code>
            </>
          )}
        </Stack>
      </Collapse>
    </Paper>
  );
}

interface Change {
  entity: string;
  id: number | string | null;
  fields: { name: string; before: unknown; after: unknown }[];
}
const show = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** A proposed write: the diff, and Approve / Edit / Reject through the action layer. */
export function ApprovalCard({ proposal, decided, revised, onDecide }: { proposal: ProposalView; decided: string | undefined; revised?: unknown; onDecide: (d: 'approve' | 'reject', args?: Record<string, unknown>) => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(() => JSON.stringify(proposal.arguments, null, 2));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const changes = (((revised ?? proposal.diff) as { changes?: Change[] } | null)?.changes ?? []) as Change[];
  const status = decided ?? proposal.status;
  const open = status === 'pending' || status === 'changed';
  const run = async (d: 'approve' | 'reject', args?: Record<string, unknown>): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      await onDecide(d, args);
      setEditing(false);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder radius="md" p="sm" className={classes.approval} data-testid="approval-card" data-status={status}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={600}>
            {proposal.summary}
          </Text>
          <Badge variant="light" color={open ? 'yellow' : status === 'executed' ? 'teal' : 'gray'}>
            {status}
          </Badge>
        </Group>
        {status === 'changed' && (
          <Text size="xs" c="orange">
            The records changed since this was proposed: this is the new diff. Approve again to apply it.
          </Text>
        )}
        {proposal.afterUntrusted && (
          <Text size="xs" c="orange">
            Proposed after the agent read record text (emails, tickets, notes): check it before approving.
          </Text>
        )}
        <table className={classes.diff} data-testid="approval-diff">
          <tbody>
            {changes.flatMap((c, i) => [
              <tr key={`h${i}`}>
                <td colSpan={3} className={classes.diffHead}>
                  {c.entity}
                  {c.id === null ? ' (new)' : ` #${c.id}`}
                </td>
              </tr>,
              ...c.fields.map((f) => (
                <tr key={`${i}-${f.name}`}>
                  <td>{f.name}</td>
                  <td className={classes.before}>{show(f.before)}</td>
                  <td className={classes.after}>{show(f.after)}</td>
                </tr>
              )),
            ])}
          </tbody>
        </table>
        {editing && <Textarea autosize minRows={3} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} aria-label="Arguments (JSON)" styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }} />}
        {problem && (
          <Text size="xs" c="red">
            {problem}
          </Text>
        )}
        {open && (
          <Group gap="xs">
            <Button
              size="xs"
              leftSection={<IconCheck size={14} />}
              loading={busy}
              onClick={() => {
                if (!editing) return void run('approve');
                try {
                  void run('approve', JSON.parse(draft) as Record<string, unknown>);
                } catch {
                  setProblem('The arguments are not valid JSON.');
                }
              }}
            >
              {editing ? 'Approve edited' : 'Approve'}
            </Button>
            <Button size="xs" variant="default" leftSection={<IconEdit size={14} />} onClick={() => setEditing((e) => !e)} disabled={busy}>
              Edit
            </Button>
            <Button size="xs" variant="subtle" color="red" leftSection={<IconX size={14} />} onClick={() => void run('reject')} disabled={busy}>
              Reject
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** One stored message: the user's text, or an answer with its tool cards, approvals, references and usage. */
export function MessageView({
  message,
  toolsBefore,
  onOpen,
  decisions,
  revised = {},
  onDecide,
  onRegenerate,
}: {
  message: CopilotMessage;
  /** Tool calls of the rounds that led to this answer. */
  toolsBefore: ToolCallView[];
  onOpen: (ref: RecordRef) => void;
  decisions: Record<string, string>;
  revised?: Record<string, unknown>;
  onDecide: (p: ProposalView, d: 'approve' | 'reject', args?: Record<string, unknown>) => Promise<void>;
  onRegenerate?: (() => void) | undefined;
}) {
  if (message.role === 'user') {
    return (
      <div className={classes.user} data-testid="message-user">
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {message.content}
        </Text>
      </div>
    );
  }
  return (
    <Stack gap={6} className={classes.assistant} data-testid="message-assistant" data-status={message.status}>
      {toolsBefore.map((t) => (
        <ToolCard key={t.id} tool={t} />
      ))}
      {message.content && <CopilotMarkdown text={message.content} onOpen={onOpen} />}
      {message.status !== 'done' && (
        <Text size="xs" c={message.status === 'failed' ? 'red' : 'dimmed'}>
          {message.status === 'stopped' ? 'Stopped.' : 'This answer failed.'}
        </Text>
      )}
      {message.proposals.map((p) => (
        <ApprovalCard key={p.id} proposal={p} decided={decisions[p.id]} revised={revised[p.id]} onDecide={(d, args) => onDecide(p, d, args)} />
      ))}
      <Group gap={6}>
        {message.droppedCitations > 0 && (
          <Tooltip label="The answer cited records the agent never read in this conversation; those citations were removed.">
            <Badge size="xs" variant="light" color="orange">
              {message.droppedCitations} unverified citation{message.droppedCitations === 1 ? '' : 's'} dropped
            </Badge>
          </Tooltip>
        )}
        <Text size="xs" c="dimmed">
          {message.model ?? ''} · {message.tokensIn} in / {message.tokensOut} out · ${message.costUsd.toFixed(4)}
        </Text>
        <Tooltip label="Copy">
          <ActionIcon size="sm" variant="subtle" aria-label="Copy answer" onClick={() => void navigator.clipboard?.writeText(message.content)}>
            <IconCopy size={14} />
          </ActionIcon>
        </Tooltip>
        {onRegenerate && (
          <Tooltip label="Regenerate">
            <ActionIcon size="sm" variant="subtle" aria-label="Regenerate answer" onClick={onRegenerate}>
              <IconRefresh size={14} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
    </Stack>
  );
}
