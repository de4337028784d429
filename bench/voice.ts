/**
 * Voice, transcript half: for a spoken 3-second command, how long from the end of speech to the transcript, per
 * whisper model layout, on the in-process engine (the speech engine process, as the app runs it)?
 *
 * The models are test/fixtures/tinyGgml files: the real tiny.en / base.en layouts with random weights, so the
 * encoder and decoder do the real amount of work. Random weights decode until the token cap (the app's cap for the
 * audio length), where a real model stops after the ~12–15 tokens of a short command: the `cap` figures are an
 * upper bound, the `16tok` figures use a cap of 16 tokens, close to a real command.
 *
 * Reports per layout: first load, end-of-speech → transcript p50/p90 (ms), real-time factor, the full 30-second
 * window for comparison; then the engine's memory after 1 and after 20 commands, and the main event loop's
 * p99 delay while transcribing. Prints the load average, since this machine is shared.
 *
 *   npm run bench -- voice [--runs 7] [--threads N]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { speechSamples } from '../src/shared/audio/wav';
import { WhisperEngineHost } from '../src/main/core/voice/engine/engineHost';
import { nodeEngineLauncher } from '../src/main/core/voice/engine/nodeLauncher';
import { audioContextFor, defaultSpeechThreads, maxTokensFor } from '../src/main/core/voice/localTranscriber';
import { tempDir } from '../test/fixtures/core';
import { writeWhisperGgml, type WhisperLayoutName } from '../test/fixtures/tinyGgml';
import { percentile, report, round } from './lib';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg('runs', 7);
const threads = arg('threads', defaultSpeechThreads());
const dir = tempDir('idesk-bench-voice-');
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

const wavPath = join(dir, 'command.wav');
execFileSync('espeak-ng', ['-v', 'en-us', '-s', '160', '-w', join(dir, 'raw.wav'), 'Create a task for Acme to call them back tomorrow']);
execFileSync('sox', [join(dir, 'raw.wav'), '-r', '16000', '-c', '1', '-b', '16', wavPath]);
const { samples, audioMs } = speechSamples(readFileSync(wavPath));
report({ metric: 'command_audio', value: audioMs, unit: 'ms', n: 1, threads, loadavg: load() });

const host = new WhisperEngineHost({ launch: nodeEngineLauncher });
const h = monitorEventLoopDelay({ resolution: 1 });
const lag = (): { p50: number; p99: number; max: number } => ({ p50: round(h.percentile(50) / 1e6, 2), p99: round(h.percentile(99) / 1e6, 2), max: round(h.max / 1e6, 2) });

async function series(path: string, modelId: string, label: string, over: { audioCtx?: number; maxTokens?: number }, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await host.transcribe({ path, modelId, samples, language: 'en', prompt: 'Acme, Globex, TCK-000042.', threads, audioCtx: over.audioCtx ?? audioContextFor(audioMs), maxTokens: over.maxTokens ?? maxTokensFor(audioMs) });
    times.push(performance.now() - t0);
  }
  const p50 = percentile(times, 50);
  report({ metric: `transcript_${label}_p50`, value: round(p50, 1), unit: 'ms', n, p90: round(percentile(times, 90), 1), rtf: round(p50 / audioMs, 3), loadavg: load() });
  return times;
}

try {
  for (const layout of ['tiny.en', 'base.en'] as WhisperLayoutName[]) {
    const path = join(dir, `ggml-${layout}.bin`);
    writeWhisperGgml(path, layout);
    const first = await host.load(path, layout);
    report({ metric: `load_${layout}`, value: round(first.loadMs, 1), unit: 'ms', n: 1, loadavg: load() });
    h.reset();
    h.enable();
    await series(path, layout, `${layout}_cap${maxTokensFor(audioMs)}`, {}, runs);
    await series(path, layout, `${layout}_16tok`, { maxTokens: 16 }, runs);
    h.disable();
    report({ metric: `loop_lag_${layout}_p99`, value: lag().p99, unit: 'ms', n: runs * 2, ...lag() });
    await series(path, layout, `${layout}_full30s_16tok`, { audioCtx: 1500, maxTokens: 16 }, Math.max(2, Math.ceil(runs / 3)));
  }
  // Memory: does the engine process grow command after command?
  const base = join(dir, 'ggml-base.en.bin');
  await host.transcribe({ path: base, modelId: 'base.en', samples, language: 'en', prompt: null, threads, audioCtx: audioContextFor(audioMs), maxTokens: 16 });
  const after1 = (await host.health())!.rssBytes;
  for (let i = 0; i < 19; i++) await host.transcribe({ path: base, modelId: 'base.en', samples, language: 'en', prompt: null, threads, audioCtx: audioContextFor(audioMs), maxTokens: 16 });
  const after20 = (await host.health())!.rssBytes;
  report({ metric: 'engine_rss_after_20', value: round(after20 / 1e6, 1), unit: 'MB', n: 20, after1Mb: round(after1 / 1e6, 1), growthMb: round((after20 - after1) / 1e6, 1), loadavg: load() });
} finally {
  await host.dispose();
  rmSync(dir, { recursive: true, force: true });
}
