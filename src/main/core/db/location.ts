import { z } from 'zod';
import { AppError } from '@shared/errors';

/** The two storage engines a workspace can live on. */
export type Engine = 'sqlite' | 'postgres';

/**
 * Where a workspace's data lives, as plain data: worker tasks and (later) other machines receive a location, never a
 * handle. A PostgreSQL location names one schema of one database; several workspaces can share a database.
 * The URL carries credentials: log `describeLocation(location)`, never the location itself.
 */
export type WorkspaceLocation = SqliteLocation | PostgresLocation;
export interface SqliteLocation {
  engine: 'sqlite';
  /** Absolute path of the workspace file. */
  file: string;
}
export interface PostgresLocation {
  engine: 'postgres';
  /** postgres://user:password@host:port/database[?sslmode=…] */
  url: string;
  /** The workspace's schema: lower-case letters, digits and underscores (it is also set as the search_path). */
  schema: string;
}

/**
 * Schema names end up in the connection's search_path option and in DDL, so they are restricted to a safe subset of
 * identifiers instead of being quoted everywhere.
 */
export const POSTGRES_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

export const workspaceLocation = z.discriminatedUnion('engine', [
  z.object({ engine: z.literal('sqlite'), file: z.string().min(1) }),
  z.object({
    engine: z.literal('postgres'),
    url: z.string().regex(/^postgres(ql)?:\/\//, 'A PostgreSQL connection string starts with postgres:// or postgresql://.'),
    schema: z.string().regex(POSTGRES_SCHEMA, 'A schema name uses lower-case letters, digits and underscores, starting with a letter (at most 63).'),
  }),
]);

/** Checks a location that came from outside the process (a worker message, the registry). */
export function parseLocation(value: unknown): WorkspaceLocation {
  const parsed = workspaceLocation.safeParse(value);
  if (!parsed.success) throw new AppError('validation', `Not a workspace location: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

/** The URL with its password replaced, for logs and messages. Unparseable URLs are hidden entirely. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unreadable connection string)';
  }
}

/** One line that is safe to log or show: the file, or the masked server URL and schema. */
export function describeLocation(location: WorkspaceLocation): string {
  return location.engine === 'sqlite' ? `SQLite ${location.file}` : `PostgreSQL ${maskUrl(location.url)} (schema ${location.schema})`;
}
