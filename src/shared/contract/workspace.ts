import { z } from 'zod';
import { defineRoute } from './define';
import { id, jobStarted, workspaceName, workspaceRef } from './common';

export const demoOptions = z.object({
  scale: z.number().min(0.01, 'Scale must be at least 0.01.').max(200, 'Scale is at most 200 (about a million rows).').default(1),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  /**
   * The day the generated history ends (YYYY-MM-DD); today when left out. Pinning it makes the data the same on any
   * day, which tests and demos rely on (same seed + scale + anchor date → identical rows).
   */
  anchorDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD for the anchor date.')
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'That anchor date is not a real day.')
    .optional(),
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

/** A workspace backup in the app's backup folder (<data>/backups/workspaces), named by its file name. */
export const backupInfo = z.object({
  backup: z.string(),
  workspace: z.string(),
  createdAt: z.string(),
  sizeBytes: z.number().int(),
  /** Made by the daily backup task (only these are pruned to the last N). */
  daily: z.boolean(),
});
export type BackupInfo = z.infer<typeof backupInfo>;

/** A backup's file name: the renderer names backups in the app's folder, never a path. */
export const backupName = z
  .string()
  .max(200)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*-\d{8}T\d{6}Z(?:-daily)?\.sqlite$/u, 'That is not the name of a backup (pick one from the list of backups).');

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
  'workspace.backup': defineRoute({
    summary: 'Back up a workspace into the backup folder while the app runs, verified after writing (runs as a job)',
    role: 'member',
    input: workspaceRef,
    output: jobStarted.extend({ backup: z.string() }),
  }),
  'workspace.backups': defineRoute({
    summary: 'List the workspace backups in the backup folder, newest first',
    role: 'member',
    input: z.object({ workspace: workspaceName.optional() }).default({}),
    output: z.object({ backups: z.array(backupInfo) }),
  }),
  'workspace.backupSettings': defineRoute({
    summary: 'How many daily backups of each workspace are kept (daily backups are switched on per workspace in Schedules)',
    role: 'member',
    input: z.object({}).default({}),
    output: z.object({ keepDaily: z.number().int() }),
  }),
  'workspace.setBackupSettings': defineRoute({
    summary: 'Set how many daily backups of each workspace are kept',
    role: 'admin',
    input: z.object({ keepDaily: z.number().int().min(1, 'Keep at least one backup.').max(365, 'Keep at most 365 daily backups.') }),
    output: z.object({ keepDaily: z.number().int() }),
  }),
  'workspace.restore': defineRoute({
    summary: 'Restore a backup into a new workspace (never over an existing one; runs as a job)',
    role: 'member',
    input: z.object({ backup: backupName, name: workspaceName }),
    output: jobStarted,
  }),
} as const;
