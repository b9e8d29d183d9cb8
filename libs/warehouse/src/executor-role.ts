import type { ClientBase } from 'pg';
import { quoteIdent, quoteLiteral } from '@t2s/db';

export interface ExecutorRoleOptions {
  role: string;
  /** Password for password-authenticated servers; null leaves authentication to pg_hba (trust, peer). */
  password: string | null;
  /** Schemas whose tables the role may read. */
  schemas: string[];
  /** Applied to every session of the role, e.g. '60s'. */
  statementTimeout: string;
  /** Cap on temporary file space per session, e.g. '1GB'; only a superuser can change it. */
  tempFileLimit: string;
  /** Most sessions the role may hold at once (every executor process's pool together); default 20. */
  connectionLimit?: number;
  /**
   * Columns the role may not read at all: personal data not approved for filtering (see
   * `hiddenPiiColumns`). Their tables are granted column by column, so `*`, a whole-row reference
   * or naming the column fails in PostgreSQL itself, whatever got past the guard.
   */
  hiddenColumns?: readonly ColumnRef[];
}

export interface ColumnRef {
  schema: string;
  table: string;
  column: string;
}

/**
 * Creates (or brings up to date) the login role that runs generated SQL: it can SELECT on the
 * warehouse's tables and nothing else. Not a superuser, cannot create databases, roles, tables or
 * temporary tables or large objects, is a member of no role (so no pg_read_server_files and the
 * like), every session is read-only and has a statement timeout and a temp-file cap. Idempotent.
 *
 * Read-only and the statement timeout are session defaults that the role can change for itself
 * (`set ...`, even `alter role current_user set ...`): privileges are the boundary, and whoever runs SQL
 * as the role should also open each transaction read-only with `set local statement_timeout`. Only
 * temp_file_limit is out of its reach. Running this again undoes defaults the role changed.
 */
export async function ensureExecutorRole(client: ClientBase, options: ExecutorRoleOptions): Promise<void> {
  // The REVOKEs below rewrite shared catalog rows (the database's and pg_proc's ACLs): two callers at
  // once (tests, or two deploy jobs) fail with "tuple concurrently updated". One at a time, cluster-wide.
  await client.query('select pg_advisory_lock($1)', [EXECUTOR_ROLE_LOCK]);
  try {
    await applyExecutorRole(client, options);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [EXECUTOR_ROLE_LOCK]);
  }
}

/** An arbitrary constant: the advisory lock key of `ensureExecutorRole`. */
const EXECUTOR_ROLE_LOCK = 7_325_120_001;

async function applyExecutorRole(client: ClientBase, options: ExecutorRoleOptions): Promise<void> {
  const role = quoteIdent(options.role);
  const { rows } = await client.query<{ db: string }>('select current_database() as db');
  const database = quoteIdent(rows[0]!.db);
  const limit = options.connectionLimit ?? 20;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`connectionLimit must be a positive integer`);
  const attributes = `login nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls connection limit ${limit}`;
  const password = options.password === null ? 'password null' : `password ${quoteLiteral(options.password)}`;

  const exists = await client.query('select 1 from pg_roles where rolname = $1', [options.role]);
  await client.query(
    exists.rowCount
      ? `alter role ${role} ${attributes} ${password}`
      : `create role ${role} ${attributes} ${password}`,
  );

  // Drop whatever memberships it was given (pg_read_server_files, pg_write_server_files, ...).
  const memberships = await client.query<{ name: string }>(
    `select g.rolname as name from pg_auth_members m
       join pg_roles g on g.oid = m.roleid join pg_roles r on r.oid = m.member
      where r.rolname = $1`,
    [options.role],
  );
  for (const { name } of memberships.rows) await client.query(`revoke ${quoteIdent(name)} from ${role}`);

  // Everyone (PUBLIC) may create temporary tables and, before PostgreSQL 15, objects in `public`;
  // on the warehouse database nobody but its owners should.
  await client.query(`revoke temporary on database ${database} from public`);
  await client.query(`revoke create on schema public from public`);
  // Anyone may also create large objects, and no table privilege covers them: once the session turns
  // read-only off (any role may), `select lo_from_bytea(0, ...)` would write to pg_largeobject at will.
  // (lo_import from a server file is superuser-only already; writing to an existing large object needs
  // UPDATE on it.)
  await client.query(
    `revoke execute on function pg_catalog.lo_create(oid), pg_catalog.lo_creat(integer),
       pg_catalog.lo_from_bytea(oid, bytea) from public`,
  );
  // Any role may signal other sessions of the same role: one segment's SQL could terminate or cancel
  // the segments running beside it. Only superusers (and pg_signal_backend members) keep that.
  await client.query(
    `revoke execute on function pg_catalog.pg_terminate_backend(integer, bigint),
       pg_catalog.pg_cancel_backend(integer) from public`,
  );
  await client.query(`grant connect on database ${database} to ${role}`);

  for (const schema of options.schemas) {
    const s = quoteIdent(schema);
    await client.query(`revoke all on schema ${s} from ${role}`);
    await client.query(`grant usage on schema ${s} to ${role}`);
    await client.query(`revoke all on all tables in schema ${s} from ${role}`);
    await client.query(`grant select on all tables in schema ${s} to ${role}`);
    await client.query(`alter default privileges in schema ${s} grant select on tables to ${role}`);
  }
  await hideColumns(client, role, options.hiddenColumns ?? [], options.schemas);

  const settings: Array<[string, string]> = [
    ['statement_timeout', options.statementTimeout],
    ['temp_file_limit', options.tempFileLimit],
    ['default_transaction_read_only', 'on'],
    ['idle_in_transaction_session_timeout', '60s'],
  ];
  for (const [name, value] of settings) {
    await client.query(`alter role ${role} in database ${database} set ${name} = ${quoteLiteral(value)}`);
  }
  // Keep the schemas an earlier call granted (the demo warehouse and Berka share one role) first.
  const previous = await roleSearchPath(client, options.role);
  const searchPath = [...new Set([...previous, ...options.schemas.map(quoteIdent)])];
  await client.query(
    `alter role ${role} in database ${database} set search_path = ${searchPath.join(', ') || 'pg_catalog'}`,
  );

  // Any role may ALTER ROLE itself SET/RESET a user-settable parameter (statement_timeout = 0,
  // default_transaction_read_only = off, work_mem, ...) for its sessions in every database or in this
  // one, and PostgreSQL has no privilege to stop it. Undo that: the defaults above (set first, so that
  // no session starts without them meanwhile) are the only ones the role keeps.
  await client.query(`alter role ${role} reset all`);
  const kept = new Set([...settings.map(([name]) => name), 'search_path']);
  for (const name of await roleSettingNames(client, options.role)) {
    if (!kept.has(name))
      await client.query(`alter role ${role} in database ${database} reset ${quoteIdent(name)}`);
  }
}

/** Takes SELECT on whole tables away where columns are hidden, and grants the other columns one by one. */
async function hideColumns(
  client: ClientBase,
  role: string,
  hidden: readonly ColumnRef[],
  schemas: readonly string[],
): Promise<void> {
  const byTable = new Map<string, { schema: string; table: string; columns: Set<string> }>();
  for (const ref of hidden) {
    if (!schemas.includes(ref.schema)) continue;
    const key = `${ref.schema}.${ref.table}`;
    const entry = byTable.get(key) ?? { schema: ref.schema, table: ref.table, columns: new Set<string>() };
    entry.columns.add(ref.column);
    byTable.set(key, entry);
  }
  for (const { schema, table, columns } of byTable.values()) {
    const { rows } = await client.query<{ name: string }>(
      `select a.attname as name from pg_attribute a
         join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
      [schema, table],
    );
    if (rows.length === 0) continue; // the table is gone: nothing to hide
    const qualified = `${quoteIdent(schema)}.${quoteIdent(table)}`;
    const visible = rows.map((row) => row.name).filter((name) => !columns.has(name));
    await client.query(`revoke select on ${qualified} from ${role}`);
    if (visible.length > 0) {
      await client.query(`grant select (${visible.map(quoteIdent).join(', ')}) on ${qualified} to ${role}`);
    }
  }
}

/** Drops the role and what it was granted in this database (tests and re-seeding). */
export async function dropExecutorRole(client: ClientBase, role: string): Promise<void> {
  const exists = await client.query('select 1 from pg_roles where rolname = $1', [role]);
  if (!exists.rowCount) return;
  // DROP OWNED rewrites the database's ACL too: serialised with ensureExecutorRole.
  await client.query('select pg_advisory_lock($1)', [EXECUTOR_ROLE_LOCK]);
  try {
    await client.query(`drop owned by ${quoteIdent(role)}`);
    await client.query(`drop role ${quoteIdent(role)}`);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [EXECUTOR_ROLE_LOCK]);
  }
}

/** The names of the parameters set for the role in this database. */
async function roleSettingNames(client: ClientBase, role: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select split_part(c, '=', 1) as name
       from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
       join pg_database d on d.oid = s.setdatabase, unnest(s.setconfig) c
      where r.rolname = $1 and d.datname = current_database()`,
    [role],
  );
  return rows.map((row) => row.name);
}

/** The role's search_path in this database as quoted identifiers; [] when unset or not plain names. */
async function roleSearchPath(client: ClientBase, role: string): Promise<string[]> {
  const { rows } = await client.query<{ setting: string | null }>(
    `select (select c from unnest(s.setconfig) c where c like 'search_path=%') as setting
       from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
       join pg_database d on d.oid = s.setdatabase
      where r.rolname = $1 and d.datname = current_database()`,
    [role],
  );
  const setting = rows[0]?.setting;
  if (!setting) return [];
  const names = setting
    .slice('search_path='.length)
    .split(',')
    .map((name) => name.trim());
  return names.every((name) => /^([a-z_][a-z0-9_$]*|"([^"]|"")+")$/.test(name)) ? names : [];
}
