import { loadParser } from '@t2s/sql-guard';
import { extractSql } from './extract-sql';

beforeAll(() => loadParser());

describe('extractSql', () => {
  it.each([
    ['bare, with its semicolon', ' SELECT a FROM t;', 'SELECT a FROM t'],
    ['in a fence', 'Here it is:\n```sql\nSELECT a\nFROM t;\n```\nIt counts rows.', 'SELECT a\nFROM t'],
    [
      'after a sentence',
      "The query is: SELECT count(*) FROM loan WHERE status = 'A'",
      "SELECT count(*) FROM loan WHERE status = 'A'",
    ],
    [
      'with a closing fence and an explanation',
      'SELECT p.id FROM p WHERE x < 3.5;\n```\n\nThe query joins `p`.',
      'SELECT p.id FROM p WHERE x < 3.5',
    ],
    ['a second statement dropped', 'SELECT 1 FROM a;\n\nSELECT 2 FROM b;', 'SELECT 1 FROM a'],
    ['a CTE', 'WITH x AS (SELECT 1 AS v) SELECT v FROM x', 'WITH x AS (SELECT 1 AS v) SELECT v FROM x'],
    [
      'a semicolon inside a string kept',
      "SELECT 'a;b' AS s FROM t; DROP TABLE t",
      "SELECT 'a;b' AS s FROM t",
    ],
  ])('%s', (_name, output, sql) => {
    expect(extractSql(output)).toEqual({ ok: true, sql });
  });

  it('answers why when there is no query', () => {
    expect(extractSql('I cannot answer that from the schema.')).toEqual({
      ok: false,
      reason: 'the answer holds no SELECT or WITH statement',
    });
    expect(extractSql('DELETE FROM loan')).toMatchObject({ ok: false });
  });
});
