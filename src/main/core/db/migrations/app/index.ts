import type { Migration } from '../../migrate';
import { migration001App } from './001_app';

export const appMigrations: readonly Migration[] = [migration001App];
