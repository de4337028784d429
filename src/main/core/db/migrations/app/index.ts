import type { Migration } from '../../migrate';
import { migration001App } from './001_app';
import { migration020Scheduler } from './020_scheduler';

export const appMigrations: readonly Migration[] = [migration001App, migration020Scheduler];
