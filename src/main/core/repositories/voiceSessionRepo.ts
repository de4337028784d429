import type { Insertable, Kysely } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { VoiceSessionsRow, VoiceSessionsTable, WorkspaceDatabase } from '../db/schema/workspace';

export type VoiceSessionRow = VoiceSessionsRow;

/** Voice command history of a workspace (migration 073). */
export interface VoiceSessionRepo {
  insert(row: Insertable<VoiceSessionsTable>): Promise<void>;
  get(id: string): Promise<VoiceSessionRow | undefined>;
  update(id: string, patch: Partial<Omit<VoiceSessionRow, 'id' | 'created_at'>>): Promise<void>;
  /** Newest first; a profile sees its own commands. */
  list(query: { profileId?: string | null | undefined; offset: number; limit: number }): Promise<{ rows: VoiceSessionRow[]; total: number }>;
  delete(ids: readonly string[]): Promise<number>;
  /** Sessions whose kept audio expired before `nowIso` (their files are to be deleted). */
  expiredAudio(nowIso: string, limit: number): Promise<{ id: string; audio_file: string }[]>;
  /** All session ids (with their audio file) of a profile, for "clear history". */
  idsOf(profileId: string | null): Promise<{ id: string; audio_file: string | null }[]>;
}

export class KyselyVoiceSessionRepo implements VoiceSessionRepo {
  constructor(
    private readonly db: Kysely<WorkspaceDatabase>,
    _dialect: Dialect,
  ) {}

  async insert(row: Insertable<VoiceSessionsTable>): Promise<void> {
    await this.db.insertInto('voice_sessions').values(row).execute();
  }

  get(id: string): Promise<VoiceSessionRow | undefined> {
    return this.db.selectFrom('voice_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async update(id: string, patch: Partial<Omit<VoiceSessionRow, 'id' | 'created_at'>>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('voice_sessions').set(patch).where('id', '=', id).execute();
  }

  async list(query: { profileId?: string | null | undefined; offset: number; limit: number }): Promise<{ rows: VoiceSessionRow[]; total: number }> {
    let base = this.db.selectFrom('voice_sessions');
    if (query.profileId) base = base.where('profile_id', '=', query.profileId);
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute();
    return { rows, total };
  }

  async delete(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await this.db.deleteFrom('voice_sessions').where('id', 'in', [...ids]).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async expiredAudio(nowIso: string, limit: number): Promise<{ id: string; audio_file: string }[]> {
    const rows = await this.db.selectFrom('voice_sessions').select(['id', 'audio_file']).where('audio_file', 'is not', null).where('audio_expires_at', '<', nowIso).limit(limit).execute();
    return rows.map((r) => ({ id: r.id, audio_file: r.audio_file! }));
  }

  async idsOf(profileId: string | null): Promise<{ id: string; audio_file: string | null }[]> {
    let q = this.db.selectFrom('voice_sessions').select(['id', 'audio_file']);
    q = profileId ? q.where('profile_id', '=', profileId) : q.where('profile_id', 'is', null);
    return q.execute();
  }
}
