import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { WorkspaceDatabase } from '../db/schema/workspace';

/** Names and record codes people say in voice commands: the raw material of the speech engine's vocabulary prompt. */
export interface VocabularyRepo {
  /** Names (largest accounts, open projects, vendors, recent campaigns) and one code of each record kind. */
  terms(): Promise<{ names: string[]; codes: string[] }>;
}

export class KyselyVocabularyRepo implements VocabularyRepo {
  constructor(
    private readonly db: Kysely<WorkspaceDatabase>,
    _dialect: Dialect,
  ) {}

  async terms(): Promise<{ names: string[]; codes: string[] }> {
    const d = this.db;
    const [accounts, projects, vendors, campaigns, ticket, project, job, po] = await Promise.all([
      // Accounts without an ARR sort after the rest on both engines (coalesce, not NULLS LAST).
      d.selectFrom('accounts').select('name').orderBy((eb) => eb.fn.coalesce('arr', eb.lit(-1)), 'desc').orderBy('name').limit(25).execute(),
      d.selectFrom('projects').select('name').where('status', 'not in', ['completed', 'cancelled']).orderBy('due_date').limit(10).execute(),
      d.selectFrom('vendors').select('name').orderBy('name').limit(10).execute(),
      d.selectFrom('campaigns').select('name').orderBy('start_date', 'desc').limit(8).execute(),
      // One code of each kind teaches the format ("TCK-000042"), which is what a spoken "ticket forty-two" needs.
      d.selectFrom('tickets').select('code').orderBy('created_at', 'desc').limit(1).execute(),
      d.selectFrom('projects').select('code').limit(1).execute(),
      d.selectFrom('dispatch_jobs').select('code').limit(1).execute(),
      d.selectFrom('purchase_orders').select('code').limit(1).execute(),
    ]);
    const names = [...accounts, ...projects, ...vendors, ...campaigns].map((r) => r.name);
    const codes = [...ticket, ...project, ...job, ...po].map((r) => r.code);
    return { names, codes };
  }
}
