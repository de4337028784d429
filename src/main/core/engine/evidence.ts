import type { Factor } from '@shared/insights';

/**
 * Keeps only evidence that points at records the prompt showed the model (the record's own context and any grounding
 * snippets, by their [type#id] tags). A reference to anything else, even a record that exists, was not something the
 * model could have read, so it is dropped and counted, as the copilot does for citations. Duplicates are folded.
 */
export function checkEvidence(factors: Factor[], shown: ReadonlySet<string>): { factors: Factor[]; dropped: number } {
  let dropped = 0;
  const out = factors.map((f) => {
    const seen = new Set<string>();
    const evidence = f.evidence.filter((e) => {
      const k = `${e.entityType}#${e.entityId}`;
      if (seen.has(k)) return false;
      seen.add(k);
      if (shown.has(k)) return true;
      dropped++;
      return false;
    });
    return { ...f, evidence };
  });
  return { factors: out, dropped };
}
