import type { ColumnSpec, EntitySpec } from '@shared/entities';
import type { RefTitles } from '@shared/contract';
import { referencedEntity, refKey } from '@shared/records';

/** Display text for one cell, by column type. */
export function formatCell(col: ColumnSpec, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  switch (col.type) {
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'number':
      return typeof value === 'number' ? value.toLocaleString(undefined, { maximumFractionDigits: 2 }) : String(value);
    case 'integer':
      return typeof value === 'number' && !col.ref && !col.refTypeColumn ? value.toLocaleString() : String(value);
    case 'datetime':
      return String(value).replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, '').replace(/Z$/, '');
    case 'enum':
      return String(value).replace(/_/g, ' ');
    default:
      return String(value);
  }
}

/** A reference cell as people read it: the record's name, else "Account #22" when the name is unknown. */
export function referenceText(col: ColumnSpec, row: Record<string, unknown>, refs: RefTitles | undefined): { text: string; entity: string; id: number } | null {
  const key = refKey(col, row);
  const target = referencedEntity(col, row);
  if (!key || !target) return null;
  const id = Number(row[col.name]);
  return { text: refs?.[col.name]?.[key] ?? `${target.singular} #${id}`, entity: target.key, id };
}

/**
 * Column widths by what a column holds: narrow for ids, codes, flags and enums, wide for the name or subject that
 * identifies a row, medium for names of referenced records.
 */
export function columnWidth(spec: EntitySpec, col: ColumnSpec): number {
  if (col.type === 'id') return 72;
  if (col.name === spec.codeColumn) return 124;
  if (col.ref || col.refTypeColumn) return 170;
  if (col.name === spec.titleColumn || col.name === spec.subtitleColumn || spec.titleColumns?.includes(col.name)) return col.type === 'text' && spec.titleColumns ? 140 : 300;
  switch (col.type) {
    case 'boolean':
      return 84;
    case 'enum':
      return 116;
    case 'date':
      return 108;
    case 'datetime':
      return 148;
    case 'integer':
    case 'number':
      return 112;
    case 'longtext':
      return 360;
    default:
      return 170;
  }
}
