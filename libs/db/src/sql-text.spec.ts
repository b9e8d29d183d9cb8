import { Client } from 'pg';
import { assertPlainName, quoteIdent, quoteLiteral } from './sql-text';
import { testDatabaseUrl } from './test-database';

describe('quoteIdent', () => {
  it.each(['clients', 'card_transactions', '_tmp', 'a1', 'name', 'value', 'type', 'comment'])(
    'leaves the plain lower-case name %s as it is',
    (name) => expect(quoteIdent(name)).toBe(name),
  );

  it.each(['order', 'user', 'select', 'table', 'group', 'limit', 'default', 'end', 'check', 'left', 'join'])(
    'quotes the reserved word %s',
    (word) => expect(quoteIdent(word)).toBe(`"${word}"`),
  );

  it.each([
    ['Clients', '"Clients"'],
    ['clientID', '"clientID"'],
    ['ORDER', '"ORDER"'],
    ['1st', '"1st"'],
    ['my table', '"my table"'],
    ['bank.clients', '"bank.clients"'],
    ['a-b', '"a-b"'],
    ['клиенты', '"клиенты"'],
    ['x$y', '"x$y"'],
  ])('quotes %s, which is not a plain lower-case name, as %s', (name, quoted) =>
    expect(quoteIdent(name)).toBe(quoted),
  );

  it('doubles embedded double quotes', () => {
    expect(quoteIdent('say "hi"')).toBe('"say ""hi"""');
    expect(quoteIdent('"')).toBe('""""');
    expect(quoteIdent('a"; drop table x; --')).toBe('"a""; drop table x; --"');
  });

  it('refuses an empty name and one longer than PostgreSQL keeps (63 bytes)', () => {
    expect(quoteIdent('a'.repeat(63))).toBe('a'.repeat(63));
    expect(() => quoteIdent('')).toThrow('invalid identifier length');
    expect(() => quoteIdent('a'.repeat(64))).toThrow('invalid identifier length');
  });
});

describe('quoteLiteral', () => {
  it('wraps in single quotes and doubles embedded ones', () => {
    expect(quoteLiteral('abc')).toBe("'abc'");
    expect(quoteLiteral('')).toBe("''");
    expect(quoteLiteral("O'Brien")).toBe("'O''Brien'");
    expect(quoteLiteral("''")).toBe("''''''");
    expect(quoteLiteral("x'; drop table t; --")).toBe("'x''; drop table t; --'");
  });

  it('leaves backslashes alone (standard_conforming_strings)', () => {
    expect(quoteLiteral('C:\\temp\\n')).toBe("'C:\\temp\\n'");
  });
});

describe('assertPlainName', () => {
  it.each(['bank', 'berka', '_scratch', 'bank_2026', 'order', 'a'.repeat(63)])('accepts %s', (name) =>
    expect(assertPlainName('--schema', name)).toBe(name),
  );

  it.each([
    '',
    'Bank',
    'Bad-Name',
    '1bank',
    'bank.clients',
    'bank;drop',
    ' bank',
    'bank ',
    'банк',
    'a"b',
    'a'.repeat(64),
  ])('rejects %j, naming the option and the value', (name) =>
    expect(() => assertPlainName('--executor-role', name)).toThrow(
      `--executor-role must be lower-case letters, digits and _ (starting with a letter or _), got "${name}"`,
    ),
  );
});

// The same texts given to the real server: quoted names and literals come back unchanged, and every
// word the server itself treats as reserved (or as a type or function name) gets quoted.
describe('against PostgreSQL', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  it('quotes every reserved and type/function-name key word of the server', async () => {
    const { rows } = await client.query<{ word: string }>(
      `select word from pg_get_keywords() where catcode in ('R', 'T') order by word`,
    );
    expect(rows.length).toBeGreaterThan(80);
    const unquoted = rows.map((row) => row.word).filter((word) => quoteIdent(word) !== `"${word}"`);
    expect(unquoted).toEqual([]);
  });

  it('agrees with quote_ident() on names that are not key words', async () => {
    const names = ['clients', 'Clients', 'say "hi"', 'my table', '1st', 'клиенты', '_x', 'a-b', 'name'];
    const { rows } = await client.query<{ quoted: string[] }>(
      'select array_agg(quote_ident(n) order by i) as quoted from unnest($1::text[]) with ordinality as t(n, i)',
      [names],
    );
    expect(names.map(quoteIdent)).toEqual(rows[0]?.quoted);
  });

  it('round-trips names and literals through the server', async () => {
    const names = ['order', 'user', 'Mixed Case', 'say "hi"', 'клиенты'];
    const values = ["O'Brien", "''", 'C:\\temp\\n', 'x"; --', 'строка'];
    const columns = names.map((name, i) => `${quoteLiteral(values[i]!)} as ${quoteIdent(name)}`);
    const { rows, fields } = await client.query(`select ${columns.join(', ')}`);
    expect(fields.map((field) => field.name)).toEqual(names);
    expect(Object.values(rows[0] as Record<string, string>)).toEqual(values);
  });
});
