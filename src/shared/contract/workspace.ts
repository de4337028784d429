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
  /** PostgreSQL workspaces: where the data lives, without user name or password (the connection string is never shown). */
  server: z.object({ host: z.string(), port: z.number().int(), database: z.string(), schema: z.string() }).nullable().optional(),
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
/** A PostgreSQL connection string as typed by a person; the server checks the rest (workspace.testConnection). */
export const postgresUrl = z
  .string()
  .trim()
  .min(1, 'Enter a PostgreSQL connection string.')
  .max(2048, 'That connection string is too long.')
  .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'A PostgreSQL connection string looks like postgres://user:password@host:5432/database.');
export const postgresSchemaName = z
  .string()
  .trim()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'A schema name uses lower-case letters, digits and underscores, starting with a letter (at most 63).');

/** A workspace schema found on a server (for attaching). */
export const teamSchemaInfo = z.object({
  schema: z.string(),
  /** The workspace's name as recorded in it (workspace_meta), if readable. */
  name: z.string().nullable(),
  schemaVersion: z.number().int(),
  /** The app version that last migrated it. */
  appVersion: z.string().nullable(),
  /** Whether this app can open it (false: it was migrated by a newer app). */
  compatible: z.boolean(),
  /** Already attached on this machine, under this local name. */
  attachedAs: z.string().nullable(),
});
export type TeamSchemaInfo = z.infer<typeof teamSchemaInfo>;

export const connectionReport = z.object({
  ok: z.literal(true),
  server: z.object({ host: z.string(), port: z.number().int(), database: z.string(), user: z.string() }),
  serverVersion: z.string(),
  tls: z.boolean(),
  /** May this user create schemas in the database (needed to create a team workspace)? */
  canCreateSchema: z.boolean(),
  /** Workspace schemas on the server this user can see. */
  schemas: z.array(teamSchemaInfo),
});
export type ConnectionReport = z.infer<typeof connectionReport>;

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
    input: z.object({
      name: workspaceName,
      demo: demoOptions.optional(),
      /** A team workspace: a new schema on this PostgreSQL server instead of a local SQLite file. */
      postgres: z.object({ url: postgresUrl }).optional(),
    }),
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
  'workspace.attach': defineRoute({
    summary: 'Join an existing team workspace on a PostgreSQL server (lists its workspace schemas when none is named)',
    role: 'member',
    input: z.object({ name: workspaceName, postgres: z.object({ url: postgresUrl, schema: postgresSchemaName.optional() }) }),
    /** `workspace` is null when no schema was named and none matches the name: pick one of `schemas`. */
    output: z.object({ workspace: workspaceInfo.nullable(), schemas: z.array(teamSchemaInfo) }),
  }),
  'workspace.testConnection': defineRoute({
    summary: 'Check a PostgreSQL connection string: reachability, credentials, database, privileges, TLS, schema version',
    role: 'member',
    input: z.object({ postgres: z.object({ url: postgresUrl, schema: postgresSchemaName.optional() }) }),
    output: connectionReport,
  }),
  'workspace.detach': defineRoute({
    summary: 'Forget a team workspace on this machine (the data on the server stays)',
    role: 'member',
    input: workspaceRef,
    output: z.object({ detached: z.string() }),
  }),
} as const;
