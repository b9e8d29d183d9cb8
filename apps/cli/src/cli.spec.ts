import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { catalogSchema } from '@t2s/catalog';
import { quoteIdent, testDatabaseUrl, type DatabaseTarget } from '@t2s/db';
import { semanticModelSchema } from '@t2s/semantic';
import { dropExecutorRole } from '@t2s/warehouse';
import { action, positiveInt, UsageError } from './command-runner';
import { runCatalog } from './commands/catalog.command';
import { DEFAULT_REPORT_DATE, runSeed, type SeedOptions } from './commands/warehouse.command';
import { runCli, type CliRun, type CliRunOptions } from './testing/run-cli';

/**
 * The operator CLI as an operator runs it: `node --import tsx apps/cli/src/main.ts ...` from the
 * repository root, against the test database (WAREHOUSE_URL), so the embedded PostgreSQL never starts.
 */
const warehouseUrl = testDatabaseUrl();

type Run = CliRun;

/** The CLI against the test database (WAREHOUSE_URL), so the embedded PostgreSQL never starts. */
const t2s = (args: string[], options: CliRunOptions = {}): Promise<Run> =>
  runCli(args, { timeoutMs: 20_000, ...options, env: { WAREHOUSE_URL: warehouseUrl, ...options.env } });

const lines = (text: string) => text.split('\n').filter((line) => line.length > 0);

/** Every stderr line is one of ours (`t2s: ...`), so no stack trace or Node warning got through. */
function expectOnlyT2sLines(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at\s/m);
  expect(lines(stderr).filter((line) => !line.startsWith('t2s:'))).toEqual([]);
}

/** A usage error: exit 2, nothing on stdout, exactly one `t2s:` line on stderr. */
function expectUsageError(run: Run, pattern: RegExp): void {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
  expectOnlyT2sLines(run.stderr);
  expect(lines(run.stderr)).toHaveLength(1);
  expect(lines(run.stderr)[0]).toMatch(pattern);
}

/** A runtime failure: exit 1, progress lines allowed, and the last stderr line is the one error. */
function expectRuntimeError(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(1);
  expectOnlyT2sLines(run.stderr);
  const errors = lines(run.stderr).filter((line) => line.startsWith('t2s: error:'));
  expect(errors).toHaveLength(1);
  expect(lines(run.stderr).at(-1)).toBe(errors[0]);
  expect(errors[0]).toMatch(pattern);
}

describe('t2s --help', () => {
  it.each([
    { args: [], mentions: ['Usage: t2s', 'warehouse', 'catalog', 'demo'] },
    { args: ['warehouse'], mentions: ['Usage: t2s warehouse', 'seed', 'load-berka', 'load-bank-marketing'] },
    {
      args: ['warehouse', 'seed'],
      mentions: [
        '--clients <n>',
        '--seed <n>',
        '--schema <name>',
        '--report-date <yyyy-mm-dd>',
        '--executor-role <name>',
      ],
    },
    {
      args: ['warehouse', 'load-berka'],
      mentions: [
        '--schema <name>',
        '--dataset <dir>',
        '--executor-role <name>',
        'BERKA_DIR',
        'WAREHOUSE_URL',
      ],
    },
    {
      args: ['warehouse', 'load-bank-marketing'],
      mentions: [
        '--schema <name>',
        '--dataset <dir>',
        '--executor-role <name>',
        'bank_marketing',
        'BANK_MARKETING_DIR',
        'WAREHOUSE_URL',
      ],
    },
    {
      args: ['catalog'],
      mentions: ['--schema <names>', '--out <file>', '--annotations <file>', '--json', '--tokens'],
    },
    { args: ['demo'], mentions: ['--clients <n>', 'WAREHOUSE_URL'] },
    { args: ['model'], mentions: ['Usage: t2s model', 'bootstrap'] },
    { args: ['model', 'bootstrap'], mentions: ['--schema <name>', '--out <file>', 'WAREHOUSE_URL'] },
  ])('t2s $args --help exits 0 and lists the options', async ({ args, mentions }) => {
    const run = await t2s([...args, '--help']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    for (const text of mentions) expect(run.stdout).toContain(text);
  });
});

// Each run costs about a second of CPU (tsx, commander, pg, zod, the tokenizer), so the processes
// cover the contract at the edges; the other option checks run in-process below.
describe('t2s on bad input', () => {
  it.each([
    {
      args: ['warehouse', 'seed', '--clients', '-5'],
      error: /^t2s: error: --clients must be a positive integer, got "-5"$/,
    },
    {
      args: ['warehouse', 'seed', '--clients', 'abc'],
      error: /--clients must be a positive integer, got "abc"/,
    },
    { args: ['warehouse', 'seed', '--schema', 'Bad-Name'], error: /--schema must be .*got "Bad-Name"/ },
    { args: ['warehouse', 'seed', '--report-date', '2026-13-45'], error: /--report-date .*got "2026-13-45"/ },
    { args: ['frobnicate'], error: /^t2s: unknown command 'frobnicate'/ },
    { args: ['warehouse', 'seed', '--bogus'], error: /^t2s: unknown option '--bogus'/ },
    { args: ['catalog', '--schema'], error: /^t2s: option '--schema <names>' argument missing/ },
    {
      args: ['warehouse', 'load-berka', '--dataset', '/nonexistent'],
      error: /^t2s: error: .*\/nonexistent .*--dataset/,
    },
    {
      args: ['warehouse', 'load-bank-marketing', '--dataset', '/nonexistent'],
      error:
        /^t2s: error: Bank Marketing data set directory not found: \/nonexistent \(set --dataset or BANK_MARKETING_DIR\)$/,
    },
    {
      args: ['warehouse', 'load-bank-marketing', '--schema', 'Bad-Name'],
      error: /--schema must be .*got "Bad-Name"/,
    },
  ])('t2s $args exits 2 with one line on stderr', async ({ args, error }) => {
    expectUsageError(await t2s(args), error);
  });

  it('exits 1 naming a schema that does not exist', async () => {
    expectRuntimeError(await t2s(['catalog', '--schema', 'does_not_exist']), /does_not_exist/);
  });

  it('exits 1 on the embedded PostgreSQL too (its exit hook must not turn a failure into 0)', async () => {
    const home = mkdtempSync(join(tmpdir(), 't2s-cli-home-'));
    chmodSync(home, 0o755);
    try {
      const run = await t2s(['catalog', '--schema', 'does_not_exist'], {
        env: { WAREHOUSE_URL: undefined, T2S_HOME: home, T2S_EMBEDDED_PG_PORT: '54391' },
        timeoutMs: 60_000,
      });
      expectRuntimeError(run, /does_not_exist/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('exits 1 naming the variable when WAREHOUSE_URL is not a PostgreSQL URL', async () => {
    const run = await t2s(['catalog'], { env: { WAREHOUSE_URL: 'http://example.com/db' } });
    expectRuntimeError(run, /WAREHOUSE_URL/);
  });
});

describe('option checks (in process, before any connection)', () => {
  // Nothing listens on port 1 of the loopback interface: a run that gets past its checks fails there.
  const unreachable: DatabaseTarget = {
    url: 'postgres://postgres@127.0.0.1:1/test',
    label: 'unreachable',
    close: async () => undefined,
  };
  const seed = (options: Partial<SeedOptions>) =>
    runSeed(
      { schema: 'bank', reportDate: DEFAULT_REPORT_DATE, executorRole: 't2s_executor', ...options },
      unreachable,
    );
  let stderr: jest.SpiedFunction<typeof process.stderr.write>;

  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => stderr.mockRestore());

  it.each([
    [{ clients: '0' }, '--clients must be a positive integer, got "0"'],
    [{ clients: '1e3' }, '--clients must be a positive integer, got "1e3"'],
    [{ clients: '5000001' }, '--clients must be at most 5000000'],
    [{ seed: '1.5' }, '--seed must be a positive integer, got "1.5"'],
    [{ executorRole: 'x;drop' }, '--executor-role must be lower-case letters'],
    [{ schema: 'Bank' }, '--schema must be lower-case letters'],
    // Date.parse takes 31 days in any month: 2026-02-30 used to seed with 2026-03-02 as report date.
    [{ reportDate: '2026-02-30' }, '--report-date must be a date as YYYY-MM-DD, got "2026-02-30"'],
    [{ reportDate: '2025-02-29' }, '--report-date must be a date as YYYY-MM-DD, got "2025-02-29"'],
    [{ reportDate: '2026-04-31' }, '--report-date must be a date as YYYY-MM-DD, got "2026-04-31"'],
    [{ reportDate: '31.10.2026' }, '--report-date must be a date as YYYY-MM-DD, got "31.10.2026"'],
    [{ reportDate: '2026-10-31T00:00' }, '--report-date must be a date as YYYY-MM-DD'],
  ])('warehouse seed %j is a usage error', async (options, message) => {
    const failure = seed(options);
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(message);
  });

  it.each(['2024-02-29', '2026-12-31', '2026-01-01'])(
    'warehouse seed accepts the report date %s',
    async (day) => {
      // Past the checks, it fails only on connecting.
      const failure = seed({ clients: '10', reportDate: day });
      await expect(failure).rejects.not.toBeInstanceOf(UsageError);
      await expect(failure).rejects.toThrow(/ECONNREFUSED/);
    },
  );

  it.each([
    [
      { schema: 'ok,Not-Ok' },
      '--schema must be lower-case letters, digits and _ (starting with a letter or _), got "Not-Ok"',
    ],
    [{ schema: ' , ' }, '--schema needs at least one schema name'],
    [
      { schema: 'bank', annotations: '/nonexistent/bank.json' },
      'cannot read annotations file /nonexistent/bank.json',
    ],
  ])('catalog %j is a usage error', async (options, message) => {
    const failure = runCatalog(options, unreachable);
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(message);
  });

  it('positiveInt falls back only when the option is absent', () => {
    expect(positiveInt('--n', undefined, 7)).toBe(7);
    expect(positiveInt('--n', '12', 7)).toBe(12);
    expect(() => positiveInt('--n', '', 7)).toThrow(UsageError);
    expect(() => positiveInt('--n', '9007199254740993', 7)).toThrow('--n must be a positive integer');
  });

  it('action() reports a failure as one stderr line and sets the exit code', async () => {
    const exitCode = process.exitCode;
    try {
      await action(async () => {
        throw new UsageError('bad\n  input');
      })();
      expect(process.exitCode).toBe(2);
      await action(async () => {
        throw new Error('server\nclosed the connection');
      })();
      expect(process.exitCode).toBe(1);
      expect(stderr.mock.calls.map(([text]) => text)).toEqual([
        't2s: error: bad input\n',
        't2s: error: server closed the connection\n',
      ]);
    } finally {
      process.exitCode = exitCode;
    }
  });
});

describe('t2s warehouse seed, then t2s catalog', () => {
  const suffix = randomBytes(4).toString('hex');
  const schema = `cli_spec_${suffix}`;
  const role = `cli_spec_exec_${suffix}`;
  let admin: Client;
  let jsonLength = 0;

  beforeAll(async () => {
    admin = new Client({ connectionString: warehouseUrl });
    await admin.connect();
  });

  afterAll(async () => {
    if (!admin) return;
    try {
      await admin.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
      await dropExecutorRole(admin, role);
    } finally {
      await admin.end();
    }
  });

  it('seeds the schema: progress on stderr, the summary on stdout, read access for the role', async () => {
    const run = await t2s(
      ['warehouse', 'seed', '--clients', '300', '--schema', schema, '--executor-role', role],
      { timeoutMs: 50_000 },
    );
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    expectOnlyT2sLines(run.stderr);
    expect(run.stderr).toContain(`t2s: seeding 300 clients (seed 1) into schema ${schema}`);
    expect(lines(run.stderr).length).toBeGreaterThan(2);
    expect(lines(run.stdout)).toHaveLength(1);
    expect(run.stdout).toMatch(
      new RegExp(`^seeded ${schema}: \\d+ tables, \\d+ rows, .* role ${role} can read it\\n$`),
    );

    const { rows } = await admin.query<{ usage: boolean; tables: number }>(
      `select has_schema_privilege($1, $2, 'USAGE') as usage,
              (select count(*)::int from pg_tables where schemaname = $2) as tables`,
      [role, schema],
    );
    expect(rows[0]).toEqual({ usage: true, tables: expect.any(Number) });
    expect(rows[0]!.tables).toBeGreaterThanOrEqual(45);
  });

  it('prints the catalog as JSON on stdout, the token count on stderr', async () => {
    const run = await t2s(['catalog', '--schema', schema, '--json', '--tokens']);
    expect(run.code).toBe(0);
    expectOnlyT2sLines(run.stderr);
    const catalog = catalogSchema.parse(JSON.parse(run.stdout));
    expect(catalog.schemas).toEqual([schema]);
    expect(catalog.tables.length).toBeGreaterThanOrEqual(45);
    expect(catalog.tables.every((table) => table.schema === schema)).toBe(true);
    expect(run.stderr).toMatch(/^t2s: Full schema as DDL with comments: \d+ tokens/m);
    jsonLength = run.stdout.length;
  });

  it('prints the summary ending with the token count', async () => {
    const run = await t2s(['catalog', '--schema', schema, '--tokens']);
    expect(run.code).toBe(0);
    expectOnlyT2sLines(run.stderr);
    expect(run.stdout).toContain(schema);
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(lines(run.stdout).at(-1)).toMatch(
      /^Full schema as DDL with comments: [1-9]\d* tokens \([a-z0-9_]+\), \d+ characters$/,
    );
  });

  it('bootstraps a semantic model from the catalog: JSON on stdout, what it found on stderr', async () => {
    const run = await t2s(['model', 'bootstrap', '--schema', schema]);
    expect(run.code).toBe(0);
    expectOnlyT2sLines(run.stderr);
    const model = semanticModelSchema.parse(JSON.parse(run.stdout));
    expect(model.entity).toMatchObject({ table: 'client', id: 'client_id' });
    expect(model.now).toBe('select max(report_date) from etl_load_info');
    expect(model.labels['client.gender']).toEqual({
      M: { ru: ['мужской'], en: [] },
      F: { ru: ['женский'], en: [] },
    });
    expect(lines(run.stderr).at(-1)).toMatch(
      new RegExp(
        `^t2s: bootstrapped ${schema}: \\d+ labelled columns, \\d+ value columns, \\d+ attributes, \\d+ ordered code lists`,
      ),
    );
  });

  it('writes the bootstrapped model to --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 't2s-model-'));
    try {
      const out = join(dir, 'model.json');
      const run = await t2s(['model', 'bootstrap', '--schema', schema, '--out', out]);
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: '' });
      expect(run.stderr).toContain(`t2s: model written to ${out}`);
      expect(semanticModelSchema.parse(JSON.parse(readFileSync(out, 'utf8'))).warehouse).toBe(schema);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops quietly when the reader of stdout goes away (`t2s catalog --json | head`)', async () => {
    // The JSON is larger than a pipe's 64 KiB buffer, so the CLI is still writing when the pipe closes.
    expect(jsonLength).toBeGreaterThan(64 * 1024);
    const run = await t2s(['catalog', '--schema', schema, '--json'], {
      onStdout: (_chunk, closeStdout) => closeStdout(),
    });
    expect(run.code).toBe(0);
    expectOnlyT2sLines(run.stderr);
    expect(run.stderr).not.toContain('EPIPE');
  });
});
