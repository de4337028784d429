import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/core/db/migrate';
import { workspaceMigrations } from '../../../src/main/core/db/migrations/workspace';
import { openDatabase } from '../../../src/main/core/db/open';
import { ENTITIES, getEntity } from '../../../src/shared/entities';
import { tempDir } from '../../fixtures/core';

/** The shared entity catalog drives browsing and import; it must match the SQL schema exactly. */
describe('entity catalog ↔ schema', () => {
  const dir = tempDir();
  const db = openDatabase(join(dir, 'w.sqlite'));
  migrate(db, workspaceMigrations, { backupDir: join(dir, 'b'), label: 'w' });

  it.each(ENTITIES.map((e) => [e.key, e] as const))('%s matches its table', (_key, spec) => {
    const cols = db.pragma(`table_info(${spec.table})`) as { name: string; notnull: number; pk: number; dflt_value: string | null }[];
    expect(cols.length, `table ${spec.table} exists`).toBeGreaterThan(0);
    expect(spec.columns.map((c) => c.name).sort()).toEqual(cols.map((c) => c.name).sort());
    for (const col of spec.columns) {
      const sql = cols.find((c) => c.name === col.name)!;
      if (sql.notnull && !sql.pk && sql.dflt_value === null) expect(col.required, `${spec.table}.${col.name} is NOT NULL in SQL`).toBe(true);
      if (sql.dflt_value !== null) expect(String(col.default), `${spec.table}.${col.name} default`).toBe(sql.dflt_value);
      if (col.ref) expect(getEntity(col.ref), `${spec.table}.${col.name} refers to a known entity`).toBeDefined();
      if (col.type === 'enum') expect(col.values?.length).toBeGreaterThan(0);
    }
    expect(spec.columns.some((c) => c.name === spec.titleColumn)).toBe(true);
    expect(spec.columns.some((c) => c.name === spec.defaultSort.column)).toBe(true);
    for (const s of spec.searchColumns) expect(spec.columns.some((c) => c.name === s)).toBe(true);
    const pk = cols.filter((c) => c.pk > 0).map((c) => c.name);
    expect([...spec.primaryKey].sort()).toEqual(pk.sort());
  });

  it('entity keys are unique', () => {
    expect(new Set(ENTITIES.map((e) => e.key)).size).toBe(ENTITIES.length);
  });
});
