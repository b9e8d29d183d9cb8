import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { catalogAnnotationsSchema } from '@t2s/catalog';
import { createTestSchema, type TestSchema } from '@t2s/db';
import { loadBerka, resolveBerkaDir, type LoadBerkaResult } from './berka-loader';
import { BERKA_TABLES, berkaPiiColumns } from './berka-schema';

const repoRoot = resolve(__dirname, '../../../..');
const datasetDir = resolveBerkaDir(undefined, process.env, repoRoot);

// The data set's documented sizes (README, documentation.txt).
const expectedRows: Record<string, number> = {
  account: 4500,
  client: 5369,
  disp: 5369,
  card: 892,
  loan: 682,
  order: 6471,
  district: 77,
};

let db: TestSchema;
let result: LoadBerkaResult;
let scratchDir: string;
const progress: string[] = [];

/** A copy of the data set with some files changed, for the failure cases. */
function brokenCopy(name: string, change: (dir: string) => void): string {
  const dir = join(scratchDir, name);
  mkdirSync(dir);
  for (const table of BERKA_TABLES)
    copyFileSync(join(datasetDir, `${table.name}.csv`), join(dir, `${table.name}.csv`));
  change(dir);
  return dir;
}

async function comment(sql: string, ...params: unknown[]): Promise<string> {
  const { rows } = await db.client.query<{ comment: string | null }>(sql, params);
  return rows[0]?.comment ?? '';
}

const columnComment = (table: string, column: string) =>
  comment(
    `select col_description(c.oid, a.attnum) as comment from pg_class c
       join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid
      where n.nspname = $1 and c.relname = $2 and a.attname = $3`,
    db.schema,
    table,
    column,
  );

beforeAll(async () => {
  scratchDir = mkdtempSync(join(tmpdir(), 'berka-spec-'));
  db = await createTestSchema('berka');
  result = await loadBerka(db.client, {
    schema: db.schema,
    datasetDir,
    onProgress: (m) => progress.push(m),
  });
});

afterAll(async () => {
  rmSync(scratchDir, { recursive: true, force: true });
  await db?.drop();
});

describe('loadBerka', () => {
  it('loads every CSV line of every table', async () => {
    expect(Object.fromEntries(result.tables.map((t) => [t.name, t.rows]))).toEqual(expectedRows);
    for (const table of BERKA_TABLES) {
      const lines = readFileSync(join(datasetDir, `${table.name}.csv`), 'utf8')
        .trimEnd()
        .split('\n').length;
      const { rows } = await db.client.query<{ n: number }>(
        `select count(*)::int as n from ${db.schema}."${table.name}"`,
      );
      expect({ table: table.name, rows: rows[0]?.n }).toEqual({ table: table.name, rows: lines - 1 });
    }
    expect(progress).toContain(`loaded ${db.schema}.order: 6471 rows`);
  });

  it('comments every table and every column', async () => {
    const { rows } = await db.client.query<{ table: string; column: string | null; comment: string | null }>(
      `select c.relname as table, null as column, obj_description(c.oid, 'pg_class') as comment
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind = 'r'
       union all
       select c.relname, a.attname, col_description(c.oid, a.attnum)
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where n.nspname = $1 and c.relkind = 'r'`,
      [db.schema],
    );
    expect(new Set(rows.map((r) => r.table))).toEqual(new Set(Object.keys(expectedRows)));
    expect(rows).toHaveLength(7 + BERKA_TABLES.reduce((n, t) => n + t.columns.length, 0));
    expect(rows.filter((r) => !r.comment?.trim())).toEqual([]);
  });

  it('explains the coded values the documentation gives', async () => {
    const frequency = await columnComment('account', 'frequency');
    for (const code of ['POPLATEK MESICNE', 'POPLATEK TYDNE', 'POPLATEK PO OBRATU'])
      expect(frequency).toContain(code);
    expect(frequency).toMatch(/"POPLATEK TYDNE" stands for weekly issuance/);

    const status = await columnComment('loan', 'status');
    for (const code of ['A', 'B', 'C', 'D']) expect(status).toMatch(new RegExp(`'${code}' stands for \\w`));

    const kSymbol = await columnComment('order', 'k_symbol');
    for (const code of ['POJISTNE', 'SIPO', 'LEASING', 'UVER'])
      expect(kSymbol).toContain(`"${code}" stands for`);

    expect(await columnComment('disp', 'type')).toMatch(/OWNER.*DISPONENT/);
    expect(await columnComment('card', 'type')).toMatch(/junior.*classic.*gold/);
    expect(await columnComment('district', 'a12')).toMatch(/unemployment rate '95/);
  });

  it('has the documented keys and no orphan rows', async () => {
    const { rows } = await db.client.query<{ table: string; type: string; def: string }>(
      `select c.relname as table, k.contype as type, pg_get_constraintdef(k.oid) as def
         from pg_constraint k join pg_class c on c.oid = k.conrelid
         join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1`,
      [db.schema],
    );
    const fks = rows
      .filter((r) => r.type === 'f')
      .map((r) => `${r.table}: ${r.def.replace(/^.*?REFERENCES /, '')}`);
    expect(fks.sort()).toEqual(
      [
        `account: ${db.schema}.district(district_id)`,
        `card: ${db.schema}.disp(disp_id)`,
        `client: ${db.schema}.district(district_id)`,
        `disp: ${db.schema}.account(account_id)`,
        `disp: ${db.schema}.client(client_id)`,
        `loan: ${db.schema}.account(account_id)`,
        `order: ${db.schema}.account(account_id)`,
      ].sort(),
    );
    expect(rows.filter((r) => r.type === 'p').map((r) => r.table)).toHaveLength(7);

    for (const table of BERKA_TABLES) {
      for (const fk of table.foreignKeys) {
        const { rows: orphans } = await db.client.query<{ n: number }>(
          `select count(*)::int as n from ${db.schema}."${table.name}" t
            where not exists (select 1 from ${db.schema}."${fk.refTable}" r where r.${fk.refColumn} = t.${fk.column})`,
        );
        expect({ fk: `${table.name}.${fk.column}`, orphans: orphans[0]?.n }).toEqual({
          fk: `${table.name}.${fk.column}`,
          orphans: 0,
        });
      }
    }
  });

  it('stores an empty CSV field as NULL, never as an empty string', async () => {
    const { rows } = await db.client.query<{ empty: number; nulls: number }>(
      `select count(*) filter (where k_symbol = '')::int as empty, count(*) filter (where k_symbol is null)::int as nulls
         from ${db.schema}."order"`,
    );
    expect(rows[0]?.empty).toBe(0);
    expect(rows[0]?.nulls).toBeGreaterThan(0);
  });

  it('keeps the PII annotation file in step with the schema', () => {
    const raw = JSON.parse(readFileSync(join(repoRoot, 'config/warehouses/berka.annotations.json'), 'utf8'));
    const annotations = catalogAnnotationsSchema.parse(raw);
    const all = BERKA_TABLES.flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`));
    expect(annotations.warehouse).toBe('berka');
    expect([...annotations.pii].sort()).toEqual(berkaPiiColumns().sort());
    expect([...annotations.pii, ...annotations.notPii].sort()).toEqual([...all].sort());
  });

  it('names a missing dataset directory and leaves the schema alone', async () => {
    const missing = join(scratchDir, 'no-such-dir');
    await expect(loadBerka(db.client, { schema: db.schema, datasetDir: missing })).rejects.toThrow(
      `Berka data set directory not found: ${missing}`,
    );
    const { rows } = await db.client.query<{ n: number }>(
      `select count(*)::int as n from ${db.schema}.district`,
    );
    expect(rows[0]?.n).toBe(77);
  });

  it('rolls back and names the file when a row does not load', async () => {
    const badRow = brokenCopy('bad-row', (dir) =>
      writeFileSync(
        join(dir, 'loan.csv'),
        readFileSync(join(datasetDir, 'loan.csv'), 'utf8') + '1,2,"1994-01-05",,24,3373.0,"A"\n',
      ),
    );
    await expect(loadBerka(db.client, { schema: db.schema, datasetDir: badRow })).rejects.toThrow(
      /loan\.csv: null value in column "amount"/,
    );
    const { rows } = await db.client.query<{ n: number }>(`select count(*)::int as n from ${db.schema}.loan`);
    expect(rows[0]?.n).toBe(682);
  });

  it('names a missing CSV file and a CSV whose header does not match', async () => {
    const noOrder = brokenCopy('no-order', (dir) => rmSync(join(dir, 'order.csv')));
    await expect(loadBerka(db.client, { schema: db.schema, datasetDir: noOrder })).rejects.toThrow(
      `Berka data set file not found: ${join(noOrder, 'order.csv')}`,
    );

    const badHeader = brokenCopy('bad-header', (dir) =>
      writeFileSync(join(dir, 'card.csv'), '"card_id","disp_id","kind","issued"\n1,9,"gold","1998-10-16"\n'),
    );
    await expect(loadBerka(db.client, { schema: db.schema, datasetDir: badHeader })).rejects.toThrow(
      /card\.csv: header "card_id,disp_id,kind,issued" does not match the expected columns "card_id,disp_id,type,issued"/,
    );
  });
});
