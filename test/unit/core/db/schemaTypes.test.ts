import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchemaTypes, SCHEMA_FILES } from '../../../../scripts/db-types';
import { appMigrations } from '../../../../src/main/core/db/migrations/app';
import { indexFileMigrations, postgresWorkspaceMigrations, workspaceMigrations } from '../../../../src/main/core/db/migrations/workspace';

const root = join(import.meta.dirname, '..', '..', '..', '..');

describe('migrations ↔ table types and engines', () => {
  it('the committed Kysely table types are what the migrations build (run npm run db:types after changing one)', () => {
    const rendered = renderSchemaTypes();
    for (const [key, file] of Object.entries(SCHEMA_FILES) as [keyof typeof SCHEMA_FILES, string][]) {
      expect(readFileSync(join(root, file), 'utf8'), `${file} is out of date: run npm run db:types`).toBe(rendered[key]);
    }
  });

  it('every workspace data migration has a PostgreSQL form; index migrations are SQLite only', () => {
    for (const m of workspaceMigrations) {
      if (m.store === 'index') expect(m.postgres, `migration ${m.version} (index) has no PostgreSQL form`).toBeUndefined();
      else expect(m.postgres?.sql ?? m.postgres?.up, `migration ${m.version} (${m.name}) needs a PostgreSQL form`).toBeDefined();
    }
    expect(postgresWorkspaceMigrations.length + indexFileMigrations.length).toBe(workspaceMigrations.length);
    expect(indexFileMigrations.map((m) => m.version)).toEqual([30]);
  });

  it('versions are unique per list and app migrations are SQLite only', () => {
    for (const list of [workspaceMigrations, appMigrations]) expect(new Set(list.map((m) => m.version)).size).toBe(list.length);
    for (const m of appMigrations) expect(m.postgres).toBeUndefined();
  });
});
