import { Client } from 'pg';
import { findAnnotationsFor, introspectCatalog } from '@t2s/catalog';
import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { seedDemoWarehouse } from './seed-demo';
import { DEMO_TABLES } from './warehouse-schema';

const REPORT_DATE = '2026-10-31';

/** md5 of every row of every table, ordered by primary key: equal iff the data is equal. */
async function checksums(client: Client, schema: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of DEMO_TABLES) {
    const order = table.primaryKey.map(quoteIdent).join(', ');
    const { rows } = await client.query<{ md5: string | null }>(
      `select md5(string_agg(t::text, E'\\n' order by ${order})) as md5 from ${quoteIdent(schema)}.${quoteIdent(table.name)} t`,
    );
    result[table.name] = rows[0]!.md5 ?? 'empty';
  }
  return result;
}

describe('demo bank warehouse', () => {
  let main: TestSchema;
  let first: TestSchema;
  let second: TestSchema;
  let other: TestSchema;
  const count = async (sql: string): Promise<number> => Number((await main.client.query(sql)).rows[0].n);

  beforeAll(async () => {
    [main, first, second, other] = await Promise.all([
      createTestSchema('demo'),
      createTestSchema('demo_a'),
      createTestSchema('demo_b'),
      createTestSchema('demo_c'),
    ]);
    await seedDemoWarehouse({
      url: main.url,
      schema: main.schema,
      clients: 2000,
      seed: 1,
      reportDate: REPORT_DATE,
    });
    await main.client.query(`set search_path = ${quoteIdent(main.schema)}`);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([main, first, second, other].map((schema) => schema?.drop()));
  });

  it('has at least 10 subject areas, 45 tables and 450 columns', async () => {
    expect(new Set(DEMO_TABLES.map((table) => table.area)).size).toBeGreaterThanOrEqual(10);
    const { rows } = await main.client.query(
      `select count(distinct c.table_name)::int as tables, count(*)::int as columns
         from information_schema.columns c join information_schema.tables t
           on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = $1 and t.table_type = 'BASE TABLE'`,
      [main.schema],
    );
    expect(rows[0].tables).toBe(DEMO_TABLES.length);
    expect(rows[0].tables).toBeGreaterThanOrEqual(45);
    expect(rows[0].columns).toBeGreaterThanOrEqual(450);
  });

  it('comments every table and every column, and explains coded columns', async () => {
    const { rows } = await main.client.query(
      `select c.relname as table_name, a.attname as column_name,
              obj_description(c.oid, 'pg_class') as table_comment, col_description(c.oid, a.attnum) as column_comment
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where n.nspname = $1 and c.relkind = 'r'`,
      [main.schema],
    );
    const missing = rows.filter((r) => !r.table_comment?.trim() || !r.column_comment?.trim());
    expect(missing).toEqual([]);
    const comment = (table: string, column: string): string =>
      rows.find((r) => r.table_name === table && r.column_name === column)!.column_comment;
    expect(comment('client', 'client_segment')).toMatch(/MASS — массовый.*PRIVATE/);
    expect(comment('card', 'card_tier')).toContain('PLATINUM');
    expect(comment('loan', 'loan_type')).toContain('MORTGAGE — ипотека');
    expect(rows.find((r) => r.table_name === 'card_transaction')!.table_comment).toMatch(/^\[Карты\] /);
  });

  it('declares every primary and foreign key, all validated, with no orphans', async () => {
    const { rows } = await main.client.query(
      `select conrelid::regclass::text as rel, contype, convalidated
         from pg_constraint where connamespace = $1::regnamespace`,
      [main.schema],
    );
    const pks = rows.filter((r) => r.contype === 'p');
    const fks = rows.filter((r) => r.contype === 'f');
    expect(pks).toHaveLength(DEMO_TABLES.length);
    expect(fks).toHaveLength(DEMO_TABLES.reduce((n, table) => n + table.foreignKeys.length, 0));
    expect(fks.every((r) => r.convalidated)).toBe(true);
    // Validated constraints mean no orphans; spot-check one join the hard way all the same.
    expect(
      await count(
        'select count(*) as n from card_transaction t left join card c on c.card_id = t.card_id where c.card_id is null',
      ),
    ).toBe(0);
  });

  it('is deterministic: the same clients and seed give the same data, another seed does not', async () => {
    const seed = (schema: TestSchema, s: number): Promise<unknown> =>
      seedDemoWarehouse({
        url: schema.url,
        schema: schema.schema,
        clients: 300,
        seed: s,
        reportDate: REPORT_DATE,
      });
    await seed(first, 7);
    await seed(second, 7);
    await seed(other, 8);
    const a = await checksums(main.client, first.schema);
    const b = await checksums(main.client, second.schema);
    const c = await checksums(main.client, other.schema);
    expect(b).toEqual(a);
    expect(c.client).not.toEqual(a.client);
    expect(c.card_transaction).not.toEqual(a.card_transaction);
    expect(c.ref_mcc).toEqual(a.ref_mcc);
  }, 60_000);

  it('has realistic distributions: segments from under 1% to under 40% of clients', async () => {
    const share = async (where: string): Promise<number> =>
      (await count(`select count(*) as n from client c where ${where}`)) / 2000;
    const age = `extract(year from age(date '${REPORT_DATE}', c.birth_date))`;
    const youth = await share(`${age} between 20 and 25`);
    const avgSpend50k = await share(
      `c.client_id in (select client_id from card_transaction where txn_type = 'PURCHASE'
        and txn_date > date '${REPORT_DATE}' - interval '12 months' group by client_id having sum(amount_rub) / 12 > 50000)`,
    );
    const premium = await share(`c.client_segment in ('PREMIUM', 'PRIVATE')`);
    const mortgage = await share(
      `exists (select 1 from loan l where l.client_id = c.client_id and l.loan_type = 'MORTGAGE' and l.loan_status <> 'CLOSED')`,
    );
    const dormant = await share(
      `c.client_status = 'ACTIVE' and not exists (select 1 from card_transaction t where t.client_id = c.client_id
        and t.txn_date > date '${REPORT_DATE}' - interval '6 months')`,
    );
    for (const value of [youth, avgSpend50k, premium, mortgage, dormant]) {
      expect(value).toBeGreaterThanOrEqual(0.001);
      expect(value).toBeLessThanOrEqual(0.4);
    }
    expect(premium).toBeLessThan(0.1);
  });

  it('correlates income with region, segment and card tier, and spend with the season', async () => {
    const avg = async (sql: string): Promise<number> => Number((await main.client.query(sql)).rows[0].v);
    const income = (where: string): Promise<number> =>
      avg(
        `select avg(i.monthly_income_rub) as v from client_income i join client c using (client_id) where ${where}`,
      );
    expect(await income(`c.region_code = '77'`)).toBeGreaterThan(
      1.3 * (await income(`c.region_code in ('05', '26', '64')`)),
    );
    expect(await income(`c.client_segment = 'AFFLUENT'`)).toBeGreaterThan(
      1.5 * (await income(`c.client_segment = 'MASS'`)),
    );
    const spendByTier = (tier: string): Promise<number> =>
      avg(`select avg(s) as v from (select sum(t.amount_rub) s from card_transaction t join card k using (card_id)
            where k.card_tier = '${tier}' group by t.client_id) x`);
    expect(await spendByTier('PLATINUM')).toBeGreaterThan(await spendByTier('CLASSIC'));
    const monthSpend = (month: number): Promise<number> =>
      avg(`select sum(amount_rub) as v from card_transaction where extract(month from txn_date) = ${month}`);
    expect(await monthSpend(12)).toBeGreaterThan(await monthSpend(2));
  });

  it('marks PII from the annotation file, which agrees with the table definitions', async () => {
    const annotations = findAnnotationsFor('bank');
    expect(annotations).toBeDefined();
    const declared = DEMO_TABLES.flatMap((table) =>
      table.columns.filter((column) => column.pii).map((column) => `${table.name}.${column.name}`),
    );
    expect([...annotations!.pii].sort()).toEqual(declared.sort());

    const catalog = await introspectCatalog(main.client, { schemas: [main.schema], annotations });
    const pii = catalog.tables.flatMap((t) =>
      t.columns.filter((c) => c.pii).map((c) => `${t.name}.${c.name}`),
    );
    expect(pii.sort()).toEqual(declared.sort());
    const piiColumns = catalog.tables.flatMap((t) => t.columns.filter((c) => c.pii));
    expect(piiColumns.every((c) => c.values === undefined)).toBe(true);
    const segment = catalog.tables
      .find((t) => t.name === 'client')!
      .columns.find((c) => c.name === 'client_segment')!;
    expect(segment.values).toEqual(expect.arrayContaining(['MASS', 'AFFLUENT', 'PREMIUM']));
  });
});
