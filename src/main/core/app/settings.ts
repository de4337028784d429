import type { SettingsRepo } from '../repositories';

/** How old the in-memory copy may get before a read refreshes it (another process, the CLI, may have changed it). */
const STALE_MS = 1_000;

/**
 * App settings: reads come from an in-memory copy (scans read settings for every record, synchronously), writes go
 * to the repository first and then to the copy, so a setting is stored before the call that changed it returns.
 * The first copy is handed in at start (createCore reads it synchronously: see KyselySettingsRepo.loadSync); it is
 * refreshed in the background when a read finds it over a second old, so changes made by another process (the CLI)
 * show up within about a second.
 */
export class Settings {
  private snapshot: Map<string, unknown>;
  private loadedAt = Date.now();
  private refreshing: Promise<void> | null = null;
  /** Bumped by every write, so a refresh that read before the write does not bring the old value back. */
  private writes = 0;

  constructor(
    private readonly repo: SettingsRepo,
    initial: Map<string, unknown>,
  ) {
    this.snapshot = initial;
  }

  /** Re-reads every setting from the repository. */
  async load(): Promise<void> {
    const seen = this.writes;
    const all = await this.repo.all();
    if (this.writes !== seen) return;
    this.snapshot = all;
    this.loadedAt = Date.now();
  }

  get<T>(key: string): T | undefined {
    if (Date.now() - this.loadedAt > STALE_MS && !this.refreshing) {
      this.refreshing = this.load()
        .catch(() => {
          // Keep serving the copy; the next read tries again.
        })
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.snapshot.get(key) as T | undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    this.writes++;
    await this.repo.set(key, value);
    // Keep what a reload would return (JSON round trip), not the caller's object.
    this.snapshot.set(key, value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  }
}
