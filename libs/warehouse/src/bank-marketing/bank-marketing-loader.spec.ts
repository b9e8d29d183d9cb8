import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { catalogAnnotationsSchema, findAnnotationsFor, introspectCatalog, looksLikePii } from '@t2s/catalog';
import { createTestSchema, type TestSchema } from '@t2s/db';
import {
  loadBankMarketing,
  resolveBankMarketingDir,
  type LoadBankMarketingResult,
} from './bank-marketing-loader';
import { BANK_MARKETING_TABLE, bankMarketingNotForTargeting } from './bank-marketing-schema';

const repoRoot = resolve(__dirname, '../../../..');
const datasetDir = resolveBankMarketingDir(undefined, {}, repoRoot);
const csv = readFileSync(join(datasetDir, 'bank-full.csv'), 'utf8');

let db: TestSchema;
let result: LoadBankMarketingResult;
let scratchDir: string;
const progress: string[] = [];

/** A directory holding `text` as bank-full.csv, for the failure cases. */
function datasetWith(name: string, text: string): string {
  const dir = join(scratchDir, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'bank-full.csv'), text);
  return dir;
}

const rowCount = async () =>
  (await db.client.query<{ n: number }>(`select count(*)::int as n from ${db.schema}.client`)).rows[0]?.n;

async function comments(): Promise<Map<string | null, string | null>> {
  const { rows } = await db.client.query<{ column: string | null; comment: string | null }>(
    `select null as column, obj_description(c.oid, 'pg_class') as comment
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = 'client'
     union all
     select a.attname, col_description(c.oid, a.attnum)
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where n.nspname = $1 and c.relname = 'client'`,
    [db.schema],
  );
  return new Map(rows.map((r) => [r.column, r.comment]));
}

beforeAll(async () => {
  scratchDir = mkdtempSync(join(tmpdir(), 'bank-marketing-spec-'));
  db = await createTestSchema('bank_mkt');
  result = await loadBankMarketing(db.client, {
    schema: db.schema,
    datasetDir,
    onProgress: (m) => progress.push(m),
  });
});

afterAll(async () => {
  rmSync(scratchDir, { recursive: true, force: true });
  await db?.drop();
});

describe('resolveBankMarketingDir', () => {
  it('takes the option, else BANK_MARKETING_DIR, else ../shared/datasets/bank-marketing', () => {
    expect(resolveBankMarketingDir('data', {}, '/x')).toBe('/x/data');
    expect(resolveBankMarketingDir(undefined, { BANK_MARKETING_DIR: '/d' }, '/x')).toBe('/d');
    expect(datasetDir).toBe(resolve(repoRoot, '../shared/datasets/bank-marketing'));
  });
});

describe('loadBankMarketing', () => {
  it('loads every line of bank-full.csv, numbered from 1 in file order', async () => {
    expect(result.tables).toEqual([{ name: 'client', rows: 45_211 }]);
    expect(progress).toContain(`loaded ${db.schema}.client: 45211 rows`);
    const { rows } = await db.client.query<{ n: number; first: number; last: number; yes: number }>(
      `select count(*)::int as n, min(client_id) as first, max(client_id) as last,
              count(*) filter (where y = 'yes')::int as yes
         from ${db.schema}.client`,
    );
    expect(rows[0]).toEqual({ n: 45_211, first: 1, last: 45_211, yes: 5_289 });
    expect(rows[0]?.n).toBe(csv.trimEnd().split('\n').length - 1);
  });

  it('keeps the values as the file has them', async () => {
    const { rows } = await db.client.query(
      `select * from ${db.schema}.client where client_id in (1, 45211) order by client_id`,
    );
    expect(rows[0]).toEqual({
      client_id: 1,
      age: 58,
      job: 'management',
      marital: 'married',
      education: 'tertiary',
      default: 'no',
      balance: 2143,
      housing: 'yes',
      loan: 'no',
      contact: 'unknown',
      day: 5,
      month: 'may',
      duration: 261,
      campaign: 1,
      pdays: -1,
      previous: 0,
      poutcome: 'unknown',
      y: 'no',
    });
    // The last line of the file: 37;"entrepreneur";...;"other";"no"
    expect(rows[1]).toMatchObject({
      client_id: 45_211,
      age: 37,
      job: 'entrepreneur',
      pdays: 188,
      poutcome: 'other',
    });
  });

  it('has exactly the agreed table: client_id primary key, the file columns with their types', async () => {
    const { rows } = await db.client.query<{ column: string; type: string; nullable: boolean }>(
      `select a.attname as column, format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable
         from pg_attribute a where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
      [`${db.schema}.client`],
    );
    expect(rows.map((r) => `${r.column} ${r.type}`).join(', ')).toBe(
      'client_id integer, age integer, job text, marital text, education text, default text, ' +
        'balance integer, housing text, loan text, contact text, day integer, month text, ' +
        'duration integer, campaign integer, pdays integer, previous integer, poutcome text, y text',
    );
    const { rows: keys } = await db.client.query<{ def: string }>(
      `select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = $1::regclass`,
      [`${db.schema}.client`],
    );
    expect(keys.map((k) => k.def)).toEqual(['PRIMARY KEY (client_id)']);
    const { rows: stats } = await db.client.query<{ analyzed: boolean }>(
      `select last_analyze is not null or last_autoanalyze is not null as analyzed
         from pg_stat_user_tables where schemaname = $1 and relname = 'client'`,
      [db.schema],
    );
    expect(stats[0]?.analyzed).toBe(true);
  });

  it("comments the table and every column in the data set's own words", async () => {
    const found = await comments();
    expect(found.size).toBe(19);
    expect([...found].filter(([, comment]) => !comment?.trim())).toEqual([]);
    expect(found.get(null)).toMatch(
      /^Bank Marketing \(UCI\): each row is one client of a Portuguese banking/,
    );
    expect(found.get(null)).toMatch(/between May 2008 and November 2010/);
    expect(found.get('client_id')).toMatch(
      /Row number of the client in bank-full\.csv \(1-based, in file order/,
    );
    expect(found.get('job')).toContain(
      '(categorical: "admin.","unknown","unemployed","management","housemaid","entrepreneur","student",' +
        '"blue-collar","self-employed","retired","technician","services")',
    );
    expect(found.get('marital')).toContain('note: "divorced" means divorced or widowed');
    expect(found.get('default')).toContain('Has credit in default? (binary: "yes","no")');
    expect(found.get('balance')).toContain('Average yearly balance, in euros (numeric)');
    expect(found.get('duration')).toContain('Last contact duration, in seconds (numeric)');
    expect(found.get('month')).toContain('(categorical: "jan", "feb", "mar", ..., "nov", "dec")');
    expect(found.get('pdays')).toContain('-1 means client was not previously contacted');
    expect(found.get('poutcome')).toContain('(categorical: "unknown","other","failure","success")');
    expect(found.get('y')).toContain('has the client subscribed a term deposit? (binary: "yes","no")');
    for (const column of ['contact', 'day', 'month', 'duration'])
      expect(found.get(column)).toContain('Related with the last contact of the current campaign.');
  });

  it('keeps the annotation file in step with the schema: no PII, the contact columns not for targeting', () => {
    const raw: unknown = JSON.parse(
      readFileSync(join(repoRoot, 'config/warehouses/bank_marketing.annotations.json'), 'utf8'),
    );
    const annotations = catalogAnnotationsSchema.parse(raw);
    expect(annotations.warehouse).toBe('bank_marketing');
    expect(annotations.pii).toEqual([]);
    // notPii lists what the name/comment fallback would flag ("telephone" among contact's values).
    const flagged = BANK_MARKETING_TABLE.columns
      .filter((c) => looksLikePii({ table: 'client', column: c.name, type: c.type, comment: c.comment }))
      .map((c) => `client.${c.name}`);
    expect(annotations.notPii).toEqual(flagged);
    expect(annotations.notForTargeting).toEqual(bankMarketingNotForTargeting());
    expect(bankMarketingNotForTargeting()).toEqual([
      'client.contact',
      'client.day',
      'client.month',
      'client.duration',
      'client.campaign',
      'client.y',
    ]);
    // No semantic model here: it is bootstrapped from the catalog.
    expect(raw).not.toHaveProperty('entity');
    expect(raw).not.toHaveProperty('attributes');
  });

  it('introspects with no PII, the client as entity and the targeting marks', async () => {
    const catalog = await introspectCatalog(db.client, {
      schemas: [db.schema],
      annotations: findAnnotationsFor('bank_marketing', join(repoRoot, 'config/warehouses')),
    });
    const client = catalog.tables[0]!;
    expect(catalog.entities).toEqual([{ schema: db.schema, table: 'client', column: 'client_id' }]);
    expect(client.columns.filter((c) => c.pii)).toEqual([]);
    expect(client.columns.filter((c) => c.notForTargeting).map((c) => `client.${c.name}`)).toEqual(
      bankMarketingNotForTargeting(),
    );
    expect(client.columns.find((c) => c.name === 'poutcome')?.values).toEqual([
      'failure',
      'other',
      'success',
      'unknown',
    ]);
  });

  it('names a missing directory or file and leaves the schema alone', async () => {
    const missing = join(scratchDir, 'no-such-dir');
    await expect(loadBankMarketing(db.client, { schema: db.schema, datasetDir: missing })).rejects.toThrow(
      `Bank Marketing data set directory not found: ${missing}`,
    );
    const empty = join(scratchDir, 'empty');
    mkdirSync(empty);
    await expect(loadBankMarketing(db.client, { schema: db.schema, datasetDir: empty })).rejects.toThrow(
      `Bank Marketing data set file not found: ${join(empty, 'bank-full.csv')}`,
    );
    expect(await rowCount()).toBe(45_211);
  });

  it('names the file and line 1 when the header is not the expected one', async () => {
    const dir = datasetWith('bad-header', csv.replace('"duration"', '"call_length"'));
    await expect(loadBankMarketing(db.client, { schema: db.schema, datasetDir: dir })).rejects.toThrow(
      `${join(dir, 'bank-full.csv')}, line 1: header "age;job;marital;education;default;balance;housing;loan;` +
        'contact;day;month;call_length;campaign;pdays;previous;poutcome;y" does not match the expected columns',
    );
    const commas = datasetWith('commas', csv.replaceAll(';', ','));
    await expect(loadBankMarketing(db.client, { schema: db.schema, datasetDir: commas })).rejects.toThrow(
      /bank-full\.csv, line 1: header "age","job",.*,"y" does not match/,
    );
  });

  it('rolls back and names the file, line and column of a row that does not load', async () => {
    const lines = csv.split('\n');
    lines[3] = lines[3]!.replace(/^33;/, 'thirty-three;'); // the file's line 4: the third client
    const badValue = datasetWith('bad-value', lines.join('\n'));
    await expect(loadBankMarketing(db.client, { schema: db.schema, datasetDir: badValue })).rejects.toThrow(
      `${join(badValue, 'bank-full.csv')}, line 4, column age: invalid input syntax for type integer: "thirty-three"`,
    );

    const short = datasetWith('short-row', `${csv.trimEnd()}\n40;"retired";"married"\n`);
    await expect(loadBankMarketing(db.client, { schema: db.schema, datasetDir: short })).rejects.toThrow(
      new RegExp(`bank-full\\.csv, line 45213: missing data for column "education"`),
    );
    expect(await rowCount()).toBe(45_211);
  });
});
