import { ENTITIES, getEntity, type ColumnSpec, type EntitySpec } from './entities';

/**
 * How records relate and read, derived from the entity catalog alone: a record's name, the references it holds, the
 * records that point at it, and the order of enumerations. The record drawer, the table browser, the record picker
 * and the core's record queries all read these, so no page keeps a switch per entity type.
 */

/** A relation from a child entity to a parent: `child.column` holds the parent's id. */
export interface ChildRelation {
  child: EntitySpec;
  column: ColumnSpec;
  /** Set for polymorphic references (notes): the child column naming the parent's entity type. */
  typeColumn?: string;
  /** Section heading: the child's label, with the column when the child points at the parent twice. */
  label: string;
}

const joinTitle = (spec: EntitySpec, row: Record<string, unknown>): string => {
  const cols = spec.titleColumns ?? [spec.titleColumn];
  return cols
    .map((c) => row[c])
    .filter((v) => v !== null && v !== undefined && v !== '')
    .map(String)
    .join(' ')
    .trim();
};

/** A record's human name: its code or name, else "Comment #948". */
export function recordTitle(spec: EntitySpec, row: Record<string, unknown>): string {
  const title = spec.titleColumn === 'id' && !spec.titleColumns ? '' : joinTitle(spec, row);
  // Enumerations read as words ("first_response" → "first response").
  const isEnum = spec.columns.find((c) => c.name === spec.titleColumn)?.type === 'enum';
  if (title) return isEnum ? title.replace(/_/g, ' ') : title;
  return `${spec.singular} #${String(row.id ?? '?')}`;
}

/** A second line for pickers and headings (a ticket's subject), or null. */
export function recordSubtitle(spec: EntitySpec, row: Record<string, unknown>): string | null {
  const parts: string[] = [];
  if (spec.codeColumn && spec.codeColumn !== spec.titleColumn && row[spec.codeColumn]) parts.push(String(row[spec.codeColumn]));
  if (spec.subtitleColumn && row[spec.subtitleColumn]) parts.push(String(row[spec.subtitleColumn]));
  return parts.length ? parts.join(' · ') : null;
}

/** Columns whose value is another record's id (plain or polymorphic). */
export const referenceColumns = (spec: EntitySpec): ColumnSpec[] => spec.columns.filter((c) => c.ref || c.refTypeColumn);

/** The entity a reference cell points at: fixed by the column, or read from the row for polymorphic columns. */
export function referencedEntity(col: ColumnSpec, row: Record<string, unknown>): EntitySpec | undefined {
  if (col.ref) return getEntity(col.ref);
  if (col.refTypeColumn) {
    const type = row[col.refTypeColumn];
    return typeof type === 'string' ? getEntity(type) : undefined;
  }
  return undefined;
}

/** Key of a reference in a titles map: the id, or "type:id" for polymorphic columns. */
export const refKey = (col: ColumnSpec, row: Record<string, unknown>): string | null => {
  const id = row[col.name];
  if (id === null || id === undefined || id === '') return null;
  if (col.refTypeColumn) return typeof row[col.refTypeColumn] === 'string' ? `${row[col.refTypeColumn] as string}:${String(id)}` : null;
  return String(id);
};

const relations = new Map<string, ChildRelation[]>();

/** Every entity that points at `key`, in catalog order: a ticket's comments, SLA events and history; an account's contacts, deals, … */
export function childRelations(key: string): ChildRelation[] {
  const cached = relations.get(key);
  if (cached) return cached;
  const out: ChildRelation[] = [];
  for (const child of ENTITIES) {
    const direct = child.columns.filter((c) => c.ref === key);
    for (const column of direct) out.push({ child, column, label: direct.length > 1 ? `${child.label} (${column.label.toLowerCase()})` : child.label });
    for (const column of child.columns.filter((c) => c.refTypeColumn)) out.push({ child, column, typeColumn: column.refTypeColumn, label: child.label });
  }
  relations.set(key, out);
  return out;
}

/** An enumeration's declared order (low < normal < high < urgent), or null for other columns. */
export const enumRank = (col: ColumnSpec): ReadonlyMap<string, number> | null => (col.type === 'enum' && col.values ? new Map(col.values.map((v, i) => [v, i])) : null);
