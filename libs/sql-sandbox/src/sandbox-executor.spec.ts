// The sandbox against the machine's real PostgreSQL, as a real executor role, behind a fake guard.
import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { MemoryAuditSink, type AuditEntry } from './audit';
import { SandboxExecutor, type SandboxExecutorOptions } from './sandbox-executor';
import type { GuardVerdict, SqlOrigin } from '@t2s/sql-guard';
import type { SandboxResult } from './sandbox-result';
import {
  acceptAll,
  createSandboxWarehouse,
  fakeGuard,
  tableDigest,
  type SandboxWarehouse,
} from './testing/sandbox-warehouse';

const CLIENTS = 50_000;

let wh: SandboxWarehouse;
let s: string;
const executors: SandboxExecutor[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  wh = await createSandboxWarehouse('sandbox', async (admin, schema) => {
    s = schema;
    await admin.query(
      `create table ${s}.client (client_id bigint primary key, segment text not null, balance numeric)`,
    );
    await admin.query(
      `insert into ${s}.client
       select g, case when g % 3 = 0 then 'premium' else 'mass' end, g * 10 from generate_series(1, ${CLIENTS}) g`,
    );
    await admin.query(`create table ${s}.branch (id int primary key, city text)`);
    await admin.query(`insert into ${s}.branch values (1, 'Praha'), (2, 'Brno'), (3, 'Ostrava')`);
    await admin.query(`analyze ${s}.client`);
    await admin.query(`analyze ${s}.branch`);
  });
});

// Each test's pools go when it ends, so the role's sessions do not pile up.
afterEach(async () => {
  await Promise.all(executors.splice(0).map((executor) => executor.close().catch(() => undefined)));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await wh?.drop();
});

function makeExecutor(options: Partial<SandboxExecutorOptions> = {}): {
  executor: SandboxExecutor;
  audit: MemoryAuditSink;
} {
  const audit = new MemoryAuditSink();
  const executor = new SandboxExecutor({
    warehouseUrl: wh.executorUrl,
    guard: fakeGuard,
    statementTimeoutMs: 5000,
    maxCost: 1_000_000,
    audit,
    poolSize: 2,
    onWarning: () => undefined,
    ...options,
  });
  executors.push(executor);
  return { executor, audit };
}

/** Runs one SQL, collecting the ids, and checks that it left exactly one audit entry. */
async function run(
  executor: SandboxExecutor,
  audit: MemoryAuditSink,
  sql: string,
  batchSize?: number,
): Promise<{ result: SandboxResult; ids: string[]; batches: number[]; entry: AuditEntry }> {
  const before = audit.entries.length;
  const ids: string[] = [];
  const batches: number[] = [];
  const result = await executor.execute(sql, {
    context: { segmentId: 'seg-1', revisionId: 'rev-1', apiKeyId: 'key-1' },
    batchSize,
    onIds: async (batch) => {
      batches.push(batch.length);
      ids.push(...batch);
    },
  });
  expect(audit.entries.length).toBe(before + 1);
  return { result, ids, batches, entry: audit.entries.at(-1)! };
}

const snapshot = async () => ({
  client: await tableDigest(wh.admin, `${s}.client`),
  branch: await tableDigest(wh.admin, `${s}.branch`),
  largeObjects: (await wh.admin.query('select count(*)::int as n from pg_largeobject_metadata')).rows[0].n,
  // Counted in this test's schema and by owner only: other test files create and drop objects meanwhile.
  objects: (
    await wh.admin.query(
      `select (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = $1) as relations,
              (select count(*)::int from pg_class where relowner = r.oid)
                + (select count(*)::int from pg_proc where proowner = r.oid) as owned_by_role
         from pg_roles r where r.rolname = $2`,
      [wh.schema, wh.role],
    )
  ).rows[0],
});

async function sessions(applicationName: string): Promise<Array<{ state: string }>> {
  const { rows } = await wh.admin.query<{ state: string }>(
    'select state from pg_stat_activity where application_name = $1',
    [applicationName],
  );
  return rows;
}

/** A TCP port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function urlWithPort(port: number): string {
  const url = new URL(wh.executorUrl);
  url.port = String(port);
  return url.toString();
}

describe('SandboxExecutor.execute', () => {
  it('streams the ids in batches of batchSize and counts them', async () => {
    const { executor, audit } = makeExecutor();
    const sql = 'select client_id from client order by client_id';
    const { result, ids, batches, entry } = await run(executor, audit, sql, 1000);

    expect(result).toMatchObject({ ok: true, rows: CLIENTS, cost: expect.any(Number) });
    expect(batches).toHaveLength(50);
    expect(Math.max(...batches)).toBeLessThanOrEqual(1000);
    expect(ids[0]).toBe('1');
    expect(ids.at(-1)).toBe(String(CLIENTS));
    expect(new Set(ids).size).toBe(CLIENTS);
    expect(entry).toMatchObject({
      sql,
      sqlHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      segmentId: 'seg-1',
      revisionId: 'rev-1',
      apiKeyId: 'key-1',
      verdict: 'executed',
      rows: CLIENTS,
      cost: result.ok ? result.cost : -1,
    });
  });

  it('uses batches of 10 000 by default and handles a result that ends on a batch boundary', async () => {
    const { executor, audit } = makeExecutor();
    const { result, batches } = await run(executor, audit, 'select client_id from client');
    expect(result).toMatchObject({ ok: true, rows: CLIENTS });
    expect(batches).toEqual([10_000, 10_000, 10_000, 10_000, 10_000]);
  });

  it('answers an empty result without calling onIds, and gives ids as exact strings', async () => {
    const { executor, audit } = makeExecutor();
    const empty = await run(executor, audit, `select client_id from client where segment = 'nobody'`);
    expect(empty.result).toMatchObject({ ok: true, rows: 0 });
    expect(empty.batches).toEqual([]);

    // Beyond 2^53 a JavaScript number would round; ids must not.
    const big = await run(executor, audit, 'select 9007199254740993::bigint as client_id');
    expect(big.ids).toEqual(['9007199254740993']);
  });

  it('runs in a read-only transaction with its own statement timeout', async () => {
    const { executor, audit } = makeExecutor({ statementTimeoutMs: 1234 });
    const { ids } = await run(
      executor,
      audit,
      `select current_setting('transaction_read_only') || ' ' || current_setting('statement_timeout')`,
    );
    expect(ids).toEqual(['on 1234ms']);
  });

  describe('by who wrote the SQL (context.origin)', () => {
    // The person policy's stand-in: refuses what the generated policy lets through.
    const personGuard = (sql: string): GuardVerdict =>
      sql.includes('ONLY_GENERATED')
        ? { ok: false, code: 'FORBIDDEN_CONSTRUCT', reason: 'refused under the person policy' }
        : fakeGuard(sql);
    const timeoutOf = async (executor: SandboxExecutor, origin?: SqlOrigin) => {
      const ids: string[] = [];
      const result = await executor.execute(`select current_setting('statement_timeout')`, {
        context: { segmentId: 'seg-o', ...(origin ? { origin } : {}) },
        onIds: async (batch) => void ids.push(...batch),
      });
      expect(result.ok).toBe(true);
      return ids[0];
    };

    it("runs a person's SQL under the person guard and timeout, and audits the origin", async () => {
      const { executor, audit } = makeExecutor({
        statementTimeoutMs: 4321,
        person: { guard: personGuard, statementTimeoutMs: 1234 },
      });
      expect(await timeoutOf(executor, 'person')).toBe('1234ms');
      expect(await timeoutOf(executor, 'generated')).toBe('4321ms');
      expect(await timeoutOf(executor)).toBe('4321ms');
      expect(audit.entries.map((e) => e.origin)).toEqual(['person', 'generated', 'generated']);

      const sql = 'select 7 -- ONLY_GENERATED';
      const asPerson = await executor.execute(sql, {
        context: { origin: 'person' },
        onIds: async () => undefined,
      });
      expect(asPerson).toMatchObject({ ok: false, code: 'SQL_REJECTED', guardCode: 'FORBIDDEN_CONSTRUCT' });
      expect(audit.entries.at(-1)).toMatchObject({ verdict: 'rejected', origin: 'person' });
      const asGenerated = await executor.execute(sql, { context: {}, onIds: async () => undefined });
      expect(asGenerated).toMatchObject({ ok: true, rows: 1 });
      expect(await executor.explain(sql, { origin: 'person' })).toMatchObject({
        ok: false,
        guardCode: 'FORBIDDEN_CONSTRUCT',
      });
    });

    it("cancels a person's slow SQL at the person timeout, not the generated one", async () => {
      const { executor, audit } = makeExecutor({
        statementTimeoutMs: 20_000,
        person: { guard: fakeGuard, statementTimeoutMs: 300 },
      });
      const started = performance.now();
      const result = await executor.execute('select client_id from client where pg_sleep(10) is not null', {
        context: { origin: 'person' },
        onIds: async () => undefined,
      });
      expect(performance.now() - started).toBeLessThan(3000);
      expect(result).toMatchObject({ ok: false, code: 'SQL_TIMEOUT', sqlState: '57014' });
      expect(audit.entries).toEqual([
        expect.objectContaining({ verdict: 'failed', code: 'SQL_TIMEOUT', origin: 'person' }),
      ]);
    });

    it('refuses person SQL when no person limits were given, before auditing or connecting', async () => {
      const { executor, audit } = makeExecutor();
      await expect(
        executor.execute('select 1', { context: { origin: 'person' }, onIds: async () => undefined }),
      ).rejects.toThrow(/options\.person/);
      expect(audit.entries).toEqual([]);
      expect(() => makeExecutor({ person: { guard: fakeGuard, statementTimeoutMs: 0 } })).toThrow(
        /person\.statementTimeoutMs/,
      );
    });
  });

  describe('by what the SQL returns (context.output)', () => {
    const onlyIds = (sql: string): GuardVerdict =>
      sql.includes('count(')
        ? { ok: false, code: 'OUTPUT_NOT_ENTITY_KEY', reason: 'a count is not a client key' }
        : fakeGuard(sql);

    it('checks a counting query with the counts guard, and a segment query with the segment guard', async () => {
      const { executor, audit } = makeExecutor({ guard: onlyIds, counts: fakeGuard });
      const counted: string[] = [];
      const counts = await executor.execute('select count(*) from client', {
        context: { origin: 'generated', output: 'counts' },
        onIds: async (rows) => void counted.push(...rows),
      });
      expect(counts).toMatchObject({ ok: true, rows: 1 });
      expect(counted).toEqual([expect.stringMatching(/^\d+$/)]);
      const asSegment = await executor.execute('select count(*) from client', {
        context: {},
        onIds: async () => undefined,
      });
      expect(asSegment).toMatchObject({ ok: false, guardCode: 'OUTPUT_NOT_ENTITY_KEY' });
      expect(audit.entries.map((e) => e.verdict)).toEqual(['executed', 'rejected']);
    });

    it('hands a counted pass its members as ids and its other rows as counts by key', async () => {
      const { executor, audit } = makeExecutor({ guard: onlyIds, counts: fakeGuard });
      const ids: string[] = [];
      const sql = `select client_id, null::bigint, null::bigint from client where client_id <= 3
                   union all select null, 5, 10 union all select null, 5, 2 union all select null, 0, 7`;
      const result = await executor.execute(sql, {
        context: { output: 'counted' },
        onIds: async (batch) => void ids.push(...batch),
        batchSize: 2,
      });
      expect(result).toMatchObject({ ok: true, rows: 3 });
      expect(ids.sort()).toEqual(['1', '2', '3']);
      expect(result.ok && [...(result.counts ?? [])].sort()).toEqual([
        ['0', 7],
        ['5', 12],
      ]);
      const oneColumn = await executor.execute('select client_id from client', {
        context: { output: 'counted' },
        onIds: async () => undefined,
      });
      expect(oneColumn).toMatchObject({
        ok: false,
        code: 'SQL_FAILED',
        message: expect.stringMatching(/three columns/),
      });
      const noKey = await executor.execute('select null::bigint, null::bigint, 1::bigint', {
        context: { output: 'counted' },
        onIds: async () => undefined,
      });
      expect(noKey).toMatchObject({
        ok: false,
        code: 'SQL_FAILED',
        message: expect.stringMatching(/neither/),
      });
      expect(audit.entries.map((e) => e.verdict)).toEqual(['executed', 'failed', 'failed']);
    });

    it('runs a counted pass under its own, shorter timeout (half the generated one unless set)', async () => {
      // The pass reports its own statement_timeout as a count (key 1), in milliseconds.
      const countedTimeout = async (options: Partial<SandboxExecutorOptions>) => {
        const { executor } = makeExecutor({ counts: fakeGuard, ...options });
        const sql = `select null::bigint, 1::bigint,
                            regexp_replace(current_setting('statement_timeout'), '\\D', '', 'g')::bigint`;
        const result = await executor.execute(sql, {
          context: { output: 'counted' },
          onIds: async () => undefined,
        });
        return result.ok ? result.counts?.get('1') : result;
      };
      expect(await countedTimeout({ statementTimeoutMs: 4321 })).toBe(2160);
      expect(await countedTimeout({ statementTimeoutMs: 4321, countedTimeoutMs: 1234 })).toBe(1234);

      // The pass itself is cancelled at its own timeout, not the generated one.
      const { executor } = makeExecutor({
        counts: fakeGuard,
        statementTimeoutMs: 20_000,
        countedTimeoutMs: 300,
      });
      const started = performance.now();
      const slow = await executor.execute(
        'select client_id, null::bigint, null::bigint from client where pg_sleep(10) is not null',
        { context: { output: 'counted' }, onIds: async () => undefined },
      );
      expect(performance.now() - started).toBeLessThan(3000);
      expect(slow).toMatchObject({ ok: false, code: 'SQL_TIMEOUT' });
      expect(() => makeExecutor({ countedTimeoutMs: 0 })).toThrow(/countedTimeoutMs/);
    });

    it("refuses to count without a counts guard, or for a person's SQL", async () => {
      const { executor, audit } = makeExecutor({ guard: onlyIds });
      await expect(
        executor.execute('select 1', { context: { output: 'counts' }, onIds: async () => undefined }),
      ).rejects.toThrow(/options\.counts/);
      const both = makeExecutor({
        counts: fakeGuard,
        person: { guard: fakeGuard, statementTimeoutMs: 1000 },
      });
      await expect(
        both.executor.execute('select 1', {
          context: { origin: 'person', output: 'counts' },
          onIds: async () => undefined,
        }),
      ).rejects.toThrow(/generated SQL/);
      expect([...audit.entries, ...both.audit.entries]).toEqual([]);
    });
  });

  describe('when the guard rejects', () => {
    it('answers SQL_REJECTED with the guard code and sends nothing to the warehouse', async () => {
      const applicationName = `sandbox_reject_${randomBytes(3).toString('hex')}`;
      const { executor, audit } = makeExecutor({ applicationName });
      const onIds = jest.fn(async () => undefined);
      const result = await executor.execute('select client_id from client -- REJECT_ME', {
        context: { segmentId: 'seg-r' },
        onIds,
      });
      expect(result).toMatchObject({
        ok: false,
        code: 'SQL_REJECTED',
        guardCode: 'NOT_SELECT',
        message: 'rejected by the fake guard',
        retryable: false,
      });
      expect(onIds).not.toHaveBeenCalled();
      expect(audit.entries).toEqual([
        expect.objectContaining({ verdict: 'rejected', code: 'NOT_SELECT', segmentId: 'seg-r' }),
      ]);
      // Not one session was opened.
      expect(await sessions(applicationName)).toEqual([]);
    });

    it('rejects a NUL character itself: PostgreSQL would read only the text before it', async () => {
      const { executor, audit } = makeExecutor({ guard: acceptAll });
      const { result, entry } = await run(
        executor,
        audit,
        'select client_id from client\0; delete from client',
      );
      expect(result).toMatchObject({ ok: false, code: 'SQL_REJECTED', guardCode: 'PARSE_ERROR' });
      expect(entry.verdict).toBe('rejected');
    });

    it('fails closed, audited, when the guard itself throws', async () => {
      const bug = new Error('guard bug');
      const { executor, audit } = makeExecutor({
        guard: () => {
          throw bug;
        },
      });
      await expect(executor.execute('select 1', { context: {}, onIds: async () => undefined })).rejects.toBe(
        bug,
      );
      expect(audit.entries).toEqual([expect.objectContaining({ verdict: 'rejected', code: 'GUARD_ERROR' })]);
    });
  });

  it('refuses a plan over the cost cap before running it', async () => {
    const { executor, audit } = makeExecutor();
    const onIds = jest.fn(async () => undefined);
    const sql = 'select a.client_id from client a cross join client b';
    const result = await executor.execute(sql, { context: {}, onIds });
    expect(result).toMatchObject({ ok: false, code: 'COST_LIMIT_EXCEEDED', retryable: false });
    expect(!result.ok && result.cost).toBeGreaterThan(1_000_000);
    expect(result.durationMs).toBeLessThan(1000);
    expect(onIds).not.toHaveBeenCalled();
    expect(audit.entries).toEqual([
      expect.objectContaining({ verdict: 'rejected', code: 'COST_LIMIT_EXCEEDED', cost: expect.any(Number) }),
    ]);
  });

  it('cancels a query at the statement timeout and can run the next one on the same connection', async () => {
    const { executor, audit } = makeExecutor({ statementTimeoutMs: 300, poolSize: 1 });
    const started = performance.now();
    const { result, entry } = await run(
      executor,
      audit,
      'select client_id from client where pg_sleep(10) is not null',
    );
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({ ok: false, code: 'SQL_TIMEOUT', retryable: false, sqlState: '57014' });
    expect(entry).toMatchObject({ verdict: 'failed', code: 'SQL_TIMEOUT', sqlState: '57014' });

    const next = await run(executor, audit, 'select id from branch order by id');
    expect(next.ids).toEqual(['1', '2', '3']);
  });

  it('counts the time onIds takes against the statement timeout (a slow consumer)', async () => {
    const { executor, audit } = makeExecutor({ statementTimeoutMs: 300 });
    const received: number[] = [];
    const result = await executor.execute('select client_id from client', {
      context: {},
      batchSize: 100,
      onIds: async (ids) => {
        received.push(ids.length);
        // The consumer's storage is slow: the first batch takes longer than the whole run may.
        if (received.length === 1) await new Promise((resolve) => setTimeout(resolve, 600));
      },
    });
    expect(result).toMatchObject({ ok: false, code: 'SQL_TIMEOUT' });
    expect(received).toEqual([100]);
    expect(audit.entries).toEqual([expect.objectContaining({ verdict: 'failed', rows: 100 })]);
  });

  it('stops a query that switched its own statement timeout off (the sandbox keeps its own clock)', async () => {
    const applicationName = `sandbox_clock_${randomBytes(3).toString('hex')}`;
    const warnings: string[] = [];
    const { executor, audit } = makeExecutor({
      guard: acceptAll,
      statementTimeoutMs: 300,
      poolSize: 1,
      applicationName,
      onWarning: (message) => warnings.push(message),
    });
    // The first batch turns the timer off; PostgreSQL re-reads the setting at the next Execute, and the
    // rows after the first batch would each sleep 10 s.
    const sql = `select client_id from client
      where (case when client_id = 1 then set_config('statement_timeout', '0', true) else '' end) is not null
        and pg_sleep(case when client_id > 100 then 10 else 0 end) is not null`;
    const started = performance.now();
    const { result, batches } = await run(executor, audit, sql, 100);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(batches).toEqual([100]);
    expect(result).toMatchObject({ ok: false, code: 'SQL_TIMEOUT', retryable: false });
    expect(warnings).toEqual([expect.stringContaining('being cancelled')]);
    // Nothing is left running on the warehouse, and the connection went back to the pool.
    expect(await sessions(applicationName)).toEqual([{ state: 'idle' }]);
  });

  describe('SQL errors', () => {
    it("carry PostgreSQL's message for the SQL generator", async () => {
      const { executor, audit } = makeExecutor();
      const undefinedColumn = await run(executor, audit, 'select nope from client');
      expect(undefinedColumn.result).toMatchObject({
        ok: false,
        code: 'SQL_FAILED',
        retryable: false,
        sqlState: '42703',
        message: expect.stringContaining('column "nope" does not exist'),
      });
      expect(undefinedColumn.entry).toMatchObject({
        verdict: 'failed',
        code: 'SQL_FAILED',
        sqlState: '42703',
      });

      const syntax = await run(executor, audit, 'select client_id fro client');
      expect(syntax.result).toMatchObject({ ok: false, code: 'SQL_FAILED', sqlState: '42601' });
      const parameter = await run(executor, audit, 'select client_id from client where client_id = $1');
      expect(parameter.result).toMatchObject({
        ok: false,
        code: 'SQL_FAILED',
        retryable: false,
        sqlState: '08P01',
      });
      const unknownTable = await run(executor, audit, 'select client_id from clients');
      expect(unknownTable.result).toMatchObject({
        ok: false,
        code: 'SQL_FAILED',
        message: expect.stringContaining('relation "clients" does not exist'),
      });
    });

    it('do not carry client data: values in data errors are redacted', async () => {
      const { executor, audit } = makeExecutor();
      const { result, entry } = await run(executor, audit, 'select segment::int from client');
      expect(result).toMatchObject({
        ok: false,
        code: 'SQL_FAILED',
        sqlState: '22P02',
        message: 'invalid input syntax for type integer: "…"',
      });
      expect(entry.reason).not.toMatch(/mass|premium/);
    });

    it('fail for a result of two columns, or none', async () => {
      const { executor, audit } = makeExecutor();
      const two = await run(executor, audit, 'select client_id, segment from client');
      expect(two.result).toMatchObject({
        ok: false,
        code: 'SQL_FAILED',
        message: expect.stringContaining('exactly one column'),
      });
      expect(two.batches).toEqual([]);
      // Even when no row comes back.
      const emptyTwo = await run(executor, audit, 'select client_id, segment from client where false');
      expect(emptyTwo.result).toMatchObject({ ok: false, code: 'SQL_FAILED' });
    });

    it('fail on a NULL id, after the batches before it were delivered', async () => {
      const { executor, audit } = makeExecutor();
      const sql =
        'select case when client_id = 1500 then null else client_id end as id from client order by client_id';
      const { result, batches, entry } = await run(executor, audit, sql, 1000);
      expect(result).toMatchObject({
        ok: false,
        code: 'SQL_FAILED',
        message: expect.stringContaining('NULL client id (row 1500)'),
      });
      expect(batches).toEqual([1000]);
      expect(entry).toMatchObject({ verdict: 'failed', rows: 1000 });
    });
  });

  describe('forced past the guard, writes fail and change nothing', () => {
    const forced = [
      `insert into client values (0, 'mass', 0) returning client_id`,
      `insert into branch values (9, 'Plzen')`,
      `update client set balance = 0 returning client_id`,
      `delete from client returning client_id`,
      `with x as (delete from client returning client_id) select client_id from x`,
      `with x as (update client set segment = 'vip' returning client_id) select client_id from x`,
      `select client_id from client for update`,
      `select client_id from client for share`,
      `select client_id, pg_sleep(0) from client; drop table client`,
      `select client_id from client; delete from client`,
      `commit; delete from client`,
      `create table stolen as select client_id from client`,
      `select client_id into stolen from client`,
      `select lo_from_bytea(0, 'x')::text`,
      `select lo_create(0)::text`,
      `select nextval('x')::text`,
      `copy (select client_id from client) to '/tmp/t2s_sandbox_stolen'`,
      `truncate client`,
    ];

    it.each(forced)('%s', async (sql) => {
      const { executor, audit } = makeExecutor({ guard: acceptAll });
      const before = await snapshot();
      const { result, entry } = await run(executor, audit, sql);
      expect(result.ok).toBe(false);
      expect(result).toMatchObject({ code: 'SQL_FAILED' });
      expect(entry.verdict).toBe('failed');
      expect(await snapshot()).toEqual(before);
    });

    it('warns ops when the warehouse refused a write the guard let through', async () => {
      const warnings: string[] = [];
      const { executor, audit } = makeExecutor({ guard: acceptAll, onWarning: (m) => warnings.push(m) });
      const { result } = await run(executor, audit, 'delete from client returning client_id');
      // Read-only or not privileged, whichever PostgreSQL checks first.
      expect(result).toMatchObject({
        ok: false,
        code: 'SQL_FAILED',
        sqlState: expect.stringMatching(/^(25006|42501)$/),
      });
      expect(warnings).toEqual([expect.stringContaining('got past the guard')]);
    });

    it('a stacked second statement is refused by PostgreSQL itself (extended protocol)', async () => {
      const { executor, audit } = makeExecutor({ guard: acceptAll });
      const { result } = await run(executor, audit, 'select client_id from client; drop table client');
      expect(result).toMatchObject({
        ok: false,
        sqlState: '42601',
        message: expect.stringContaining('cannot insert multiple commands into a prepared statement'),
      });
    });

    it('session state a statement leaves (advisory lock, session setting) does not reach the next run', async () => {
      const applicationName = `sandbox_hygiene_${randomBytes(3).toString('hex')}`;
      const { executor, audit } = makeExecutor({ guard: acceptAll, poolSize: 1, applicationName });
      const locked = await run(executor, audit, 'select pg_advisory_lock(4242)::text');
      expect(locked.result).toMatchObject({ ok: true, rows: 1 });
      const setting = await run(
        executor,
        audit,
        `select set_config('default_transaction_read_only', 'off', false) || set_config('work_mem', '1GB', false)`,
      );
      expect(setting.result).toMatchObject({ ok: true });

      const { rows } = await wh.admin.query(
        `select 1 from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'advisory' and a.application_name = $1`,
        [applicationName],
      );
      expect(rows).toEqual([]);
      const after = await run(
        executor,
        audit,
        `select current_setting('default_transaction_read_only') || ' ' || current_setting('work_mem')`,
      );
      expect(after.ids).toEqual([`on ${(await wh.admin.query('show work_mem')).rows[0].work_mem}`]);
    });
  });

  it('rolls back and rethrows when onIds throws, and the connection is fine afterwards', async () => {
    const applicationName = `sandbox_consumer_${randomBytes(3).toString('hex')}`;
    const { executor, audit } = makeExecutor({ poolSize: 1, applicationName });
    const storageDown = new Error('storage is down');
    let calls = 0;
    await expect(
      executor.execute('select client_id from client', {
        context: { segmentId: 'seg-c' },
        batchSize: 1000,
        onIds: async () => {
          calls += 1;
          if (calls === 3) throw storageDown;
        },
      }),
    ).rejects.toBe(storageDown);
    expect(audit.entries).toEqual([
      expect.objectContaining({
        verdict: 'failed',
        code: 'CONSUMER_FAILED',
        reason: 'storage is down',
        rows: 2000,
      }),
    ]);
    // The pooled session is back to idle: no transaction left open.
    expect(await sessions(applicationName)).toEqual([{ state: 'idle' }]);
    const next = await run(executor, audit, 'select id from branch where id = 2');
    expect(next.ids).toEqual(['2']);
  });

  describe('when the warehouse is not there', () => {
    it('a closed port: WAREHOUSE_UNAVAILABLE, retryable', async () => {
      const { executor, audit } = makeExecutor({ warehouseUrl: urlWithPort(await closedPort()) });
      const { result, entry } = await run(executor, audit, 'select client_id from client');
      expect(result).toMatchObject({ ok: false, code: 'WAREHOUSE_UNAVAILABLE', retryable: true });
      expect(entry).toMatchObject({ verdict: 'failed', code: 'WAREHOUSE_UNAVAILABLE' });
    });

    it('a server that accepts and never answers: WAREHOUSE_UNAVAILABLE after the connect timeout', async () => {
      const sockets: Socket[] = [];
      const port = await listen(createServer((socket) => void sockets.push(socket)));
      const { executor, audit } = makeExecutor({ warehouseUrl: urlWithPort(port), connectTimeoutMs: 200 });
      const { result } = await run(executor, audit, 'select client_id from client');
      expect(result).toMatchObject({ ok: false, code: 'WAREHOUSE_UNAVAILABLE', retryable: true });
      expect(result.durationMs).toBeLessThan(2000);
      sockets.forEach((socket) => socket.destroy());
    });

    it('a warehouse that stops answering mid-stream: the socket is dropped past timeout + grace', async () => {
      // A proxy to the real server that can freeze the server-to-client direction (a half-open link).
      const upstreamUrl = new URL(wh.executorUrl);
      let freeze = () => undefined as void;
      const sockets: Socket[] = [];
      const port = await listen(
        createServer((downstream) => {
          const upstream = connect(Number(upstreamUrl.port || 5432), upstreamUrl.hostname);
          sockets.push(downstream, upstream);
          downstream.pipe(upstream);
          upstream.pipe(downstream);
          downstream.on('error', () => undefined);
          upstream.on('error', () => undefined);
          freeze = () => {
            upstream.unpipe(downstream);
            upstream.pause();
          };
        }),
      );
      const { executor, audit } = makeExecutor({
        warehouseUrl: urlWithPort(port),
        statementTimeoutMs: 300,
        stallGraceMs: 300,
      });
      const started = performance.now();
      const result = await executor.execute('select client_id from client', {
        context: {},
        batchSize: 100,
        onIds: async () => freeze(),
      });
      expect(result).toMatchObject({
        ok: false,
        code: 'WAREHOUSE_UNAVAILABLE',
        retryable: true,
        message: expect.stringContaining('stopped answering'),
      });
      expect(performance.now() - started).toBeLessThan(3000);
      expect(audit.entries).toEqual([expect.objectContaining({ verdict: 'failed', rows: 100 })]);
      sockets.forEach((socket) => socket.destroy());
    });
  });

  describe('the audit trail', () => {
    it('a failing audit write is not silent', async () => {
      const { executor, audit } = makeExecutor();
      const down = new Error('audit store down');
      audit.failWith = down;
      const noop = async () => undefined;
      await expect(
        executor.execute('select client_id from client limit 1', { context: {}, onIds: noop }),
      ).rejects.toBe(down);
      await expect(executor.execute('select 1 -- REJECT_ME', { context: {}, onIds: noop })).rejects.toBe(
        down,
      );
      await expect(executor.execute('select nope from client', { context: {}, onIds: noop })).rejects.toBe(
        down,
      );
    });

    it('gets no entry for a programmer error, which throws', async () => {
      const { executor, audit } = makeExecutor();
      const onIds = async () => undefined;
      await expect(executor.execute('select 1', { context: {}, onIds, batchSize: 0 })).rejects.toThrow(
        RangeError,
      );
      expect(audit.entries).toEqual([]);
    });
  });
});

describe('SandboxExecutor.explain', () => {
  it('answers the cost, or why it would not run, and audits each call once', async () => {
    const { executor, audit } = makeExecutor();
    const ok = await executor.explain('select client_id from client', { segmentId: 'seg-e' });
    expect(ok).toMatchObject({ ok: true, cost: expect.any(Number) });
    const expensive = await executor.explain('select a.client_id from client a cross join client b');
    expect(expensive).toMatchObject({ ok: false, code: 'COST_LIMIT_EXCEEDED' });
    const rejected = await executor.explain('select 1 -- REJECT_ME');
    expect(rejected).toMatchObject({ ok: false, code: 'SQL_REJECTED' });
    const broken = await executor.explain('select nope from client');
    expect(broken).toMatchObject({ ok: false, code: 'SQL_FAILED', sqlState: '42703' });
    expect(audit.entries.map((entry) => [entry.verdict, entry.code])).toEqual([
      ['explained', undefined],
      ['rejected', 'COST_LIMIT_EXCEEDED'],
      ['rejected', 'NOT_SELECT'],
      ['failed', 'SQL_FAILED'],
    ]);
    expect(audit.entries[0]).toMatchObject({ segmentId: 'seg-e', cost: ok.ok ? ok.cost : -1 });
  });

  it('does not run the statement', async () => {
    const { executor } = makeExecutor();
    const started = performance.now();
    const result = await executor.explain('select client_id from client where pg_sleep(10) is not null');
    expect(result).toMatchObject({ ok: true });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
