import { catalogColumn, catalogOf, catalogTable } from '@t2s/catalog/testing';
import { loadParser } from '@t2s/sql-guard';
import { describedColumns } from './described-columns';

beforeAll(() => loadParser());

const catalog = catalogOf([
  catalogTable('client', {
    comment: 'Клиенты банка',
    primaryKey: ['client_id'],
    columns: [
      catalogColumn('client_id'),
      catalogColumn('birth_date', { comment: 'Дата рождения' }),
      catalogColumn('gender', { comment: 'Пол' }),
    ],
  }),
  catalogTable('loan', {
    columns: [catalogColumn('client_id'), catalogColumn('loan_type', { comment: 'Вид кредита' })],
  }),
  catalogTable('client', { schema: 'other', columns: [catalogColumn('secret')] }),
]);

describe('describedColumns', () => {
  it("names each column a SELECT reads with its catalog comment and its table's", () => {
    const [alone, joined] = describedColumns(
      [
        "select client_id from client where gender = 'F'",
        "select c.client_id from client c join loan l using (client_id) where l.loan_type = 'mortgage'",
      ],
      catalog,
    );
    expect(alone).toEqual([
      { table: 'client', column: 'client_id', tableDescription: 'Клиенты банка', key: true },
      { table: 'client', column: 'gender', description: 'Пол', tableDescription: 'Клиенты банка' },
    ]);
    expect(joined?.map((c) => `${c.table}.${c.column}`)).toEqual(['client.client_id', 'loan.loan_type']);
    expect(joined?.[1]).toEqual({ table: 'loan', column: 'loan_type', description: 'Вид кредита' });
  });

  it("reads only the catalog's schemas, and gives nothing for SQL that does not parse", () => {
    expect(describedColumns(['select secret from client', 'selec nothing'], catalog)).toEqual([[], []]);
  });
});
