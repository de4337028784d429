import { z } from 'zod';
import { displayName } from '../names';
import { defineRoute } from './define';
import { id } from './common';

/** Ids of local models: short, lower-case, safe in URLs and on the command line ("qwen2.5-1.5b-instruct-q4km"). */
export const localModelId = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'Model ids use lower-case letters, digits, dots, dashes and underscores.');

export const localModelKind = z.enum(['chat', 'embedding', 'whisper', 'unknown']);
export const checksumVerification = z.enum(['catalog', 'server', 'none']);

export const localModelInfo = z.object({
  id: localModelId,
  name: z.string(),
  /** Absolute path of the GGUF file. */
  file: z.string(),
  /** 'download': the app downloaded it into its models folder (and deletes it on remove); 'file': registered in place. */
  source: z.enum(['download', 'file']),
  catalogId: z.string().nullable(),
  url: z.string().nullable(),
  /** 'missing': registered, but the file is gone from disk. */
  status: z.enum(['downloading', 'ready', 'failed', 'missing']),
  jobId: id.nullable(),
  error: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  /** What the checksum was checked against; 'none' = the file could not be verified. Null for registered files. */
  verification: checksumVerification.nullable(),
  kind: localModelKind,
  architecture: z.string().nullable(),
  parameters: z.number().nullable(),
  contextLength: z.number().nullable(),
  embeddingLength: z.number().nullable(),
  quantization: z.string().nullable(),
  license: z.string().nullable(),
  /** In memory right now, and how many requests are queued or running on it. */
  loaded: z.boolean(),
  inUse: z.number().int(),
  createdAt: z.string(),
});
export type LocalModelInfo = z.infer<typeof localModelInfo>;

export const catalogModel = z.object({
  id: localModelId,
  name: z.string(),
  purpose: z.enum(['analysis', 'embedding', 'transcription']),
  description: z.string(),
  url: z.string().url(),
  /** Approximate, for display before the download starts. */
  sizeBytes: z.number().int().positive(),
  sha256: z
    .string()
    .regex(/^[a-f0-9]{64}$/)
    .nullable(),
  /** The SHA-1 a publisher lists when it lists no sha256 (whisper.cpp's models/README.md); checked the same way. */
  sha1: z
    .string()
    .regex(/^[a-f0-9]{40}$/)
    .nullable()
    .optional(),
  license: z.string(),
  parameters: z.string(),
  contextLength: z.number().int().positive(),
});
export type CatalogModel = z.infer<typeof catalogModel>;

export const catalogEntry = catalogModel.extend({
  status: z.enum(['available', 'downloading', 'installed', 'failed']),
  modelId: localModelId.nullable(),
  jobId: id.nullable(),
});
export type CatalogEntry = z.infer<typeof catalogEntry>;

const sha256 = z
  .string()
  .trim()
  .regex(/^[a-fA-F0-9]{64}$/, 'A sha256 checksum is 64 hexadecimal characters.')
  .transform((s) => s.toLowerCase());

export const modelTestResult = z.object({
  id: localModelId,
  kind: localModelKind,
  loadMs: z.number(),
  alreadyLoaded: z.boolean(),
  /** The test generation (or embedding) alone, after loading. */
  latencyMs: z.number(),
  outputTokens: z.number().int(),
  tokensPerSec: z.number().nullable(),
  output: z.string(),
  dimensions: z.number().int().nullable(),
});
export type ModelTestResult = z.infer<typeof modelTestResult>;

export const modelRoutes = {
  'models.list': defineRoute({
    summary: 'Local GGUF models (installed, downloading) and the curated download catalog with each entry’s status',
    role: 'member',
    input: z.object({}).default({}),
    output: z.object({ models: z.array(localModelInfo), catalog: z.array(catalogEntry), folder: z.string() }),
  }),
  'models.add': defineRoute({
    summary: 'Register a GGUF file already on this computer (it stays where it is)',
    role: 'admin',
    input: z.object({
      path: z.string().trim().min(1, 'Give the path of a .gguf file.'),
      name: displayName({ max: 120 }).optional(),
      /** 'whisper': the file must be a whisper.cpp speech model (the Voice page and `voice models add`). */
      kind: z.enum(['whisper']).optional(),
    }),
    output: z.object({ model: localModelInfo }),
  }),
  'models.download': defineRoute({
    summary: 'Download a model from the catalog (by id) or any http(s) URL; runs as a resumable job',
    role: 'admin',
    input: z.object({
      source: z.string().trim().min(1, 'Give a catalog id or a URL.'),
      name: displayName({ max: 120 }).optional(),
      sha256: sha256.optional(),
    }),
    output: z.object({ jobId: id, model: localModelInfo }),
  }),
  'models.remove': defineRoute({
    summary: 'Remove a local model (deletes downloaded files; registered files stay on disk)',
    role: 'admin',
    input: z.object({ id: localModelId }),
    output: z.object({ removed: localModelId, deletedFile: z.boolean() }),
  }),
  'models.unload': defineRoute({
    summary: 'Free the memory of a loaded local model (refused while it is answering)',
    role: 'member',
    input: z.object({ id: localModelId }),
    output: z.object({ unloaded: z.boolean() }),
  }),
  'models.test': defineRoute({
    summary: 'Load a local model and run a tiny generation (or embedding), reporting load time and latency',
    role: 'member',
    input: z.object({ id: localModelId, prompt: z.string().max(2000).optional() }),
    output: modelTestResult,
  }),
} as const;
