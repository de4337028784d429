import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '@shared/entities';
import { MASK, maskRecord, sensitiveColumns } from '@shared/masking';
import { maskPreview } from '../../../../src/main/core/actions/actionService';
import { makeTestCore, type TestCore } from '../../../fixtures/core';
import { build } from '../../../fixtures/vectors';
import { seedActionsWorkspace } from './seed';

const EMAIL = 'jane.roe@gmail.example';
const PHONE = '+1 555 0100';

describe('sensitive fields in the entity catalog', () => {
  it('marks personal emails and phone numbers, only on plain text columns that name no record', () => {
    expect(sensitiveColumns('contacts').sort()).toEqual(['email', 'phone']);
    expect(sensitiveColumns('technicians').sort()).toEqual(['email', 'phone']);
    for (const e of ENTITIES) {
      for (const c of e.columns.filter((x) => x.sensitive)) {
        expect(['text', 'longtext'], `${e.key}.${c.name}`).toContain(c.type);
        expect([e.titleColumn, ...(e.titleColumns ?? []), e.codeColumn, ...e.primaryKey], `${e.key}.${c.name}`).not.toContain(c.name);
      }
    }
  });

  it('maskRecord blanks them for members, keeps empty cells empty, and leaves admins and the input alone', () => {
    const row = { id: 57, first_name: 'Jane', email: EMAIL, phone: null };
    expect(maskRecord('contacts', row, 'member')).toEqual({ id: 57, first_name: 'Jane', email: MASK, phone: null });
    expect(maskRecord('contacts', row, 'admin')).toBe(row);
    expect(row.email).toBe(EMAIL);
    expect(maskRecord('deals', { id: 1, name: 'x' }, 'member')).toEqual({ id: 1, name: 'x' });
  });

  it('masks sensitive fields inside an approval diff for members', () => {
    const p = { summary: 's', changes: [{ entity: 'contacts', id: 57, op: 'update' as const, fields: [{ name: 'email', before: EMAIL, after: 'new@x.example' }, { name: 'title', before: 'CFO', after: 'CEO' }] }] };
    expect(maskPreview(p, 'member').changes[0]!.fields).toEqual([{ name: 'email', before: MASK, after: MASK }, { name: 'title', before: 'CFO', after: 'CEO' }]);
    expect(maskPreview(p, 'admin')).toBe(p);
  });
});

describe('every path that returns record text masks for members', () => {
  let t: TestCore;
  let member: { profileId: string };
  const ws = 'w';
  const leaks = (value: unknown): boolean => {
    const text = JSON.stringify(value);
    return text.includes(EMAIL) || text.includes(PHONE);
  };

  beforeAll(async () => {
    t = makeTestCore();
    await seedActionsWorkspace(t.core, ws);
    member = { profileId: (await t.core.call('profiles.create', { name: 'Mia', role: 'member' })).id };
    await build(t.core, { workspace: ws });
  });
  afterAll(async () => t.cleanup());

  it('data.browse, data.get, data.record (the record, its subtitle and children) and data.lookup', async () => {
    const browse = await t.core.call('data.browse', { workspace: ws, entity: 'contacts' }, member);
    expect(browse.rows[0]).toMatchObject({ email: MASK, phone: MASK, first_name: 'Jane' });
    expect(leaks(browse)).toBe(false);
    expect((await t.core.call('data.browse', { workspace: ws, entity: 'contacts' })).rows[0]).toMatchObject({ email: EMAIL, phone: PHONE });

    const got = await t.core.call('data.get', { workspace: ws, entity: 'contacts', id: 57 }, member);
    expect(got.record).toMatchObject({ email: MASK });
    expect(leaks(got)).toBe(false);

    const record = await t.core.call('data.record', { workspace: ws, entity: 'contacts', id: 57 }, member);
    expect(record.record).toMatchObject({ email: MASK, phone: MASK });
    expect(leaks(record)).toBe(false);
    expect((await t.core.call('data.record', { workspace: ws, entity: 'contacts', id: 57 })).subtitle).toBe(EMAIL);
    const account = await t.core.call('data.record', { workspace: ws, entity: 'accounts', id: 22 }, member);
    expect(account.children.find((c) => c.entity === 'contacts')!.rows[0]).toMatchObject({ email: MASK });
    expect(leaks(account)).toBe(false);

    const lookup = await t.core.call('data.lookup', { workspace: ws, entity: 'contacts', query: 'Jane' }, member);
    expect(lookup.matches[0]).toMatchObject({ id: 57, title: 'Jane Roe', subtitle: MASK });
    expect((await t.core.call('data.lookup', { workspace: ws, entity: 'contacts', query: 'Jane' })).matches[0]!.subtitle).toBe(EMAIL);
  });

  it('search.query results (title and snippet from the index)', async () => {
    const admin = await t.core.call('search.query', { workspace: ws, query: 'jane roe gmail', mode: 'keyword', k: 10 });
    expect(leaks(admin.results)).toBe(true);
    const res = await t.core.call('search.query', { workspace: ws, query: 'jane roe gmail', mode: 'keyword', k: 10 }, member);
    expect(res.results.some((r) => r.sourceType === 'contacts' && r.entityId === 57)).toBe(true);
    expect(leaks(res)).toBe(false);
  });

  it('action results the copilot and voice read: get_record, search_records', async () => {
    const rec = await t.core.call('actions.execute', { workspace: ws, name: 'get_record', args: { entity: 'contacts', id: 57 } }, member);
    if (rec.status !== 'done') throw new Error('expected a result');
    expect(rec.result).toMatchObject({ record: { email: MASK, phone: MASK }, subtitle: MASK });
    expect(leaks(rec)).toBe(false);
    const viaAccount = await t.core.call('actions.execute', { workspace: ws, name: 'get_record', args: { entity: 'accounts', id: 'Acme Corp' } }, member);
    expect(leaks(viaAccount)).toBe(false);
    const adminRec = await t.core.call('actions.execute', { workspace: ws, name: 'get_record', args: { entity: 'contacts', id: 57 } });
    expect(leaks(adminRec)).toBe(true);

    const search = await t.core.call('actions.execute', { workspace: ws, name: 'search_records', args: { query: 'jane roe gmail' } }, member);
    if (search.status !== 'done') throw new Error('expected a result');
    expect(leaks(search)).toBe(false);
    // And nothing sensitive lands in the audit trail a member can list.
    expect(leaks(await t.core.call('audit.list', { workspace: ws }, member))).toBe(false);
  });
});
