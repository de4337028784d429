import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The spoken command Chromium's fake microphone plays (--use-file-for-fake-audio-capture), made in globalSetup. */
export const VOICE_COMMAND_WAV = join(import.meta.dirname, '..', '..', '.tmp', 'voice', 'command.wav');

const has = (cmd: string): boolean => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;

/** Synthesises the command with espeak-ng and pads it with silence (so voice-activity detection ends it). */
export function makeVoiceCommandWav(): boolean {
  if (existsSync(VOICE_COMMAND_WAV)) return true;
  if (!has('espeak-ng') || !has('sox')) return false;
  mkdirSync(dirname(VOICE_COMMAND_WAV), { recursive: true });
  const raw = join(dirname(VOICE_COMMAND_WAV), 'raw.wav');
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, 'Show me the open tickets for Acme']);
  // Chromium's fake capture wants 16-bit PCM; 48 kHz like a real microphone, so the worklet's resampling is exercised.
  execFileSync('sox', [raw, '-r', '48000', '-c', '1', '-b', '16', VOICE_COMMAND_WAV, 'pad', '0.4', '2.5']);
  return true;
}
