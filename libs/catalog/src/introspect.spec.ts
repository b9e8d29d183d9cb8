import { createTestSchema, type TestSchema } from '@t2s/db';
import type { Catalog, CatalogAnnotations, CatalogColumn, CatalogTable } from './catalog.schema';
import { introspectCatalog } from './introspect';
import { countTokens, renderSchemaDdl } from './schema-text';
import { catalogStats, summarizeCatalog } from './summary';

// Values of PII columns; none of them may appear anywhere in the catalog.
const PII_VALUES = [
  'Иванов Иван Иванович',
  'Петрова Анна Сергеевна',
  '+79161234567',
  '+79037654321',
  'ivanov@example.ru',
  'petrova@example.ru',
  'ivan_1980',
  '40817810000000000001',
  'г. Москва, ул. Ленина, 1',
];

function fixtureSql(s: string): string {
  return `
    create type ${s}.gender as enum ('M', 'F');
    create table ${s}.ref_segments (
      code varchar(10) primary key,
      name text not null,
      description text
    );
    comment on table ${s}.ref_segments is '[Справочники] Сегменты клиентов. Ведёт маркетинг.';
    comment on column ${s}.ref_segments.code is 'Код сегмента';
    comment on column ${s}.ref_segments.name is 'Наименование сегмента';
    comment on column ${s}.ref_segments.description is 'Описание';
    insert into ${s}.ref_segments values
      ('MASS', 'Массовый', 'Массовый сегмент, обслуживание в отделениях и в мобильном приложении банка'),
      ('PREM', 'Премиальный', null), ('VIP', 'VIP', null);

    create table ${s}.clients (
      client_id bigint primary key,
      full_name text not null,
      phone varchar(20),
      email text,
      contact text,
      loyalty_login text,
      reg_addr_text text,
      segment_code varchar(10) references ${s}.ref_segments (code),
      gender ${s}.gender,
      region_name text,
      employer_name text,
      has_email boolean not null default false,
      birth_date date
    );
    comment on table ${s}.clients is '[Клиенты] Клиенты банка — физические лица. Одна строка на клиента.';
    comment on column ${s}.clients.client_id is 'Идентификатор клиента';
    comment on column ${s}.clients.full_name is 'ФИО клиента';
    comment on column ${s}.clients.phone is 'Мобильный телефон';
    comment on column ${s}.clients.email is 'Адрес электронной почты';
    comment on column ${s}.clients.contact is 'Основной способ связи: телефон или e-mail';
    comment on column ${s}.clients.loyalty_login is 'Логин в программе лояльности';
    comment on column ${s}.clients.segment_code is 'Сегмент клиента';
    comment on column ${s}.clients.region_name is 'Регион обслуживания';
    comment on column ${s}.clients.employer_name is 'Наименование работодателя';
    comment on column ${s}.clients.has_email is 'Признак наличия e-mail';
    insert into ${s}.clients values
      (1, 'Иванов Иван Иванович', '+79161234567', 'ivanov@example.ru', '+79161234567', 'ivan_1980',
       'г. Москва, ул. Ленина, 1', 'MASS', 'M', 'Москва', 'ООО Ромашка', true, '1980-01-02'),
      (2, 'Петрова Анна Сергеевна', '+79037654321', 'petrova@example.ru', 'petrova@example.ru', null,
       null, 'VIP', 'F', 'Санкт-Петербург', null, true, '1975-05-06');

    create table ${s}.transactions (
      txn_id bigint generated always as identity primary key,
      client_id bigint not null references ${s}.clients (client_id),
      amount numeric(18,2) not null,
      txn_type text not null,
      doc_number text,
      merchant_name text,
      created_at timestamptz not null default now()
    );
    comment on table ${s}.transactions is 'Операции по картам';
    comment on column ${s}.transactions.amount is 'Сумма операции, руб.';
    comment on column ${s}.transactions.txn_type is 'Тип операции';
    comment on column ${s}.transactions.doc_number is 'Номер платёжного документа';
    comment on column ${s}.transactions.merchant_name is 'Название торговой точки';
    insert into ${s}.transactions (client_id, amount, txn_type, doc_number, merchant_name)
      select 1 + i % 2, i * 10.5, (array['POS', 'ATM', 'P2P'])[1 + i % 3], 'D' || i, 'Shop ' || (i % 4)
        from generate_series(1, 30) i;

    create table ${s}.accounts (
      client_id bigint not null references ${s}.clients (client_id),
      account_no text not null,
      currency char(3) not null,
      primary key (client_id, account_no)
    );
    insert into ${s}.accounts values (1, '40817810000000000001', 'RUB');

    create table ${s}.account_balances (
      acc_no text not null,
      acc_client bigint not null,
      balance numeric(18,2),
      foreign key (acc_no, acc_client) references ${s}.accounts (account_no, client_id)
    );

    create view ${s}.v_client_segments as
      select c.client_id, c.segment_code, r.name as segment_name
        from ${s}.clients c join ${s}.ref_segments r on r.code = c.segment_code;
    comment on view ${s}.v_client_segments is 'Клиенты с названием сегмента';

    analyze ${s}.ref_segments;
    analyze ${s}.clients;
    analyze ${s}.transactions;
    analyze ${s}.accounts;
    analyze ${s}.account_balances;
  `;
}

describe('introspectCatalog', () => {
  let db: TestSchema;
  let catalog: Catalog;
  const warnings: string[] = [];

  const table = (name: string): CatalogTable => {
    const found = catalog.tables.find((t) => t.name === name);
    if (!found) throw new Error(`no table ${name}`);
    return found;
  };
  const column = (tableName: string, name: string): CatalogColumn => {
    const found = table(tableName).columns.find((c) => c.name === name);
    if (!found) throw new Error(`no column ${tableName}.${name}`);
    return found;
  };

  beforeAll(async () => {
    db = await createTestSchema('cat');
    await db.client.query(fixtureSql(db.schema));
    const annotations: CatalogAnnotations = {
      warehouse: 'test',
      pii: ['clients.loyalty_login', `${db.schema}.accounts.account_no`],
      notPii: ['transactions.doc_number', 'clients.no_such_column'],
      notForTargeting: [
        'transactions.txn_type',
        `${db.schema}.clients.segment_code`,
        'clients.no_such_target',
      ],
    };
    catalog = await introspectCatalog(db.client, {
      schemas: [db.schema],
      annotations,
      onWarning: (message) => warnings.push(message),
    });
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('lists tables and views in the schema with their kinds, comments and row estimates', () => {
    expect(catalog.version).toBe(1);
    expect(catalog.database).toBe('test');
    expect(catalog.schemas).toEqual([db.schema]);
    expect(catalog.tables.map((t) => t.name)).toEqual([
      'account_balances',
      'accounts',
      'clients',
      'ref_segments',
      'transactions',
      'v_client_segments',
    ]);
    expect(table('v_client_segments').kind).toBe('view');
    expect(table('v_client_segments').rowEstimate).toBe(0);
    expect(table('clients').kind).toBe('table');
    expect(table('clients').comment).toBe(
      '[Клиенты] Клиенты банка — физические лица. Одна строка на клиента.',
    );
    expect(table('accounts').comment).toBeNull();
    expect(table('transactions').rowEstimate).toBe(30);
    expect(table('account_balances').rowEstimate).toBe(0);
  });

  it('reads columns in order with types, nullability and comments', () => {
    const tx = table('transactions');
    expect(tx.columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['txn_id', 'bigint', false],
      ['client_id', 'bigint', false],
      ['amount', 'numeric(18,2)', false],
      ['txn_type', 'text', false],
      ['doc_number', 'text', true],
      ['merchant_name', 'text', true],
      ['created_at', 'timestamp with time zone', false],
    ]);
    expect(column('transactions', 'amount').comment).toBe('Сумма операции, руб.');
    expect(column('transactions', 'created_at').comment).toBeNull();
    expect(column('clients', 'phone').type).toBe('character varying(20)');
    expect(column('accounts', 'currency').type).toBe('character(3)');
    expect(column('clients', 'gender').type).toBe(`${db.schema}.gender`);
  });

  it('reads primary keys and foreign keys, composite ones in declared order', () => {
    expect(table('clients').primaryKey).toEqual(['client_id']);
    expect(table('accounts').primaryKey).toEqual(['client_id', 'account_no']);
    expect(table('account_balances').primaryKey).toEqual([]);
    expect(table('transactions').foreignKeys).toEqual([
      expect.objectContaining({
        columns: ['client_id'],
        refSchema: db.schema,
        refTable: 'clients',
        refColumns: ['client_id'],
      }),
    ]);
    expect(table('account_balances').foreignKeys).toEqual([
      expect.objectContaining({
        columns: ['acc_no', 'acc_client'],
        refSchema: db.schema,
        refTable: 'accounts',
        refColumns: ['account_no', 'client_id'],
      }),
    ]);
    expect(table('v_client_segments').foreignKeys).toEqual([]);
  });

  it('turns pg_stats.n_distinct into distinct estimates', () => {
    expect(column('transactions', 'txn_type').distinctEstimate).toBe(3);
    expect(column('transactions', 'txn_id').distinctEstimate).toBe(30); // n_distinct -1: one per row
    expect(column('v_client_segments', 'client_id').distinctEstimate).toBeNull(); // views have no stats
  });

  it('marks PII from annotations, from names and comments, and honours notPii', () => {
    const pii = (t: string, c: string) => [column(t, c).pii, column(t, c).piiSource];
    expect(pii('clients', 'loyalty_login')).toEqual([true, 'annotation']);
    expect(pii('accounts', 'account_no')).toEqual([true, 'annotation']);
    expect(pii('clients', 'full_name')).toEqual([true, 'name']);
    expect(pii('clients', 'phone')).toEqual([true, 'name']);
    expect(pii('clients', 'email')).toEqual([true, 'name']);
    expect(pii('clients', 'contact')).toEqual([true, 'name']); // by its comment
    expect(pii('clients', 'reg_addr_text')).toEqual([true, 'name']);
    expect(pii('transactions', 'doc_number')).toEqual([false, 'annotation']);
    for (const [t, c] of [
      ['clients', 'client_id'],
      ['clients', 'region_name'],
      ['clients', 'employer_name'],
      ['clients', 'has_email'],
      ['clients', 'segment_code'],
      ['ref_segments', 'name'],
      ['transactions', 'merchant_name'],
    ] as const) {
      expect([`${t}.${c}`, ...pii(t, c)]).toEqual([`${t}.${c}`, false, 'none']);
    }
    expect(warnings).toEqual([
      expect.stringContaining('clients.no_such_column'),
      expect.stringContaining('clients.no_such_target'),
    ]);
  });

  it('marks the columns the annotations say are not for targeting, and no other', () => {
    const marked = catalog.tables.flatMap((t) =>
      t.columns.filter((c) => c.notForTargeting).map((c) => `${t.name}.${c.name}`),
    );
    expect(marked).toEqual(['clients.segment_code', 'transactions.txn_type']);
    expect(column('clients', 'client_id')).not.toHaveProperty('notForTargeting');
    // Not personal data: its values stay in the index (a person's SQL may read the column).
    expect(column('transactions', 'txn_type').values).toEqual(['ATM', 'P2P', 'POS']);
  });

  it('indexes the values of low-cardinality text columns, enums included', () => {
    expect(column('ref_segments', 'code').values).toEqual(['MASS', 'PREM', 'VIP']);
    expect(column('transactions', 'txn_type').values).toEqual(['ATM', 'P2P', 'POS']);
    expect(column('clients', 'gender').values).toEqual(['F', 'M']);
    expect(column('clients', 'region_name').values).toEqual(['Москва', 'Санкт-Петербург']);
    expect(column('accounts', 'currency').values).toEqual(['RUB']);
    expect(column('transactions', 'amount').values).toBeUndefined(); // not text
    expect(column('v_client_segments', 'segment_code').values).toBeUndefined(); // views are not scanned
  });

  it('never collects values of PII columns', () => {
    for (const t of catalog.tables) {
      for (const c of t.columns)
        if (c.pii) expect([t.name, c.name, c.values]).toEqual([t.name, c.name, undefined]);
    }
    const text = JSON.stringify(catalog);
    for (const value of PII_VALUES) expect(text).not.toContain(value);
  });

  it('drops value lists over maxDistinct and truncates long values', async () => {
    const small = await introspectCatalog(db.client, {
      schemas: [db.schema],
      valueIndex: { maxDistinct: 2, maxValueLength: 12 },
    });
    const values = (t: string, c: string) =>
      small.tables.find((x) => x.name === t)?.columns.find((x) => x.name === c)?.values;
    expect(values('ref_segments', 'code')).toBeUndefined();
    expect(values('clients', 'gender')).toEqual(['F', 'M']);
    expect(values('ref_segments', 'description')).toEqual(['Массовый се…']);
  });

  it('indexes an unanalysed small table by its size', async () => {
    await db.client.query(
      `create table ${db.schema}.late_codes (code text); insert into ${db.schema}.late_codes values ('A'), ('B')`,
    );
    try {
      const fresh = await introspectCatalog(db.client, { schemas: [db.schema] });
      const late = fresh.tables.find((t) => t.name === 'late_codes');
      expect(late?.columns[0]).toMatchObject({ distinctEstimate: null, values: ['A', 'B'] });
      expect(late?.rowEstimate).toBe(0);
    } finally {
      await db.client.query(`drop table ${db.schema}.late_codes`);
    }
  });

  it('rejects a schema that does not exist, naming it', async () => {
    await expect(introspectCatalog(db.client, { schemas: [db.schema, 'no_such_schema_x'] })).rejects.toThrow(
      /schema "no_such_schema_x" does not exist/,
    );
  });

  it('summarizes the catalog for a person', () => {
    const summary = summarizeCatalog(catalog);
    for (const name of ['clients', 'transactions', 'ref_segments', 'v_client_segments'])
      expect(summary).toContain(name);
    expect(summary).toContain('Клиенты банка — физические лица');
    expect(summary).not.toContain('Одна строка на клиента');
    expect(summary).toMatch(/^ {2}Справочники$/m);
    expect(summary).toContain('Totals: 6 tables, 32 columns, 4 foreign keys');
    expect(summary).toContain('PII columns: 7');
    expect(Math.max(...summary.split('\n').map((line) => Array.from(line).length))).toBeLessThanOrEqual(110);
    expect(catalogStats(catalog)).toEqual({
      tables: 6,
      columns: 32,
      commentedTables: 4,
      commentedColumns: 17,
      piiColumns: 7,
      foreignKeys: 4,
      indexedValueColumns: expect.any(Number),
      indexedValues: expect.any(Number),
      valueIndexBytes: expect.any(Number),
    });
  });

  it('renders the whole schema as DDL with every column and comment, and counts its tokens', async () => {
    const ddl = renderSchemaDdl(catalog);
    for (const t of catalog.tables) {
      expect(ddl).toContain(`${t.schema}.${t.name}`);
      if (t.comment) expect(ddl).toContain(`-- ${t.comment}`);
      for (const c of t.columns) {
        expect(ddl).toContain(`  ${c.name} ${c.type}`);
        if (c.comment) expect(ddl).toContain(`-- ${c.comment}`);
      }
    }
    expect(ddl).toContain(
      `FOREIGN KEY (acc_no, acc_client) REFERENCES ${db.schema}.accounts(account_no, client_id)`,
    );
    expect(ddl).toContain(`client_id bigint NOT NULL REFERENCES ${db.schema}.clients(client_id)`);
    expect(ddl).toContain('PRIMARY KEY (client_id, account_no)');
    const count = await countTokens(ddl);
    expect(count.tokenizer).toBe('o200k_base');
    expect(count.tokens).toBeGreaterThan(100);
  });
});
