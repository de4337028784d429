import type { ColumnSpec } from '@shared/entities';

/** Display text for one cell, by column type. */
export function formatCell(col: ColumnSpec, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  switch (col.type) {
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'number':
      return typeof value === 'number' ? value.toLocaleString(undefined, { maximumFractionDigits: col.max !== undefined && col.max <= 1 ? 2 : 2 }) : String(value);
    case 'integer':
      return typeof value === 'number' && !col.ref ? value.toLocaleString() : String(value);
    case 'datetime':
      return String(value).replace('T', ' ').replace(/:\d{2}Z$/, '').replace(/Z$/, '');
    case 'enum':
      return String(value).replace(/_/g, ' ');
    default:
      return String(value);
  }
}
