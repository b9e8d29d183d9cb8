import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { loadSqlGuard, type GuardPolicy } from '@t2s/sql-guard';
import { checkLine } from './sql-check.command';
import { runCli, type CliRun } from '../testing/run-cli';

/**
 * `t2s sql-check` as an operator runs it (`node --import tsx apps/cli/src/main.ts ...` from the
 * repository root), against a schema of the test database made for this file.
 */

const t2s = (args: string[], stdin: string): Promise<CliRun> => runCli(args, { stdin });

const lines = (text: string) => text.split('\n').filter((line) => line.length > 0);

describe('t2s sql-check', () => {
  let test: TestSchema;

  beforeAll(async () => {
    test = await createTestSchema('sql_check_spec');
    await test.client.query(
      `create table ${quoteIdent(test.schema)}.client (client_id bigint primary key, city text, mobile_phone text)`,
    );
  });

  afterAll(() => test?.drop());

  it('answers each input line with one verdict line, malformed lines included', async () => {
    const input = [
      JSON.stringify({ sql: "SELECT client_id FROM client WHERE city = 'Москва'" }),
      JSON.stringify({ sql: 'SELECT client_id FROM client; DROP TABLE client' }),
      '{"sql": "SELECT 1"', // malformed: the command keeps going
      JSON.stringify({ sql: 'SELECT client_id, city FROM client' }),
    ].join('\n');
    const run = await t2s(['sql-check', '--warehouse', test.url, '--schema', test.schema], `${input}\n`);

    expect(run.code).toBe(0);
    expect(lines(run.stderr).every((line) => line.startsWith('t2s: '))).toBe(true);
    expect(run.stderr).toContain('checked 4 lines: 1 accepted, 2 rejected, 1 unreadable');
    expect(lines(run.stdout).map((line) => JSON.parse(line) as unknown)).toEqual([
      { ok: true, relations: [`${test.schema}.client`], functions: [] },
      { ok: false, code: 'MULTIPLE_STATEMENTS', reason: expect.stringContaining('DROP') },
      { ok: false, code: 'BAD_INPUT', reason: expect.stringMatching(/^line 3 is not JSON/) },
      { ok: false, code: 'OUTPUT_SHAPE', reason: expect.stringContaining('returns 2') },
    ]);
  });

  it("refuses personal data, outputs other than the client key, and a person's endless recursion", async () => {
    const endless =
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT client_id FROM client WHERE client_id IN (SELECT n FROM r)';
    const input = [
      "SELECT client_id FROM client WHERE mobile_phone LIKE '7916%'",
      'SELECT substr(mobile_phone, 2)::bigint FROM client',
      'SELECT client_id + 1 FROM client',
      endless,
    ].map((sql) => JSON.stringify({ sql }));
    const verdicts = async (args: string[]) =>
      lines(
        (
          await t2s(
            ['sql-check', '--warehouse', test.url, '--schema', test.schema, ...args],
            input.join('\n'),
          )
        ).stdout,
      ).map((line) => (JSON.parse(line) as { code?: string }).code ?? 'OK');
    // mobile_phone is personal data by its name (no annotations for this schema).
    expect(await verdicts([])).toEqual([
      'PII_COLUMN',
      'PII_COLUMN',
      'OUTPUT_NOT_ENTITY_KEY',
      'UNBOUNDED_RECURSION',
    ]);
    expect((await verdicts(['--origin', 'generated'])).at(-1)).toBe('OK');
  });

  it('allows any output shape with --any-shape', async () => {
    const input = JSON.stringify({ sql: 'SELECT client_id, city FROM client' });
    const run = await t2s(
      ['sql-check', '--warehouse', test.url, '--schema', test.schema, '--any-shape'],
      input,
    );
    expect(run.code).toBe(0);
    expect(lines(run.stdout).map((line) => JSON.parse(line) as unknown)).toEqual([
      { ok: true, relations: [`${test.schema}.client`], functions: [] },
    ]);
  });

  it('exits 2 on a --warehouse that is not a PostgreSQL URL', async () => {
    const run = await t2s(['sql-check', '--warehouse', 'http://example.com/db'], '');
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(lines(run.stderr)).toEqual([
      't2s: error: --warehouse must be a postgres:// URL, got "http://example.com/db"',
    ]);
  });
});

describe('checkLine', () => {
  const policy: GuardPolicy = {
    relations: new Set(['bank.client']),
    searchPath: ['bank'],
    functions: new Set(),
    outputColumns: 1,
    maxLength: 1000,
    recursion: 'any',
    columns: new Map([
      [
        'bank.client',
        { names: ['client_id'], pii: new Set(), piiFilterable: new Set(), keys: new Set(['client_id']) },
      ],
    ]),
    entityKeys: ['bank.client.client_id'],
  };

  beforeAll(() => loadSqlGuard());

  it.each([
    ['', /line 7 is not JSON/],
    ['[1, 2]', /line 7 is not an object with an "sql" string/],
    ['{"query": "SELECT 1"}', /"sql" string/],
    ['{"sql": null}', /"sql" string/],
    ['"SELECT 1"', /"sql" string/],
  ])('%j is BAD_INPUT', (line, reason) => {
    expect(checkLine(line, 7, policy)).toEqual({
      ok: false,
      code: 'BAD_INPUT',
      reason: expect.stringMatching(reason),
    });
  });

  it('passes the SQL to the guard', () => {
    expect(checkLine('{"sql": "SELECT client_id FROM bank.client", "id": 3}', 1, policy)).toEqual({
      ok: true,
      relations: ['bank.client'],
      functions: [],
    });
  });
});
