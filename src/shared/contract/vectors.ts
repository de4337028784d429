import { z } from 'zod';
import { defineRoute } from './define';
import { jobStarted, workspaceName, workspaceRef } from './common';

export const searchModes = ['vector', 'keyword', 'hybrid'] as const;
export const searchMode = z.enum(searchModes);
export const accessLevel = z.enum(['standard', 'internal', 'restricted']);
export const chunkStrategy = z.enum(['fixed', 'sentence', 'paragraph']);

const chunkOptions = z.object({
  strategy: chunkStrategy.optional(),
  maxChars: z.number().int().min(100, 'Chunks of fewer than 100 characters lose context.').max(8000, 'Chunks are at most 8,000 characters.').optional(),
  overlap: z.number().int().min(0).max(2000).optional(),
});
export const chunkingInput = chunkOptions.extend({ perSource: z.record(z.string(), chunkOptions).optional() });
export const chunkingConfig = z.object({
  strategy: chunkStrategy,
  maxChars: z.number().int(),
  overlap: z.number().int(),
  perSource: z.record(z.string(), chunkOptions).optional(),
});
export type ChunkingInput = z.infer<typeof chunkingInput>;

export const qualityReport = z.object({
  versionId: z.number().int(),
  computedAt: z.string(),
  dimensions: z.number().int(),
  chunks: z.number().int(),
  vectors: z.number().int(),
  dimensionConsistent: z.boolean(),
  wrongDimension: z.number().int(),
  zeroVectors: z.number().int(),
  zeroRate: z.number(),
  normMean: z.number(),
  normStd: z.number(),
  duplicates: z.number().int(),
  duplicateRate: z.number(),
  orphanVectors: z.number().int(),
  missingVectors: z.number().int(),
  missingFts: z.number().int(),
  score: z.number(),
});
export type QualityReportInfo = z.infer<typeof qualityReport>;

export const indexVersionInfo = z.object({
  id: z.number().int(),
  embedder: z.object({ id: z.string(), kind: z.enum(['builtin', 'provider', 'local']), label: z.string(), model: z.string(), lexical: z.boolean() }),
  dimensions: z.number().int(),
  chunking: chunkingConfig,
  binaryPrefilter: z.boolean(),
  status: z.enum(['building', 'ready', 'failed', 'cancelled']),
  active: z.boolean(),
  documents: z.number().int(),
  chunks: z.number().int(),
  /** Set while a job writes this version (build or incremental update). */
  writer: z.object({ jobId: z.string().nullable(), pid: z.number().int(), since: z.string() }).nullable(),
  /** Where an unfinished run stands (resumes from here). */
  progress: z.object({ mode: z.enum(['build', 'update']), sourceIndex: z.number().int(), afterId: z.number().int(), documents: z.number().int(), embedded: z.number().int() }).nullable(),
  quality: qualityReport.nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  builtAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  activatedAt: z.string().nullable(),
});
export type IndexVersionInfo = z.infer<typeof indexVersionInfo>;

export const embedderOption = z.object({
  /** What to pass as `embedder` to vectors.build (builtin, provider:MODEL, local:MODEL). */
  spec: z.string(),
  kind: z.enum(['builtin', 'provider', 'local']),
  label: z.string(),
  lexical: z.boolean(),
  available: z.boolean(),
  reason: z.string().nullable(),
});

const span = z.object({ start: z.number().int(), end: z.number().int() });
export const searchResult = z.object({
  chunkId: z.number().int(),
  sourceType: z.string(),
  sourceLabel: z.string(),
  entityId: z.number().int(),
  title: z.string(),
  field: z.string(),
  access: z.string(),
  date: z.string().nullable(),
  snippet: z.string(),
  highlights: z.array(span),
  titleHighlights: z.array(span),
  score: z.number(),
  scores: z.object({
    vectorDistance: z.number().nullable(),
    vectorRank: z.number().int().nullable(),
    bm25: z.number().nullable(),
    bm25Rank: z.number().int().nullable(),
    fused: z.number().nullable(),
  }),
  prevChunkId: z.number().int().nullable(),
  nextChunkId: z.number().int().nullable(),
  /** A weak match: no query word, and its vector no closer than the best a nonsense query reaches (ADR 0097). */
  belowFloor: z.boolean(),
});
export type SearchResult = z.infer<typeof searchResult>;

export const searchFilters = z.object({
  sourceTypes: z.array(z.string()).max(50).optional(),
  entityIds: z.array(z.number().int()).max(1000).optional(),
  dateFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'Use YYYY-MM-DD.').optional(),
  dateTo: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'Use YYYY-MM-DD.').optional(),
  accessLevels: z.array(accessLevel).optional(),
});

const filterEvent = z.object({ rule: z.string(), count: z.number().int(), sample: z.string() });
const citation = z.object({ entityType: z.string(), entityId: z.number().int(), chunkId: z.number().int(), score: z.number() });

const metricPair = z.object({ n: z.number().int(), recall: z.number(), ndcg: z.number() });
export const evaluationInfo = z.object({
  id: z.number().int(),
  versionId: z.number().int().nullable(),
  embedderId: z.string(),
  embedderLabel: z.string(),
  mode: searchMode,
  k: z.number().int(),
  queries: z.number().int(),
  recallAtK: z.number(),
  ndcgAtK: z.number(),
  byKind: z.record(z.string(), metricPair),
  querySet: z.string(),
  ms: z.number().int(),
  createdAt: z.string(),
});
export type EvaluationInfo = z.infer<typeof evaluationInfo>;

const versionRef = z.object({ workspace: workspaceName, version: z.number().int().min(1) });

export const vectorRoutes = {
  'vectors.sources': defineRoute({
    summary: 'What the vector store indexes: source types (for search filters) and entity types left out, with the reason',
    role: 'member',
    input: z.object({}).default({}),
    output: z.object({
      sources: z.array(z.object({ type: z.string(), label: z.string(), childEntities: z.array(z.string()) })),
      excluded: z.array(z.object({ entity: z.string(), reason: z.string() })),
    }),
  }),
  'vectors.embedders': defineRoute({
    summary: 'Embedders that can build an index, and whether each is available now',
    role: 'member',
    input: z.object({}).default({}),
    output: z.object({ embedders: z.array(embedderOption) }),
  }),
  'vectors.status': defineRoute({
    summary: 'The active index version of a workspace and any build in progress',
    role: 'member',
    input: workspaceRef,
    output: z.object({ workspace: z.string(), active: indexVersionInfo.nullable(), building: z.array(indexVersionInfo), versions: z.number().int() }),
  }),
  'vectors.versions': defineRoute({
    summary: 'Every index version of a workspace, newest first',
    role: 'member',
    input: workspaceRef,
    output: z.object({ versions: z.array(indexVersionInfo) }),
  }),
  'vectors.build': defineRoute({
    summary: 'Build an index version (a new embedder or chunking builds a new version in the background; the same configuration resumes or updates); runs as a job',
    role: 'admin',
    input: z.object({
      workspace: workspaceName,
      embedder: z.string().max(200).optional(),
      chunking: chunkingInput.optional(),
      /** Build a fresh version even if one with this configuration exists. */
      rebuild: z.boolean().default(false),
      /** Make the version active when it is ready (the first version always becomes active). */
      activate: z.boolean().default(true),
      binaryPrefilter: z.boolean().default(true),
    }),
    output: jobStarted.extend({ versionId: z.number().int(), action: z.enum(['build', 'resume', 'update']) }),
  }),
  'vectors.update': defineRoute({
    summary: 'Incremental update of the active index: new and changed records are embedded, deleted ones removed; runs as a job',
    role: 'member',
    input: workspaceRef,
    output: jobStarted.extend({ versionId: z.number().int(), action: z.enum(['build', 'resume', 'update']) }),
  }),
  'vectors.switch': defineRoute({ summary: 'Make a ready index version the active one (atomic)', role: 'admin', input: versionRef, output: indexVersionInfo }),
  'vectors.rollback': defineRoute({ summary: 'Switch back to the previously active index version', role: 'admin', input: workspaceRef, output: indexVersionInfo }),
  'vectors.deleteVersion': defineRoute({
    summary: 'Delete an index version that is not active, with its vectors',
    role: 'admin',
    input: versionRef,
    output: z.object({ deleted: z.number().int() }),
  }),
  'vectors.quality': defineRoute({
    summary: 'Quality metrics of an index version (default: the active one)',
    role: 'member',
    input: z.object({ workspace: workspaceName, version: z.number().int().min(1).optional(), recompute: z.boolean().default(false) }),
    output: qualityReport,
  }),
  'vectors.evaluate': defineRoute({
    summary: 'Measure recall@10 and nDCG@10 of index versions on a query set derived from the workspace records; runs as a job',
    role: 'member',
    input: z.object({ workspace: workspaceName, versions: z.array(z.number().int().min(1)).max(20).optional(), modes: z.array(searchMode).min(1).optional() }),
    output: jobStarted,
  }),
  'vectors.evaluations': defineRoute({
    summary: 'Stored retrieval evaluation results, newest first',
    role: 'member',
    input: z.object({ workspace: workspaceName, limit: z.number().int().min(1).max(500).default(50) }),
    output: z.object({ evaluations: z.array(evaluationInfo) }),
  }),
  'vectors.related': defineRoute({
    summary: 'Records related to a record or a text, as safe-filtered snippets with citations within a character budget (grounding)',
    role: 'member',
    input: z.object({
      workspace: workspaceName,
      entityType: z.string().optional(),
      entityId: z.number().int().optional(),
      text: z.string().max(20_000).optional(),
      k: z.number().int().min(1).max(50).default(5),
      charBudget: z.number().int().min(100).max(100_000).default(3000),
      sourceTypes: z.array(z.string()).optional(),
      accessLevels: z.array(accessLevel).optional(),
    }),
    output: z.object({
      available: z.boolean(),
      reason: z.string().nullable(),
      versionId: z.number().int().nullable(),
      snippets: z.array(citation.extend({ title: z.string(), sourceLabel: z.string(), field: z.string(), text: z.string(), filtered: z.array(filterEvent) })),
      citations: z.array(citation),
      usedChars: z.number().int(),
      filtered: z.array(filterEvent),
    }),
  }),
  'search.query': defineRoute({
    summary: 'Search a workspace by meaning (vector), by words and codes (keyword, BM25) or both (hybrid, reciprocal rank fusion)',
    role: 'member',
    input: z.object({
      workspace: workspaceName,
      query: z.string().trim().min(1, 'Type something to search for.').max(2000),
      mode: searchMode.default('hybrid'),
      k: z.number().int().min(1).max(100).default(10),
      filters: searchFilters.default({}),
      /** Search a specific (ready) version instead of the active one, e.g. to compare before switching. */
      version: z.number().int().min(1).optional(),
      /** Binary prefilter with float rescoring: auto (large indexes), on, or off (exact float search). */
      prefilter: z.enum(['auto', 'on', 'off']).default('auto'),
    }),
    output: z.object({
      /** Good matches first, then those below the relevance floor (belowFloor), each in rank order. */
      results: z.array(searchResult),
      /** The cosine distance a vector-only match had to beat (measured on this version with nonsense probes); null in keyword mode. */
      floor: z.number().nullable(),
      mode: searchMode,
      versionId: z.number().int(),
      embedder: z.object({ id: z.string(), label: z.string(), lexical: z.boolean() }),
      prefilterUsed: z.boolean(),
      timings: z.object({ embedMs: z.number(), vectorMs: z.number(), keywordMs: z.number(), totalMs: z.number() }),
      warnings: z.array(z.string()),
    }),
  }),
} as const;

export const vectorsChangedReasons = ['built', 'updated', 'switched', 'rolled_back', 'deleted', 'failed', 'cancelled', 'evaluated', 'removed'] as const;
