import { ActionIcon, Alert, Button, CloseButton, Group, Paper, Portal, Stack, Text, Tooltip } from '@mantine/core';
import { IconMicrophone, IconMicrophoneOff, IconPlayerStopFilled } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useVoiceStore } from '../../stores/voiceStore';
import { describeCapture, isLive } from './capture/machine';
import { LevelMeter } from './LevelMeter';
import { matchesShortcut, releasesShortcut, shortcutLabel } from './shortcut';
import { CommandCard } from './CommandCard';
import { TranscriptCard } from './TranscriptCard';

/**
 * Push-to-talk anywhere in the window: hold the shortcut to speak, release to finish; Esc cancels. Typing in a
 * field is left alone unless the whole shortcut (with its modifiers) is pressed.
 */
function useVoiceShortcuts(): void {
  const shortcut = useVoiceStore((s) => s.settings.shortcut);
  useEffect(() => {
    const down = (e: KeyboardEvent): void => {
      const v = useVoiceStore.getState();
      if (e.key === 'Escape' && isLive(v.capture.phase)) {
        e.preventDefault();
        v.cancel();
        return;
      }
      if (e.repeat || !matchesShortcut(e, shortcut)) return;
      e.preventDefault();
      if (!isLive(v.capture.phase)) v.start('push');
    };
    const up = (e: KeyboardEvent): void => {
      const v = useVoiceStore.getState();
      if (v.capture.mode === 'push' && v.capture.phase !== 'idle' && isLive(v.capture.phase) && releasesShortcut(e, shortcut)) v.stop();
    };
    // Losing focus while holding the keys would leave the microphone open: treat it as a release.
    const blur = (): void => {
      const v = useVoiceStore.getState();
      if (v.capture.mode === 'push' && v.capture.phase === 'listening') v.stop();
    };
    window.addEventListener('keydown', down, true);
    window.addEventListener('keyup', up, true);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down, true);
      window.removeEventListener('keyup', up, true);
      window.removeEventListener('blur', blur);
    };
  }, [shortcut]);
}

/** The overlay under the header: state, level, transcript, and the slot the command confirmation will fill. */
export function VoiceOverlay() {
  const capture = useVoiceStore((s) => s.capture);
  const open = useVoiceStore((s) => s.overlayOpen);
  const { stop, cancel, dismiss } = useVoiceStore.getState();
  if (!open || capture.phase === 'idle') return null;
  const live = isLive(capture.phase);
  return (
    <Portal>
      <Paper
        shadow="md"
        withBorder
        p="sm"
        radius="md"
        role="dialog"
        aria-label="Voice command"
        data-testid="voice-overlay"
        data-phase={capture.phase}
        style={{ position: 'fixed', top: 64, right: 16, width: 380, zIndex: 300 }}
      >
        <Stack gap="xs">
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm" fw={500} aria-live="polite" data-testid="voice-status">
              {describeCapture(capture)}
            </Text>
            <CloseButton size="sm" aria-label={live ? 'Cancel the command (Esc)' : 'Close'} onClick={() => (live ? cancel() : dismiss())} />
          </Group>
          {(capture.phase === 'listening' || capture.phase === 'opening') && (
            <>
              <LevelMeter level={capture.level} active={capture.phase === 'listening'} />
              <Group justify="space-between">
                <Text size="xs" c="dimmed">
                  {(capture.recordedMs / 1000).toFixed(1)} s · Esc cancels
                </Text>
                <Button size="compact-xs" variant="light" leftSection={<IconPlayerStopFilled size={12} />} onClick={stop}>
                  Done
                </Button>
              </Group>
            </>
          )}
          {capture.phase === 'ready' && capture.transcript && <TranscriptCard t={capture.transcript} compact />}
          {capture.phase === 'error' && capture.error && (
            <Alert color={capture.error.kind === 'no-speech' ? 'yellow' : 'red'} variant="light" p="xs" data-testid="voice-error" data-kind={capture.error.kind}>
              {capture.error.message}
            </Alert>
          )}
          <div data-slot="voice-command">
            <CommandCard />
          </div>
        </Stack>
      </Paper>
    </Portal>
  );
}

/** The microphone button in the app header (every page): click to start and stop, or hold the shortcut. */
export function VoiceButton() {
  useVoiceShortcuts();
  const capture = useVoiceStore((s) => s.capture);
  const shortcut = useVoiceStore((s) => s.settings.shortcut);
  const load = useVoiceStore((s) => s.load);
  const loaded = useVoiceStore((s) => s.settingsLoaded);
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  const listening = capture.phase === 'listening' || capture.phase === 'opening';
  const blocked = capture.phase === 'error' && (capture.error?.kind === 'permission-denied' || capture.error?.kind === 'no-microphone');
  const label = listening ? 'Stop listening' : `Voice command (click, or hold ${shortcutLabel(shortcut)})`;
  return (
    <>
      <Tooltip label={label}>
        <ActionIcon
          variant={listening ? 'filled' : 'subtle'}
          color={listening ? 'red' : blocked ? 'orange' : undefined}
          aria-label={label}
          aria-pressed={listening}
          data-testid="voice-button"
          onClick={() => {
            const v = useVoiceStore.getState();
            if (listening) v.stop();
            else if (capture.phase === 'transcribing') v.cancel();
            else v.start('toggle');
          }}
        >
          {blocked ? <IconMicrophoneOff size={18} /> : <IconMicrophone size={18} />}
        </ActionIcon>
      </Tooltip>
      <VoiceOverlay />
    </>
  );
}
