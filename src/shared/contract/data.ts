import { z } from 'zod';
import { ENTITY_KEYS, IMPORTABLE_ENTITY_KEYS } from '../entities';
import { insightSummary } from '../insights';
import { defineRoute } from './define';
import { id, jobStarted, ok, workspaceName, workspaceRef } from './common';

const entityKey = z.enum(ENTITY_KEYS as [string, ...string[]], { message: `Unknown entity type. Known: ${ENTITY_KEYS.join(', ')}.` });
const importableKey = z.enum(IMPORTABLE_ENTITY_KEYS as [string, ...string[]], {
  message: `This entity type cannot be imported. Importable: ${IMPORTABLE_ENTITY_KEYS.join(', ')}.`,
});
const row = z.record(z.string(), z.unknown());
/** Names of referenced records per column: `{ account_id: { "22": "Acme Corp" } }`; polymorphic keys read "type:id". */
export const refTitles = z.record(z.string(), z.record(z.string(), z.string()));
export type RefTitles = z.infer<typeof refTitles>;

export const recordChildren = z.object({
  entity: z.string(),
  /** The child column pointing at the record. */
  column: z.string(),
  label: z.string(),
  total: z.number().int(),
  rows: z.array(row),
  refs: refTitles,
});
export type RecordChildren = z.infer<typeof recordChildren>;

export const recordMatch = z.object({ id: z.number().int(), title: z.string(), subtitle: z.string().nullable(), code: z.string().nullable() });
export type RecordMatch = z.infer<typeof recordMatch>;

export const importError = z.object({ line: z.number().int(), column: z.string().nullable(), reason: z.string() });
export const importReport = z.object({
  entity: z.string(),
  dryRun: z.boolean(),
  committed: z.boolean(),
  totalRows: z.number().int(),
  validRows: z.number().int(),
  badRows: z.number().int(),
  imported: z.number().int(),
  skipped: z.number().int(),
  /** The first 1,000 problems, by line; badRows has the full count. */
  errors: z.array(importError),
});
export type ImportReport = z.infer<typeof importReport>;

/** Maps each entity column to the CSV header that feeds it (or null to leave it empty). */
export const columnMapping = z.record(z.string(), z.string().nullable());

/** Field delimiters a CSV import understands; 'auto' (the default) detects one from the file's first lines. */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];
export const csvDelimiter = z.enum(CSV_DELIMITERS);

export const dataRoutes = {
  'data.stats': defineRoute({
    summary: 'Row count per table',
    role: 'member',
    input: workspaceRef,
    output: z.object({ counts: z.record(z.string(), z.number().int()) }),
  }),
  'data.browse': defineRoute({
    summary: 'A page of rows of one entity type, with search and sort',
    role: 'member',
    input: z.object({
      workspace: workspaceName,
      entity: entityKey,
      search: z.string().max(200).optional(),
      sort: z.object({ column: z.string(), desc: z.boolean() }).optional(),
      /** Only rows whose reference column points at one record (entity: the type, for polymorphic columns). */
      ref: z.object({ column: z.string().min(1), id: z.number().int(), entity: entityKey.optional() }).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    output: z.object({ rows: z.array(row), total: z.number().int(), refs: refTitles }),
  }),
  'data.record': defineRoute({
    summary: 'One record as people read it: references named, the records that point at it, and the insights about it',
    role: 'member',
    input: z.object({
      workspace: workspaceName,
      entity: entityKey,
      /** The id, or the code people see (TCK-000575) or "#12". */
      id: z.union([z.number().int().min(1), z.string().trim().min(1).max(100)]),
      childLimit: z.number().int().min(1).max(100).default(10),
    }),
    output: z.object({
      entity: z.string(),
      id: z.number().int(),
      title: z.string(),
      subtitle: z.string().nullable(),
      record: row,
      refs: z.array(z.object({ column: z.string(), entity: z.string(), id: z.number().int(), title: z.string().nullable() })),
      children: z.array(recordChildren),
      insights: z.object({ items: z.array(insightSummary), total: z.number().int() }),
    }),
  }),
  'data.lookup': defineRoute({
    summary: 'Find records by the code, name or id people know (the record picker); no text lists the first records',
    role: 'member',
    input: z.object({ workspace: workspaceName, entity: entityKey, query: z.string().max(200).default(''), limit: z.number().int().min(1).max(50).default(10) }),
    output: z.object({ matches: z.array(recordMatch) }),
  }),
  'data.get': defineRoute({
    summary: 'One record by id',
    role: 'member',
    input: z.object({ workspace: workspaceName, entity: entityKey, id: z.union([z.number().int(), z.string().min(1)]) }),
    output: z.object({ record: row, title: z.string() }),
  }),
  'import.stage': defineRoute({
    summary: 'Upload a CSV file in chunks to a private staging area',
    role: 'member',
    input: z.object({
      uploadId: id.optional(),
      chunk: z.string().max(4 * 1024 * 1024, 'Send at most 4 MB per chunk.'),
      fileName: z.string().max(260).optional(),
    }),
    output: z.object({ uploadId: id, bytes: z.number().int() }),
  }),
  'import.analyze': defineRoute({
    summary: 'Read the header and a sample of a staged CSV and suggest a column mapping',
    role: 'member',
    input: z.object({ workspace: workspaceName, entity: importableKey, uploadId: id, delimiter: csvDelimiter.or(z.literal('auto')).default('auto') }),
    output: z.object({
      /** The delimiter used: the one asked for, or the one detected. */
      delimiter: csvDelimiter,
      headers: z.array(z.string()),
      sample: z.array(z.array(z.string())),
      suggestedMapping: columnMapping,
      bytes: z.number().int(),
    }),
  }),
  'import.run': defineRoute({
    summary: 'Validate (dry run) or import a staged CSV; runs as a job whose result is an import report',
    role: 'member',
    input: z.object({
      workspace: workspaceName,
      entity: importableKey,
      uploadId: id,
      mapping: columnMapping.optional(),
      dryRun: z.boolean().default(false),
      skipBadRows: z.boolean().default(false),
      delimiter: csvDelimiter.or(z.literal('auto')).default('auto'),
    }),
    output: jobStarted,
  }),
  'import.discard': defineRoute({
    summary: 'Delete a staged upload',
    role: 'member',
    input: z.object({ uploadId: id }),
    output: ok,
  }),
} as const;
