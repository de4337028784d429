import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { Db } from '../db/open';
import type { AppDatabase } from '../db/schema/app';
import type { WorkspaceDatabase } from '../db/schema/workspace';
import { KyselyActionRecordRepo, type ActionRecordRepo } from './actionRecordRepo';
import { KyselyActionRepo, type ActionRepo } from './actionRepo';
import { KyselyAuditRepo, type AuditRepo } from './auditRepo';
import { KyselyCopilotRepo, type CopilotRepo } from './copilotRepo';
import { KyselyMemoryRepo, type MemoryRepo } from './memoryRepo';
import { KyselyAnalyticsQuestionRepo, type AnalyticsQuestionRepo } from './analyticsQuestionRepo';
import { KyselyAnalyticsRepo, type AnalyticsRepo } from './analyticsRepo';
import { KyselyRecordRepo, type RecordRepo } from './recordRepo';
import { KyselyReportFigureRepo, type ReportFigureRepo } from './reportFigureRepo';
import { KyselyReportRepo, type ReportRepo } from './reportRepo';
import { KyselySettingsRepo, type SettingsRepo } from './settingsRepo';
import { KyselyVocabularyRepo, type VocabularyRepo } from './vocabularyRepo';
import { KyselyVoiceSessionRepo, type VoiceSessionRepo } from './voiceSessionRepo';
import { KyselyWorkspaceMetaRepo, type WorkspaceMetaRepo } from './workspaceMetaRepo';

/**
 * Every repository of a workspace, built on first use from one Kysely instance (the workspace's, or a transaction's)
 * and its dialect. Adding a domain: write repositories/<domain>Repo.ts (interface + Kysely class), then add one
 * property to the interface and one line to the factory below. Keep the order alphabetical to ease merges.
 */
export interface WorkspaceRepos {
  readonly actionRecords: ActionRecordRepo;
  readonly actions: ActionRepo;
  readonly audit: AuditRepo;
  readonly copilot: CopilotRepo;
  readonly memory: MemoryRepo;
  readonly analytics: AnalyticsRepo;
  readonly analyticsQuestions: AnalyticsQuestionRepo;
  readonly meta: WorkspaceMetaRepo;
  readonly records: RecordRepo;
  readonly reportFigures: ReportFigureRepo;
  readonly reports: ReportRepo;
  readonly vocabulary: VocabularyRepo;
  readonly voiceSessions: VoiceSessionRepo;
}

type Factories<R> = { [K in keyof R]: (db: Kysely<WorkspaceDatabase>, dialect: Dialect) => R[K] };

const workspaceRepoFactories: Factories<WorkspaceRepos> = {
  actionRecords: (db, dialect) => new KyselyActionRecordRepo(db, dialect),
  actions: (db, dialect) => new KyselyActionRepo(db, dialect),
  audit: (db, dialect) => new KyselyAuditRepo(db, dialect),
  copilot: (db, dialect) => new KyselyCopilotRepo(db, dialect),
  memory: (db, dialect) => new KyselyMemoryRepo(db, dialect),
  analytics: (db, dialect) => new KyselyAnalyticsRepo(db, dialect),
  analyticsQuestions: (db, dialect) => new KyselyAnalyticsQuestionRepo(db, dialect),
  meta: (db, dialect) => new KyselyWorkspaceMetaRepo(db, dialect),
  records: (db, dialect) => new KyselyRecordRepo(db, dialect),
  reportFigures: (db, dialect) => new KyselyReportFigureRepo(db, dialect),
  reports: (db, dialect) => new KyselyReportRepo(db, dialect),
  vocabulary: (db, dialect) => new KyselyVocabularyRepo(db, dialect),
  voiceSessions: (db, dialect) => new KyselyVoiceSessionRepo(db, dialect),
};

export function createWorkspaceRepos(db: Kysely<WorkspaceDatabase>, dialect: Dialect): WorkspaceRepos {
  const built = new Map<keyof WorkspaceRepos, unknown>();
  const repos = {} as WorkspaceRepos;
  for (const key of Object.keys(workspaceRepoFactories) as (keyof WorkspaceRepos)[]) {
    Object.defineProperty(repos, key, {
      enumerable: true,
      get: () => {
        if (!built.has(key)) built.set(key, workspaceRepoFactories[key](db, dialect));
        return built.get(key);
      },
    });
  }
  return repos;
}

/** Repositories over the app database (app.sqlite, always local). */
export interface AppRepos {
  readonly settings: SettingsRepo;
}

/** `handle` is the app database's better-sqlite3 handle under `db` (for the one synchronous start-up read). */
export function createAppRepos(db: Kysely<AppDatabase>, handle?: Db): AppRepos & { settings: KyselySettingsRepo } {
  return { settings: new KyselySettingsRepo(db, handle) };
}

export type { ActionRecordRepo, PipelineStage, RecordFindQuery } from './actionRecordRepo';
export type { ActionRepo, ApprovalRow } from './actionRepo';
export type { AuditRepo, AuditRow } from './auditRepo';
export type { ConversationRecord, CopilotRepo, MessageRecord, NewMessage } from './copilotRepo';
export type { MemoryRecord, MemoryRepo } from './memoryRepo';
export type { AnalyticsQuestionRepo } from './analyticsQuestionRepo';
export type { AnalyticsRepo } from './analyticsRepo';
export type { RecordLookupQuery, RecordPageQuery, RecordRepo } from './recordRepo';
export type { ReportFigureRepo, FigureRow, FigureScope, InsightListItem, InsightListQuery } from './reportFigureRepo';
export type { ReportRepo, ReportRunRow, ReportScheduleRow } from './reportRepo';
export type { SettingsRepo } from './settingsRepo';
export type { VocabularyRepo } from './vocabularyRepo';
export type { VoiceSessionRepo, VoiceSessionRow } from './voiceSessionRepo';
export type { WorkspaceMetaRepo } from './workspaceMetaRepo';
