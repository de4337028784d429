import type { Migration } from '../../migrate';
import { migration001App } from './001_app';
import { migration010Gateway } from './010_gateway';
import { migration040LocalModels } from './040_local_models';

export const appMigrations: readonly Migration[] = [migration001App, migration010Gateway, migration040LocalModels];
