import { getEntity } from '@shared/entities';
import type { Factor } from '@shared/insights';
import type { Db } from '../db/open';
import { stmt } from '../context/sql';

/**
 * Keeps only evidence that points at real records: tags the context showed the model, or ids that exist in the
 * workspace. Returns the cleaned factors and how many references were dropped.
 */
export function checkEvidence(db: Db, factors: Factor[], shown: ReadonlySet<string>): { factors: Factor[]; dropped: number } {
  let dropped = 0;
  const exists = (type: string, id: number): boolean => {
    if (shown.has(`${type}#${id}`)) return true;
    const spec = getEntity(type);
    if (!spec) return false;
    // Daily-metric tables are cited by their owner's id (customer_usage_daily#<account id>).
    const key = spec.primaryKey.length === 1 ? spec.primaryKey[0]! : spec.primaryKey[0]!;
    return stmt(db, `SELECT 1 FROM ${spec.table} WHERE ${key} = ? LIMIT 1`).get(id) !== undefined;
  };
  const out = factors.map((f) => {
    const seen = new Set<string>();
    const evidence = f.evidence.filter((e) => {
      const k = `${e.entityType}#${e.entityId}`;
      if (seen.has(k)) return false;
      seen.add(k);
      if (exists(e.entityType, e.entityId)) return true;
      dropped++;
      return false;
    });
    return { ...f, evidence };
  });
  return { factors: out, dropped };
}
