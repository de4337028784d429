import type { Migration } from '../../migrate';
import { migration001Domain } from './001_domain';
import { migration010Gateway } from './010_gateway';
import { migration020Insights } from './020_insights';
import { migration030Vectors } from './030_vectors';

/**
 * Workspace schema migrations. Version ranges are reserved per area so parallel work never collides:
 * 1–9 foundation, 10–19 gateway, 20–29 intelligence engine, 30–39 vector store.
 */
export const workspaceMigrations: readonly Migration[] = [migration001Domain, migration010Gateway, migration020Insights, migration030Vectors];
