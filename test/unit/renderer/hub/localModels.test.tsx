import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogEntry, JobInfo, LocalModelInfo } from '../../../../src/shared/contract';
import { AppError } from '../../../../src/shared/errors';
import { setTransport } from '../../../../src/renderer/src/api/client';
import { LocalModelsPanel } from '../../../../src/renderer/src/features/configuration/models/LocalModelsPanel';
import { bindJobEvents, useJobsStore } from '../../../../src/renderer/src/stores/jobsStore';
import { useLocalModelsStore } from '../../../../src/renderer/src/stores/localModelsStore';
import { fakeTransport } from '../fakeTransport';
import { renderHub, signIn } from './helpers';

const model = (over: Partial<LocalModelInfo>): LocalModelInfo => ({
  id: 'tiny-chat',
  name: 'Tiny chat',
  file: '/models/tiny-chat.gguf',
  source: 'file',
  catalogId: null,
  url: null,
  status: 'ready',
  jobId: null,
  error: null,
  sizeBytes: 187_104,
  sha256: null,
  verification: null,
  kind: 'chat',
  architecture: 'llama',
  parameters: 44_320,
  contextLength: 2048,
  embeddingLength: 32,
  quantization: 'F32',
  license: null,
  loaded: false,
  inUse: 0,
  createdAt: '2026-01-01T00:00:00Z',
  ...over,
});

const catalogEntry = (over: Partial<CatalogEntry>): CatalogEntry => ({
  id: 'bge-small-en-v1.5-q8',
  name: 'BGE small en v1.5 (Q8_0)',
  purpose: 'embedding',
  description: 'Compact English embedding model.',
  url: 'https://huggingface.co/x/bge.gguf',
  sizeBytes: 36_000_000,
  sha256: null,
  license: 'MIT',
  parameters: '33M',
  contextLength: 512,
  status: 'available',
  modelId: null,
  jobId: null,
  ...over,
});

const job = (over: Partial<JobInfo>): JobInfo => ({
  jobId: 'job_dl',
  kind: 'model.download',
  workspace: null,
  status: 'running',
  phase: 'downloading',
  done: 12_000_000,
  total: 36_000_000,
  ratePerSec: 2_000_000,
  etaMs: 12_000,
  message: '12 MB of 36 MB',
  result: null,
  error: null,
  createdAt: '2026-01-01T00:00:00Z',
  finishedAt: null,
  ...over,
});

describe('Local models tab', () => {
  let fake: ReturnType<typeof fakeTransport>;
  let models: LocalModelInfo[];
  let catalog: CatalogEntry[];
  beforeEach(() => {
    signIn('admin');
    models = [];
    catalog = [catalogEntry({})];
    useLocalModelsStore.setState({ models: [], catalog: [], folder: null, loaded: false, error: null, busy: {}, tests: {} });
    useJobsStore.setState({ jobs: {} });
    fake = fakeTransport({
      'models.list': () => ({ models, catalog, folder: '/data/models' }),
      'models.download': (input: { source: string }) => {
        const m = model({ id: 'bge-small-en-v1.5-q8', name: 'BGE small', source: 'download', catalogId: input.source, url: 'https://huggingface.co/x/bge.gguf', status: 'downloading', jobId: 'job_dl2', kind: 'unknown', sizeBytes: null });
        models = [m];
        catalog = [catalogEntry({ status: 'downloading', modelId: m.id, jobId: 'job_dl2' })];
        return { jobId: 'job_dl2', model: m };
      },
      'jobs.get': (input: { jobId: string }) => job({ jobId: input.jobId, done: 0, ratePerSec: null, etaMs: null, message: 'starting' }),
      'jobs.cancel': (input: { jobId: string }) => job({ jobId: input.jobId, status: 'cancelled' }),
      'models.test': () => ({ id: 'tiny-chat', kind: 'chat', loadMs: 1234, alreadyLoaded: false, latencyMs: 97, outputTokens: 16, tokensPerSec: 165, output: 'ready', dimensions: null }),
      'models.add': (input: { path: string }) => {
        if (!input.path.endsWith('real.gguf')) throw new AppError('validation', `${input.path} is not a GGUF file (it does not start with "GGUF").`);
        const m = model({ id: 'real', name: 'Real', file: input.path });
        models = [m];
        return { model: m };
      },
    });
    setTransport(fake.transport);
  });
  afterEach(() => setTransport(null));

  it('explains what to do when nothing is installed, and lists the catalog', async () => {
    renderHub(<LocalModelsPanel />);
    expect(await screen.findByText('No local models yet')).toBeTruthy();
    const card = await screen.findByTestId('catalog-card');
    expect(within(card).getByText('BGE small en v1.5 (Q8_0)')).toBeTruthy();
    expect(within(card).getByText('~34 MB')).toBeTruthy();
  });

  it('downloads from the catalog and shows progress with rate and time left, which can be cancelled', async () => {
    const unbind = bindJobEvents();
    renderHub(<LocalModelsPanel />);
    fireEvent.click(await screen.findByRole('button', { name: 'Download BGE small en v1.5 (Q8_0)' }));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'models.download' && c.input.source === 'bge-small-en-v1.5-q8')).toBe(true));
    const row = await screen.findByTestId('model-row');
    expect(within(row).getByText('downloading')).toBeTruthy();
    act(() => fake.emit('job.progress', job({ jobId: 'job_dl2' })));
    const bars = await screen.findAllByTestId('job-progress');
    const text = bars.map((b) => b.textContent).join(' | ');
    expect(text).toContain('12 MB of 36 MB');
    expect(text).toContain('33%');
    expect(text).toContain('1.9 MB/s');
    expect(text).toContain('about 12 s left');
    fireEvent.click(screen.getAllByRole('button', { name: 'Cancel' })[0]!);
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'jobs.cancel' && c.input.jobId === 'job_dl2')).toBe(true));
    unbind();
  });

  it('resumes a failed download from where it stopped', async () => {
    models = [model({ id: 'bge', name: 'BGE small', source: 'download', catalogId: 'bge-small-en-v1.5-q8', url: 'https://huggingface.co/x/bge.gguf', status: 'failed', error: 'Cannot reach huggingface.co (ENOTFOUND). The 12 MB downloaded so far are kept.' })];
    const unbind = bindJobEvents();
    renderHub(<LocalModelsPanel />);
    expect(await screen.findByText(/The 12 MB downloaded so far are kept/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Resume BGE small' }));
    await waitFor(() => expect(fake.calls.some((c) => c.route === 'models.download' && c.input.source === 'bge-small-en-v1.5-q8')).toBe(true));
    // The resumed job shows up with its progress.
    act(() => fake.emit('job.progress', job({ jobId: 'job_dl2', message: '20 MB of 36 MB (resumed at 12 MB)', done: 20_000_000 })));
    await waitFor(() => expect(screen.getAllByTestId('job-progress').some((p) => p.textContent?.includes('(resumed at 12 MB)'))).toBe(true));
    unbind();
  });

  it('tests a model and shows load time, latency and speed', async () => {
    models = [model({})];
    renderHub(<LocalModelsPanel />);
    fireEvent.click(await screen.findByRole('button', { name: 'Test Tiny chat' }));
    const result = await screen.findByTestId('model-test-result');
    expect(result.textContent).toContain('1.23 s');
    expect(result.textContent).toContain('97 ms');
    expect(result.textContent).toContain('165.0 tokens/s');
    expect(result.textContent).toContain('ready');
  });

  it('adds a GGUF file by path, with the core’s refusal shown on the field', async () => {
    renderHub(<LocalModelsPanel />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add GGUF file' }));
    const dialog = await screen.findByRole('dialog', { name: /Add a GGUF file/ });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add model' }));
    expect(await within(dialog).findByText('Give the path of a .gguf file.')).toBeTruthy();
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Path of the .gguf file/ }), { target: { value: '/tmp/notes.gguf' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add model' }));
    expect(await within(dialog).findByText(/is not a GGUF file/)).toBeTruthy();
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Path of the .gguf file/ }), { target: { value: '/tmp/real.gguf' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add model' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /Add a GGUF file/ })).toBeNull());
    expect(await screen.findByText('Real')).toBeTruthy();
  });
});
