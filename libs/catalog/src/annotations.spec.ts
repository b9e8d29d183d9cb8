import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findAnnotationsFor, loadAnnotations, mergeAnnotations } from './annotations';

describe('annotations', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 't2s-annotations-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('loads a file and fills defaults', () => {
    const file = write('ok.json', JSON.stringify({ warehouse: 'bank', pii: ['clients.codeword'] }));
    expect(loadAnnotations(file)).toEqual({ warehouse: 'bank', pii: ['clients.codeword'], notPii: [] });
  });

  it('names the file and the bad field', () => {
    const file = write('bad.json', JSON.stringify({ warehouse: 'bank', pii: ['a.b', 7] }));
    expect(() => loadAnnotations(file)).toThrow(`annotations file ${file}: field "pii[1]"`);
    const ref = write('ref.json', JSON.stringify({ warehouse: 'bank', notPii: ['justacolumn'] }));
    expect(() => loadAnnotations(ref)).toThrow(/field "notPii\[0\]": expected "table.column"/);
    const json = write('json.json', '{ nope');
    const target = write('target.json', JSON.stringify({ warehouse: 'bm', notForTargeting: ['y'] }));
    expect(() => loadAnnotations(target)).toThrow(/field "notForTargeting\[0\]": expected "table.column"/);
    expect(() => loadAnnotations(json)).toThrow(`annotations file ${json} is not valid JSON`);
    expect(() => loadAnnotations(join(dir, 'missing.json'))).toThrow(
      /cannot read annotations file .*missing\.json/,
    );
  });

  it('finds <schema>.annotations.json in a directory', () => {
    write(
      'bank.annotations.json',
      JSON.stringify({ warehouse: 'bank', notPii: ['transactions.doc_number'] }),
    );
    expect(findAnnotationsFor('bank', dir)?.notPii).toEqual(['transactions.doc_number']);
    expect(findAnnotationsFor('other', dir)).toBeUndefined();
  });

  it('merges per-schema files, qualifying short references', () => {
    const merged = mergeAnnotations(
      new Map([
        ['bank', { warehouse: 'bank', pii: ['clients.codeword'], notPii: [] }],
        ['crm', { warehouse: 'crm', pii: ['bank.x.y'], notPii: ['leads.name'] }],
        ['bm', { warehouse: 'bm', pii: [], notPii: [], notForTargeting: ['client.y', 'bm.client.day'] }],
      ]),
    );
    expect(merged).toEqual({
      warehouse: 'bank, crm, bm',
      pii: ['bank.clients.codeword', 'bank.x.y'],
      notPii: ['crm.leads.name'],
      notForTargeting: ['bm.client.y', 'bm.client.day'],
    });
    expect(mergeAnnotations(new Map())).toBeUndefined();
  });
});
