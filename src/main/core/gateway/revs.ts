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

  constructor(db: Db) {
    this.read = db.prepare<[string], number>('SELECT rev FROM gateway_revs WHERE key = ?').pluck();
    this.write = db.prepare<[string]>('INSERT INTO gateway_revs (key, rev) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET rev = rev + 1');
  }

  get(key: string): number {
    return this.read.get(key) ?? 0;
  }

  bump(key: string): void {
    this.write.run(key);
  }
}
