/**
 * Voice, command half: from the end of speech to the confirmation card, with the provider engine (the fake
 * OpenAI-compatible server answers the transcription at once) and the intent either from the built-in patterns or
 * scripted as the voice.intent model's answer. The figure is the app's own time for a whole `voice.command`
 * (decode, transcription round trip on localhost, understanding, name/time resolution, proposal through the action
 * layer, session write) on a scale-1 demo workspace, plus the main event loop's p99 delay meanwhile.
 *
 *   npm run bench -- voiceCommand [--runs 30]
 */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { makeTestCore } from '../test/fixtures/core';
import { startFakeOpenAI } from '../test/fixtures/fakeOpenAI';
import { testPolicy } from '../test/fixtures/gateway';
import { toneWav } from '../test/fixtures/speech';
import { percentile, report, round } from './lib';

const i = process.argv.indexOf('--runs');
const runs = i > 0 ? Number(process.argv[i + 1]) : 30;
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

const t = makeTestCore();
const fake = await startFakeOpenAI();
try {
  const created = await t.core.call('workspace.create', { name: 'bench', demo: { scale: 1, seed: 7, anchorDate: '2026-06-15' } });
  await t.core.services.jobs.waitFor(created.jobId!);
  await t.core.call('providers.add', { name: 'cloud', kind: 'openai-compatible', baseUrl: fake.url, model: 'fake-chat', transcriptionModel: 'fake-whisper', role: 'primary' });
  await t.core.call('policies.set', { workspace: 'bench', yaml: testPolicy({ fallback: ['cloud'] }) });
  await t.core.call('voice.settings.update', { keepAudioDays: 0 });
  const deal = String((await t.core.call('data.browse', { workspace: 'bench', entity: 'deals', offset: 0, limit: 1 })).rows[0]!.name);
  const audio = Buffer.from(toneWav(3000)).toString('base64');
  const said = `Create a task to send the proposal for the ${deal} deal due tomorrow at nine`;
  const scripted = JSON.stringify({ kind: 'action', confidence: 0.9, action: 'create_task', args: { title: 'Send the proposal' }, mentions: [{ field: 'dealId', entity: 'deal', text: deal }], times: [{ field: 'dueDate', text: 'tomorrow at 9' }] });

  for (const mode of ['patterns', 'model'] as const) {
    const times: number[] = [];
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    for (let n = 0; n < runs + 3; n++) {
      fake.enqueue('transcriptions', { text: mode === 'patterns' ? said : 'please remind me to send the proposal tomorrow at nine' });
      if (mode === 'model') fake.enqueue('chat', { text: scripted });
      const t0 = performance.now();
      const r = await t.core.call('voice.command', { workspace: 'bench', audio, engine: 'provider', timeZone: 'Europe/London' });
      const ms = performance.now() - t0;
      if (r.status !== 'confirm') throw new Error(`expected a confirmation card, got ${r.status}: ${r.question ?? r.error ?? ''}`);
      await t.core.call('voice.cancel', { workspace: 'bench', sessionId: r.sessionId });
      if (n >= 3) times.push(ms);
    }
    h.disable();
    report({ metric: `voice_command_to_card_${mode}_p50`, value: round(percentile(times, 50), 1), unit: 'ms', n: runs, p95: round(percentile(times, 95), 1), loopLagP99Ms: round(h.percentile(99) / 1e6, 2), loadavg: load() });
  }
} finally {
  await t.cleanup();
  await fake.close();
}
