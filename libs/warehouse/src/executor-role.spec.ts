// The executor role against the machine's real PostgreSQL: what it can read, and everything it must not do.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestSchema, quoteIdent, testDatabaseUrl, type TestSchema } from '@t2s/db';
import { dropExecutorRole, ensureExecutorRole } from './executor-role';

const role = `t2s_exec_${randomBytes(4).toString('hex')}`;
const password = randomBytes(12).toString('hex');
const ungranted = `exec_hidden_${randomBytes(4).toString('hex')}`;
const second = `exec_second_${randomBytes(4).toString('hex')}`;

let db: TestSchema;
let admin: Client;
let schema: string;
let database: string;
/** A session as the role with its defaults untouched (read-only, 1 s statement timeout). */
let ro: Client;
/** A session as the role that turned read-only off, so that only privileges stand in the way. */
let rw: Client;
const roleClients: Client[] = [];

const ensure = (schemas: string[]) =>
  ensureExecutorRole(admin, { role, password, schemas, statementTimeout: '1s', tempFileLimit: '1MB' });

async function connectAsRole(): Promise<Client> {
  const url = new URL(testDatabaseUrl());
  url.username = role;
  url.password = password;
  const client = new Client({ connectionString: url.toString() });
  roleClients.push(client);
  await client.connect();
  // An error on an idle connection must not crash the test run.
  client.on('error', () => undefined);
  return client;
}

const denied = { code: '42501' };
/** Refused either because the session is read-only or for want of a privilege. */
const refused = { code: expect.stringMatching(/^(42501|25006)$/) };

/** Everything in the granted tables, through the admin connection. */
async function snapshot(): Promise<unknown> {
  const customers = await admin.query(`select * from ${quoteIdent(schema)}.customer order by id`);
  const accounts = await admin.query(`select * from ${quoteIdent(schema)}.account order by id`);
  return { customers: customers.rows, accounts: accounts.rows };
}

async function memberships(): Promise<string[]> {
  const { rows } = await admin.query<{ name: string }>(
    `select g.rolname as name from pg_auth_members m
       join pg_roles g on g.oid = m.roleid join pg_roles r on r.oid = m.member
      where r.rolname = $1`,
    [role],
  );
  return rows.map((row) => row.name);
}

/** The role's settings in the test database and (database 0) in every database. */
async function roleSettings(): Promise<{ inDatabase: string[]; everywhere: string[] }> {
  const { rows } = await admin.query<{ setdatabase: number; setconfig: string[] }>(
    `select s.setdatabase, s.setconfig from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
      where r.rolname = $1 and s.setdatabase in (0, (select oid from pg_database where datname = current_database()))`,
    [role],
  );
  return {
    inDatabase: rows.find((row) => row.setdatabase !== 0)?.setconfig ?? [],
    everywhere: rows.find((row) => row.setdatabase === 0)?.setconfig ?? [],
  };
}

async function show(client: Client, name: string): Promise<string> {
  const { rows } = await client.query<Record<string, string>>(`show ${name}`);
  return Object.values(rows[0]!)[0]!;
}

beforeAll(async () => {
  db = await createTestSchema('exec');
  admin = db.client;
  schema = db.schema;
  const s = quoteIdent(schema);
  database = (await admin.query<{ db: string }>('select current_database() as db')).rows[0]!.db;
  await admin.query(`create table ${s}.customer (id int primary key, name text not null, segment text)`);
  await admin.query(
    `insert into ${s}.customer values (1, 'Anna', 'mass'), (2, 'Boris', 'premium'), (3, 'Vera', null)`,
  );
  await admin.query(`create table ${s}.account (id int primary key, customer_id int, balance numeric)`);
  await admin.query(`insert into ${s}.account values (10, 1, 100.50), (11, 2, 2500)`);
  await admin.query(`create table ${s}.empty_table (id int)`);
  await admin.query(`create schema ${quoteIdent(ungranted)}`);
  await admin.query(`create table ${quoteIdent(ungranted)}.secret (id int, note text)`);
  await admin.query(`insert into ${quoteIdent(ungranted)}.secret values (1, 'not for the executor')`);
  await admin.query(`create schema ${quoteIdent(second)}`);
  await admin.query(`create table ${quoteIdent(second)}.branch (id int, city text)`);
  await admin.query(`insert into ${quoteIdent(second)}.branch values (1, 'Praha')`);

  await ensure([schema]);
  ro = await connectAsRole();
  rw = await connectAsRole();
  await rw.query('set default_transaction_read_only = off');
});

afterAll(async () => {
  await Promise.all(roleClients.map((client) => client.end().catch(() => undefined)));
  if (admin) {
    // Sessions of the role that a failed test left behind would block drop role.
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [role]);
    await dropExecutorRole(admin, role);
    await admin.query(`drop schema if exists ${quoteIdent(ungranted)} cascade`);
    await admin.query(`drop schema if exists ${quoteIdent(second)} cascade`);
  }
  await db?.drop();
});

describe('the executor role', () => {
  it('is a plain login role: no superuser, member of no role, read-only sessions with limits', async () => {
    const { rows } = await ro.query<{ rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean }>(
      'select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user',
    );
    expect(rows).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
    expect(await memberships()).toEqual([]);
    expect(await show(ro, 'default_transaction_read_only')).toBe('on');
    expect(await show(ro, 'statement_timeout')).toBe('1s');
    expect(await show(ro, 'temp_file_limit')).toBe('1MB');
    expect(await show(ro, 'search_path')).toBe(quoteIdent(schema));
  });

  it('can read the granted tables, qualified and through its search_path', async () => {
    const qualified = await ro.query(`select id, name from ${quoteIdent(schema)}.customer order by id`);
    expect(qualified.rows).toEqual([
      { id: 1, name: 'Anna' },
      { id: 2, name: 'Boris' },
      { id: 3, name: 'Vera' },
    ]);
    const joined = await ro.query<{ name: string; balance: string }>(
      'select c.name, a.balance from customer c join account a on a.customer_id = c.id order by a.id',
    );
    expect(joined.rows).toEqual([
      { name: 'Anna', balance: '100.50' },
      { name: 'Boris', balance: '2500' },
    ]);
    expect((await ro.query('select count(*)::int as n from empty_table')).rows).toEqual([{ n: 0 }]);
  });

  it('can read a table created in the schema later (default privileges)', async () => {
    await admin.query(`create table ${quoteIdent(schema)}.later (id int)`);
    await admin.query(`insert into ${quoteIdent(schema)}.later values (7)`);
    expect((await ro.query('select id from later')).rows).toEqual([{ id: 7 }]);
  });

  describe('cannot change data', () => {
    const writes = () => {
      const s = quoteIdent(schema);
      return [
        `insert into ${s}.customer values (4, 'Mallory', 'mass')`,
        `insert into customer select id + 100, name, segment from customer`,
        `update ${s}.customer set segment = 'vip'`,
        `update account set balance = 0`,
        `delete from ${s}.account`,
        `delete from customer where id = 1`,
        `truncate ${s}.customer cascade`,
        `truncate account`,
      ];
    };

    it('in its default read-only session', async () => {
      const before = await snapshot();
      for (const sql of writes()) await expect(ro.query(sql)).rejects.toMatchObject(refused);
      expect(await snapshot()).toEqual(before);
    });

    it('after `set default_transaction_read_only = off`: insufficient privilege', async () => {
      expect(await show(rw, 'default_transaction_read_only')).toBe('off');
      const before = await snapshot();
      for (const sql of writes()) await expect(rw.query(sql)).rejects.toMatchObject(denied);
      expect(await snapshot()).toEqual(before);
    });

    it('in a `set transaction read write` transaction: insufficient privilege', async () => {
      const before = await snapshot();
      for (const sql of writes()) {
        await ro.query('begin');
        try {
          await ro.query('set transaction read write');
          expect(await show(ro, 'transaction_read_only')).toBe('off');
          await expect(ro.query(sql)).rejects.toMatchObject(denied);
        } finally {
          await ro.query('rollback');
        }
      }
      expect(await snapshot()).toEqual(before);
    });

    it('cannot lock the tables against other readers or select for update', async () => {
      for (const sql of [
        `lock table ${quoteIdent(schema)}.customer in access exclusive mode`,
        `lock table account in exclusive mode`,
        `select * from customer for update`,
      ]) {
        await rw.query('begin');
        try {
          await expect(rw.query(sql)).rejects.toMatchObject(denied);
        } finally {
          await rw.query('rollback');
        }
      }
    });

    it('cannot create large objects (storage outside any table)', async () => {
      const before = await admin.query('select count(*)::int as n from pg_largeobject_metadata');
      for (const sql of [
        'select lo_create(0)',
        'select lo_creat(-1)',
        `select lo_from_bytea(0, 'x'::bytea)`,
      ]) {
        await expect(rw.query(sql)).rejects.toMatchObject(denied);
      }
      expect((await admin.query('select count(*)::int as n from pg_largeobject_metadata')).rows).toEqual(
        before.rows,
      );
    });
  });

  it('cannot terminate or cancel the other sessions of its role', async () => {
    const other = await connectAsRole();
    const { rows } = await other.query<{ pid: number }>('select pg_backend_pid() as pid');
    const pid = rows[0]!.pid;
    await expect(rw.query(`select pg_terminate_backend(${pid})`)).rejects.toMatchObject(denied);
    await expect(rw.query(`select pg_cancel_backend(${pid})`)).rejects.toMatchObject(denied);
    expect((await other.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
  });

  describe('cannot create objects', () => {
    const creates = () => {
      const s = quoteIdent(schema);
      return [
        `create table ${s}.scratch (id int)`,
        `create table scratch (id int)`,
        `create table public.scratch (id int)`,
        `create table ${s}.copied as select * from customer`,
        `create view ${s}.v as select 1 as one`,
        `create temp table scratch (id int)`,
        `create temporary view v as select 1 as one`,
        `create schema ${quoteIdent(`exec_evil_${randomBytes(3).toString('hex')}`)}`,
        `create function ${s}.f() returns int language sql as 'select 1'`,
        `create function public.f() returns int language sql as 'select 1'`,
        `create function pg_temp.f() returns int language sql as 'select 1'`,
        `create sequence public.seq`,
      ];
    };

    it('with read-only off: insufficient privilege', async () => {
      for (const sql of creates()) await expect(rw.query(sql)).rejects.toMatchObject(denied);
    });

    it('in its default read-only session', async () => {
      for (const sql of creates()) await expect(ro.query(sql)).rejects.toMatchObject(refused);
    });

    it('leaves nothing behind', async () => {
      const { rows } = await admin.query(
        `select c.relname from pg_class c where c.relowner = (select oid from pg_roles where rolname = $1)
         union all
         select p.proname from pg_proc p where p.proowner = (select oid from pg_roles where rolname = $1)
         union all
         select n.nspname from pg_namespace n where n.nspowner = (select oid from pg_roles where rolname = $1)`,
        [role],
      );
      expect(rows).toEqual([]);
    });
  });

  it('cannot read a schema it was not granted', async () => {
    await expect(rw.query(`select * from ${quoteIdent(ungranted)}.secret`)).rejects.toMatchObject(denied);
    await expect(ro.query(`select * from ${quoteIdent(ungranted)}.secret`)).rejects.toMatchObject(denied);
    // By oid: resolving the table's name would itself need usage on the schema.
    const table = await admin.query<{ oid: number }>('select $1::regclass::oid as oid', [
      `${quoteIdent(ungranted)}.secret`,
    ]);
    const { rows } = await ro.query(
      `select has_schema_privilege($1, 'usage') as usage, has_table_privilege($2::oid, 'select') as select`,
      [ungranted, table.rows[0]!.oid],
    );
    expect(rows).toEqual([{ usage: false, select: false }]);
  });

  it('cannot read or write server files or run programs', async () => {
    const s = quoteIdent(schema);
    for (const sql of [
      `select pg_read_file('/etc/passwd')`,
      `select pg_read_binary_file('/etc/passwd')`,
      `select pg_ls_dir('.')`,
      `select * from pg_stat_file('postgresql.conf')`,
      `copy (select 1) to '/tmp/t2s_executor_x'`,
      `copy ${s}.customer from '/etc/passwd'`,
      `copy (select 1) to program 'true'`,
      `select lo_import('/etc/passwd')`,
      `select lo_export(1, '/tmp/t2s_executor_x')`,
    ]) {
      await expect(rw.query(sql)).rejects.toMatchObject(denied);
      await expect(ro.query(sql)).rejects.toMatchObject(refused);
    }
  });

  it('cannot become another role', async () => {
    for (const sql of [
      'set role postgres',
      'set role pg_read_server_files',
      'set session authorization postgres',
    ]) {
      await expect(rw.query(sql)).rejects.toMatchObject(denied);
    }
    expect(await show(rw, 'is_superuser')).toBe('off');
    expect((await rw.query('select current_user as u')).rows).toEqual([{ u: role }]);
  });

  it('has a long query cancelled by its statement timeout', async () => {
    const started = performance.now();
    await expect(ro.query('select pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(4000);
  });

  it('has a query that spills past temp_file_limit fail, and cannot raise the limit', async () => {
    const sorted =
      'select count(*)::int as n from (select g from generate_series(1, $1::int) g order by g desc) s';
    await ro.query(`set work_mem = '64kB'`);
    try {
      // The same query without spilling works.
      expect((await ro.query(sorted, [1000])).rows).toEqual([{ n: 1000 }]);
      await expect(ro.query(sorted, [2_000_000])).rejects.toMatchObject({
        code: '53400',
        message: expect.stringContaining('temp_file_limit'),
      });
    } finally {
      await ro.query('reset work_mem');
    }
    await expect(ro.query(`set temp_file_limit = '10GB'`)).rejects.toMatchObject(denied);
    await expect(ro.query(`set temp_file_limit = -1`)).rejects.toMatchObject(denied);
    await expect(
      rw.query(`alter role current_user in database ${quoteIdent(database)} set temp_file_limit = -1`),
    ).rejects.toMatchObject(denied);
    expect(await show(ro, 'temp_file_limit')).toBe('1MB');
  });

  it('ensureExecutorRole is idempotent and revokes memberships it was given', async () => {
    await ensure([schema]);
    await ensure([schema]);
    await admin.query(`grant pg_read_server_files, pg_write_server_files to ${quoteIdent(role)}`);
    expect((await memberships()).sort()).toEqual(['pg_read_server_files', 'pg_write_server_files']);
    await ensure([schema]);
    expect(await memberships()).toEqual([]);

    const client = await connectAsRole();
    expect((await client.query('select count(*)::int as n from customer')).rows).toEqual([{ n: 3 }]);
    await expect(client.query(`select pg_read_file('/etc/passwd')`)).rejects.toMatchObject(denied);
    await expect(client.query('set role pg_read_server_files')).rejects.toMatchObject(denied);
    expect(await show(client, 'search_path')).toBe(quoteIdent(schema));
  });

  it('ensureExecutorRole undoes session defaults the role changed for itself', async () => {
    // PostgreSQL lets any role ALTER ROLE itself SET/RESET user-settable parameters; nothing stops it.
    const d = quoteIdent(database);
    const tamper = await connectAsRole();
    await tamper.query('set default_transaction_read_only = off');
    await tamper.query(`alter role current_user in database ${d} set statement_timeout = 0`);
    await tamper.query(`alter role current_user in database ${d} set default_transaction_read_only = off`);
    await tamper.query(`alter role current_user in database ${d} set work_mem = '1GB'`);
    // (Placeholders and mixed-case names only a superuser can set; they go too.)
    await admin.query(`alter role ${quoteIdent(role)} in database ${d} set t2s.custom = 'x'`);
    await admin.query(`alter role ${quoteIdent(role)} in database ${d} set "DateStyle" = 'German'`);
    await tamper.query(`alter role current_user set statement_timeout = 0`);
    await tamper.query(`alter role current_user set hash_mem_multiplier = 100`);
    const tampered = await connectAsRole();
    expect(await show(tampered, 'statement_timeout')).toBe('0');
    expect(await show(tampered, 'default_transaction_read_only')).toBe('off');
    expect(await show(tampered, 'work_mem')).toBe('1GB');
    expect(await show(tampered, 'temp_file_limit')).toBe('1MB');

    const expectRestored = async () => {
      const settings = await roleSettings();
      expect(settings.everywhere).toEqual([]);
      expect([...settings.inDatabase].sort()).toEqual([
        'default_transaction_read_only=on',
        'idle_in_transaction_session_timeout=60s',
        `search_path=${quoteIdent(schema)}`,
        'statement_timeout=1s',
        'temp_file_limit=1MB',
      ]);
      const restored = await connectAsRole();
      expect(await show(restored, 'statement_timeout')).toBe('1s');
      expect(await show(restored, 'default_transaction_read_only')).toBe('on');
      expect(await show(restored, 'work_mem')).toBe(await show(admin, 'work_mem'));
      expect(await show(restored, 'hash_mem_multiplier')).toBe(await show(admin, 'hash_mem_multiplier'));
      expect(await show(restored, 'search_path')).toBe(quoteIdent(schema));
    };
    await ensure([schema]);
    await expectRestored();

    // Dropping all its defaults in this database, search_path included.
    await tamper.query(`alter role current_user in database ${d} reset all`);
    expect(await show(await connectAsRole(), 'default_transaction_read_only')).toBe('off');
    await ensure([schema]);
    await expectRestored();
  });

  it('ensureExecutorRole for a second schema keeps the first and adds it to the search_path', async () => {
    await ensure([second]);
    const { inDatabase } = await roleSettings();
    expect(inDatabase).toContain(`search_path=${quoteIdent(schema)}, ${quoteIdent(second)}`);

    const client = await connectAsRole();
    expect(await show(client, 'search_path')).toBe(`${quoteIdent(schema)}, ${quoteIdent(second)}`);
    expect((await client.query('select count(*)::int as n from customer')).rows).toEqual([{ n: 3 }]);
    expect((await client.query('select city from branch')).rows).toEqual([{ city: 'Praha' }]);
    expect((await client.query(`select count(*)::int as n from ${quoteIdent(schema)}.account`)).rows).toEqual(
      [{ n: 2 }],
    );
    await expect(client.query(`select * from ${quoteIdent(ungranted)}.secret`)).rejects.toMatchObject(denied);
    await client.query('set default_transaction_read_only = off');
    await expect(client.query(`insert into branch values (2, 'Brno')`)).rejects.toMatchObject(denied);
    await expect(client.query(`create table ${quoteIdent(second)}.x (id int)`)).rejects.toMatchObject(denied);

    // Again for the same schema: nothing changes.
    await ensure([second]);
    expect((await roleSettings()).inDatabase).toContain(
      `search_path=${quoteIdent(schema)}, ${quoteIdent(second)}`,
    );
  });

  it('cannot read hidden columns in any way, and reads the rest of their table', async () => {
    const s = quoteIdent(schema);
    const hide = () =>
      ensureExecutorRole(admin, {
        role,
        password,
        schemas: [schema],
        statementTimeout: '1s',
        tempFileLimit: '1MB',
        hiddenColumns: [{ schema, table: 'customer', column: 'name' }],
      });
    await hide();
    const client = await connectAsRole();
    expect((await client.query(`select id, segment from ${s}.customer order by id`)).rows).toEqual([
      { id: 1, segment: 'mass' },
      { id: 2, segment: 'premium' },
      { id: 3, segment: null },
    ]);
    for (const sql of [
      `select name from ${s}.customer`,
      `select id from ${s}.customer where name like 'A%'`,
      `select * from ${s}.customer`,
      `select c::text from ${s}.customer c`,
      `select id from ${s}.customer c where to_jsonb(c)::text like '%Anna%'`,
      `select id from (select * from ${s}.customer) x`,
      `select count(c.*) from ${s}.customer c`,
      `select id from ${s}.customer natural join (select 'Anna'::text as name) v`,
    ]) {
      await expect(client.query(sql)).rejects.toMatchObject(denied);
    }
    // Other tables keep their whole-table grant; running it again (idempotent) changes nothing.
    expect((await client.query(`select * from ${s}.account order by id`)).rows).toHaveLength(2);
    await hide();
    await expect(client.query(`select name from ${s}.customer`)).rejects.toMatchObject(denied);
    // Without hidden columns the table is whole again.
    await ensure([schema]);
    expect((await client.query(`select name from ${s}.customer where id = 1`)).rows).toEqual([
      { name: 'Anna' },
    ]);
  });
});
