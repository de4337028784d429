import { z } from 'zod';
import { defineRoute } from './define';
import { id, workspaceName, workspaceRef } from './common';

export const demoOptions = z.object({
  scale: z.number().min(0.01, 'Scale must be at least 0.01.').max(200, 'Scale is at most 200 (about a million rows).').default(1),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
});

export const workspaceInfo = z.object({
  id,
  name: z.string(),
  /** Which engine holds the data: a SQLite file on this machine, or a schema on a PostgreSQL server. */
  kind: z.enum(['sqlite', 'postgres']),
  createdAt: z.string(),
  schemaVersion: z.number().int(),
  sizeBytes: z.number().int(),
  demo: z.object({ scale: z.number(), seed: z.number().int() }).nullable(),
  status: z.enum(['ready', 'generating', 'failed']),
});
export type WorkspaceInfo = z.infer<typeof workspaceInfo>;

export const workspaceRoutes = {
  'workspace.list': defineRoute({
    summary: 'List workspaces',
    role: 'member',
    input: z.object({}).default({}),
    output: z.object({ workspaces: z.array(workspaceInfo) }),
  }),
  'workspace.create': defineRoute({
    summary: 'Create an empty workspace, or a generated demo workspace (runs as a job)',
    role: 'member',
    input: z.object({ name: workspaceName, demo: demoOptions.optional() }),
    output: z.object({ workspace: workspaceInfo, jobId: id.nullable() }),
  }),
  'workspace.delete': defineRoute({
    summary: 'Delete a workspace and its database file',
    role: 'admin',
    input: workspaceRef,
    output: z.object({ deleted: z.string() }),
  }),
} as const;
