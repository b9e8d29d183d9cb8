// Every statement of the guard's hostile corpus, forced past the guard (a guard that accepts anything),
// against a warehouse schema as the executor role: each must fail, or succeed without changing anything.
// This is the test of the walls behind the guard: the role, READ ONLY, the extended protocol, the timeout.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryAuditSink } from './audit';
import { SandboxExecutor } from './sandbox-executor';
import {
  acceptAll,
  createSandboxWarehouse,
  tableDigest,
  type SandboxWarehouse,
} from './testing/sandbox-warehouse';

interface CorpusEntry {
  sql?: string;
  /** Long statements are stored as a recipe: prefix + repeat × times + suffix. */
  build?: { prefix: string; repeat: string; times: number; suffix: string };
  code: string;
  why: string;
}

const CORPUS_PATH = join(__dirname, '../../sql-guard/src/corpus/hostile-sql.json');
const TIMEOUT_MS = 500;
// Connecting, EXPLAIN, rollback and the cancel path on top of the statement timeout.
const SLACK_MS = 1500;

const corpus = (JSON.parse(readFileSync(CORPUS_PATH, 'utf8')) as CorpusEntry[]).map((entry, index) => ({
  index,
  code: entry.code,
  why: entry.why,
  sql:
    entry.sql ??
    `${entry.build!.prefix}${entry.build!.repeat.repeat(entry.build!.times)}${entry.build!.suffix}`,
}));

// Files the corpus would have the server write.
const tmpFiles = [...new Set(corpus.flatMap((entry) => entry.sql.match(/\/tmp\/[\w.-]+/g) ?? []))];

const TABLES = ['client', 'card', 'card_transaction', 'loan', 'score_log', 'client_balance'];

let wh: SandboxWarehouse;
let executor: SandboxExecutor;
let applicationName: string;
const audit = new MemoryAuditSink();

beforeAll(async () => {
  wh = await createSandboxWarehouse('forced', async (admin, s) => {
    await admin.query(`
      create table ${s}.client (client_id bigint primary key, full_name text not null, segment text, birth_date date);
      insert into ${s}.client values (1, 'Jana Novakova', 'mass', '1980-02-03'), (2, 'Petr Svoboda', 'premium', '1975-11-30'),
        (3, 'Eva Dvorakova', null, '1999-07-14');
      create table ${s}.card (card_id bigint primary key, client_id bigint not null, status text not null);
      insert into ${s}.card values (10, 1, 'active'), (11, 2, 'blocked'), (12, 2, 'active');
      create table ${s}.card_transaction (id bigint primary key, card_id bigint not null, amount numeric not null,
        booked_at timestamptz not null);
      insert into ${s}.card_transaction values (100, 10, 12.50, '2025-01-01'), (101, 12, -40, '2025-01-02');
      create table ${s}.loan (loan_id bigint primary key, client_id bigint not null, amount numeric);
      insert into ${s}.loan values (1000, 2, 250000);
      create sequence ${s}.client_seq;
      create materialized view ${s}.client_balance as
        select c.client_id, coalesce(sum(t.amount), 0) as balance
          from ${s}.client c left join ${s}.card k using (client_id) left join ${s}.card_transaction t using (card_id)
         group by c.client_id;
      -- A function in the warehouse that writes, as its superuser owner: only READ ONLY stands in its way.
      create table ${s}.score_log (client_id bigint, at timestamptz default now());
      create function ${s}.score(id bigint) returns int language plpgsql security definer
        set search_path = ${s} as $$ begin insert into score_log (client_id) values (id); return 1; end $$;`);
  });
  applicationName = `${wh.role}_forced`;
  // One pooled connection: what a statement leaves in the session would meet every later one.
  executor = new SandboxExecutor({
    warehouseUrl: wh.executorUrl,
    guard: acceptAll,
    statementTimeoutMs: TIMEOUT_MS,
    // Far above anything: the statements must reach the walls behind the cost cap.
    maxCost: 1e15,
    audit,
    poolSize: 1,
    // The sandbox's hard bound is the timeout plus this grace: a statement the server plans past its own
    // timer (1,500 nested sub-selects) and that then leaves the connection silent is dropped within it.
    stallGraceMs: SLACK_MS - 500,
    applicationName,
    onWarning: () => undefined,
  });
});

afterAll(async () => {
  await executor?.close();
  await wh?.drop();
});

/** Everything a statement must not change, as the admin sees it. */
async function state(): Promise<unknown> {
  const q = async (sql: string, params: unknown[] = []) => (await wh.admin.query(sql, params)).rows;
  const tables: Record<string, unknown> = {};
  for (const table of TABLES) tables[table] = await tableDigest(wh.admin, `${wh.schema}.${table}`);
  return {
    tables,
    sequence: await q(`select last_value::text, is_called from ${wh.schema}.client_seq`),
    schemaObjects: await q(
      `select (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1) as relations,
              (select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1) as functions`,
      [wh.schema],
    ),
    ownedByRole: await q(
      `select (select count(*)::int from pg_class where relowner = r.oid) + (select count(*)::int from pg_proc where proowner = r.oid)
            + (select count(*)::int from pg_namespace where nspowner = r.oid)
            + (select count(*)::int from pg_largeobject_metadata where lomowner = r.oid) as n
         from pg_roles r where r.rolname = $1`,
      [wh.role],
    ),
    largeObjects: await q('select count(*)::int as n from pg_largeobject_metadata'),
    roleSettings: await q(
      `select s.setdatabase, s.setconfig from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
        where r.rolname = $1 order by 1`,
      [wh.role],
    ),
    memberships: await q(
      `select m.roleid from pg_auth_members m join pg_roles r on r.oid = m.member where r.rolname = $1`,
      [wh.role],
    ),
    tmpFiles: tmpFiles.map((path) => (existsSync(path) ? `${path}:${statSync(path).mtimeMs}` : null)),
  };
}

/** The executor's sessions: none may be left running, in a transaction, or holding an advisory lock. */
/**
 * Sessions of the executor role still working or holding advisory locks. A backend whose statement was
 * cancelled can show as active for a moment after the client has its answer, so this asks again for up
 * to 2 s before reporting what is left.
 */
async function leftovers(): Promise<unknown[]> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const { rows } = await wh.admin.query(
      `select a.state, l.locktype from pg_stat_activity a left join pg_locks l on l.pid = a.pid and l.locktype = 'advisory'
        where a.usename = $1 and (a.state <> 'idle' or l.locktype is not null)`,
      [wh.role],
    );
    if (rows.length === 0 || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The corpus names the real warehouse schema `bank`; run those against the test schema as well. */
function variants(sql: string): string[] {
  return /\bbank\./.test(sql) ? [sql, sql.replace(/\bbank\./g, `${wh.schema}.`)] : [sql];
}

describe('the hostile corpus, forced past the guard', () => {
  it('has the corpus (at least 100 statements)', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
  });

  const label = (entry: (typeof corpus)[number]) =>
    `#${entry.index} ${entry.code}: ${JSON.stringify(entry.sql.length > 100 ? `${entry.sql.slice(0, 100)}…` : entry.sql)}`;

  it.each(corpus.map((entry) => [label(entry), entry] as const))('%s', async (_label, entry) => {
    for (const sql of variants(entry.sql)) await expectHarmless(sql, `corpus-${entry.index}`);
  });
});

// The sandbox's own additions: ways around the walls behind the guard that the corpus does not try.
describe('more statements forced past the guard', () => {
  const extras = () => [
    // Turning READ ONLY off from inside: too late once the transaction has a snapshot.
    `select set_config('transaction_read_only', 'off', true)`,
    `select set_config('default_transaction_read_only', 'off', false) || ${wh.schema}.score(client_id) from client`,
    // SQL run through SPI inside a function obeys the same transaction.
    `select query_to_xml('delete from client returning client_id', true, true, '')::text`,
    `select query_to_xml('select ${wh.schema}.score(1)', true, true, '')::text`,
    // A writing SECURITY DEFINER function owned by the superuser: READ ONLY is the only wall here.
    `select ${wh.schema}.score(client_id) from client`,
    `select client_id from client where ${wh.schema}.score(client_id) = 1`,
    // Session state that would outlive the run on a pooled connection.
    `select pg_advisory_lock(42)::text`,
    `select set_config('search_path', 'public', false)`,
    // Large objects by every door.
    `select lo_create(0)::text`,
    `select lo_creat(-1)::text`,
    `select lo_import('/etc/hostname')::text`,
  ];

  it('each is harmless', async () => {
    for (const sql of extras()) await expectHarmless(sql, 'extra');
  });
});

describe('the harmlessness check', () => {
  it('sees a change (it is not vacuous)', async () => {
    const before = await state();
    await wh.admin.query(`insert into ${wh.schema}.score_log (client_id) values (99)`);
    try {
      expect(await state()).not.toEqual(before);
    } finally {
      await wh.admin.query(`delete from ${wh.schema}.score_log where client_id = 99`);
    }
    expect(await state()).toEqual(before);
  });
});

/** Runs `sql` forced past the guard: it may fail or succeed, but nothing may change and nothing may linger. */
async function expectHarmless(sql: string, segmentId: string): Promise<void> {
  const before = await state();
  const auditBefore = audit.entries.length;
  const result = await executor.execute(sql, { context: { segmentId }, onIds: async () => undefined });

  expect(result.durationMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  expect(await state()).toEqual(before);
  expect(await leftovers()).toEqual([]);
  expect(audit.entries.length).toBe(auditBefore + 1);
  const verdict = result.ok ? 'executed' : result.code === 'SQL_REJECTED' ? 'rejected' : 'failed';
  expect(audit.entries.at(-1)!.verdict).toBe(verdict);
}
