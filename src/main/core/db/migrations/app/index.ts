import type { Migration } from '../../migrate';
import { migration001App } from './001_app';
import { migration010Gateway } from './010_gateway';
import { migration020Scheduler } from './020_scheduler';
import { migration040LocalModels } from './040_local_models';
import { migration050WorkspaceLocations } from './050_workspace_locations';
import { migration070VoiceModels } from './070_voice_models';
import { migration090UrlCredentials } from './090_url_credentials';
import { migration091ProfilePassphrases } from './091_profile_passphrases';

export const appMigrations: readonly Migration[] = [migration001App, migration010Gateway, migration020Scheduler, migration040LocalModels, migration050WorkspaceLocations, migration070VoiceModels, migration090UrlCredentials, migration091ProfilePassphrases];
