import { randomUUID } from 'node:crypto';
import type { ProviderAddInput, ProviderInfo, ProviderTestResult, ProviderUpdateInput } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Db } from '../db/open';
import type { SecretCipher } from '../ports';
import { DEFAULT_AZURE_API_VERSION } from './adapters/openaiAdapter';
import { RevCounter } from './revs';
import { maskSecret, maskUrl, urlCredentials } from './secrets';
import type { EndpointConfig, EndpointRole, ProviderKind } from './types';

interface EndpointRow {
  id: string;
  name: string;
  kind: ProviderKind;
  base_url: string | null;
  /** The complete base URL, encrypted, when it carries credentials (base_url then has them removed). */
  base_url_enc: string | null;
  model: string | null;
  embedding_model: string | null;
  transcription_model: string | null;
  role: EndpointRole;
  enabled: number;
  options: string;
  api_key_enc: string | null;
  headers_enc: string | null;
  models: string | null;
  last_test: string | null;
  created_at: string;
  updated_at: string;
}

interface Options {
  apiVersion?: string | null;
  modelPath?: string | null;
  contextSize?: number | null;
  threads?: number | null;
}

export interface StoredEndpoint {
  config: EndpointConfig;
  models: string[];
  lastTest: ProviderTestResult | null;
  createdAt: string;
  updatedAt: string;
}

const UNIQUE_ROLES: readonly EndpointRole[] = ['primary', 'secondary', 'tertiary'];

const KIND_LABEL: Record<ProviderKind, string> = {
  openai: 'An OpenAI',
  'openai-compatible': 'An OpenAI-compatible',
  azure: 'An Azure OpenAI',
  anthropic: 'An Anthropic',
  gemini: 'A Gemini',
  local: 'A local',
};

/** What each kind needs before it can be called; checked on add and update so broken endpoints are never saved. */
function checkComplete(c: EndpointConfig): void {
  const need = (ok: boolean, what: string): void => {
    if (!ok) throw new AppError('validation', `${KIND_LABEL[c.kind]} endpoint needs ${what}.`, { endpoint: c.name, kind: c.kind });
  };
  switch (c.kind) {
    case 'openai':
      need(!!c.apiKey, 'an API key (--api-key)');
      break;
    case 'openai-compatible':
      need(!!c.baseUrl, 'a base URL, e.g. http://127.0.0.1:11434/v1 (--base-url)');
      break;
    case 'azure':
      need(!!c.baseUrl, 'the resource URL, e.g. https://NAME.openai.azure.com (--base-url)');
      need(!!c.apiKey, 'an API key (--api-key)');
      break;
    case 'anthropic':
    case 'gemini':
      need(!!c.apiKey, 'an API key (--api-key)');
      break;
    case 'local':
      need(!!c.modelPath, 'a GGUF model file (--model-path)');
      break;
  }
}

/**
 * Endpoints in app.sqlite. API keys and custom headers are encrypted with the host's SecretCipher before they are
 * written, decrypted only into the in-memory EndpointConfig the adapters use, and shown to anyone else masked.
 */
export class EndpointStore {
  private cache: Map<string, StoredEndpoint> | null = null;
  private cacheRev = -1;
  private readonly revs: RevCounter;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretCipher,
    private readonly now: () => Date,
  ) {
    this.revs = new RevCounter(db);
    this.splitStoredUrlCredentials();
  }

  /**
   * Rows from before app migration 090 may hold a key in base_url in clear: split it off and encrypt it, once.
   * Idempotent, and cheap when there is nothing to do.
   */
  private splitStoredUrlCredentials(): void {
    const rows = this.db.prepare('SELECT id, base_url FROM gateway_endpoints WHERE base_url IS NOT NULL AND base_url_enc IS NULL').all() as { id: string; base_url: string }[];
    const todo = rows.map((r) => ({ id: r.id, url: r.base_url, c: urlCredentials(r.base_url) })).filter((r) => r.c && r.c.clean !== r.url);
    if (!todo.length) return;
    this.db.transaction(() => {
      const upd = this.db.prepare('UPDATE gateway_endpoints SET base_url = ?, base_url_enc = ? WHERE id = ?');
      for (const r of todo) upd.run(r.c!.clean, this.secrets.encrypt(r.url), r.id);
      this.revs.bump('endpoints');
    })();
  }

  /** Changes whenever any process changes an endpoint; adapters are rebuilt when it moves. */
  rev(): number {
    return this.revs.get('endpoints');
  }

  private load(): Map<string, StoredEndpoint> {
    const rev = this.rev();
    if (this.cache && rev === this.cacheRev) return this.cache;
    const rows = this.db.prepare('SELECT * FROM gateway_endpoints ORDER BY created_at, name').all() as EndpointRow[];
    const map = new Map<string, StoredEndpoint>();
    for (const r of rows) map.set(r.name.toLowerCase(), this.fromRow(r));
    this.cache = map;
    this.cacheRev = rev;
    return map;
  }

  private fromRow(r: EndpointRow): StoredEndpoint {
    const o = JSON.parse(r.options || '{}') as Options;
    const config: EndpointConfig = {
      id: r.id,
      name: r.name,
      kind: r.kind,
      baseUrl: r.base_url_enc ? this.secrets.decrypt(r.base_url_enc) : r.base_url,
      model: r.model,
      embeddingModel: r.embedding_model,
      transcriptionModel: r.transcription_model,
      role: r.role,
      enabled: r.enabled === 1,
      apiKey: r.api_key_enc ? this.secrets.decrypt(r.api_key_enc) : null,
      headers: r.headers_enc ? (JSON.parse(this.secrets.decrypt(r.headers_enc)) as Record<string, string>) : {},
      apiVersion: o.apiVersion ?? null,
      modelPath: o.modelPath ?? null,
      contextSize: o.contextSize ?? null,
      threads: o.threads ?? null,
    };
    return { config, models: r.models ? (JSON.parse(r.models) as string[]) : [], lastTest: r.last_test ? (JSON.parse(r.last_test) as ProviderTestResult) : null, createdAt: r.created_at, updatedAt: r.updated_at };
  }

  list(): StoredEndpoint[] {
    return [...this.load().values()];
  }

  find(name: string): StoredEndpoint | undefined {
    return this.load().get(name.toLowerCase());
  }

  get(name: string): StoredEndpoint {
    const e = this.find(name);
    if (e) return e;
    const names = this.list().map((x) => x.config.name);
    throw new AppError('not_found', names.length ? `There is no provider named "${name}". Providers: ${names.join(', ')}.` : `There is no provider named "${name}"; add one first (provider add).`, { endpoint: name });
  }

  withRole(role: EndpointRole): StoredEndpoint | undefined {
    return this.list().find((e) => e.config.role === role && e.config.enabled);
  }

  add(input: ProviderAddInput): StoredEndpoint {
    if (this.find(input.name)) throw new AppError('conflict', `A provider named "${input.name}" already exists; pick another name or update it.`, { endpoint: input.name });
    const role: EndpointRole = input.role ?? (this.list().some((e) => e.config.role === 'primary') ? 'standby' : 'primary');
    const config: EndpointConfig = {
      id: `ep_${randomUUID().replace(/-/g, '').slice(0, 12)}`,
      name: input.name,
      kind: input.kind,
      baseUrl: input.kind === 'local' ? null : (input.baseUrl ?? null),
      // A local endpoint serves exactly one model: its own name is the natural default.
      model: input.model ?? (input.kind === 'local' && input.modelPath ? localModelName(input.modelPath) : null),
      embeddingModel: input.embeddingModel ?? null,
      // Likewise for transcription: a local endpoint on a whisper model transcribes with it (others offer none).
      transcriptionModel: input.transcriptionModel ?? (input.kind === 'local' && input.modelPath ? localModelName(input.modelPath) : null),
      role,
      enabled: input.enabled ?? true,
      apiKey: input.apiKey ?? null,
      headers: input.headers ?? {},
      apiVersion: input.kind === 'azure' ? (input.apiVersion ?? DEFAULT_AZURE_API_VERSION) : (input.apiVersion ?? null),
      modelPath: input.modelPath ?? null,
      contextSize: input.contextSize ?? null,
      threads: input.threads ?? null,
    };
    checkComplete(config);
    const at = this.now().toISOString();
    this.db.transaction(() => {
      if (UNIQUE_ROLES.includes(role)) this.db.prepare("UPDATE gateway_endpoints SET role = 'standby', updated_at = ? WHERE role = ?").run(at, role);
      this.db
        .prepare(
          `INSERT INTO gateway_endpoints (id, name, kind, base_url, base_url_enc, model, embedding_model, transcription_model, role, enabled, options, api_key_enc, headers_enc, created_at, updated_at)
           VALUES (@id, @name, @kind, @base_url, @base_url_enc, @model, @embedding_model, @transcription_model, @role, @enabled, @options, @api_key_enc, @headers_enc, @at, @at)`,
        )
        .run({ ...this.toRow(config), at });
      this.revs.bump('endpoints');
    })();
    return this.get(config.name);
  }

  update(input: ProviderUpdateInput): StoredEndpoint {
    const cur = this.get(input.name);
    const c = cur.config;
    if (input.rename && input.rename.toLowerCase() !== c.name.toLowerCase() && this.find(input.rename)) {
      throw new AppError('conflict', `A provider named "${input.rename}" already exists.`, { endpoint: input.rename });
    }
    const pick = <T>(v: T | undefined, old: T): T => (v === undefined ? old : v);
    const next: EndpointConfig = {
      ...c,
      name: input.rename ?? c.name,
      // The URL sent back exactly as it was shown (credentials masked) means "keep the stored one".
      baseUrl: c.kind === 'local' ? null : input.baseUrl !== undefined && input.baseUrl === maskUrl(c.baseUrl) ? c.baseUrl : pick(input.baseUrl, c.baseUrl),
      model: pick(input.model, c.model),
      embeddingModel: pick(input.embeddingModel, c.embeddingModel),
      transcriptionModel: pick(input.transcriptionModel, c.transcriptionModel),
      role: input.role ?? c.role,
      enabled: input.enabled ?? c.enabled,
      apiKey: input.apiKey === undefined ? c.apiKey : input.apiKey,
      headers: input.headers === undefined ? c.headers : this.mergeHeaders(c.headers, input.headers),
      apiVersion: pick(input.apiVersion, c.apiVersion),
      modelPath: pick(input.modelPath, c.modelPath),
      contextSize: pick(input.contextSize, c.contextSize),
      threads: pick(input.threads, c.threads),
    };
    checkComplete(next);
    const at = this.now().toISOString();
    this.db.transaction(() => {
      if (next.role !== c.role && UNIQUE_ROLES.includes(next.role)) {
        this.db.prepare("UPDATE gateway_endpoints SET role = 'standby', updated_at = ? WHERE role = ? AND id <> ?").run(at, next.role, c.id);
      }
      this.db
        .prepare(
          `UPDATE gateway_endpoints SET name = @name, base_url = @base_url, base_url_enc = @base_url_enc, model = @model, embedding_model = @embedding_model,
             transcription_model = @transcription_model, role = @role, enabled = @enabled, options = @options,
             api_key_enc = @api_key_enc, headers_enc = @headers_enc, updated_at = @at WHERE id = @id`,
        )
        .run({ ...this.toRow(next), at });
      this.revs.bump('endpoints');
    })();
    return this.get(next.name);
  }

  /** A header value sent back exactly as it was shown masked means "keep the stored value". */
  private mergeHeaders(old: Record<string, string>, incoming: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    const oldByName = new Map(Object.entries(old).map(([k, v]) => [k.toLowerCase(), v]));
    for (const [k, v] of Object.entries(incoming)) {
      const prev = oldByName.get(k.toLowerCase());
      out[k] = prev !== undefined && v === maskHeader(prev) ? prev : v;
    }
    return out;
  }

  setRole(name: string, role: EndpointRole): void {
    this.update({ name, role });
  }

  remove(name: string): string {
    const e = this.get(name);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM gateway_endpoints WHERE id = ?').run(e.config.id);
      this.revs.bump('endpoints');
    })();
    return e.config.name;
  }

  recordTest(id: string, result: ProviderTestResult): void {
    const models = result.ok && result.models.length ? JSON.stringify(result.models.map((m) => m.id)) : null;
    this.db.transaction(() => {
      this.db.prepare('UPDATE gateway_endpoints SET last_test = ?, models = COALESCE(?, models) WHERE id = ?').run(JSON.stringify(result), models, id);
      this.revs.bump('endpoints');
    })();
  }

  private toRow(c: EndpointConfig): Omit<EndpointRow, 'models' | 'last_test' | 'created_at' | 'updated_at'> {
    const options: Options = { apiVersion: c.apiVersion, modelPath: c.modelPath, contextSize: c.contextSize, threads: c.threads };
    const url = urlCredentials(c.baseUrl);
    const split = url !== null && url.clean !== c.baseUrl;
    return {
      id: c.id,
      name: c.name,
      kind: c.kind,
      base_url: split ? url.clean : c.baseUrl,
      base_url_enc: split && c.baseUrl ? this.secrets.encrypt(c.baseUrl) : null,
      model: c.model,
      embedding_model: c.embeddingModel,
      transcription_model: c.transcriptionModel,
      role: c.role,
      enabled: c.enabled ? 1 : 0,
      options: JSON.stringify(options),
      api_key_enc: c.apiKey ? this.secrets.encrypt(c.apiKey) : null,
      headers_enc: Object.keys(c.headers).length ? this.secrets.encrypt(JSON.stringify(c.headers)) : null,
    };
  }

  /** The renderer's view: masked key, masked header values, nothing else secret. */
  info(e: StoredEndpoint, breaker: ProviderInfo['breaker']): ProviderInfo {
    const c = e.config;
    return {
      id: c.id,
      name: c.name,
      kind: c.kind,
      baseUrl: maskUrl(c.baseUrl),
      model: c.model,
      embeddingModel: c.embeddingModel,
      transcriptionModel: c.transcriptionModel,
      role: c.role,
      enabled: c.enabled,
      apiKeyMasked: maskSecret(c.apiKey),
      headersMasked: Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, maskHeader(v)])),
      apiVersion: c.apiVersion,
      modelPath: c.modelPath,
      contextSize: c.contextSize,
      threads: c.threads,
      models: e.models,
      lastTest: e.lastTest,
      breaker,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

/** Header values can be credentials too (company gateways), so they are masked like keys. */
export const maskHeader = (v: string): string => maskSecret(v) ?? '';

/** 'qwen2.5-1.5b' for a registered model id, 'my-model.Q4_K_M' for '/models/my-model.Q4_K_M.gguf'. */
export const localModelName = (modelPath: string): string => modelPath.split(/[\\/]/).pop()!.replace(/\.gguf$/i, '');
