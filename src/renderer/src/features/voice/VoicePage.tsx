import { SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { CaptureSettingsPanel } from './CaptureSettingsPanel';
import { SpeechModelsPanel } from './SpeechModelsPanel';
import { VoiceHistoryPanel } from './VoiceHistoryPanel';
import { VoiceTestPanel } from './VoiceTestPanel';

/** Voice: the microphone and engine test, capture and confirmation settings, speech models, and command history. */
export function VoicePage() {
  return (
    <Stack gap="md" maw={1200}>
      <Stack gap={2}>
        <Title order={2}>Voice</Title>
        <Text c="dimmed" size="sm">
          Give commands by voice from any page: click the microphone in the header, or hold the push-to-talk shortcut. Writes wait for your “yes”; recordings are kept on this computer only for the days you choose below.
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <VoiceTestPanel />
        <CaptureSettingsPanel />
      </SimpleGrid>
      <SpeechModelsPanel />
      <VoiceHistoryPanel />
    </Stack>
  );
}
