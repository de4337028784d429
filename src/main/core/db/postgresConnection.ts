import { sql, type Kysely } from 'kysely';
import type { ConnectionReport, TeamSchemaInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import { maskUrl, POSTGRES_SCHEMA } from './location';
import { latestVersion } from './migrate';
import { newerSchemaError } from './migratePostgres';
import { postgresWorkspaceMigrations } from './migrations/workspace';
import { createPostgresPool, describePostgresError, postgresKysely } from './postgres';

/** Host, port, database and user of a connection string: what may be shown (never the password). */
export function serverOf(url: string): { host: string; port: number; database: string; user: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AppError('validation', 'That PostgreSQL connection string cannot be read; it looks like postgres://user:password@host:5432/database.', { reason: 'other' });
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new AppError('validation', `${maskUrl(url)} names no database: add it after the host, as in postgres://user:password@host:5432/database.`, { reason: 'database' });
  return { host: u.hostname || 'localhost', port: u.port ? Number(u.port) : 5432, database, user: decodeURIComponent(u.username) };
}

export interface ProbeOptions {
  /** The workspace schema to check (attach); without it, only the server and the database are checked. */
  schema?: string | undefined;
  appVersion: string;
  /** Local names of schemas already attached on this machine, by schema. */
  attached?: ReadonlyMap<string, string>;
  /** For messages. */
  label?: string;
  connectTimeoutMs?: number;
}

type ListedSchema = TeamSchemaInfo & { usage: boolean; canCreate: boolean; unknown: { version: number; app_version: string }[] };

interface SchemaRow {
  schema: string;
  usage: boolean;
  can_create: boolean;
}

/**
 * The connection test behind workspace.testConnection, create and attach: connects once (one short-lived
 * connection), reads what the server says about this user, lists the workspace schemas it can see and, for a named
 * schema, checks that this app may open it. Every failure is an AppError whose details.reason says which check failed
 * (PostgresFailure), with a message that says what to do.
 */
export async function probePostgres(url: string, options: ProbeOptions): Promise<ConnectionReport> {
  const server = serverOf(url);
  if (options.schema !== undefined && !POSTGRES_SCHEMA.test(options.schema)) throw new AppError('validation', `"${options.schema}" is not a workspace schema name.`, { reason: 'schema' });
  const db = postgresKysely<unknown>(createPostgresPool({ engine: 'postgres', url, schema: 'public' }, { max: 1, connectTimeoutMs: options.connectTimeoutMs ?? 8_000, statementTimeoutMs: 15_000 }));
  try {
    const who = (
      await sql<{ version: string; user: string; database: string; can_create: boolean; tls: boolean | null }>`
        SELECT current_setting('server_version') AS version, current_user AS "user", current_database() AS database,
               has_database_privilege(current_database(), 'CREATE') AS can_create,
               (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls`.execute(db)
    ).rows[0]!;
    const schemas = await listWorkspaceSchemas(db, options.attached ?? new Map());
    if (options.schema !== undefined) checkSchema(options.schema, schemas, who.user, server.database, options);
    return {
      ok: true,
      server: { host: server.host, port: server.port, database: who.database, user: who.user },
      serverVersion: who.version,
      tls: who.tls === true,
      canCreateSchema: who.can_create,
      schemas: schemas.map(({ usage: _u, canCreate: _c, unknown: _n, ...s }) => s),
    };
  } catch (error) {
    const failure = AppError.is(error) ? error : describePostgresError(error, url);
    if (failure.details?.reason === 'not_allowed' && !/[?&]ssl(mode)?=/i.test(url)) throw await refineHbaRefusal(url, failure);
    throw failure;
  } finally {
    await db.destroy().catch(() => {});
  }
}

/**
 * pg_hba refused a plain connection: either the server only accepts TLS for this user and host ("hostssl" rules), or
 * it has no rule for them at all; its message is the same. Asking once more with TLS tells them apart: a server that
 * does not speak TLS cannot be requiring it.
 */
async function refineHbaRefusal(url: string, plain: AppError): Promise<AppError> {
  const withTls = `${url}${url.includes('?') ? '&' : '?'}sslmode=no-verify`;
  const db = postgresKysely<unknown>(createPostgresPool({ engine: 'postgres', url: withTls, schema: 'public' }, { max: 1, connectTimeoutMs: 8_000 }));
  try {
    await sql`SELECT 1`.execute(db);
  } catch (error) {
    const again = describePostgresError(error, withTls);
    if (again.details?.reason === 'tls_unsupported' || again.details?.reason === 'not_allowed') {
      return new AppError('forbidden', `The server at ${maskUrl(url)} does not let this user connect to this database from this machine (no matching pg_hba.conf rule, with or without TLS); ask its administrator to allow it.`, { reason: 'not_allowed' }, { cause: plain });
    }
  } finally {
    await db.destroy().catch(() => {});
  }
  return new AppError('forbidden', `The server at ${maskUrl(url)} only accepts encrypted connections from here: add ?sslmode=require to the connection string.`, { reason: 'tls_required' }, { cause: plain });
}

/** The refusal when a user may not create a workspace schema in the database. */
export function cannotCreateSchema(report: ConnectionReport): AppError {
  const { user, database } = report.server;
  return new AppError(
    'forbidden',
    `PostgreSQL user "${user}" may not create schemas in database "${database}", which a new team workspace needs. Ask the database owner to run: GRANT CREATE ON DATABASE "${database}" TO "${user}"; or join an existing workspace instead.`,
    { reason: 'privilege' },
  );
}

function checkSchema(schema: string, schemas: ListedSchema[], user: string, database: string, options: ProbeOptions): void {
  const found = schemas.find((s) => s.schema === schema);
  if (!found) {
    const others = schemas.map((s) => (s.name ? `${s.schema} ("${s.name}")` : s.schema));
    throw new AppError(
      'not_found',
      `Database "${database}" has no workspace schema "${schema}".${others.length ? ` Workspace schemas there: ${others.join(', ')}.` : ' It holds no workspaces yet: create one instead.'}`,
      { reason: 'schema' },
    );
  }
  if (!found.usage) {
    throw new AppError('forbidden', `PostgreSQL user "${user}" may not use schema "${schema}". Ask its owner to run: GRANT USAGE, CREATE ON SCHEMA ${schema} TO "${user}"; and GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO "${user}";`, { reason: 'privilege' });
  }
  if (!found.compatible) {
    throw newerSchemaError(options.label ?? found.name ?? schema, found.unknown, found.schemaVersion, options.appVersion, latestVersion(postgresWorkspaceMigrations));
  }
  if (found.schemaVersion < latestVersion(postgresWorkspaceMigrations) && !found.canCreate) {
    throw new AppError(
      'forbidden',
      `Workspace schema "${schema}" needs upgrading to this app's version (${found.schemaVersion} → ${latestVersion(postgresWorkspaceMigrations)}), and user "${user}" may not create tables in it. Ask its owner to run: GRANT CREATE ON SCHEMA ${schema} TO "${user}"; or let a member who may upgrade it open it first.`,
      { reason: 'privilege' },
    );
  }
}

/**
 * Schemas that hold an Intelligence Desk workspace (a schema_migrations and a workspace_meta table), with the name
 * recorded in each and whether this app knows every migration it has.
 */
async function listWorkspaceSchemas(
  db: Kysely<unknown>,
  attached: ReadonlyMap<string, string>,
): Promise<ListedSchema[]> {
  const rows = (
    await sql<SchemaRow>`
      SELECT n.nspname AS schema, has_schema_privilege(n.oid, 'USAGE') AS usage, has_schema_privilege(n.oid, 'CREATE') AS can_create
      FROM pg_catalog.pg_namespace n
      WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid AND c.relname = 'schema_migrations' AND c.relkind = 'r')
        AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid AND c.relname = 'workspace_meta' AND c.relkind = 'r')
      ORDER BY n.nspname`.execute(db)
  ).rows;
  const known = new Set(postgresWorkspaceMigrations.map((m) => m.version));
  const out: ListedSchema[] = [];
  for (const r of rows) {
    let name: string | null = null;
    let versions: { version: number; app_version: string }[] = [];
    if (r.usage && POSTGRES_SCHEMA.test(r.schema)) {
      try {
        name = (await sql<{ value: string }>`SELECT value FROM ${sql.table(`${r.schema}.workspace_meta`)} WHERE key = 'name'`.execute(db)).rows[0]?.value ?? null;
        versions = (await sql<{ version: number; app_version: string }>`SELECT version, app_version FROM ${sql.table(`${r.schema}.schema_migrations`)} ORDER BY version`.execute(db)).rows;
      } catch (error) {
        // No SELECT on its tables: listed, but as not usable.
        if ((error as { code?: string }).code !== '42501') throw error;
        r.usage = false;
      }
    }
    const unknown = versions.filter((v) => !known.has(v.version));
    const last = versions.at(-1);
    out.push({
      schema: r.schema,
      name,
      schemaVersion: last?.version ?? 0,
      appVersion: last?.app_version ?? null,
      compatible: unknown.length === 0,
      attachedAs: attached.get(r.schema) ?? null,
      usage: r.usage,
      canCreate: r.can_create,
      unknown,
    });
  }
  return out;
}
