import { getEntity } from './entities';

export type MaskRole = 'member' | 'admin';

/** What a member sees instead of a sensitive value. */
export const MASK = '•••';

/** Sensitive columns of an entity (ColumnSpec.sensitive in the catalog). */
export function sensitiveColumns(entity: string): string[] {
  return getEntity(entity)?.columns.filter((c) => c.sensitive).map((c) => c.name) ?? [];
}

/**
 * A record as the role may see it: for members, every column the entity catalog marks sensitive (personal emails
 * and phone numbers, national ids, salaries…) is replaced by MASK when it holds a value. Admins see the row as is.
 * Returns a copy; the input row is never changed.
 */
export function maskRecord<T extends Record<string, unknown>>(entity: string, row: T, role: MaskRole): T {
  if (role === 'admin') return row;
  const cols = sensitiveColumns(entity);
  if (cols.length === 0) return row;
  const out: Record<string, unknown> = { ...row };
  for (const c of cols) if (out[c] !== null && out[c] !== undefined && out[c] !== '') out[c] = MASK;
  return out as T;
}

export const maskRecords = <T extends Record<string, unknown>>(entity: string, rows: readonly T[], role: MaskRole): T[] => rows.map((r) => maskRecord(entity, r, role));

/** Masks sensitive values wherever they appear inside free text (a subtitle that is a contact's email). */
export function maskText(entity: string, row: Record<string, unknown>, text: string | null, role: MaskRole): string | null {
  if (role === 'admin' || text === null) return text;
  let out = text;
  for (const c of sensitiveColumns(entity)) {
    const v = row[c];
    if (typeof v === 'string' && v.length > 0) out = out.split(v).join(MASK);
  }
  return out;
}
