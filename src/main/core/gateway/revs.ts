import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';

/**
 * Revision counters in app.sqlite. A writer bumps the counter in the same transaction as its change; readers keep
 * a parsed copy and compare counters on use (one indexed read), so a change made by another process — the CLI
 * adding a provider while the app runs — is seen on the next call without watching files.
 */
export class RevCounter {
  private readonly read: Statement<[string], number>;
  private readonly write: Statement<[string]>;
  /**
   * Values read during the current synchronous stretch. One call consults the counters several times (routing,
   * estimate, cost); they cannot change from another process until control returns to the event loop, so reads
   * are memoised until the next microtask checkpoint.
   */
  private readonly memo = new Map<string, number>();
  private clearing = false;

  constructor(db: Db) {
    this.read = db.prepare<[string], number>('SELECT rev FROM gateway_revs WHERE key = ?').pluck();
    this.write = db.prepare<[string]>('INSERT INTO gateway_revs (key, rev) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET rev = rev + 1');
  }

  get(key: string): number {
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const value = this.read.get(key) ?? 0;
    this.memo.set(key, value);
    if (!this.clearing) {
      this.clearing = true;
      queueMicrotask(() => {
        this.memo.clear();
        this.clearing = false;
      });
    }
    return value;
  }

  bump(key: string): void {
    this.write.run(key);
    this.memo.delete(key);
  }
}
