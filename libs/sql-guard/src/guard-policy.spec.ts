import { DEFAULT_FUNCTIONS } from './default-functions';
import { DEFAULT_MAX_SQL_LENGTH, policyFromCatalog } from './guard-policy';
import { BANK_TEST_CATALOG } from './testing/bank-test-catalog';

describe('policyFromCatalog', () => {
  it('allows every table and view of the catalog, with its schemas as the search path', () => {
    const policy = policyFromCatalog(BANK_TEST_CATALOG);
    expect([...policy.relations].sort()).toEqual(
      BANK_TEST_CATALOG.tables.map((table) => `bank.${table.name}`).sort(),
    );
    expect(policy.relations).toContain('bank.client_balance');
    expect(policy.searchPath).toEqual(['bank']);
    expect(policy).toMatchObject({ outputColumns: 1, maxLength: DEFAULT_MAX_SQL_LENGTH });
    expect(policy.functions).toBe(DEFAULT_FUNCTIONS);
  });

  it('takes the options', () => {
    const functions = new Set(['count']);
    const policy = policyFromCatalog(BANK_TEST_CATALOG, { outputColumns: null, functions, maxLength: 500 });
    expect(policy).toMatchObject({ outputColumns: null, functions, maxLength: 500 });
  });

  it('keeps the names as PostgreSQL stores them', () => {
    const catalog = {
      ...BANK_TEST_CATALOG,
      schemas: ['Mart'],
      tables: [{ ...BANK_TEST_CATALOG.tables[0]!, schema: 'Mart', name: 'Client List' }],
    };
    expect([...policyFromCatalog(catalog).relations]).toEqual(['Mart.Client List']);
  });
});

describe('DEFAULT_FUNCTIONS', () => {
  it('holds lower-case names only', () => {
    for (const name of DEFAULT_FUNCTIONS) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('covers what segment and BIRD queries call', () => {
    for (const name of [
      'count',
      'sum',
      'row_number',
      'extract',
      'age',
      'date_trunc',
      'to_char',
      'substr',
      'now',
    ]) {
      expect(DEFAULT_FUNCTIONS).toContain(name);
    }
  });

  it.each([
    'pg_sleep',
    'pg_sleep_for',
    'pg_sleep_until',
    'pg_read_file',
    'pg_read_binary_file',
    'pg_ls_dir',
    'pg_stat_file',
    'lo_import',
    'lo_export',
    'lo_get',
    'lo_put',
    'lo_from_bytea',
    'lo_unlink',
    'dblink',
    'dblink_exec',
    'dblink_connect',
    'set_config',
    'current_setting',
    'pg_terminate_backend',
    'pg_cancel_backend',
    'pg_reload_conf',
    'pg_rotate_logfile',
    'txid_current',
    'pg_current_xact_id',
    'pg_advisory_lock',
    'pg_try_advisory_lock',
    'pg_notify',
    'query_to_xml',
    'table_to_xml',
    'cursor_to_xml',
    'xmlparse',
    'version',
    'inet_server_addr',
    'inet_client_addr',
    'random',
    'setseed',
    'nextval',
    'setval',
    'to_regclass',
    'has_table_privilege',
    'pg_get_functiondef',
    'repeat',
    'current_database',
    'pg_backend_pid',
    'pg_stat_get_activity',
    'pg_logical_emit_message',
    'pg_switch_wal',
    'pg_create_restore_point',
  ])('does not allow %s', (name) => {
    expect(DEFAULT_FUNCTIONS).not.toContain(name);
  });

  it('allows nothing named like a server, file, large-object or remote function', () => {
    const risky = [...DEFAULT_FUNCTIONS].filter((name) => /^(pg_|lo_|dblink|txid|inet_|set_|xml)/.test(name));
    expect(risky).toEqual([]);
  });
});

describe('checkSql before loadSqlGuard', () => {
  it('throws a clear error', () => {
    jest.isolateModules(() => {
      // A fresh copy of the module graph: its parser has not been loaded.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('./sql-guard') as typeof import('./sql-guard');
      expect(() => fresh.checkSql('SELECT 1', policyFromCatalog(BANK_TEST_CATALOG))).toThrow(/loadSqlGuard/);
    });
  });
});
