import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import type { SearchAnswer } from '@shared/contract';
import { call, errorMessage } from '../../api/client';
import { CopilotMarkdown } from '../copilot/MessageView';

/** search.answer above the results: a one-shot answer with its sources; each source opens its record. Keyed by query. */
export function AnswerPanel({ workspace, query, onOpen }: { workspace: string; query: string; onOpen: (ref: { entity: string; id: number }) => void }) {
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ask = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setAnswer(await call('search.answer', { workspace, query }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder radius="md" p="sm" data-testid="answer-panel">
      {!answer && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            Get a short answer from the best matches, with its sources.
          </Text>
          <Button size="xs" variant="light" leftSection={<IconSparkles size={14} />} loading={busy} onClick={() => void ask()}>
            Answer
          </Button>
        </Group>
      )}
      {error && (
        <Alert color="red" mt="xs">
          {error}
        </Alert>
      )}
      {answer && (
        <Stack gap={6}>
          <CopilotMarkdown text={answer.text} onOpen={onOpen} />
          <Group gap={4}>
            {answer.sources.map((s) => (
              <Badge key={`${s.entity}:${s.id}`} variant="light" style={{ cursor: 'pointer' }} onClick={() => onOpen(s)}>
                {s.title}
              </Badge>
            ))}
            <Text size="xs" c="dimmed">
              {answer.model} · ${answer.costUsd.toFixed(4)}
              {answer.droppedCitations ? ` · ${answer.droppedCitations} unverified citation(s) dropped` : ''}
            </Text>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}
