import type { Kysely, Transaction } from 'kysely';
import type { AppDatabase } from './schema/app';
import type { WorkspaceDatabase } from './schema/workspace';

/**
 * The typed handles the rest of the core may name without importing the query builder itself (the lint rule keeps
 * `kysely` inside db/ and repositories/). Repositories take these; services take repositories.
 */
export type WorkspaceKysely = Kysely<WorkspaceDatabase>;
export type WorkspaceTransaction = Transaction<WorkspaceDatabase>;
export type AppKysely = Kysely<AppDatabase>;
export type { AppDatabase, WorkspaceDatabase };
