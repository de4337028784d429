import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Db } from './open';

/** Prepared statements kept per handle: parsing SQL costs more than running a small indexed query. */
const CACHE_SIZE = 200;

/**
 * Kysely over an open better-sqlite3 handle, sharing it with the code that still uses the handle directly (the
 * transitional accessor), so both see the same data and the same transaction state. Kysely never closes the handle:
 * whoever opened it does (WorkspaceService, the app database).
 *
 * Kysely's SQLite driver runs the synchronous better-sqlite3 calls and hands back settled promises, so a transaction
 * whose callback awaits nothing but database work finishes before any other I/O callback or timer runs.
 */
export function sqliteKysely<DB>(handle: Db): Kysely<DB> {
  const statements = new Map<string, SqliteStatement & { busy?: boolean }>();
  const database: SqliteDatabase = {
    prepare(sqlText) {
      const hit = statements.get(sqlText);
      // A statement still iterating (a streamed select) cannot run again until it finishes.
      if (hit && !hit.busy) {
        statements.delete(sqlText);
        statements.set(sqlText, hit);
        return hit;
      }
      const stmt = handle.prepare(sqlText) as unknown as SqliteStatement & { busy?: boolean };
      if (!hit) {
        statements.set(sqlText, stmt);
        if (statements.size > CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      return stmt;
    },
    close() {
      statements.clear();
    },
  };
  return new Kysely<DB>({ dialect: new SqliteDialect({ database }) });
}
