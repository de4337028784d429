// @ts-expect-error -- plain .mjs helper shared with the npm scripts
import { electronBinary } from '../../scripts/electron-binary.mjs';
import { chromiumExecutable } from './browser';
import { makeVoiceCommandWav } from './voiceAudio';

/** Says up front which browser the web tests use and whether the Electron smoke test can run. */
export default function globalSetup(): void {
  process.stdout.write(`E2E browser: ${chromiumExecutable() ?? "Playwright's bundled Chromium"}\n`);
  process.stdout.write(makeVoiceCommandWav() ? 'Voice spec: fake microphone speaks .tmp/voice/command.wav\n' : 'Voice spec: SKIPPED — espeak-ng or sox is missing (apt-get install espeak-ng sox).\n');
  const binary = (electronBinary as () => string | null)();
  process.stdout.write(
    binary ? `Electron smoke test: runs with ${binary}\n` : 'Electron smoke test: SKIPPED — the Electron binary is not installed here (run `npx install-electron --no` where there is internet).\n',
  );
}
