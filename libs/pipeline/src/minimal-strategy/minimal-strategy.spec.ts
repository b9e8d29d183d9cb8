import type { Catalog } from '@t2s/catalog';
import { catalogColumn, catalogOf, catalogTable } from '@t2s/catalog/testing';
import { recogniseCriteriaText } from './criteria-text.recognizer';
import { MinimalCriteriaStrategy } from './minimal-criteria.strategy';
import { loadMinimalRules } from './minimal-rules.schema';
import { buildCountSql, buildSegmentSql } from './segment-sql.builder';

const rules = loadMinimalRules();

function catalogWith(names: string[]): Catalog {
  const clientId = catalogColumn('client_id', { type: 'bigint', nullable: false });
  return catalogOf(
    names.map((name) => catalogTable(name, { columns: [clientId] })),
    { database: 'test', generatedAt: '' },
  );
}

describe('criteria text recogniser', () => {
  it.each([
    ['возраст от 20 до 25 лет', 'age_between', { min: 20, max: 25 }],
    ['Age 20-25', 'age_between', { min: 20, max: 25 }],
    ['траты более 50 000 руб. в месяц', 'avg_monthly_spend_over', { amount: 50_000 }],
    ['spend over 50k', 'avg_monthly_spend_over', { amount: 50_000 }],
    ['без кредитной карты', 'has_active_card_type', { cardType: 'CREDIT' }],
  ])('reads "%s"', (text, template, params) => {
    const { recognised, unparsed } = recogniseCriteriaText(rules, text);
    expect(unparsed).toEqual([]);
    expect(recognised).toEqual([
      expect.objectContaining({ fragment: text, ref: expect.objectContaining({ template }), params }),
    ]);
  });

  it('keeps every fragment it cannot read', () => {
    const { recognised, unparsed } = recogniseCriteriaText(rules, 'age 20-25, likes cats\nживёт у моря');
    expect(recognised).toHaveLength(1);
    expect(unparsed).toEqual(['likes cats', 'живёт у моря']);
  });
});

describe('MinimalCriteriaStrategy', () => {
  const offer = {
    product: { type: 'credit_card' },
    title: 'Молодёжная кредитная карта',
    channel: 'SMS' as const,
  };

  it('skips a template whose tables the catalog lacks and reports it', async () => {
    const strategy = new MinimalCriteriaStrategy(rules);
    const result = await strategy.generate({
      offer,
      catalog: catalogWith(['client', 'etl_load_info', 'marketing_consent']),
    });
    expect(result.criteria.map((c) => c.text)).toEqual([
      'Возраст от 18 до 25 лет',
      'Есть согласие на рекламу в канале SMS',
      'Действующий клиент (client_status = ACTIVE)',
    ]);
    expect(result.unparsed).toEqual([
      'has_active_card_type: the warehouse has no table card',
      'on_stop_list: the warehouse has no table stop_list',
    ]);
    expect(result.criteria[1]?.sql).toContain("channel_code = 'SMS'");
  });
});

describe('segment SQL builder', () => {
  const criteria = [
    { id: 'c1', kind: 'include' as const, sql: 'select client_id from a' },
    { id: 'c2', kind: 'include' as const, sql: 'select client_id from b' },
    { id: 'c3', kind: 'exclude' as const, sql: 'select client_id from x' },
  ];

  it('intersects the includes and subtracts the excludes', () => {
    const sql = buildSegmentSql(criteria);
    expect(sql).toContain('select client_id from k0_c1\n  intersect\n  select client_id from k1_c2');
    expect(sql).toMatch(/select client_id from included\nexcept\nselect client_id from excluded$/);
  });

  it('refuses a segment without an include', () => {
    expect(() => buildSegmentSql([criteria[2]!])).toThrow(/include/);
  });

  it('counts each criterion alone', () => {
    expect(buildCountSql(criteria)).toContain(
      "select 'c3' as criterion_id, count(distinct client_id) as clients from k2_c3",
    );
  });
});
