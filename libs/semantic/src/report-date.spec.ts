import { inlineReportDate, reportDateSql, reportDateWriter } from './report-date';
import type { SemanticModel } from './semantic-model';

const model = (nowSql: string) => ({ nowSql }) as SemanticModel;
const now = '(select max(report_date) from bank.etl_load_info)';
const sql = `select client_id from bank.card_transaction where txn_date > ${now} - interval '30 day' and txn_date < ${now} + interval '1 day'`;

describe('the report date written in', () => {
  it('reads the date as text, and writes every reading of it as a typed literal', () => {
    expect(reportDateSql(model(now))).toBe(`select ${now}::text as report_date`);
    expect(inlineReportDate(sql, model(now), '2026-10-31')).toBe(
      "select client_id from bank.card_transaction where txn_date > date '2026-10-31' - interval '30 day' and txn_date < date '2026-10-31' + interval '1 day'",
    );
    expect(inlineReportDate(`select ${now}`, model(now), '2026-10-31 12:00:00')).toBe(
      "select timestamp '2026-10-31 12:00:00'",
    );
  });

  it('leaves the SQL as it is for current_date, a failed read or a value of another shape', () => {
    expect(reportDateSql(model('current_date'))).toBeNull();
    expect(inlineReportDate('select current_date', model('current_date'), '2026-10-31')).toBe(
      'select current_date',
    );
    expect(inlineReportDate(sql, model(now), null)).toBe(sql);
    expect(inlineReportDate(sql, model(now), "2026-10-31'; drop table x; --")).toBe(sql);
    expect(inlineReportDate(sql, model(now), '2026-10-31 12:00:00+03')).toBe(sql);
  });
});

describe('reportDateWriter', () => {
  it('reads the date once, only when some SQL reads it, and writes it into any SQL', async () => {
    const read = jest.fn(async () => '2026-10-31');
    const write = await reportDateWriter(model(now), read, [sql, 'select 1']);
    expect(write(`select ${now}`)).toBe("select date '2026-10-31'");
    expect(write(sql)).not.toContain(now);
    expect(read).toHaveBeenCalledTimes(1);
    const untouched = await reportDateWriter(model(now), read, ['select 1']);
    expect(untouched(sql)).toBe(sql);
    expect((await reportDateWriter(null, read, [sql]))(sql)).toBe(sql);
    expect(read).toHaveBeenCalledTimes(1);
  });
});
