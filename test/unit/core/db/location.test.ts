import { describe, expect, it } from 'vitest';
import { describeLocation, maskUrl, parseLocation } from '../../../../src/main/core/db/location';
import { redactText } from '../../../../src/main/core/logger';

describe('workspace locations', () => {
  it('round-trip through JSON (what a worker task receives)', () => {
    const pg = { engine: 'postgres' as const, url: 'postgres://ann:s3cret@db.example:5432/team', schema: 'ws_0a1b2c' };
    expect(parseLocation(JSON.parse(JSON.stringify(pg)))).toEqual(pg);
    expect(parseLocation({ engine: 'sqlite', file: '/data/w.sqlite' })).toEqual({ engine: 'sqlite', file: '/data/w.sqlite' });
  });

  it('rejects locations that are not safe to use', () => {
    expect(() => parseLocation({ engine: 'postgres', url: 'mysql://x', schema: 'ws_1' })).toThrow(/starts with postgres/);
    expect(() => parseLocation({ engine: 'postgres', url: 'postgres://x/db', schema: 'ws-1; DROP SCHEMA x' })).toThrow(/schema name/);
    expect(() => parseLocation({ engine: 'postgres', url: 'postgres://x/db', schema: 'Upper' })).toThrow(/schema name/);
    expect(() => parseLocation({ engine: 'oracle' })).toThrow(/Not a workspace location/);
  });

  it('describes a location without its password', () => {
    const text = describeLocation({ engine: 'postgres', url: 'postgres://ann:s3cret@db.example:5432/team?sslmode=require', schema: 'ws_1' });
    expect(text).toBe('PostgreSQL postgres://ann:***@db.example:5432/team?sslmode=require (schema ws_1)');
    expect(text).not.toContain('s3cret');
    expect(maskUrl('not a url')).not.toContain('not a url');
    expect(describeLocation({ engine: 'sqlite', file: '/d/w.sqlite' })).toBe('SQLite /d/w.sqlite');
  });

  it('log lines lose passwords in connection strings even in free text', () => {
    expect(redactText('connect to postgres://ann:s3cret@db:5432/team failed')).toBe('connect to postgres://ann:***@db:5432/team failed');
  });
});
