import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { speechSamples } from '@shared/audio/wav';
import { WhisperEngineHost } from '../../../../src/main/core/voice/engine/engineHost';
import { nodeEngineLauncher } from '../../../../src/main/core/voice/engine/nodeLauncher';
import type { EngineLauncher, TranscribeJob } from '../../../../src/main/core/voice/engine/protocol';
import { writeWhisperGgml } from '../../../fixtures/tinyGgml';
import { toneWav } from '../../../fixtures/speech';

let dir: string;
let model: string;
let samples: Float32Array;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'voice-engine-'));
  model = join(dir, 'ggml-micro.bin');
  writeWhisperGgml(model, 'micro');
  samples = speechSamples(toneWav(1500)).samples;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const job = (over: Partial<TranscribeJob> = {}): TranscribeJob => ({ path: model, modelId: 'micro', samples, language: 'en', prompt: null, threads: 1, audioCtx: 128, maxTokens: 8, ...over });

/** The real launcher, remembering each process so a test can end one as a crash would. */
function trackingLauncher(): { launch: EngineLauncher; pids: (number | undefined)[] } {
  const pids: (number | undefined)[] = [];
  return {
    pids,
    launch: (o) => {
      const p = nodeEngineLauncher(o);
      pids.push(p.pid);
      return p;
    },
  };
}

describe('speech engine process', () => {
  it('loads a whisper model and transcribes in a child process, not in this one', async () => {
    const t = trackingLauncher();
    const host = new WhisperEngineHost({ launch: t.launch });
    try {
      const load = await host.load(model, 'micro');
      expect(load.alreadyLoaded).toBe(false);
      const r = await host.transcribe(job());
      expect(typeof r.text).toBe('string');
      expect(r.alreadyLoaded).toBe(true);
      expect(r.inferenceMs).toBeGreaterThan(0);
      // Threads are per command: whisper.cpp runs the same model with two.
      const two = await host.transcribe(job({ threads: 2 }));
      expect(typeof two.text).toBe('string');
      // Queued commands run one after the other, each getting its own answer.
      const both = await Promise.all([host.transcribe(job()), host.transcribe(job({ language: null }))]);
      expect(both).toHaveLength(2);
      expect(host.status().queued).toBe(0);
      const health = await host.health();
      expect(health?.pid).toBe(t.pids[0]);
      expect(health?.pid).not.toBe(process.pid);
      expect(health?.loadedModel).toBe(model);
      expect(health?.rssBytes).toBeGreaterThan(1e6);
    } finally {
      await host.dispose();
    }
  });

  it('a file that is not a whisper model fails that request with a clear error; the next one works', async () => {
    const bad = join(dir, 'bad.bin');
    writeFileSync(bad, Buffer.alloc(4096, 7));
    const host = new WhisperEngineHost({ launch: nodeEngineLauncher, reloadAfterCrash: false });
    try {
      const error = await host.transcribe(job({ path: bad, modelId: 'bad' })).catch((e: unknown) => e);
      expect(AppError.is(error)).toBe(true);
      expect((error as AppError).message).toMatch(/bad/);
      const ok = await host.transcribe(job());
      expect(typeof ok.text).toBe('string');
    } finally {
      await host.dispose();
    }
  });

  it('a crash mid-command fails that command naming the model; the engine restarts and the next command works', async () => {
    const t = trackingLauncher();
    const host = new WhisperEngineHost({ launch: t.launch, reloadAfterCrash: false });
    try {
      await host.load(model, 'micro');
      // A long command keeps the engine busy; the test ends the process as a native crash would.
      const long = speechSamples(toneWav(20_000)).samples;
      const running = host.transcribe(job({ samples: long, audioCtx: 1500, maxTokens: 64 }));
      await waitFor(() => host.status().busy);
      process.kill(t.pids[0]!, 'SIGKILL');
      const error = (await running.catch((e: unknown) => e)) as AppError;
      expect(error.code).toBe('unavailable');
      expect(error.details?.reason).toBe('engine_crashed');
      expect(error.details?.modelId).toBe('micro');
      expect(error.message).toMatch(/micro/);
      expect(host.status().crashes).toBe(1);
      const next = await host.transcribe(job());
      expect(typeof next.text).toBe('string');
      expect(t.pids).toHaveLength(2);
      expect(host.status().starts).toBe(2);
    } finally {
      await host.dispose();
    }
  });

  it('cancelling a running command ends it at once and is not counted as a crash; a queued one is dropped', async () => {
    const host = new WhisperEngineHost({ launch: nodeEngineLauncher, reloadAfterCrash: false });
    try {
      await host.load(model, 'micro');
      const long = speechSamples(toneWav(20_000)).samples;
      const a = new AbortController();
      const b = new AbortController();
      const first = host.transcribe(job({ samples: long, audioCtx: 1500, maxTokens: 64 }), a.signal);
      const second = host.transcribe(job(), b.signal);
      await waitFor(() => host.status().busy && host.status().queued === 1);
      b.abort();
      expect(((await second.catch((e: unknown) => e)) as AppError).code).toBe('cancelled');
      a.abort();
      expect(((await first.catch((e: unknown) => e)) as AppError).code).toBe('cancelled');
      expect(host.status().crashes).toBe(0);
      const after = await host.transcribe(job());
      expect(typeof after.text).toBe('string');
    } finally {
      await host.dispose();
    }
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}
