import { Badge, Group, Stack, Text } from '@mantine/core';
import type { VoiceTranscript } from '@shared/contract';

const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`);

/** The transcript with who produced it and how long each step took. */
export function TranscriptCard({ t, compact = false }: { t: VoiceTranscript; compact?: boolean }) {
  return (
    <Stack gap={4} data-testid="voice-transcript">
      <Text fw={500} size={compact ? 'sm' : 'md'}>
        {t.text ? `“${t.text}”` : <Text span c="dimmed">(no words recognised)</Text>}
      </Text>
      <Group gap={6}>
        <Badge size="xs" variant="light" color={t.engine === 'local' ? 'teal' : 'indigo'} data-testid="voice-engine">
          {t.engine === 'local' ? 'On this computer' : 'Provider'}
        </Badge>
        <Badge size="xs" variant="outline" color="gray">
          {t.endpoint ? `${t.endpoint} · ${t.model}` : t.model}
        </Badge>
        {t.fallbackUsed && (
          <Badge size="xs" color="orange" variant="light">
            fallback
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {(t.audioMs / 1000).toFixed(1)} s of audio · transcript in {ms(t.elapsedMs)}
        {!compact && ` (model load ${ms(t.timings.loadMs)}, recognition ${ms(t.timings.inferenceMs)}, waiting ${ms(t.timings.queueMs)})`}
        {t.costUsd > 0 ? ` · $${t.costUsd.toFixed(4)}` : ''}
      </Text>
    </Stack>
  );
}
