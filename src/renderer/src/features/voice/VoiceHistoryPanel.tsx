import { ActionIcon, Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconPlayerPlay, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import type { VoiceSession } from '@shared/contract';
import { call, errorMessage } from '../../api/client';
import { useVoiceStore } from '../../stores/voiceStore';
import { useWorkspaceStore } from '../../stores/workspaceStore';

const STATUS_COLOR: Record<VoiceSession['status'], string> = { navigate: 'blue', done: 'teal', confirm: 'orange', clarify: 'yellow', cancelled: 'gray', failed: 'red' };

/** Your past commands in this workspace: what was said and understood, engine and timings, result; replay and delete. */
export function VoiceHistoryPanel() {
  const workspace = useWorkspaceStore((s) => s.current);
  const last = useVoiceStore((s) => s.command?.sessionId ?? null);
  const keepDays = useVoiceStore((s) => s.settings.keepAudioDays);
  const [sessions, setSessions] = useState<VoiceSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!workspace) return;
    try {
      setSessions((await call('voice.history', { workspace, limit: 50 })).sessions);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [workspace]);
  useEffect(() => {
    if (!workspace) return;
    let live = true;
    // Reload when the workspace changes or a new command finished (its session id).
    call('voice.history', { workspace, limit: 50 })
      .then((r) => live && (setSessions(r.sessions), setError(null)))
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [workspace, last]);

  const play = async (s: VoiceSession): Promise<void> => {
    if (!workspace) return;
    try {
      const { audio } = await call('voice.audio', { workspace, sessionId: s.sessionId });
      if (!audio) return setError('That recording is no longer kept.');
      await new Audio(`data:audio/wav;base64,${audio}`).play();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const remove = async (target: { sessionId: string } | { all: true }): Promise<void> => {
    if (!workspace) return;
    try {
      await call('voice.history.delete', { workspace, ...target });
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Paper withBorder p="md" radius="md" data-slot="voice-history">
      <Stack gap="sm">
        <Group justify="space-between">
          <Stack gap={0}>
            <Title order={4}>History</Title>
            <Text size="xs" c="dimmed">
              {keepDays > 0 ? `Recordings are kept on this computer for ${keepDays} ${keepDays === 1 ? 'day' : 'days'}, then deleted.` : 'Recordings are not kept.'} Transcripts stay until you delete them.
            </Text>
          </Stack>
          <Button size="xs" variant="subtle" color="red" disabled={!sessions?.length} onClick={() => void remove({ all: true })}>
            Delete all
          </Button>
        </Group>
        {!workspace && <Text size="sm" c="dimmed">Open a workspace to give commands and see their history.</Text>}
        {error && (
          <Alert color="red" variant="light" p="xs">
            {error}
          </Alert>
        )}
        {workspace && sessions?.length === 0 && (
          <Text size="sm" c="dimmed">
            No commands yet. Try “open ticket 42”, “show critical insights” or “create a task to call Acme tomorrow at nine”.
          </Text>
        )}
        {sessions && sessions.length > 0 && (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing={4} fz="sm" data-testid="voice-history-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Said</Table.Th>
                  <Table.Th>Understood</Table.Th>
                  <Table.Th>Engine</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sessions.map((s) => (
                  <Table.Tr key={s.sessionId} data-testid="voice-history-row">
                    <Table.Td c="dimmed">{new Date(s.createdAt).toLocaleString()}</Table.Td>
                    <Table.Td>{s.transcript}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.summary}</Text>
                      <Text size="xs" c="dimmed">
                        {s.understoodBy === 'none' ? 'not understood' : `by ${s.understoodBy}`} · {Math.round(s.confidence * 100)}%
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{s.engine ? `${s.engine} · ${s.model ?? ''}` : 'typed'}</Text>
                      {s.transcribeMs !== null && (
                        <Text size="xs" c="dimmed">
                          {Math.round(s.transcribeMs)} ms + {Math.round(s.understandMs ?? 0)} ms
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={STATUS_COLOR[s.status]}>
                        {s.status}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Tooltip label={s.hasAudio ? 'Play the recording' : 'No recording kept'}>
                          <ActionIcon variant="subtle" size="sm" aria-label={`Play ${s.transcript}`} disabled={!s.hasAudio} onClick={() => void play(s)}>
                            <IconPlayerPlay size={14} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label="Delete">
                          <ActionIcon variant="subtle" size="sm" color="red" aria-label={`Delete ${s.transcript}`} onClick={() => void remove({ sessionId: s.sessionId })}>
                            <IconTrash size={14} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
