import { providerAddInput, providerUpdateInput, type ProviderAddInput, type ProviderInfo, type ProviderUpdateInput } from '@shared/contract';
import { zodFieldErrors, type FieldErrors } from '../shared/fieldErrors';

export type ProviderKind = ProviderInfo['kind'];
export type EndpointRole = ProviderInfo['role'];

export interface KindSpec {
  value: ProviderKind;
  label: string;
  description: string;
  /** Which fields the form shows for this kind, and which must be filled. */
  baseUrl: 'required' | 'optional' | 'hidden';
  apiKey: 'required' | 'optional';
  headers: boolean;
  apiVersion: boolean;
  embeddingModel: boolean;
  transcriptionModel: boolean;
  modelLabel: string;
  modelPlaceholder: string;
  baseUrlLabel: string;
  baseUrlPlaceholder: string;
}

const hosted = { baseUrl: 'optional', apiKey: 'required', headers: false, apiVersion: false, embeddingModel: false, transcriptionModel: false, modelLabel: 'Default chat model', baseUrlLabel: 'Base URL', baseUrlPlaceholder: '' } as const;

export const KINDS: readonly KindSpec[] = [
  {
    ...hosted,
    value: 'openai',
    label: 'OpenAI',
    description: 'api.openai.com with your API key.',
    embeddingModel: true,
    transcriptionModel: true,
    modelPlaceholder: 'gpt-4o-mini',
    baseUrlLabel: 'Base URL override',
    baseUrlPlaceholder: 'https://api.openai.com/v1 (leave empty)',
  },
  {
    ...hosted,
    value: 'openai-compatible',
    label: 'OpenAI-compatible',
    description: 'Ollama, LM Studio, vLLM, llama.cpp server, DeepSeek, OpenRouter or a company gateway.',
    baseUrl: 'required',
    apiKey: 'optional',
    headers: true,
    embeddingModel: true,
    transcriptionModel: true,
    modelPlaceholder: 'llama3.1:8b',
    baseUrlPlaceholder: 'http://127.0.0.1:11434/v1',
  },
  {
    ...hosted,
    value: 'azure',
    label: 'Azure OpenAI',
    description: 'A deployment in your Azure OpenAI resource.',
    baseUrl: 'required',
    apiVersion: true,
    embeddingModel: true,
    transcriptionModel: true,
    modelLabel: 'Chat deployment',
    modelPlaceholder: 'gpt4o-prod',
    baseUrlLabel: 'Resource URL',
    baseUrlPlaceholder: 'https://NAME.openai.azure.com',
  },
  { ...hosted, value: 'anthropic', label: 'Anthropic', description: 'Claude models through the Messages API.', baseUrl: 'hidden', modelPlaceholder: 'claude-haiku-4-5' },
  { ...hosted, value: 'gemini', label: 'Google Gemini', description: 'Gemini models through the Gemini API.', baseUrl: 'hidden', embeddingModel: true, modelPlaceholder: 'gemini-2.5-flash' },
  {
    ...hosted,
    value: 'local',
    label: 'Local model',
    description: 'A GGUF model running on this computer: offline, no key, no cost.',
    baseUrl: 'hidden',
    apiKey: 'optional',
    modelLabel: 'Model',
    modelPlaceholder: '',
  },
];

export const kindSpec = (kind: ProviderKind): KindSpec => KINDS.find((k) => k.value === kind)!;
export const kindLabel = (kind: ProviderKind): string => kindSpec(kind).label;

export const ROLES: readonly { value: EndpointRole; label: string; description: string }[] = [
  { value: 'primary', label: 'Primary', description: 'Tried first by policies that use @primary' },
  { value: 'secondary', label: 'Secondary', description: 'The first fallback (@secondary)' },
  { value: 'tertiary', label: 'Tertiary', description: 'The second fallback (@tertiary)' },
  { value: 'standby', label: 'Standby', description: 'Only used when a policy names it' },
];

export interface HeaderRow {
  name: string;
  value: string;
}

export interface ProviderFormValues {
  name: string;
  kind: ProviderKind;
  /** 'auto': primary if no endpoint is primary yet, else standby (the core decides). */
  role: EndpointRole | 'auto';
  enabled: boolean;
  baseUrl: string;
  /** Empty on edit means "keep the stored key". */
  apiKey: string;
  removeKey: boolean;
  model: string;
  embeddingModel: string;
  transcriptionModel: string;
  apiVersion: string;
  headers: HeaderRow[];
  /** Local: a registered local model id or the path of a .gguf file. */
  modelPath: string;
  contextSize: number | '';
  threads: number | '';
}

export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export function emptyValues(kind: ProviderKind = 'openai-compatible'): ProviderFormValues {
  return {
    name: '',
    kind,
    role: 'auto',
    enabled: true,
    baseUrl: '',
    apiKey: '',
    removeKey: false,
    model: '',
    embeddingModel: '',
    transcriptionModel: '',
    apiVersion: kind === 'azure' ? DEFAULT_AZURE_API_VERSION : '',
    headers: [],
    modelPath: '',
    contextSize: '',
    threads: '',
  };
}

/** The form for an existing endpoint. The key field starts empty: the stored key is only ever shown masked. */
export function valuesFrom(p: ProviderInfo): ProviderFormValues {
  return {
    name: p.name,
    kind: p.kind,
    role: p.role,
    enabled: p.enabled,
    baseUrl: p.baseUrl ?? '',
    apiKey: '',
    removeKey: false,
    model: p.model ?? '',
    embeddingModel: p.embeddingModel ?? '',
    transcriptionModel: p.transcriptionModel ?? '',
    apiVersion: p.apiVersion ?? '',
    // Header values come back masked; sending a masked value back unchanged keeps the stored one.
    headers: Object.entries(p.headersMasked).map(([name, value]) => ({ name, value })),
    modelPath: p.modelPath ?? '',
    contextSize: p.contextSize ?? '',
    threads: p.threads ?? '',
  };
}

/** As the core derives it: 'qwen2.5-1.5b' for a model id, 'my-model.Q4_K_M' for '/models/my-model.Q4_K_M.gguf'. */
export const localModelName = (modelPath: string): string => modelPath.split(/[\\/]/).pop()!.replace(/\.gguf$/i, '');

const text = (s: string): string | undefined => (s.trim() ? s.trim() : undefined);
const num = (n: number | ''): number | undefined => (n === '' ? undefined : n);

function headerMap(rows: HeaderRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => r.name.trim() || r.value).map((r) => [r.name.trim(), r.value]));
}

/** The providers.add input for these values: only the fields the kind uses. */
export function toAddInput(v: ProviderFormValues): ProviderAddInput {
  const spec = kindSpec(v.kind);
  const input: ProviderAddInput = { name: v.name.trim(), kind: v.kind, enabled: v.enabled };
  if (v.role !== 'auto') input.role = v.role;
  if (spec.baseUrl !== 'hidden' && text(v.baseUrl)) input.baseUrl = text(v.baseUrl)!;
  if (v.kind !== 'local' && text(v.apiKey)) input.apiKey = text(v.apiKey)!;
  if (v.kind === 'local') {
    if (text(v.modelPath)) input.modelPath = text(v.modelPath)!;
    if (num(v.contextSize) !== undefined) input.contextSize = num(v.contextSize)!;
    if (num(v.threads) !== undefined) input.threads = num(v.threads)!;
  } else {
    if (text(v.model)) input.model = text(v.model)!;
    if (spec.embeddingModel && text(v.embeddingModel)) input.embeddingModel = text(v.embeddingModel)!;
    if (spec.transcriptionModel && text(v.transcriptionModel)) input.transcriptionModel = text(v.transcriptionModel)!;
  }
  if (spec.apiVersion && text(v.apiVersion)) input.apiVersion = text(v.apiVersion)!;
  if (spec.headers && v.headers.length) input.headers = headerMap(v.headers);
  return input;
}

/** The providers.update input: only what changed; a cleared optional field becomes null (removed). */
export function toUpdateInput(v: ProviderFormValues, original: ProviderInfo): ProviderUpdateInput {
  const spec = kindSpec(original.kind);
  const input: ProviderUpdateInput = { name: original.name };
  if (v.name.trim() !== original.name) input.rename = v.name.trim();
  if (v.role !== 'auto' && v.role !== original.role) input.role = v.role;
  if (v.enabled !== original.enabled) input.enabled = v.enabled;
  const str = (key: 'baseUrl' | 'model' | 'embeddingModel' | 'transcriptionModel' | 'apiVersion' | 'modelPath', value: string): void => {
    const next = text(value) ?? null;
    if (next !== (original[key] ?? null)) input[key] = next;
  };
  if (spec.baseUrl !== 'hidden') str('baseUrl', v.baseUrl);
  if (original.kind === 'local') {
    str('modelPath', v.modelPath);
    // The core names a local endpoint's model after its file; keep that name in step when the file changes.
    if (input.modelPath && original.modelPath && original.model === localModelName(original.modelPath)) input.model = localModelName(input.modelPath);
    const cs = num(v.contextSize) ?? null;
    if (cs !== original.contextSize) input.contextSize = cs;
    const th = num(v.threads) ?? null;
    if (th !== original.threads) input.threads = th;
  } else {
    str('model', v.model);
    if (spec.embeddingModel) str('embeddingModel', v.embeddingModel);
    if (spec.transcriptionModel) str('transcriptionModel', v.transcriptionModel);
    if (text(v.apiKey)) input.apiKey = text(v.apiKey)!;
    else if (v.removeKey && original.apiKeyMasked) input.apiKey = null;
  }
  if (spec.apiVersion) str('apiVersion', v.apiVersion);
  if (spec.headers) {
    const next = headerMap(v.headers);
    const same = JSON.stringify(next) === JSON.stringify(original.headersMasked);
    if (!same) input.headers = next;
  }
  return input;
}

/**
 * Field-level problems before anything is sent: the contract's own schema (names, URLs, header names) plus what
 * each kind needs to work (the same rules the core applies, so a save is not refused after the fact).
 */
export function validateProvider(v: ProviderFormValues, original?: ProviderInfo): FieldErrors {
  const spec = kindSpec(v.kind);
  const errors: FieldErrors = {};
  const parsed = original ? providerUpdateInput.safeParse(toUpdateInput(v, original)) : providerAddInput.safeParse(toAddInput(v));
  if (!parsed.success) {
    for (const [k, msg] of Object.entries(zodFieldErrors(parsed.error))) errors[k === 'rename' ? 'name' : k] ??= msg;
  }
  // The contract checks the header map; rows are checked here so the message lands on the row.
  const seen = new Set<string>();
  v.headers.forEach((h, i) => {
    const name = h.name.trim();
    if (!name && !h.value) return;
    if (!/^[A-Za-z0-9-]{1,100}$/.test(name)) errors[`headers.${i}.name`] = 'Header names use letters, digits and dashes.';
    else if (seen.has(name.toLowerCase())) errors[`headers.${i}.name`] = 'This header is already listed.';
    else if (/^(authorization|api-key)$/i.test(name) && text(v.apiKey)) errors[`headers.${i}.name`] = 'The API key already sets this header; remove one of them.';
    if (!h.value) errors[`headers.${i}.value`] = 'Give the header a value.';
    seen.add(name.toLowerCase());
  });
  for (const k of Object.keys(errors)) if (k.startsWith('headers.') && !/^headers\.\d+\./.test(k)) delete errors[k];

  const hasStoredKey = !!original?.apiKeyMasked && !v.removeKey;
  if (spec.apiKey === 'required' && !text(v.apiKey) && !hasStoredKey) errors.apiKey ??= `${spec.label} needs an API key.`;
  if (spec.baseUrl === 'required' && !text(v.baseUrl)) {
    errors.baseUrl ??= v.kind === 'azure' ? 'Give the resource URL, e.g. https://NAME.openai.azure.com.' : 'Give the server’s base URL, usually ending in /v1.';
  }
  if (v.kind === 'openai-compatible' && text(v.baseUrl) && !errors.baseUrl && /^https?:\/\/[^/]+\/?$/i.test(text(v.baseUrl)!)) {
    // Not an error (some gateways serve at the root), but the most common mistake.
    errors.baseUrlHint = 'Most OpenAI-compatible servers expect the path too, e.g. …/v1.';
  }
  if (v.kind === 'local' && !text(v.modelPath)) errors.modelPath ??= 'Pick an installed model or give the path of a .gguf file.';
  if (v.contextSize !== '' && (v.contextSize < 256 || v.contextSize > 1_048_576)) errors.contextSize ??= 'Use between 256 and 1,048,576 tokens.';
  if (v.threads !== '' && (v.threads < 1 || v.threads > 256)) errors.threads ??= 'Use between 1 and 256 threads.';
  return errors;
}

/** Hints are advice, not errors: they do not block saving. */
export const blockingErrors = (errors: FieldErrors): string[] => Object.keys(errors).filter((k) => !k.endsWith('Hint'));
