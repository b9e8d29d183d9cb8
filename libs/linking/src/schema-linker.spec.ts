import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { catalogColumn, catalogOf, catalogTable, loadCatalogSnapshot } from '@t2s/catalog/testing';
import type { SemanticModelFile } from '@t2s/semantic';
import { loadParser } from '@t2s/sql-guard';
import { Bm25 } from './bm25';
import { schemaFromCatalog, schemaFromSpider, type SpiderDatabase } from './link-schema';
import { renderLinkedSchema } from './render';
import { SchemaLinker } from './schema-linker';
import { columnsOfSql } from './sql-columns';
import { words } from './words';

const birdDir = process.env.BIRD_DIR ?? resolve(__dirname, '../../../..', 'shared/datasets/bird-minidev');
const birdDbs = JSON.parse(readFileSync(join(birdDir, 'dev_tables.json'), 'utf8')) as SpiderDatabase[];
const financial = schemaFromSpider(birdDbs.find((db) => db.db_id === 'financial') as SpiderDatabase);

beforeAll(() => loadParser());

describe('words', () => {
  it('splits identifiers and stems both scripts, without words that name nothing', () => {
    expect(words('GasStationID')).toEqual(['gas', 'station', 'id']);
    expect(words('client_segment')).toEqual(['client', 'segment']);
    expect(words('How many of the loans are running?')).toEqual(['loan', 'run']);
    expect(words('Кредиты в других банках')).toEqual(['кредит', 'друг', 'банк']);
  });
});

describe('Bm25', () => {
  it('ranks the document with the rarer matching word first and leaves out those with none', () => {
    const index = new Bm25([
      { id: 'a', words: ['loan', 'amount'] },
      { id: 'b', words: ['loan', 'status'] },
      { id: 'c', words: ['card', 'type'] },
    ]);
    expect(index.search(['loan', 'status']).map((r) => r.id)).toEqual(['b', 'a']);
  });

  it('counts a repeated query word once and keeps ties in the order the documents were given', () => {
    const index = new Bm25([
      { id: 'x', words: ['card'] },
      { id: 'y', words: ['loan'] },
      { id: 'z', words: ['loan'] },
      { id: 'w', words: ['deposit'] },
    ]);
    const once = index.search(['loan']);
    expect(once.map((r) => r.id)).toEqual(['y', 'z']);
    expect(index.search(['loan', 'loan'])).toEqual(once);
    expect(once[0]?.score).toBeCloseTo(Math.log(1 + 2.5 / 2.5), 12);
    expect(index.search(['mortgage'])).toEqual([]);
  });
});

describe('SchemaLinker on BIRD financial (the Berka schema, names only)', () => {
  const linker = new SchemaLinker(financial);

  it.each([
    [
      'How many clients who opened their accounts in 1993 have a gold card?',
      ['account.date', 'card.type', 'client.client_id'],
    ],
    ['List the loan ids with a status of running contract, OK so far', ['loan.loan_id', 'loan.status']],
    [
      'What is the average salary in the district of the branch where account 3 was opened?',
      ['district.a11'],
    ],
  ])('%j: the gold columns and the keys that join their tables', (question, wanted) => {
    const linked = linker.link(question, { columns: 20 });
    const found = linked.columns.map((c) => c.toLowerCase());
    expect(found).toEqual(expect.arrayContaining(wanted));
  });

  it('joins tables found apart through the tables between them (client to card via disp)', () => {
    const linked = linker.link('clients born in 1970 and the type of their card', { columns: 6 });
    expect(linked.tables).toEqual(expect.arrayContaining(['client', 'card', 'disp']));
    expect(linked.columns).toEqual(
      expect.arrayContaining(['disp.client_id', 'disp.disp_id', 'card.disp_id']),
    );
  });

  it('ranks with the word index it is given (a bench compares other rankers so)', () => {
    const indexed: string[][] = [];
    const fixed = new SchemaLinker(financial, (documents) => {
      indexed.push(documents.map((d) => d.id));
      // The table index finds nothing; the column index ranks the last two columns first.
      const columns = documents.length > 8;
      return {
        search: () => (columns ? documents.slice(-2).map((d, i) => ({ id: d.id, score: 2 - i })) : []),
      };
    });
    expect(indexed.map((ids) => ids.length)).toEqual([8, expect.any(Number)]);
    expect(indexed[1]).toContain('loan.status');
    expect(fixed.link('anything', { columns: 2 }).retrieved.map((r) => r.column)).toEqual(
      indexed[1]?.slice(-2),
    );
  });
});

describe('columnsOfSql', () => {
  it('resolves aliases, bare names in the tables of the statement, and ignores what the schema lacks', () => {
    const sql = `SELECT T1.client_id, COUNT(status) FROM client AS T1
      JOIN disp AS T2 ON T1.client_id = T2.client_id JOIN loan ON loan.account_id = T2.account_id
      WHERE T1.gender = 'F' AND missing_column > 1 GROUP BY T1.client_id`;
    expect(columnsOfSql(sql, financial)).toEqual([
      'client.client_id',
      'client.gender',
      'disp.account_id',
      'disp.client_id',
      'loan.account_id',
      'loan.status',
    ]);
  });

  it('is null for SQL that does not parse', () => {
    expect(columnsOfSql('SELEC nothing', financial)).toBeNull();
  });
});

describe('schemaFromCatalog with a semantic model', () => {
  const catalog = catalogOf([
    catalogTable('client', {
      comment: 'Клиенты банка',
      primaryKey: ['client_id'],
      columns: [
        catalogColumn('client_id', { type: 'bigint' }),
        catalogColumn('full_name', { pii: true, piiSource: 'annotation', values: ['Иванов Иван'] }),
        catalogColumn('birth_date', { type: 'date' }),
      ],
    }),
    catalogTable('loan', {
      primaryKey: ['loan_id'],
      columns: [
        catalogColumn('loan_id', { type: 'bigint' }),
        catalogColumn('client_id', { type: 'bigint' }),
        catalogColumn('loan_type', { comment: 'Вид кредита', values: ['MORTGAGE', 'CAR'] }),
        catalogColumn('issue_date', { type: 'date' }),
      ],
      foreignKeys: [
        {
          name: 'fk',
          columns: ['client_id'],
          refSchema: 'bank',
          refTable: 'client',
          refColumns: ['client_id'],
        },
      ],
    }),
    catalogTable('etl_load_info', { columns: [catalogColumn('report_date', { type: 'date' })] }),
  ]);
  const model = {
    warehouse: 'bank',
    entity: { table: 'client', id: 'client_id', label: { ru: 'Клиент', en: 'Client' } },
    now: 'select max(report_date) from etl_load_info',
    bridges: [],
    tables: { loan: { date: 'issue_date' } },
    attributes: [
      {
        name: 'age',
        label: { ru: 'Возраст', en: 'Age' },
        terms: { ru: ['возраст', 'старше'], en: ['age', 'older than'] },
        type: 'number',
        refinements: [],
        measure: { kind: 'scalar', table: 'client', sql: 'extract(year from age({now}, {t}.birth_date))' },
      },
      {
        name: 'has_mortgage',
        label: { ru: 'Есть ипотека', en: 'Has a mortgage' },
        terms: { ru: ['ипотека'], en: ['mortgage'] },
        type: 'boolean',
        refinements: [],
        measure: {
          kind: 'related',
          table: 'loan',
          where: { column: 'loan.loan_type', cmp: { op: 'eq', value: 'MORTGAGE' } },
        },
      },
    ],
    labels: { 'loan.loan_type': { MORTGAGE: { ru: ['ипотечный'], en: ['home loan'] } } },
    valueContexts: {},
    history: {},
    columns: {},
    valueColumns: [],
  } as unknown as SemanticModelFile;
  const schema = schemaFromCatalog(catalog, 'bank', model);
  const linker = new SchemaLinker(schema);

  it("reads the model's words: an attribute names its measure's columns, a label its column", () => {
    expect(linker.link('клиенты старше 30', { columns: 1 }).retrieved[0]?.column).toBe('client.birth_date');
    expect(linker.link('home loan holders', { columns: 1 }).retrieved[0]?.column).toBe('loan.loan_type');
  });

  it("adds the report date always and the tables' own dates for a time window", () => {
    expect(linker.link('ипотека', { columns: 2 }).columns).not.toContain('loan.issue_date');
    const windowed = linker.link('ипотека за последние 3 месяца', { columns: 2 }).columns;
    expect(windowed).toEqual(expect.arrayContaining(['loan.issue_date', 'etl_load_info.report_date']));
  });

  it("shows example values in the prompt but never a PII column's", () => {
    const text = renderLinkedSchema(schema);
    expect(text).toContain("loan_type text -- Вид кредита e.g. 'MORTGAGE', 'CAR'");
    // Personal data the bank has not approved for filtering is not in the prompt at all.
    expect(text).not.toContain('full_name');
    expect(text).not.toContain('Иванов');
  });
});

describe('schemaFromCatalog on Bank Marketing (columns not for targeting)', () => {
  const catalog = loadCatalogSnapshot('bank_marketing');
  const schema = schemaFromCatalog(catalog, 'bank_marketing');
  const outcome = ['contact', 'day', 'month', 'duration', 'campaign', 'y'];

  it('never links or shows them, only names them', () => {
    const client = schema.tables.find((t) => t.name === 'client')!;
    expect(client.hidden).toEqual(outcome);
    expect(client.columns.map((c) => c.name)).toEqual([
      'client_id',
      'age',
      'job',
      'marital',
      'education',
      'default',
      'balance',
      'housing',
      'loan',
      'pdays',
      'previous',
      'poutcome',
    ]);
    const text = renderLinkedSchema(schema);
    for (const column of outcome) expect(text).not.toMatch(new RegExp(`^\\s*"?${column}"? `, 'm'));
    expect(text).not.toContain('Last contact duration');
  });

  it('links the other columns for a text about the outcome, never the outcome itself', () => {
    const linked = new SchemaLinker(schema).link(
      'clients who subscribed a term deposit after a long last contact in may, by cellular, contacted twice this campaign',
      { columns: 20 },
    );
    expect(linked.columns.filter((c) => outcome.includes(c.split('.')[1]!))).toEqual([]);
  });

  it("still recognises them in a person's SQL (so an example reading them is never shown)", () => {
    expect(
      columnsOfSql("select client_id from client where y = 'yes' and duration > 300", schema)?.sort(),
    ).toEqual(['client.client_id', 'client.duration', 'client.y']);
  });
});
