import type { Kysely } from 'kysely';
import { fromExcluded, type Dialect } from '../db/dialect';
import type { WorkspaceDatabase } from '../db/schema/workspace';

/** The workspace's own key/value facts: its name, how a demo was generated, the demo's planted patterns. */
export interface WorkspaceMetaRepo {
  get(key: string): Promise<string | undefined>;
  /** The value parsed as JSON (undefined when missing). */
  getJson<T>(key: string): Promise<T | undefined>;
  set(key: string, value: string): Promise<void>;
  setJson(key: string, value: unknown): Promise<void>;
  all(): Promise<Record<string, string>>;
  /** True when the key existed. */
  delete(key: string): Promise<boolean>;
}

export class KyselyWorkspaceMetaRepo implements WorkspaceMetaRepo {
  constructor(
    private readonly db: Kysely<WorkspaceDatabase>,
    _dialect: Dialect,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('workspace_meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const value = await this.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  async set(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('workspace_meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet(fromExcluded(['value'])))
      .execute();
  }

  setJson(key: string, value: unknown): Promise<void> {
    return this.set(key, JSON.stringify(value));
  }

  async all(): Promise<Record<string, string>> {
    const rows = await this.db.selectFrom('workspace_meta').select(['key', 'value']).orderBy('key').execute();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  async delete(key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('workspace_meta').where('key', '=', key).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
