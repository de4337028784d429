import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { ActionApprovalsRow, WorkspaceDatabase } from '../db/schema/workspace';

export type ApprovalRow = ActionApprovalsRow;

/** Pending (and decided) approvals of proposed writes; they live in the workspace, so they survive a restart. */
export interface ActionRepo {
  insert(row: ApprovalRow): Promise<void>;
  get(id: string): Promise<ApprovalRow | undefined>;
  /** Newest first. */
  list(query: { statuses?: readonly string[] | undefined; limit: number }): Promise<ApprovalRow[]>;
  /**
   * Changes an approval only if it still has one of `from` (so two people deciding at once cannot both win); true
   * when it did.
   */
  update(id: string, from: readonly string[], patch: Partial<Omit<ApprovalRow, 'id'>>): Promise<boolean>;
}

export class KyselyActionRepo implements ActionRepo {
  constructor(
    private readonly db: Kysely<WorkspaceDatabase>,
    _dialect: Dialect,
  ) {}

  async insert(row: ApprovalRow): Promise<void> {
    await this.db.insertInto('action_approvals').values(row).execute();
  }

  get(id: string): Promise<ApprovalRow | undefined> {
    return this.db.selectFrom('action_approvals').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(query: { statuses?: readonly string[] | undefined; limit: number }): Promise<ApprovalRow[]> {
    let q = this.db.selectFrom('action_approvals').selectAll();
    if (query.statuses?.length) q = q.where('status', 'in', [...query.statuses]);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  }

  async update(id: string, from: readonly string[], patch: Partial<Omit<ApprovalRow, 'id'>>): Promise<boolean> {
    const res = await this.db.updateTable('action_approvals').set(patch).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }
}
