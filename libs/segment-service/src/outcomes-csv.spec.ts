import { parseOutcomesCsv } from './outcomes-csv';

describe('parseOutcomesCsv', () => {
  it('reads the header, dates, date-times and empty times; skips blank lines', () => {
    const parsed = parseOutcomesCsv(
      '\uFEFFclient_id,converted_at\r\n101,2026-03-02\r\n102,2026-03-02T10:15:00+03:00\n\n"103",\n104\n',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      { clientId: '101', convertedAt: new Date('2026-03-02T00:00:00Z') },
      { clientId: '102', convertedAt: new Date('2026-03-02T07:15:00Z') },
      { clientId: '103', convertedAt: null },
      { clientId: '104', convertedAt: null },
    ]);
  });

  it('takes a file without a header line', () => {
    expect(parseOutcomesCsv('7,2026-01-01 09:00\n').rows).toEqual([
      { clientId: '7', convertedAt: new Date('2026-01-01T09:00:00Z') },
    ]);
  });

  it('reports every bad line with its number', () => {
    const parsed = parseOutcomesCsv(
      [
        'client_id,converted_at',
        '101,2026-03-02',
        ',2026-03-02',
        '102,yesterday',
        '103,2026-02-30',
        '104,2026-03-02,extra',
        'drop table x;,2026-03-02',
        '"105,2026-03-02',
        '106,2026-03-02T25:00:00Z',
      ].join('\n'),
    );
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(parsed.errors[0]?.reason).toBe('No client_id');
    expect(parsed.errors[1]?.reason).toMatch(/not an ISO date/);
    expect(parsed.errors[3]?.reason).toMatch(/3 fields/);
    expect(parsed.errors[5]?.reason).toBe('An unclosed quote');
  });

  it('refuses a NUL or a control character in an id', () => {
    expect(parseOutcomesCsv('1\u00002,2026-01-01').errors).toHaveLength(1);
  });
});
