import { basename } from 'node:path';
import type { Handlers } from '../router';
import type { Services } from '../services';

type WorkspaceRoutes =
  | 'workspace.list'
  | 'workspace.create'
  | 'workspace.delete'
  | 'workspace.backup'
  | 'workspace.backups'
  | 'workspace.restore'
  | 'workspace.backupSettings'
  | 'workspace.setBackupSettings'
  | 'workspace.attach'
  | 'workspace.testConnection'
  | 'workspace.detach';

export const workspaceHandlers = (s: Services): Pick<Handlers, WorkspaceRoutes> => ({
  'workspace.list': () => ({ workspaces: s.workspaces.list() }),
  'workspace.create': (args, ctx) => s.workspaces.create(args.name, args.demo, ctx.profile.id, args.postgres ? { engine: 'postgres', url: args.postgres.url } : undefined),
  'workspace.delete': async (args) => ({ deleted: await s.workspaces.delete(args.workspace) }),
  'workspace.backup': (args, ctx) => {
    const { jobId, file } = s.backups.backup(args.workspace, ctx.profile.id);
    return { jobId, backup: basename(file) };
  },
  'workspace.backups': (args) => ({ backups: s.backups.list(args.workspace) }),
  'workspace.backupSettings': () => ({ keepDaily: s.backups.keepDaily() }),
  'workspace.setBackupSettings': async (args) => ({ keepDaily: await s.backups.setKeepDaily(args.keepDaily) }),
  'workspace.restore': (args, ctx) => s.backups.restore({ backup: args.backup }, args.name, ctx.profile.id),
  'workspace.attach': (args, ctx) => s.workspaces.attach(args.name, args.postgres.url, args.postgres.schema, ctx.profile.id),
  'workspace.testConnection': (args) => s.workspaces.testConnection(args.postgres.url, args.postgres.schema),
  'workspace.detach': async (args) => ({ detached: await s.workspaces.detach(args.workspace) }),
});
