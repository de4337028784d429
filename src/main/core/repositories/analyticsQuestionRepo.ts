import type { Kysely } from 'kysely';
import { insertReturningId, type Dialect } from '../db/dialect';
import type { WorkspaceDatabase } from '../db/schema/workspace';

export interface StoredQuestion {
  id: number;
  question: string;
  /** The spec as JSON text (parsed and checked by the service). */
  spec: string;
  method: string;
  askedAt: string;
}

/** The Analytics page's question history, per profile (migration 080). */
export interface AnalyticsQuestionRepo {
  add(profileId: string, entry: { question: string; spec: string; method: string; askedAt: string }): Promise<number>;
  /** Newest first. */
  list(profileId: string, limit: number): Promise<StoredQuestion[]>;
  clear(profileId: string): Promise<number>;
  /** Keeps the newest `keep` entries of a profile. */
  prune(profileId: string, keep: number): Promise<void>;
}

export class KyselyAnalyticsQuestionRepo implements AnalyticsQuestionRepo {
  constructor(
    private readonly db: Kysely<WorkspaceDatabase>,
    _dialect: Dialect,
  ) {}

  add(profileId: string, e: { question: string; spec: string; method: string; askedAt: string }): Promise<number> {
    return insertReturningId(this.db.insertInto('analytics_questions').values({ profile_id: profileId, question: e.question, spec: e.spec, method: e.method, asked_at: e.askedAt }));
  }

  async list(profileId: string, limit: number): Promise<StoredQuestion[]> {
    const rows = await this.db
      .selectFrom('analytics_questions')
      .select(['id', 'question', 'spec', 'method', 'asked_at'])
      .where('profile_id', '=', profileId)
      .orderBy('asked_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), question: r.question, spec: r.spec, method: r.method, askedAt: r.asked_at }));
  }

  async clear(profileId: string): Promise<number> {
    const res = await this.db.deleteFrom('analytics_questions').where('profile_id', '=', profileId).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async prune(profileId: string, keep: number): Promise<void> {
    const cutoff = await this.db.selectFrom('analytics_questions').select('id').where('profile_id', '=', profileId).orderBy('id', 'desc').offset(keep).limit(1).executeTakeFirst();
    if (cutoff) await this.db.deleteFrom('analytics_questions').where('profile_id', '=', profileId).where('id', '<=', cutoff.id).execute();
  }
}
