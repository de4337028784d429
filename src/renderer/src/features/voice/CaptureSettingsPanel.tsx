import { Button, Group, NumberInput, Paper, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { VoiceSettings } from '@shared/contract';
import { errorMessage } from '../../api/client';
import { useVoiceStore } from '../../stores/voiceStore';
import { shortcutFromEvent, shortcutLabel } from './shortcut';

/** Push-to-talk shortcut, silence length, maximum length, pre-roll and the vocabulary switch. */
export function CaptureSettingsPanel() {
  const settings = useVoiceStore((s) => s.settings);
  const save = useVoiceStore((s) => s.saveSettings);
  // Only the fields edited here; everything else shows the saved settings as they change.
  const [patch, setPatch] = useState<Partial<VoiceSettings>>({});
  const draft: VoiceSettings = { ...settings, ...patch };
  const setDraft = (next: VoiceSettings): void =>
    setPatch({ shortcut: next.shortcut, silenceMs: next.silenceMs, maxMs: next.maxMs, preRollMs: next.preRollMs, vocabulary: next.vocabulary, confirmThreshold: next.confirmThreshold, keepAudioDays: next.keepAudioDays });
  const [recording, setRecording] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const changed = (Object.keys(patch) as (keyof VoiceSettings)[]).some((k) => patch[k] !== settings[k]);
  const submit = async (): Promise<void> => {
    try {
      await save(patch);
      setPatch({});
      setStatus({ ok: true, text: 'Saved.' });
    } catch (e) {
      setStatus({ ok: false, text: errorMessage(e) });
    }
  };
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={4}>Capture</Title>
        <TextInput
          label="Push-to-talk shortcut"
          description={recording ? 'Press the new combination…' : 'Hold it to speak, release to finish. Click the field, then press the keys.'}
          value={recording ? '' : shortcutLabel(draft.shortcut)}
          placeholder="Press keys"
          readOnly
          onFocus={() => setRecording(true)}
          onBlur={() => setRecording(false)}
          onKeyDown={(e) => {
            if (e.key === 'Tab') return;
            e.preventDefault();
            e.stopPropagation();
            const s = shortcutFromEvent(e.nativeEvent);
            if (s) {
              setDraft({ ...draft, shortcut: s });
              setRecording(false);
              e.currentTarget.blur();
            }
          }}
          data-testid="voice-shortcut"
        />
        <Group grow>
          <NumberInput label="End after silence (ms)" min={300} max={5000} step={100} value={draft.silenceMs} onChange={(v) => setDraft({ ...draft, silenceMs: Number(v) || 900 })} />
          <NumberInput label="Longest command (s)" min={2} max={60} value={draft.maxMs / 1000} onChange={(v) => setDraft({ ...draft, maxMs: Math.round((Number(v) || 15) * 1000) })} />
          <NumberInput label="Pre-roll (ms)" min={0} max={1500} step={100} value={draft.preRollMs} onChange={(v) => setDraft({ ...draft, preRollMs: Number(v) || 0 })} />
        </Group>
        <Group grow>
          <NumberInput
            label="Ask below this confidence (%)"
            description="Below it, a command asks a short question instead of acting"
            min={0}
            max={100}
            step={5}
            value={Math.round(draft.confirmThreshold * 100)}
            onChange={(v) => setDraft({ ...draft, confirmThreshold: Math.min(1, Math.max(0, (Number(v) || 0) / 100)) })}
          />
          <NumberInput
            label="Keep recordings (days)"
            description="For replay in the history; 0 keeps none"
            min={0}
            max={365}
            value={draft.keepAudioDays}
            onChange={(v) => setDraft({ ...draft, keepAudioDays: Math.max(0, Math.round(Number(v) || 0)) })}
          />
        </Group>
        <Switch
          label="Teach the engine the workspace's names (accounts, projects, vendors, record codes)"
          checked={draft.vocabulary}
          onChange={(e) => setDraft({ ...draft, vocabulary: e.currentTarget.checked })}
        />
        <Group>
          <Button size="xs" disabled={!changed} onClick={() => void submit()}>
            Save capture settings
          </Button>
          {status && (
            <Text size="xs" c={status.ok ? 'teal' : 'red'}>
              {status.text}
            </Text>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
