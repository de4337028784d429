import { basename } from 'node:path';
import type { Handlers } from '../router';
import type { Services } from '../services';

export const workspaceHandlers = (s: Services): Pick<Handlers, 'workspace.list' | 'workspace.create' | 'workspace.delete' | 'workspace.backup' | 'workspace.backups' | 'workspace.restore' | 'workspace.backupSettings' | 'workspace.setBackupSettings'> => ({
  'workspace.list': () => ({ workspaces: s.workspaces.list() }),
  'workspace.create': (args, ctx) => s.workspaces.create(args.name, args.demo, ctx.profile.id),
  'workspace.delete': async (args) => ({ deleted: await s.workspaces.delete(args.workspace) }),
  'workspace.backup': (args, ctx) => {
    const { jobId, file } = s.backups.backup(args.workspace, ctx.profile.id);
    return { jobId, backup: basename(file) };
  },
  'workspace.backups': (args) => ({ backups: s.backups.list(args.workspace) }),
  'workspace.backupSettings': () => ({ keepDaily: s.backups.keepDaily() }),
  'workspace.setBackupSettings': async (args) => ({ keepDaily: await s.backups.setKeepDaily(args.keepDaily) }),
  'workspace.restore': (args, ctx) => s.backups.restore({ backup: args.backup }, args.name, ctx.profile.id),
});
