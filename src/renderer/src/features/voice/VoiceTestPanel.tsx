import { Alert, Badge, Button, Group, Paper, SegmentedControl, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconMicrophone, IconPlayerStopFilled, IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import type { VoiceEngineChoice } from '@shared/contract';
import { errorMessage } from '../../api/client';
import { useLocalModelsStore } from '../../stores/localModelsStore';
import { useVoiceStore } from '../../stores/voiceStore';
import { useWorkspaceStore } from '../../stores/workspaceStore';
import { describeCapture, isLive } from './capture/machine';
import { listMicrophones } from './capture/microphone';
import { LevelMeter } from './LevelMeter';
import { TranscriptCard } from './TranscriptCard';

const mb = (n: number | null): string => (n === null ? '—' : `${Math.round(n / 1e6)} MB`);

/** Microphone, engine and model choice, and a "say something" test that shows the transcript and its timings. */
export function VoiceTestPanel() {
  const { settings, capture, surface, engine, saveSettings, refreshEngine, loadModel, restartEngine } = useVoiceStore();
  const models = useLocalModelsStore((s) => s.models).filter((m) => m.kind === 'whisper' && m.status === 'ready');
  const workspace = useWorkspaceStore((s) => s.current);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const refreshDevices = useCallback(() => void listMicrophones().then(setDevices, () => setDevices([])), []);
  useEffect(() => {
    refreshDevices();
    void refreshEngine();
    navigator.mediaDevices?.addEventListener?.('devicechange', refreshDevices);
    return () => navigator.mediaDevices?.removeEventListener?.('devicechange', refreshDevices);
  }, [refreshDevices, refreshEngine]);
  // Device labels appear once the microphone was allowed: list again after each command.
  useEffect(() => {
    if (capture.phase === 'ready') {
      refreshDevices();
      void refreshEngine();
    }
  }, [capture.phase, refreshDevices, refreshEngine]);
  const mine = surface === 'page';
  const live = mine && isLive(capture.phase);
  const set = async (patch: Parameters<typeof saveSettings>[0]): Promise<void> => {
    try {
      setError(null);
      await saveSettings(patch);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const run = async (what: string, fn: () => Promise<void>): Promise<void> => {
    setBusy(what);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={4}>Microphone and engine</Title>
        <Group grow align="flex-start">
          <Select
            label="Microphone"
            data={[{ value: '', label: 'System default' }, ...devices.map((d, i) => ({ value: d.deviceId, label: d.label || `Microphone ${i + 1}` }))]}
            value={settings.deviceId ?? ''}
            onChange={(v) => void set({ deviceId: v ? v : null })}
            allowDeselect={false}
            data-testid="voice-device"
          />
          <TextInput label="Language hint" placeholder="auto (e.g. en, de)" defaultValue={settings.language ?? ''} onBlur={(e) => void set({ language: e.currentTarget.value.trim() || null })} />
        </Group>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Engine
          </Text>
          <SegmentedControl
            value={settings.engine}
            onChange={(v) => void set({ engine: v as VoiceEngineChoice })}
            data={[
              { value: 'auto', label: 'By policy' },
              { value: 'local', label: 'On this computer' },
              { value: 'provider', label: 'Provider' },
            ]}
            data-testid="voice-engine-choice"
          />
          <Text size="xs" c="dimmed">
            {settings.engine === 'auto'
              ? 'The voice.transcribe policy of the workspace picks the endpoint (Configuration → Policies); with no provider that can transcribe, the local engine is used.'
              : settings.engine === 'local'
                ? 'Whisper runs on this computer: nothing leaves it.'
                : 'The recording is sent to the provider of the voice.transcribe policy, with retries, fallback and usage recorded.'}
          </Text>
        </Stack>
        <Select
          label="Local speech model"
          placeholder={models.length ? 'First installed' : 'Install one below'}
          data={models.map((m) => ({ value: m.id, label: m.name }))}
          value={settings.localModel}
          onChange={(v) => void set({ localModel: v })}
          clearable
        />
        {engine && (
          <Group gap="xs" data-testid="voice-engine-status">
            <Badge variant="light" color={engine.running ? 'teal' : 'gray'}>
              {engine.running ? `engine running (pid ${engine.pid})` : 'engine stopped'}
            </Badge>
            {engine.loadedModel && <Badge variant="outline">{engine.loadedModel} in memory</Badge>}
            {engine.rssBytes !== null && <Badge variant="outline">{mb(engine.rssBytes)}</Badge>}
            {engine.crashes > 0 && (
              <Badge color="orange" variant="light" title={engine.lastCrash?.reason}>
                {engine.crashes} restart{engine.crashes > 1 ? 's' : ''} after a crash
              </Badge>
            )}
            {!engine.localSupported && <Badge color="gray">local engine not available on this computer</Badge>}
            <Button size="compact-xs" variant="subtle" disabled={!models.length} loading={busy === 'load'} onClick={() => void run('load', () => loadModel(settings.localModel ?? undefined))}>
              Load model now
            </Button>
            <Button size="compact-xs" variant="subtle" leftSection={<IconRefresh size={12} />} loading={busy === 'restart'} onClick={() => void run('restart', restartEngine)}>
              Restart engine
            </Button>
          </Group>
        )}
        <Group>
          <Button
            leftSection={live ? <IconPlayerStopFilled size={16} /> : <IconMicrophone size={16} />}
            color={live ? 'red' : undefined}
            onClick={() => {
              const v = useVoiceStore.getState();
              if (live && capture.phase === 'listening') v.stop();
              else if (live) v.cancel();
              else v.start('toggle', 'page');
            }}
            data-testid="voice-test"
          >
            {live ? (capture.phase === 'listening' ? 'Done' : 'Cancel') : 'Say something'}
          </Button>
          <Text size="sm" c="dimmed">
            {mine ? describeCapture(capture) : workspace ? `Vocabulary and policy from “${workspace}”.` : 'No workspace selected: only the local engine can run.'}
          </Text>
        </Group>
        {mine && capture.phase === 'listening' && <LevelMeter level={capture.level} active />}
        {mine && capture.phase === 'ready' && capture.transcript && <TranscriptCard t={capture.transcript} />}
        {mine && capture.phase === 'error' && capture.error && (
          <Alert color={capture.error.kind === 'no-speech' ? 'yellow' : 'red'} variant="light" data-testid="voice-error" data-kind={capture.error.kind}>
            {capture.error.message}
          </Alert>
        )}
        {error && (
          <Text size="sm" c="red">
            {error}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
