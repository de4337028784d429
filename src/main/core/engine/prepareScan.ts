import type { Db } from '../db/open';
import { buildContext, type BuiltContext } from '../context/build';
import type { RedactionSettings } from '../context/redact';
import { getContextBuilder } from '../context/registry';
import { getPersona } from '../personas/registry';
import type { TaskContext } from '../workers/context';
import { liveContextHash } from './insightStore';

export interface PrepareScanParams {
  personaKey: string;
  /** Candidate record ids, most pressing first. */
  ids: number[];
  limit: number;
  /** Analyse even records whose context did not change since their last live insight. */
  force: boolean;
  redaction: RedactionSettings;
  nowIso: string;
}

export interface PreparedScan {
  contexts: BuiltContext[];
  skippedUnchanged: number;
  missing: number;
  /** How many candidate ids were looked at (the rest are left for a later batch). */
  consumed: number;
}

/**
 * Builds contexts for a scan's candidates, skipping records whose context hash matches their last live insight,
 * until `limit` contexts are ready. Pure database work: it runs inline for small scans and in a worker thread for
 * big ones.
 */
export function prepareScan(db: Db, p: PrepareScanParams, ctx?: TaskContext): PreparedScan {
  const spec = getPersona(p.personaKey);
  const builder = getContextBuilder(spec.contextBuilder);
  const out: PreparedScan = { contexts: [], skippedUnchanged: 0, missing: 0, consumed: 0 };
  const options = { budgetChars: spec.contextBudgetChars, redaction: p.redaction, hashSalt: `${spec.key}@${spec.version}` };
  for (let i = 0; i < p.ids.length && out.contexts.length < p.limit; i++) {
    out.consumed = i + 1;
    if (i % 50 === 0) {
      ctx?.throwIfCancelled();
      ctx?.progress({ phase: 'building context', done: out.contexts.length, total: Math.min(p.limit, p.ids.length) });
    }
    const built = buildContext(db, builder, p.ids[i]!, options);
    if (!built) {
      out.missing++;
      continue;
    }
    if (!p.force && liveContextHash(db, spec.key, built.entityId, p.nowIso) === built.hash) {
      out.skippedUnchanged++;
      continue;
    }
    out.contexts.push(built);
  }
  return out;
}
