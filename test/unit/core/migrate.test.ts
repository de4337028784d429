import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, type Migration } from '../../../src/main/core/db/migrate';
import { workspaceMigrations } from '../../../src/main/core/db/migrations/workspace';
import { openDatabase, type Db } from '../../../src/main/core/db/open';
import { AppError } from '../../../src/shared/errors';
import { tempDir } from '../../fixtures/core';

const base: Migration[] = [{ version: 1, name: 'one', sql: 'CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT NOT NULL);' }];

describe('migrate', () => {
  let db: Db | undefined;
  afterEach(() => db?.close());

  it('applies pending migrations in order and records them', () => {
    const dir = tempDir();
    db = openDatabase(join(dir, 'x.sqlite'));
    const res = migrate(db, [...base, { version: 2, name: 'two', sql: 'ALTER TABLE a ADD COLUMN w TEXT;' }], { backupDir: join(dir, 'b'), label: 'x' });
    expect(res).toMatchObject({ from: 0, to: 2, applied: [1, 2], backupPath: null });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([1, 2]);
  });

  it('backs up a database that holds data before migrating it', () => {
    const dir = tempDir();
    db = openDatabase(join(dir, 'x.sqlite'));
    migrate(db, base, { backupDir: join(dir, 'b'), label: 'x' });
    db.prepare("INSERT INTO a (v) VALUES ('keep me')").run();
    const res = migrate(db, [...base, { version: 2, name: 'two', sql: 'CREATE TABLE b (id INTEGER PRIMARY KEY);' }], { backupDir: join(dir, 'b'), label: 'x' });
    expect(res.backupPath).not.toBeNull();
    expect(existsSync(res.backupPath!)).toBe(true);
    const backup = openDatabase(res.backupPath!, { readonly: true });
    expect(backup.prepare('SELECT v FROM a').pluck().all()).toEqual(['keep me']);
    expect(backup.pragma('user_version', { simple: true })).toBe(1);
    backup.close();
  });

  it('leaves the database untouched when a migration fails, and says which one and where the backup is', () => {
    const dir = tempDir();
    db = openDatabase(join(dir, 'x.sqlite'));
    migrate(db, base, { backupDir: join(dir, 'b'), label: 'x' });
    db.prepare("INSERT INTO a (v) VALUES ('keep me')").run();
    const broken: Migration[] = [
      ...base,
      { version: 2, name: 'fine', sql: 'CREATE TABLE c (id INTEGER PRIMARY KEY);' },
      { version: 3, name: 'broken', sql: 'ALTER TABLE nope ADD COLUMN z TEXT;' },
    ];
    let caught: unknown;
    try {
      migrate(db, broken, { backupDir: join(dir, 'b'), label: 'x' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).message).toMatch(/Migration 3 \(broken\).*Nothing was changed.*version 1.*backup/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'c'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT v FROM a').pluck().all()).toEqual(['keep me']);
    expect(readdirSync(join(dir, 'b')).length).toBe(1);
  });

  it('applies a migration from a lower reserved range added after a higher one ran', () => {
    const dir = tempDir();
    db = openDatabase(join(dir, 'x.sqlite'));
    const high: Migration = { version: 40, name: 'forty', sql: 'CREATE TABLE forty (id INTEGER PRIMARY KEY);' };
    migrate(db, [...base, high], { backupDir: join(dir, 'b'), label: 'x' });
    const res = migrate(db, [...base, { version: 10, name: 'ten', sql: 'CREATE TABLE ten (id INTEGER PRIMARY KEY);' }, high], { backupDir: join(dir, 'b'), label: 'x' });
    expect(res.applied).toEqual([10]);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'ten'").pluck().get()).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(40);
    expect(migrate(db, [...base, { version: 10, name: 'ten', sql: 'SELECT 1' }, high], { backupDir: join(dir, 'b'), label: 'x' }).applied).toEqual([]);
  });

  it('refuses a database written by a newer app', () => {
    const dir = tempDir();
    db = openDatabase(join(dir, 'x.sqlite'));
    db.pragma('user_version = 99');
    expect(() => migrate(db!, base, { backupDir: join(dir, 'b'), label: 'x' })).toThrow(/newer than this app understands/);
  });

  it('the workspace schema applies cleanly with foreign keys and sqlite-vec available', () => {
    const dir = tempDir();
    db = openDatabase(join(dir, 'w.sqlite'));
    migrate(db, workspaceMigrations, { backupDir: join(dir, 'b'), label: 'w' });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT vec_version()').pluck().get()).toMatch(/^v0\./);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
