import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { PrecedentStore } from '@t2s/service-store';
import { runCli } from '../testing/run-cli';
import type { ImportReport } from './precedents.command';

/**
 * `t2s precedents import` as an operator runs it, over a warehouse schema and a service schema of the
 * test database made for this file, and a directory of archive files written here.
 */
describe('t2s precedents', () => {
  let warehouse: TestSchema;
  let service: TestSchema;
  let dir: string;

  const env = () => ({
    WAREHOUSE_URL: warehouse.url,
    SERVICE_DATABASE_URL: service.url,
    SERVICE_DATABASE_SCHEMA: service.schema,
  });

  const offer = (campaignId?: string) => ({
    ...(campaignId ? { campaignId } : {}),
    product: { type: 'deposit' },
    title: 'Вклад на 12 месяцев',
    channel: 'SMS',
  });

  function write(path: string, content: unknown) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
  }

  beforeAll(async () => {
    warehouse = await createTestSchema('prec_wh');
    service = await createTestSchema('prec_svc');
    const s = quoteIdent(warehouse.schema);
    await warehouse.client.query(
      `create table ${s}.client (client_id bigint primary key, birth_date date, client_status text,
         mobile_phone text);
       comment on table ${s}.client is 'Клиенты банка';`,
    );
    dir = mkdtempSync(join(tmpdir(), 't2s-precedents-'));
    write('active.json', {
      warehouse: warehouse.schema,
      campaign: 'CMP-ACTIVE',
      offer: offer(),
      sql: "select client_id from client where client_status = 'ACTIVE'",
      approvedAt: '2025-11-01',
      approvedBy: 'anna',
    });
    // An evaluation case: its target SQL, its offer's campaign.
    write('cases/001-all-clients.json', {
      id: '001-all-clients',
      warehouse: warehouse.schema,
      kind: 'offer',
      language: 'ru',
      offer: offer('CMP-ALL'),
      target: { sql: 'select client_id from client', note: 'Everyone.' },
      areas: ['Клиенты'],
    });
    write('broken/cut.json', `{"warehouse": "${warehouse.schema}", "sql": `);
    write('broken/no-offer.json', { warehouse: warehouse.schema, sql: 'select client_id from client' });
    write('phones.json', {
      warehouse: warehouse.schema,
      offer: offer('CMP-PHONES'),
      sql: "select client_id from client where mobile_phone like '7916%'",
    });
    write('notes.txt', 'not an archive file');
  });

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await warehouse?.drop();
    await service?.drop();
  });

  it('refuses a malformed file and a PII-reading SQL with their path and reason, and imports the rest', async () => {
    const report = join(dir, 'report.json');
    const run = await runCli(['precedents', 'import', dir, '--json', report], {
      env: env(),
      timeoutMs: 60_000,
    });

    expect(run.stderr).toMatch(/refused \S*broken\/cut\.json: not JSON/);
    expect(run.stderr).toMatch(/refused \S*broken\/no-offer\.json: not a precedent file: offer: /);
    expect(run.stderr).toMatch(/refused \S*phones\.json: PII_COLUMN: .*mobile_phone/);
    expect(run.stderr).toMatch(/imported \S*active\.json: \S+ CMP-ACTIVE/);
    expect(run.stderr).toMatch(/imported \S*cases\/001-all-clients\.json: \S+ CMP-ALL/);
    expect(run.stderr).toContain('3 of 5 files refused');
    expect(run.stdout).toMatch(/^2 imported, 3 refused in \d+\.\d\d s$/m);
    expect(run.stdout).toContain('SQL-to-criteria coverage, all: 2 files');
    expect(run.code).toBe(1);

    const json = JSON.parse(readFileSync(report, 'utf8')) as ImportReport;
    expect(json).toMatchObject({ imported: 2, refused: 3 });
    expect(json.coverage.byWarehouse[warehouse.schema]?.files).toBe(2);

    const pool = new Pool({ connectionString: service.url, max: 1 });
    try {
      const stored = await new PrecedentStore(pool, service.schema).list(warehouse.schema);
      expect(stored.map((p) => [p.campaign, p.origin, p.approvedBy])).toEqual([
        ['CMP-ALL', 'import', undefined],
        ['CMP-ACTIVE', 'import', 'anna'],
      ]);
      expect(stored.every((p) => Array.isArray(p.criteria) && p.coverage !== null)).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it('imports the same files again in place, and lists them', async () => {
    const good = join(dir, 'cases');
    const again = await runCli(['precedents', 'import', good], { env: env(), timeoutMs: 60_000 });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^1 imported, 0 refused/m);

    const list = await runCli(['precedents', 'list', '--warehouse', warehouse.schema], { env: env() });
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\d {2}import {4}CMP-ALL: /),
      expect.stringMatching(/^2025-1[01]-\d\d {2}import {4}CMP-ACTIVE by anna: /),
    ]);
  });
});
