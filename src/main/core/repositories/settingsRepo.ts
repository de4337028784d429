import type { Kysely } from 'kysely';
import { fromExcluded } from '../db/dialect';
import type { Db } from '../db/open';
import type { AppDatabase } from '../db/schema/app';

/**
 * App-wide settings of this install (app.sqlite), values stored as JSON text. The app database is always local
 * SQLite (each desktop has its own profiles and registry), so this repository has one implementation; it is written
 * with Kysely like every other, so moving a setting into a shared workspace later is a change of instance, not of
 * code.
 */
export interface SettingsRepo {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  /** Every setting, parsed. */
  all(): Promise<Map<string, unknown>>;
  delete(key: string): Promise<void>;
}

export class KyselySettingsRepo implements SettingsRepo {
  constructor(
    private readonly db: Kysely<AppDatabase>,
    /** The app database's handle, for `loadSync` only. */
    private readonly handle?: Db,
  ) {}

  /**
   * Start-up only: createCore is synchronous (every host builds the core in one step) and services read settings
   * synchronously from the first moment, so the first copy is read here, synchronously, with this repository's own
   * Kysely query run on the app database's handle. Everything after that goes through the async methods.
   */
  loadSync(): Map<string, unknown> {
    if (!this.handle) throw new Error('loadSync needs the app database handle.');
    const q = this.db.selectFrom('settings').select(['key', 'value']).compile();
    const rows = this.handle.prepare(q.sql).all(...q.parameters) as { key: string; value: string }[];
    return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(value) })
      .onConflict((oc) => oc.column('key').doUpdateSet(fromExcluded(['value'])))
      .execute();
  }

  async all(): Promise<Map<string, unknown>> {
    const rows = await this.db.selectFrom('settings').select(['key', 'value']).execute();
    return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  async delete(key: string): Promise<void> {
    await this.db.deleteFrom('settings').where('key', '=', key).execute();
  }
}
