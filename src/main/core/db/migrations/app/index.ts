import type { Migration } from '../../migrate';
import { migration001App } from './001_app';
import { migration010Gateway } from './010_gateway';

export const appMigrations: readonly Migration[] = [migration001App, migration010Gateway];
