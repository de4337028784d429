import { Progress } from '@mantine/core';

/** Microphone level: RMS mapped to a perceptual scale (speech sits around the middle). */
export function LevelMeter({ level, active }: { level: number; active: boolean }) {
  const db = level > 0 ? 20 * Math.log10(level) : -100;
  const pct = Math.max(0, Math.min(100, ((db + 60) / 60) * 100));
  return (
    <Progress
      value={active ? pct : 0}
      size="sm"
      color={pct > 85 ? 'orange' : 'teal'}
      aria-label="Microphone level"
      data-testid="voice-level"
      data-level={active ? Math.round(pct) : 0}
      transitionDuration={60}
    />
  );
}
