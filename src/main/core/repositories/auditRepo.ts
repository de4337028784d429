import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { ActionAuditRow, WorkspaceDatabase } from '../db/schema/workspace';

export type AuditRow = ActionAuditRow;

/** The audit trail of executed actions: append-only. */
export interface AuditRepo {
  insert(row: AuditRow): Promise<void>;
  get(id: string): Promise<AuditRow | undefined>;
  /** Newest first. */
  list(query: { action?: string | undefined; profileId?: string | undefined; offset: number; limit: number }): Promise<{ rows: AuditRow[]; total: number }>;
}

export class KyselyAuditRepo implements AuditRepo {
  constructor(
    private readonly db: Kysely<WorkspaceDatabase>,
    _dialect: Dialect,
  ) {}

  async insert(row: AuditRow): Promise<void> {
    await this.db.insertInto('action_audit').values(row).execute();
  }

  get(id: string): Promise<AuditRow | undefined> {
    return this.db.selectFrom('action_audit').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(query: { action?: string | undefined; profileId?: string | undefined; offset: number; limit: number }): Promise<{ rows: AuditRow[]; total: number }> {
    let base = this.db.selectFrom('action_audit');
    if (query.action) base = base.where('action', '=', query.action);
    if (query.profileId) base = base.where('profile_id', '=', query.profileId);
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await base.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute();
    return { rows, total };
  }
}
