import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { CaptureSettingsPanel } from './CaptureSettingsPanel';
import { SpeechModelsPanel } from './SpeechModelsPanel';
import { VoiceTestPanel } from './VoiceTestPanel';

/**
 * Voice: the microphone and engine test, capture settings and speech models. Command history and the confirmation
 * threshold join this page with voice actions (the next half of issue 11).
 */
export function VoicePage() {
  return (
    <Stack gap="md" maw={1200}>
      <Stack gap={2}>
        <Title order={2}>Voice</Title>
        <Text c="dimmed" size="sm">
          Give commands by voice from any page: click the microphone in the header, or hold the push-to-talk shortcut. Recordings are transcribed and then discarded; no audio is stored.
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <VoiceTestPanel />
        <CaptureSettingsPanel />
      </SimpleGrid>
      <SpeechModelsPanel />
      <Paper withBorder p="md" radius="md" data-slot="voice-history">
        <Title order={5}>History and confirmation</Title>
        <Text size="sm" c="dimmed">
          Coming with voice actions: past commands with their transcript, what was understood and done, and the confidence below which the app asks before acting.
        </Text>
      </Paper>
    </Stack>
  );
}
