import type { Db } from '../db/open';

/** A block of the context. Less important sections lose lines first when the context is over budget. */
export interface ContextSection {
  title: string;
  lines: string[];
  /** 0 = the record itself (never dropped); higher numbers are dropped first. */
  priority: number;
  /** Which end survives trimming: 'head' keeps the first lines, 'tail' keeps the newest (last) ones. */
  keep: 'head' | 'tail';
}

export interface EntitySections {
  /** Human title of the record (ticket code, account name), used in insight titles. */
  title: string;
  sections: ContextSection[];
}

/**
 * One builder per domain. Builders read the workspace database only and never look at the clock: the same data
 * gives the same context, byte for byte, so its hash tells a scheduled scan whether anything changed.
 */
export interface ContextBuilder {
  key: string;
  /** Entity type (a key of src/shared/entities.ts) this builder describes. */
  entityType: string;
  /** Records a scheduled scan should look at, most pressing first. */
  candidates(db: Db, limit: number): number[];
  /** The sections describing one record, or null if it does not exist. */
  sections(db: Db, id: number): EntitySections | null;
}
