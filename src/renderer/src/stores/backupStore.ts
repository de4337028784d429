import { create } from 'zustand';
import type { BackupInfo } from '@shared/contract';
import { call, errorMessage } from '../api/client';

interface BackupState {
  backups: BackupInfo[];
  error: string | null;
  /** The backups of one workspace (the backup folder's listing). */
  load(workspace: string): Promise<void>;
  /** Starts a backup; returns its job id. */
  backup(workspace: string): Promise<string | null>;
  /** Starts restoring a backup into a new workspace; returns its job id. */
  restore(backup: string, name: string): Promise<string | null>;
}

export const useBackupStore = create<BackupState>((set) => ({
  backups: [],
  error: null,
  async load(workspace) {
    try {
      const { backups } = await call('workspace.backups', { workspace });
      set({ backups, error: null });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
  async backup(workspace) {
    try {
      set({ error: null });
      return (await call('workspace.backup', { workspace })).jobId;
    } catch (e) {
      set({ error: errorMessage(e) });
      return null;
    }
  },
  async restore(backup, name) {
    try {
      set({ error: null });
      return (await call('workspace.restore', { backup, name })).jobId;
    } catch (e) {
      set({ error: errorMessage(e) });
      return null;
    }
  },
}));
