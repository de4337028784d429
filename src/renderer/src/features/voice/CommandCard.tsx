import { Alert, Badge, Button, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import type { VoiceCommandResult } from '@shared/contract';
import { useVoiceStore } from '../../stores/voiceStore';

const show = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** The diff of the write waiting for a yes: the same before → after the copilot's approval card shows. */
function Diff({ command }: { command: VoiceCommandResult }) {
  const changes = command.approval?.preview.changes ?? [];
  if (!changes.length) return null;
  return (
    <Stack gap={4} data-testid="voice-diff">
      {changes.map((c, i) => (
        <Stack key={i} gap={2}>
          <Text size="xs" fw={600}>
            {c.op === 'create' ? 'New' : c.op === 'update' ? 'Change' : 'Delete'} {c.entity.replace(/_/g, ' ')}
            {c.id !== null && c.id !== undefined ? ` #${String(c.id)}` : ''}
          </Text>
          <Table withRowBorders={false} verticalSpacing={1} fz="xs">
            <Table.Tbody>
              {c.fields.map((f) => (
                <Table.Tr key={f.name}>
                  <Table.Td c="dimmed">{f.name}</Table.Td>
                  {c.op !== 'create' && <Table.Td td="line-through" c="dimmed">{show(f.before)}</Table.Td>}
                  <Table.Td>{show(f.after)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      ))}
    </Stack>
  );
}

/**
 * What the command became (in the header overlay): the understood command with the names and times it resolved, and
 * for a write the diff with Confirm / Cancel ("yes" / "no" by voice, Esc cancels). Navigation happens at once.
 */
export function CommandCard() {
  const command = useVoiceStore((s) => s.command);
  const busy = useVoiceStore((s) => s.commandBusy);
  const error = useVoiceStore((s) => s.commandError);
  const { confirmCommand, cancelCommand, chooseEntity } = useVoiceStore.getState();
  const navigate = useNavigate();
  const went = useRef<string | null>(null);

  useEffect(() => {
    if (command?.navigateTo && went.current !== command.sessionId) {
      went.current = command.sessionId;
      void navigate(command.navigateTo);
    }
  }, [command, navigate]);

  useEffect(() => {
    if (command?.status !== 'confirm') return;
    const key = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault();
        void cancelCommand();
      }
    };
    window.addEventListener('keydown', key, true);
    return () => window.removeEventListener('keydown', key, true);
  }, [command?.status, cancelCommand]);

  if (busy && !command) {
    return (
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="xs">Understanding…</Text>
      </Group>
    );
  }
  if (error) return <Alert color="red" variant="light" p="xs" data-testid="voice-command-error">{error}</Alert>;
  if (!command) return null;
  const color = { navigate: 'blue', done: 'teal', confirm: 'orange', clarify: 'yellow', cancelled: 'gray', failed: 'red' }[command.status];
  return (
    <Stack gap="xs" data-testid="voice-command-card" data-status={command.status}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" fw={500} data-testid="voice-command-summary">
          {command.summary}
        </Text>
        <Badge size="xs" color={color} variant="light">
          {command.status === 'confirm' ? 'needs a yes' : command.status}
        </Badge>
      </Group>
      {command.entities.length > 0 && (
        <Stack gap={2}>
          {command.entities.map((e) => (
            <Group key={e.field} gap={6} wrap="wrap">
              <Text size="xs" c="dimmed">
                “{e.text}” →
              </Text>
              <Text size="xs" fw={500} data-testid="voice-entity">
                {e.entity === 'time' ? (e.value ?? 'not understood') : e.match ? `${e.match.title}${e.match.code && e.match.code !== e.match.title ? ` · ${e.match.code}` : ''}` : 'no match'}
              </Text>
              {command.status === 'clarify' &&
                [...(e.match && e.confidence < 1 ? [e.match] : []), ...e.alternatives].slice(0, 4).map((a) => (
                  <Button key={a.id} size="compact-xs" variant="light" onClick={() => void chooseEntity(e.field, a.id)} disabled={busy}>
                    {a.title}
                  </Button>
                ))}
            </Group>
          ))}
        </Stack>
      )}
      <Diff command={command} />
      {command.question && command.status !== 'confirm' && (
        <Text size="xs" c="dimmed" data-testid="voice-question">
          {command.question}
        </Text>
      )}
      {command.error && (
        <Alert color="red" variant="light" p="xs">
          {command.error}
        </Alert>
      )}
      {command.approval?.untrusted && (
        <Text size="xs" c="orange">
          Proposed after reading record text: check it before confirming.
        </Text>
      )}
      {command.status === 'confirm' && (
        <Group justify="flex-end" gap="xs">
          <Text size="xs" c="dimmed" mr="auto">
            Say “yes” or “no”
          </Text>
          <Button size="compact-sm" variant="default" leftSection={<IconX size={14} />} onClick={() => void cancelCommand()} disabled={busy}>
            Cancel
          </Button>
          <Button size="compact-sm" leftSection={<IconCheck size={14} />} onClick={() => void confirmCommand()} loading={busy}>
            Confirm
          </Button>
        </Group>
      )}
    </Stack>
  );
}
