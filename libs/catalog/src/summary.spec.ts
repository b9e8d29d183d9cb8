import type { CatalogTable } from './catalog.schema';
import { catalogColumn, catalogOf, catalogTable } from './testing/catalog-builders';
import { renderSchemaDdl } from './schema-text';
import { catalogStats, summarizeCatalog } from './summary';

const column = catalogColumn;
const table = catalogTable;
const catalog = (tables: CatalogTable[]) => catalogOf(tables);

describe('summarizeCatalog', () => {
  it('lists untagged tables without a subject-area heading and keeps lines narrow', () => {
    const text = summarizeCatalog(
      catalog([
        table('cards', {
          comment: `Карты клиентов. ${'Очень длинное пояснение. '.repeat(10)}`,
          rowEstimate: 2_345_678,
        }),
        table('a_very_long_table_name_that_goes_on_and_on_forever', { comment: 'x '.repeat(80) }),
      ]),
    );
    expect(text).toContain('Карты клиентов');
    expect(text).toContain('2.3M rows');
    expect(text).not.toContain('Other');
    expect(text).not.toMatch(/ +$/m);
    expect(Math.max(...text.split('\n').map((l) => Array.from(l).length))).toBeLessThanOrEqual(110);
  });

  it('counts what the catalog holds', () => {
    const stats = catalogStats(
      catalog([
        table('clients', {
          comment: 'Клиенты',
          columns: [
            column('id', { comment: 'Идентификатор' }),
            column('phone', { pii: true, piiSource: 'name' }),
            column('segment', { values: ['MASS', 'VIP'], comment: '  ' }),
          ],
          foreignKeys: [
            { name: 'fk', columns: ['segment'], refSchema: 'bank', refTable: 's', refColumns: ['code'] },
          ],
        }),
      ]),
    );
    expect(stats).toEqual({
      tables: 1,
      columns: 3,
      commentedTables: 1,
      commentedColumns: 1,
      piiColumns: 1,
      foreignKeys: 1,
      indexedValueColumns: 1,
      indexedValues: 2,
      valueIndexBytes: 7,
    });
  });
});

describe('renderSchemaDdl', () => {
  it('quotes identifiers that need it and folds multi-line comments onto one line', () => {
    const ddl = renderSchemaDdl(
      catalog([
        table('Mixed Case', {
          kind: 'materialized_view',
          comment: 'Первая строка\nвторая строка',
          columns: [column('Select', { comment: 'keyword\r\nas name' })],
        }),
      ]),
    );
    expect(ddl).toBe(
      'CREATE MATERIALIZED VIEW bank."Mixed Case" ( -- Первая строка вторая строка\n' +
        '  "Select" text -- keyword as name\n);\n',
    );
  });
});
