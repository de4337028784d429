import { isIndexMigration, type Migration } from '../../migrate';
import { migration001Domain } from './001_domain';
import { migration010Gateway } from './010_gateway';
import { migration020Insights } from './020_insights';
import { migration030Vectors } from './030_vectors';
import { migration060Actions } from './060_actions';
import { migration065Copilot } from './065_copilot';
import { migration073VoiceSessions } from './073_voice_sessions';
import { migration080Analytics } from './080_analytics';
import { migration085Reports } from './085_reports';
import { migration090UsageGuard } from './090_usage_guard';
import { migration098UsageTrigger } from './098_usage_trigger';

/**
 * Workspace schema migrations, one list for both engines. Version ranges are reserved per area so parallel work never
 * collides: 1–9 foundation, 10–19 gateway, 20–29 intelligence engine, 30–39 vector store, 40–49 local models,
 * 50–59 data layer and team mode, 60–69 copilot and actions, 70–79 voice, 80–89 analytics and reports,
 * 90–99 hardening. A migration shapes either the workspace data (and then carries PostgreSQL DDL too) or the local
 * search index (store: 'index', SQLite only).
 */
export const workspaceMigrations: readonly Migration[] = [migration001Domain, migration010Gateway, migration020Insights, migration030Vectors, migration060Actions, migration065Copilot, migration073VoiceSessions, migration080Analytics, migration085Reports, migration090UsageGuard, migration098UsageTrigger];

/** What a SQLite workspace file gets: everything, data and index in one file (unchanged from before ADR 0050). */
export const sqliteWorkspaceMigrations: readonly Migration[] = workspaceMigrations;
/** What a PostgreSQL workspace schema gets: the data migrations, in their PostgreSQL form. */
export const postgresWorkspaceMigrations: readonly Migration[] = workspaceMigrations.filter((m) => !isIndexMigration(m));
/** What the local search-index file of a PostgreSQL workspace gets. */
export const indexFileMigrations: readonly Migration[] = workspaceMigrations.filter(isIndexMigration);
