import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTE_NAMES, routes } from '../../../src/shared/contract';
import { EVENT_NAMES, events } from '../../../src/shared/events';
import { ERROR_CODES, ERROR_HINTS, AppError } from '../../../src/shared/errors';

describe('route table', () => {
  it('every route is named domain.verb and documented', () => {
    for (const name of ROUTE_NAMES) {
      expect(name).toMatch(/^[a-z]+(\.[a-zA-Z]+)+$/);
      expect(routes[name].summary.length, name).toBeGreaterThan(5);
      expect(['member', 'admin']).toContain(routes[name].role);
      expect(routes[name].input).toBeInstanceOf(z.ZodType);
      expect(routes[name].output).toBeInstanceOf(z.ZodType);
    }
  });

  it('configuration-changing routes of the foundation are admin-only', () => {
    expect(routes['workspace.delete'].role).toBe('admin');
    expect(routes['profiles.create'].role).toBe('admin');
    expect(routes['profiles.setRole'].role).toBe('admin');
  });

  it('events are named domain.verb with zod payloads', () => {
    for (const name of EVENT_NAMES) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(events[name]).toBeInstanceOf(z.ZodType);
    }
  });
});

describe('AppError', () => {
  it('every code has a hint and survives a round trip through JSON', () => {
    for (const code of ERROR_CODES) {
      expect(ERROR_HINTS[code].length).toBeGreaterThan(10);
      const e = AppError.fromJSON(JSON.parse(JSON.stringify(new AppError(code, 'msg', { a: 1 }))));
      expect(e).toMatchObject({ code, message: 'msg', details: { a: 1 } });
    }
  });

  it('unknown shapes become internal errors, and non-AppErrors are wrapped without leaking their message', () => {
    expect(AppError.fromJSON({ code: 'nope', message: 'x' }).code).toBe('internal');
    const wrapped = AppError.wrap(new Error('SQLITE_CORRUPT at /home/me/secret'));
    expect(wrapped.code).toBe('internal');
    expect(wrapped.message).not.toContain('/home/me');
  });
});
