import { AppError } from '@shared/errors';
import type { WorkspaceLocation } from '../db/location';
import { openSqliteStore, openWorkspaceStore, type StoreOptions, type WorkspaceStore } from '../db/workspaceStore';
import type { Logger } from '../logger';
import type { WorkspaceRepos } from '../repositories';
import { WorkspaceContext, type OpenEntry, type StateSlot, type WorkspaceIdentity, type WorkspaceLease } from './workspaceContext';

interface Entry extends OpenEntry {
  id: string;
  store: WorkspaceStore | null;
  repos: WorkspaceRepos | null;
  opening: Promise<WorkspaceStore> | null;
  refs: number;
  closing: boolean;
  drained: (() => void)[];
  state: Map<string, StateSlot>;
}

/**
 * The one cache of open workspaces: each workspace's store (connection, Kysely, dialect) opened once and shared by
 * every context and by the transitional raw-handle accessor, with a count of the contexts holding it so that
 * deleting a workspace can wait for them.
 */
export class OpenWorkspaces {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly storeOptions: (identity: WorkspaceIdentity) => StoreOptions,
    private readonly logger: Logger,
  ) {}

  /** A held context. Opening failures are kept in the context and thrown when the database is first used. */
  async acquire(identity: WorkspaceIdentity): Promise<WorkspaceLease> {
    const entry = this.entry(identity.id);
    if (entry.closing) throw new AppError('conflict', `Workspace "${identity.name}" is being deleted.`, { workspace: identity.name });
    entry.refs++;
    let openError: unknown = null;
    if (identity.status === 'ready') {
      try {
        await this.open(entry, identity);
      } catch (error) {
        openError = error;
      }
    }
    let released = false;
    return {
      context: new WorkspaceContext(identity, entry, openError),
      release: () => {
        if (released) return;
        released = true;
        entry.refs--;
        if (entry.refs === 0) for (const wake of entry.drained.splice(0)) wake();
      },
    };
  }

  /** The open store of a SQLite workspace, opened synchronously if needed (the transitional accessor). */
  openSqliteSync(identity: WorkspaceIdentity & { location: Extract<WorkspaceLocation, { engine: 'sqlite' }> }): WorkspaceStore {
    const entry = this.entry(identity.id);
    if (entry.store) return entry.store;
    if (entry.closing) throw new AppError('conflict', `Workspace "${identity.name}" is being deleted.`, { workspace: identity.name });
    const store = openSqliteStore(identity.location, this.storeOptions(identity));
    entry.store = store;
    return store;
  }

  /** Puts a store opened elsewhere (a workspace just created) into the cache. */
  adopt(id: string, store: WorkspaceStore): void {
    const entry = this.entry(id);
    if (entry.store && entry.store !== store) void entry.store.close();
    entry.store = store;
    entry.repos = null;
  }

  /** The store if this process has it open (no opening, no waiting). */
  peek(id: string): WorkspaceStore | null {
    return this.entries.get(id)?.store ?? null;
  }

  /** How many contexts hold the workspace right now. */
  holders(id: string): number {
    return this.entries.get(id)?.refs ?? 0;
  }

  /**
   * Closes a workspace that is being deleted: new contexts are refused at once, held ones are waited for up to
   * `waitMs`, then everything is released. New contexts stay refused until `forget`, so nothing reopens the
   * workspace while its files or schema are removed. If holders remain after the wait, nothing is closed and the call
   * fails, so the caller can tell the person what is in the way.
   */
  async retire(id: string, name: string, waitMs: number): Promise<void> {
    const entry = this.entry(id);
    entry.closing = true;
    if (entry.refs > 0) {
      const drained = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), waitMs);
        entry.drained.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!drained) {
        entry.closing = false;
        throw new AppError('conflict', `Workspace "${name}" is still in use by ${entry.refs} request(s); try again when they finish.`, { workspace: name, holders: entry.refs });
      }
    }
    await this.close(entry);
  }

  /** Drops a retired workspace from the cache (after its deletion finished, or failed and it stays). */
  forget(id: string): void {
    const entry = this.entries.get(id);
    if (entry && entry.refs === 0) this.entries.delete(id);
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const entry of all) await this.close(entry);
  }

  private entry(id: string): Entry {
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { id, store: null, repos: null, opening: null, refs: 0, closing: false, drained: [], state: new Map() };
      this.entries.set(id, entry);
    }
    return entry;
  }

  private async open(entry: Entry, identity: WorkspaceIdentity): Promise<WorkspaceStore> {
    if (entry.store) return entry.store;
    // SQLite opens synchronously, so the transitional accessor can never race it into a second handle.
    if (identity.location.engine === 'sqlite') return this.openSqliteSync({ ...identity, location: identity.location });
    // Two requests for a workspace that is not open yet share one connection and one migration.
    entry.opening ??= openWorkspaceStore(identity.location, this.storeOptions(identity))
      .then((store) => {
        entry.store = store;
        return store;
      })
      .finally(() => {
        entry.opening = null;
      });
    return entry.opening;
  }

  private async close(entry: Entry): Promise<void> {
    const slots = [...entry.state.values()];
    entry.state.clear();
    for (const slot of slots) {
      try {
        await slot.dispose?.(slot.value);
      } catch (error) {
        this.logger.warn('workspace state did not dispose cleanly', { workspace: entry.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    const store = entry.store;
    entry.store = null;
    entry.repos = null;
    if (store) await store.close();
  }
}
