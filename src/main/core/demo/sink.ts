import type { Db } from '../db/open';
import type { TaskContext } from '../workers/context';

export type SqlValue = string | number | null;

export interface Inserter {
  add(...values: SqlValue[]): void;
}

/**
 * Where generated rows go. Rows are written through prepared statements inside large transactions (`commitEvery`
 * rows: fewer commits rewrite the same index pages less often). Every `checkEvery` rows the sink reports progress and
 * checks for cancellation, so a cancel takes effect within a few thousand rows; the open transaction is rolled back.
 */
export class Sink {
  readonly counts: Record<string, number> = {};
  private done = 0;
  private pending = 0;
  private sinceCheck = 0;
  private phase = 'starting';
  private inTransaction = false;

  constructor(
    private readonly db: Db,
    private readonly ctx: TaskContext,
    /** Planned rows overall, for the progress bar. */
    private total: number,
    private readonly commitEvery = 50_000,
    private readonly checkEvery = 2_000,
  ) {}

  /** An inserter for some columns of a table; its rows count towards `counts[table]`. */
  insert(table: string, columns: readonly string[]): Inserter {
    const stmt = this.db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    this.counts[table] ??= 0;
    this.begin(table);
    return {
      add: (...values: SqlValue[]): void => {
        stmt.run(...values);
        this.counts[table]!++;
        this.pending++;
        if (++this.sinceCheck >= this.checkEvery) this.check();
      },
    };
  }

  /**
   * An inserter for bookkeeping rows (workspace_meta): written in the same transaction, but not counted as data, so
   * the job's row count and its progress match what `data stats` and the Data page count.
   */
  bookkeeping(table: string, columns: readonly string[]): Inserter {
    const stmt = this.db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    this.begin(this.phase);
    return { add: (...values: SqlValue[]): void => void stmt.run(...values) };
  }

  /** Names the current phase (shown in progress) and checks for cancellation. */
  begin(phase: string): void {
    if (phase !== this.phase) {
      this.phase = phase;
      this.ctx.throwIfCancelled();
      this.ctx.progress({ phase, done: this.done + this.pending, total: Math.max(this.total, this.done + this.pending) });
    }
    if (!this.inTransaction) {
      this.db.exec('BEGIN');
      this.inTransaction = true;
    }
  }

  /** Between batches: checks for cancellation, reports progress, and commits when the transaction is large. */
  private check(): void {
    this.sinceCheck = 0;
    this.ctx.throwIfCancelled();
    if (this.pending >= this.commitEvery) {
      this.db.exec('COMMIT');
      this.done += this.pending;
      this.pending = 0;
      this.db.exec('BEGIN');
    }
    const done = this.done + this.pending;
    this.ctx.progress({ phase: this.phase, done, total: Math.max(this.total, done) });
  }

  /** Commits the last batch and reports completion. */
  finish(): number {
    if (this.inTransaction) {
      this.db.exec('COMMIT');
      this.inTransaction = false;
    }
    this.done += this.pending;
    this.pending = 0;
    this.total = this.done;
    this.ctx.progress({ phase: 'done', done: this.done, total: this.done });
    return this.done;
  }

  /** Rolls back an open batch (used when generation fails part-way). */
  abort(): void {
    if (this.inTransaction && this.db.inTransaction) this.db.exec('ROLLBACK');
    this.inTransaction = false;
  }
}
