import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { isFinished, type CatalogEntry, type CatalogModel, type LocalModelInfo, type ModelTestResult } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { EventBus } from '../eventBus';
import type { JobService } from '../jobs/jobService';
import type { Logger } from '../logger';
import { defaultCatalog } from './catalog';
import { DOWNLOAD_JOB, downloadJob, partPath, type DownloadParams } from './downloadJob';
import type { DownloadRequest } from './downloader';
import { createLocalAdapter, type LocalAdapter, type LocalAdapterOptions } from './localAdapter';
import { isGgmlHead, inspectWhisperGgml } from './ggmlInfo';
import type { GgufSummary } from './ggufInfo';
import { ModelStore, type ModelRecord } from './modelStore';
import type { LocalRuntime } from './runtime';

export interface ModelServiceDeps {
  db: Db;
  /** Where downloads go: dataPaths(...).models. */
  folder: string;
  jobs: JobService;
  events: EventBus;
  logger: Logger;
  now: () => Date;
  runtime: LocalRuntime;
  /** Tests: another catalog, fetch, or faster retries. */
  catalog?: readonly CatalogModel[];
  fetch?: typeof fetch;
  downloadTuning?: Partial<Pick<DownloadRequest, 'retries' | 'retryBaseMs' | 'stallMs'>>;
}

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/\.(gguf|bin)$/i, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
    .slice(0, 72);

/** A safe file name for a download: the URL's own .gguf (or whisper.cpp .bin) name when it has one. */
function fileNameFor(url: URL, id: string, ext: 'gguf' | 'bin' = 'gguf'): string {
  const last = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  const clean = last.replace(/[^A-Za-z0-9._-]+/g, '_');
  return /\.(gguf|bin)$/i.test(clean) && clean.length <= 160 ? clean : `${id}.${ext}`;
}

/** Reads the first bytes of a model file: whisper.cpp's GGML files and GGUF files are told apart by their magic. */
async function headOf(path: string): Promise<Buffer> {
  const fh = await open(path, 'r').catch(() => null);
  if (!fh) return Buffer.alloc(0);
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    return b.subarray(0, bytesRead);
  } catch {
    return Buffer.alloc(0); // a folder, or unreadable: the GGUF check that follows explains it
  } finally {
    await fh.close();
  }
}

/**
 * services.models: the local model manager. Keeps the registry (app DB), downloads from the curated catalog or a
 * URL as resumable jobs, registers GGUF files already on disk, removes models (never while they answer), tests
 * them, and builds provider adapters over the shared runtime for the gateway.
 */
export class ModelService {
  private readonly store: ModelStore;
  private readonly catalog: readonly CatalogModel[];
  private readonly unsubscribe: () => void;
  /** Download jobs queued or running in this process (a CLI that was killed leaves rows saying 'running'). */
  private readonly liveDownloads = new Set<string>();

  constructor(private readonly deps: ModelServiceDeps) {
    this.store = new ModelStore(deps.db);
    this.catalog = deps.catalog ?? defaultCatalog();
    deps.jobs.register(
      DOWNLOAD_JOB,
      downloadJob({ store: this.store, events: deps.events, logger: deps.logger, fetch: deps.fetch, tuning: deps.downloadTuning, live: this.liveDownloads, inspect: (p) => this.inspect(p) }),
    );
    this.unsubscribe = deps.events.on('job.progress', (job) => {
      if (job.kind !== DOWNLOAD_JOB) return;
      if (!isFinished(job.status)) {
        this.liveDownloads.add(job.jobId);
        return;
      }
      this.liveDownloads.delete(job.jobId);
      // A cancelled download leaves nothing behind. (Quitting aborts too, but emits no 'cancelled': that one resumes.)
      if (job.status !== 'cancelled') return;
      const record = this.store.list().find((r) => r.jobId === job.jobId);
      if (record && record.status !== 'ready') this.discard(record);
    });
    this.reconcile();
  }

  get folder(): string {
    return this.deps.folder;
  }

  list(): { models: LocalModelInfo[]; catalog: CatalogEntry[]; folder: string } {
    const records = this.store.list();
    const catalog = this.catalog.map((c): CatalogEntry => {
      const r = records.find((x) => x.catalogId === c.id);
      const status = !r ? 'available' : r.status === 'ready' ? 'installed' : r.status;
      return { ...c, status, modelId: r?.id ?? null, jobId: r?.status === 'downloading' ? r.jobId : null };
    });
    return { models: records.map((r) => this.info(r)), catalog, folder: this.deps.folder };
  }

  get(id: string): LocalModelInfo {
    return this.info(this.record(id));
  }

  /** Whether a model with this id is registered (in any state). */
  has(id: string): boolean {
    return this.store.get(id) !== undefined;
  }

  /** The GGUF path of a ready model, for callers that build their own adapter. */
  resolvePath(id: string): string {
    const r = this.record(id);
    if (r.status !== 'ready') throw new AppError('unavailable', `${r.id} is not ready (${r.status}).`);
    if (!existsSync(r.file)) throw new AppError('not_found', `The file of ${r.id} is missing: ${r.file}. Remove the model and add it again.`);
    return r.file;
  }

  /**
   * Validates a model file and reads its metadata: GGUF files through the llama runtime, whisper.cpp GGML files
   * (speech models, kind 'whisper') from their header.
   */
  async inspect(path: string): Promise<GgufSummary> {
    if (isGgmlHead(await headOf(path))) return (await inspectWhisperGgml(path)).summary;
    return this.deps.runtime.inspect(path);
  }

  /** Registers a GGUF or whisper GGML file where it is. The file is validated (magic, version, metadata) first. */
  async add(path: string, options: { name?: string | undefined; createdBy?: string | null; kind?: 'whisper' | undefined } = {}): Promise<LocalModelInfo> {
    if (!isAbsolute(path)) path = resolve(path);
    const existing = this.store.byFile(path);
    if (existing) throw new AppError('conflict', `That file is already registered as "${existing.id}".`, { modelId: existing.id });
    // Asked for a speech model: anything but a whisper file is refused with that in mind, not as "not GGUF".
    const info = options.kind === 'whisper' ? (await inspectWhisperGgml(path)).summary : await this.inspect(path);
    const name = options.name ?? info.name ?? basename(path).replace(/\.(gguf|bin)$/i, '');
    const id = this.store.freeId(slug(options.name ?? basename(path)) || slug(name));
    this.store.insert({ id, name, file: path, source: 'file', catalogId: null, url: null, status: 'ready', createdAt: this.deps.now().toISOString(), createdBy: options.createdBy ?? null });
    this.store.setReady(id, info);
    this.deps.events.emit('models.changed', { modelId: id, reason: 'added' });
    return this.get(id);
  }

  /** Starts (or resumes) a download from a catalog id or an http(s) URL. */
  startDownload(source: string, options: { name?: string | undefined; sha256?: string | undefined; createdBy?: string | null } = {}): { jobId: string; model: LocalModelInfo } {
    const entry = this.catalog.find((c) => c.id === source);
    let url: URL;
    try {
      url = new URL(entry?.url ?? source);
    } catch {
      throw new AppError('validation', `"${source}" is neither a catalog model id nor a URL. Run "model list" to see the catalog.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('validation', 'Downloads must use an http or https URL.');
    const previous = entry ? this.store.byCatalog(entry.id) : this.store.byUrl(url.href);
    if (previous?.status === 'ready') throw new AppError('conflict', `${entry?.name ?? url.href} is already installed as "${previous.id}".`, { modelId: previous.id });
    if (previous?.status === 'downloading' && previous.jobId && this.liveDownloads.has(previous.jobId)) {
      throw new AppError('conflict', `${previous.id} is already downloading.`, { modelId: previous.id, jobId: previous.jobId });
    }

    mkdirSync(this.deps.folder, { recursive: true });
    let record = previous;
    if (!record) {
      const id = this.store.freeId(entry?.id ?? slug(options.name ?? fileNameFor(url, 'model')));
      const ext = entry?.purpose === 'transcription' ? 'bin' : 'gguf';
      let file = join(this.deps.folder, fileNameFor(url, id, ext));
      if (this.store.byFile(file) || existsSync(file)) file = join(this.deps.folder, `${id}.${ext}`);
      if (this.store.byFile(file) || existsSync(file)) throw new AppError('conflict', `A file named ${basename(file)} already exists in the models folder.`);
      this.store.insert({
        id,
        name: options.name ?? entry?.name ?? basename(file).replace(/\.(gguf|bin)$/i, ''),
        file,
        source: 'download',
        catalogId: entry?.id ?? null,
        url: url.href,
        status: 'downloading',
        license: entry?.license ?? null,
        createdAt: this.deps.now().toISOString(),
        createdBy: options.createdBy ?? null,
      });
      record = this.store.get(id)!;
    }
    // A failed or abandoned earlier attempt keeps its row and its .part file: starting again resumes it. The row
    // names the one job allowed to write the file; a stale job that wakes up later sees it is not that one and stops.
    const attempt = randomUUID();
    this.store.claim(record.id, attempt);
    const params: DownloadParams = { modelId: record.id, url: url.href, file: record.file, sha256: options.sha256 ?? entry?.sha256 ?? null, sha1: options.sha256 ? null : (entry?.sha1 ?? null), sizeHint: entry?.sizeBytes ?? null, attempt };
    const job = this.deps.jobs.start(DOWNLOAD_JOB, params, { createdBy: options.createdBy ?? null });
    this.liveDownloads.add(job.jobId);
    this.store.setDownloading(record.id, job.jobId);
    return { jobId: job.jobId, model: this.get(record.id) };
  }

  /** Removes a model. A download in progress is cancelled first; a model answering requests is refused. */
  async remove(id: string): Promise<{ removed: string; deletedFile: boolean }> {
    const r = this.record(id);
    const owned = r.source === 'download' && (existsSync(r.file) || existsSync(partPath(r.file)));
    if (r.status === 'downloading' && r.jobId && this.liveDownloads.has(r.jobId)) {
      this.deps.jobs.cancel(r.jobId);
      await this.deps.jobs.waitFor(r.jobId);
    }
    await this.deps.runtime.unload(r.file); // throws 'conflict' while in use
    if (this.store.get(id)) this.discard(r);
    return { removed: id, deletedFile: owned && !existsSync(r.file) && !existsSync(partPath(r.file)) };
  }

  async unload(id: string): Promise<boolean> {
    const r = this.record(id);
    const unloaded = await this.deps.runtime.unload(r.file);
    if (unloaded) this.deps.events.emit('models.changed', { modelId: id, reason: 'unloaded' });
    return unloaded;
  }

  /** Loads the model and runs a tiny generation (or embedding), timing both. */
  async test(id: string, prompt?: string): Promise<ModelTestResult> {
    const r = this.record(id);
    if (r.kind === 'whisper') throw new AppError('validation', `${id} is a speech model: test it on the Voice page, or with "voice transcribe FILE.wav --model ${id}".`);
    const adapter = this.createAdapter(id, { hold: false });
    const load = await adapter.warmup();
    if (!load.alreadyLoaded) this.deps.events.emit('models.changed', { modelId: id, reason: 'loaded' });
    const started = performance.now();
    const kind = this.deps.runtime.kindOf(r.file) ?? r.kind;
    if (kind === 'embedding') {
      const res = await adapter.embed!({ model: id, input: [prompt ?? 'Intelligence Desk checks that this model can embed text.'] }, { timeoutMs: 60_000 });
      const latencyMs = performance.now() - started;
      return { id, kind, ...load, latencyMs, outputTokens: 0, tokensPerSec: null, output: `${res.dimensions}-dimensional vector`, dimensions: res.dimensions };
    }
    const res = await adapter.chat(
      { model: id, messages: [{ role: 'user', content: prompt ?? 'Reply with one word: ready.' }], maxTokens: 16, temperature: 0 },
      { timeoutMs: 120_000 },
    );
    const latencyMs = performance.now() - started;
    const tokensPerSec = res.usage.outputTokens > 0 ? res.usage.outputTokens / (latencyMs / 1000) : null;
    return { id, kind, ...load, latencyMs, outputTokens: res.usage.outputTokens, tokensPerSec, output: res.text, dimensions: null };
  }

  /** A provider adapter for a ready model, sharing the core's runtime (the gateway builds 'local' endpoints with this). */
  createAdapter(id: string, options: Omit<LocalAdapterOptions, 'modelPath' | 'runtime' | 'modelId' | 'kind'> = {}): LocalAdapter {
    const path = this.resolvePath(id);
    const r = this.record(id);
    return createLocalAdapter({ logger: this.deps.logger, ...options, modelPath: path, runtime: this.deps.runtime, modelId: id, kind: r.kind });
  }

  dispose(): void {
    this.unsubscribe();
  }

  private record(id: string): ModelRecord {
    const r = this.store.get(id);
    if (!r) throw new AppError('not_found', `There is no local model "${id}". Run "model list" to see them.`);
    return r;
  }

  /** Deletes the row and any file the app owns for it. Registered files ('file') stay on disk. */
  private discard(r: ModelRecord): boolean {
    let deleted = false;
    if (r.source === 'download') {
      for (const f of [r.file, partPath(r.file)]) {
        if (existsSync(f)) {
          rmSync(f, { force: true });
          deleted = true;
        }
      }
    }
    this.store.delete(r.id);
    this.deps.events.emit('models.changed', { modelId: r.id, reason: 'removed' });
    return deleted;
  }

  /** At start: a row left 'downloading' whose job cannot run any more (it failed or was lost) becomes 'failed'. */
  private reconcile(): void {
    for (const r of this.store.list()) {
      if (r.status !== 'downloading') continue;
      let status: string | null;
      try {
        status = r.jobId ? this.deps.jobs.get(r.jobId).status : null;
      } catch {
        status = null;
      }
      if (status === 'queued' || status === 'running') continue; // resumeInterrupted() picks it up
      if (status === 'cancelled') this.discard(r);
      else this.store.setFailed(r.id, 'The download stopped before it finished. Start it again to resume.');
    }
  }

  private info(r: ModelRecord): LocalModelInfo {
    const missing = r.status === 'ready' && !existsSync(r.file);
    return {
      id: r.id,
      name: r.name,
      file: r.file,
      source: r.source,
      catalogId: r.catalogId,
      url: r.url,
      status: missing ? 'missing' : r.status,
      jobId: r.jobId,
      error: missing ? `The file is no longer at ${r.file}.` : r.error,
      sizeBytes: r.sizeBytes,
      sha256: r.sha256,
      verification: r.verification,
      kind: r.kind,
      architecture: r.architecture,
      parameters: r.parameters,
      contextLength: r.contextLength,
      embeddingLength: r.embeddingLength,
      quantization: r.quantization,
      license: r.license,
      loaded: this.deps.runtime.isLoaded(r.file),
      inUse: this.deps.runtime.inUse(r.file),
      createdAt: r.createdAt,
    };
  }
}
