import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { MemoryItemsRow, WorkspaceDatabase } from '../db/schema/workspace';

export interface MemoryRecord {
  id: string;
  profileId: string;
  type: string;
  retention: string;
  /** Already redacted: PII never reaches this table (copilot/memory.ts redacts before it writes). */
  content: string;
  source: string | null;
  redactions: number;
  createdAt: string;
  /** ISO time after which the item is swept; null for permanent items. */
  expiresAt: string | null;
}

/** The copilot's memories of one workspace, scoped to a profile. */
export interface MemoryRepo {
  insert(item: MemoryRecord): Promise<void>;
  /** Live items (not expired at `now`), newest first. */
  list(profileId: string, opts: { now: string; type?: string | undefined; limit: number }): Promise<MemoryRecord[]>;
  delete(profileId: string, id: string): Promise<boolean>;
  /** Deletes every item whose expiry has passed (all profiles); returns how many. */
  sweep(now: string): Promise<number>;
}

const record = (r: MemoryItemsRow): MemoryRecord => ({
  id: r.id,
  profileId: r.profile_id,
  type: r.type,
  retention: r.retention,
  content: r.content,
  source: r.source,
  redactions: Number(r.redactions),
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export class KyselyMemoryRepo implements MemoryRepo {
  constructor(
    private readonly db: Kysely<WorkspaceDatabase>,
    _dialect: Dialect,
  ) {}

  async insert(item: MemoryRecord): Promise<void> {
    await this.db
      .insertInto('memory_items')
      .values({
        id: item.id,
        profile_id: item.profileId,
        type: item.type,
        retention: item.retention,
        content: item.content,
        source: item.source,
        redactions: item.redactions,
        created_at: item.createdAt,
        expires_at: item.expiresAt,
      })
      .execute();
  }

  async list(profileId: string, opts: { now: string; type?: string | undefined; limit: number }): Promise<MemoryRecord[]> {
    let q = this.db
      .selectFrom('memory_items')
      .selectAll()
      .where('profile_id', '=', profileId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', opts.now)]));
    if (opts.type) q = q.where('type', '=', opts.type);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map(record);
  }

  async delete(profileId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('memory_items').where('id', '=', id).where('profile_id', '=', profileId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async sweep(now: string): Promise<number> {
    const r = await this.db.deleteFrom('memory_items').where('expires_at', 'is not', null).where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
