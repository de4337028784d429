import type { Migration } from '../../migrate';
import { migration001App } from './001_app';
import { migration040LocalModels } from './040_local_models';

export const appMigrations: readonly Migration[] = [migration001App, migration040LocalModels];
