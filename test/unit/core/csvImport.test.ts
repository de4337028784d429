import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../src/shared/contract';
import { assertTextFile, detectDelimiter, LineCounter } from '../../../src/main/core/data/csvSniff';
import { makeTestCore, type TestCore } from '../../fixtures/core';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('CSV sniffing', () => {
  it('detects , ; tab and | from the first lines, and falls back to a comma for one column', () => {
    expect(detectDelimiter('name,tier,arr\nA,b,1\n')).toBe(',');
    expect(detectDelimiter('name;tier;arr\n"A, Inc";b;1,5\n')).toBe(';');
    expect(detectDelimiter('name\ttier\tarr\nA\tb\t1\n')).toBe('\t');
    expect(detectDelimiter('name|tier|arr\nA|b|1\n')).toBe('|');
    expect(detectDelimiter('name\nA\n')).toBe(',');
  });

  it('refuses binary files with what they are, as raw bytes or as a UTF-8 decoder read them', () => {
    for (const head of [PNG.toString('latin1'), PNG.toString('utf8')]) expect(() => assertTextFile(head)).toThrow(/PNG image, not CSV/);
    expect(() => assertTextFile(Buffer.from('504b030414000600', 'hex').toString('utf8'))).toThrow(/ZIP archive.*Save As → CSV/);
    expect(() => assertTextFile('%PDF-1.7\n...')).toThrow(/PDF document/);
    expect(() => assertTextFile('name,tier\nA\0B,c\n')).toThrow(/binary file \(it contains NUL bytes\)/);
    expect(() => assertTextFile(Buffer.from('name,tier\n', 'utf16le').toString('latin1'))).toThrow(/UTF-16/);
    expect(() => assertTextFile('\ufeffname,tier\nÄrger,Größe\n')).not.toThrow();
  });

  it('counts a CRLF inside a quoted field as one line and reports the line a record starts on', () => {
    const c = new LineCounter();
    // csv-parse's own counts for: header / "a\r\nb" field over two lines / next record.
    expect(c.startLine(['code', 'body'], 1)).toBe(1);
    expect(c.startLine(['1', 'a\r\nb'], 4)).toBe(2);
    expect(c.startLine(['2', 'c'], 5)).toBe(4);
    expect(c.errorLine(6)).toBe(5);
  });
});

describe('CSV import: delimiters, binary files and line numbers (issue 13 §3)', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = makeTestCore();
    await t.core.call('workspace.create', { name: 'w' });
  });
  afterAll(() => t.cleanup());

  const stage = async (text: string): Promise<string> => (await t.core.call('import.stage', { chunk: text })).uploadId;
  const importCsv = async (text: string, opts: { dryRun?: boolean; delimiter?: ',' | ';' | '\t' | '|' } = {}): Promise<ImportReport> => {
    const uploadId = await stage(text);
    const { jobId } = await t.core.call('import.run', { workspace: 'w', entity: 'accounts', uploadId, dryRun: opts.dryRun ?? true, ...(opts.delimiter ? { delimiter: opts.delimiter } : {}) });
    const job = await t.core.services.jobs.waitFor(jobId);
    expect(job.status, job.error?.message).toBe('completed');
    return job.result as ImportReport;
  };

  it('reports the right line after a CRLF inside a quoted field', async () => {
    const csv = ['name,tier,notes', 'Northwind,enterprise,"two\r\nlines"', 'BadCo,galactic,x', ''].join('\r\n');
    const r = await importCsv(csv);
    expect(r).toMatchObject({ totalRows: 2, badRows: 1 });
    expect(r.errors).toEqual([expect.objectContaining({ line: 4, column: 'tier' })]);
  });

  it('reads a semicolon-separated file as columns, and says which delimiter it used', async () => {
    const csv = 'name;tier;arr\nNorthwind;enterprise;120000\n"Contoso; Ltd";smb;5\n';
    const uploadId = await stage(csv);
    const a = await t.core.call('import.analyze', { workspace: 'w', entity: 'accounts', uploadId });
    expect(a).toMatchObject({ delimiter: ';', headers: ['name', 'tier', 'arr'], sample: [['Northwind', 'enterprise', '120000'], ['Contoso; Ltd', 'smb', '5']] });
    expect(await importCsv(csv, { dryRun: false })).toMatchObject({ committed: true, imported: 2, badRows: 0 });
    const { rows } = await t.core.call('data.browse', { workspace: 'w', entity: 'accounts', search: 'Contoso' });
    expect(rows[0]).toMatchObject({ name: 'Contoso; Ltd', tier: 'smb' });
  });

  it('lets the person pick the delimiter', async () => {
    // Detection picks the comma here; a person who picks the pipe gets the file read their way.
    const csv = 'name,tier\nA|1,smb\nB|2,smb\n';
    const uploadId = await stage(csv);
    expect((await t.core.call('import.analyze', { workspace: 'w', entity: 'accounts', uploadId })).headers).toEqual(['name', 'tier']);
    const picked = await t.core.call('import.analyze', { workspace: 'w', entity: 'accounts', uploadId, delimiter: '|' });
    expect(picked).toMatchObject({ delimiter: '|', headers: ['name,tier'] });
  });

  it('refuses a PNG renamed .csv with a clear message, at analysis and at import', async () => {
    // What the renderer and the CLI stage: the file read as UTF-8 text.
    const uploadId = await stage(PNG.toString('utf8'));
    await expect(t.core.call('import.analyze', { workspace: 'w', entity: 'accounts', uploadId })).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/PNG image, not CSV/) });
    await expect(t.core.call('import.run', { workspace: 'w', entity: 'accounts', uploadId })).rejects.toMatchObject({ code: 'validation' });
  });
});
