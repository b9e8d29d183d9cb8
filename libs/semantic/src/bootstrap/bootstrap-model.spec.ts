// The model bootstrapped from each committed catalog snapshot (the demo bank, Berka, UCI bank
// marketing): no database, no hand annotation. Each is a valid model of its catalog; what it derives is
// checked on real comments of each convention, and it reads comments and types, not names.
import type { Catalog } from '@t2s/catalog';
import { loadCatalogSnapshot } from '@t2s/catalog/testing';
import { SemanticModel } from '../semantic-model';
import type { SemanticModelFile } from '../semantic-model.schema';
import { bootstrapSemanticModel } from './bootstrap-model';
import { measureReads } from './merge-model';

const WAREHOUSES = ['bank', 'berka', 'bank_marketing'] as const;
const catalogs = Object.fromEntries(WAREHOUSES.map((w) => [w, loadCatalogSnapshot(w)])) as Record<
  (typeof WAREHOUSES)[number],
  Catalog
>;
const models = Object.fromEntries(
  WAREHOUSES.map((w) => [w, bootstrapSemanticModel(catalogs[w], w)]),
) as Record<(typeof WAREHOUSES)[number], SemanticModelFile>;
const attribute = (model: SemanticModelFile, name: string) => model.attributes.find((a) => a.name === name);

describe.each(WAREHOUSES)('the model bootstrapped from the %s catalog', (warehouse) => {
  it('names only what the catalog has (SemanticModel checks every reference)', () => {
    expect(() => new SemanticModel(models[warehouse], catalogs[warehouse], warehouse)).not.toThrow();
  });

  it("takes the catalog's entity", () => {
    const entity = catalogs[warehouse].entities[0]!;
    expect(models[warehouse].entity).toMatchObject({ table: entity.table, id: entity.column });
  });

  it('reads no hidden personal data and no column that is not for targeting', () => {
    const banned = new Set(
      catalogs[warehouse].tables.flatMap((t) =>
        t.columns
          .filter((c) => (c.pii && !c.piiFilterable) || c.notForTargeting)
          .map((c) => `${t.name}.${c.name}`),
      ),
    );
    const model = models[warehouse];
    const read = [
      ...model.attributes.flatMap((a) => [...measureReads(a.measure), ...(a.date ? [a.date] : [])]),
      ...Object.keys(model.labels),
      ...Object.keys(model.columns),
      ...Object.keys(model.orders),
      ...model.valueColumns,
      ...Object.entries(model.tables).flatMap(([t, v]) =>
        [v.date, v.endDate].filter((c) => c !== undefined).map((c) => `${t}.${c}`),
      ),
    ];
    expect(read.filter((ref) => banned.has(ref))).toEqual([]);
  });
});

describe('labels of coded values', () => {
  it('come from "Значения: CODE — метка" in the demo bank', () => {
    expect(models.bank.labels['client.gender']).toEqual({
      M: { ru: ['мужской'], en: [] },
      F: { ru: ['женский'], en: [] },
    });
    expect(models.bank.labels['client.client_segment']?.['AFFLUENT']).toEqual({
      ru: ['массовый плюс'],
      en: [],
    });
  });

  it('come from "\'A\' stands for ..." in Berka', () => {
    expect(models.berka.labels['loan.status']).toEqual({
      A: { ru: [], en: ['contract finished, no problems'] },
      B: { ru: [], en: ['contract finished, loan not paid'] },
      C: { ru: [], en: ['running contract, OK so far'] },
      D: { ru: [], en: ['running contract, client in debt'] },
    });
    expect(models.berka.labels['account.frequency']?.['POPLATEK TYDNE']).toEqual({
      ru: [],
      en: ['weekly issuance'],
    });
  });

  it('come from (categorical: ...) in UCI bank marketing, codes named by their own words', () => {
    expect(models.bank_marketing.labels['client.job']?.['blue-collar']).toEqual({
      ru: [],
      en: ['blue-collar', 'blue collar'],
    });
    expect(models.bank_marketing.labels['client.job']?.['admin.']).toEqual({ ru: [], en: ['admin'] });
    expect(models.bank_marketing.labels['client.marital']?.['divorced']?.en).toContain('divorced or widowed');
    // A meaning noted after the list names the code by each alternative.
    expect(models.bank_marketing.labels['client.marital']?.['divorced']?.en).toContain('widowed');
    // Yes/no columns are attributes; the contact's month is not for targeting.
    expect(models.bank_marketing.labels['client.housing']).toBeUndefined();
    expect(models.bank_marketing.labels['client.month']).toBeUndefined();
  });
});

describe('attributes', () => {
  it('are the numbers of the client tables with their units, and yes/no facts as booleans', () => {
    expect(attribute(models.bank_marketing, 'balance')).toMatchObject({
      type: 'number',
      unit: 'eur',
      label: { en: 'Average yearly balance' },
      measure: { kind: 'scalar', table: 'client', sql: '{t}.balance' },
    });
    // "-1 means client was not previously contacted": the fact, said positively, is a yes/no attribute.
    expect(attribute(models.bank_marketing, 'previously_contacted')).toMatchObject({
      type: 'boolean',
      terms: { en: expect.arrayContaining(['previously contacted', 'contacted before', 'contacted']) },
      measure: { kind: 'related', where: { column: 'client.pdays', cmp: { op: 'ne', value: -1 } } },
    });
    // People drop a middle qualifier of an English head: "average balance".
    expect(attribute(models.bank_marketing, 'balance')?.terms.en).toContain('average balance');
    expect(attribute(models.bank_marketing, 'balance')?.defaultForUnit).toBe('eur');
    expect(attribute(models.bank_marketing, 'housing')).toMatchObject({
      type: 'boolean',
      terms: { en: ['has housing loan', 'housing loan'] },
      measure: { kind: 'related', where: { column: 'client.housing', cmp: { op: 'eq', value: 'yes' } } },
    });
    expect(attribute(models.bank, 'work_experience_months')).toMatchObject({ unit: 'month', type: 'number' });
    expect(attribute(models.bank, 'is_vip')).toMatchObject({
      type: 'boolean',
      measure: { kind: 'related', where: { column: 'client.is_vip', cmp: { op: 'eq', value: true } } },
    });
    // Campaign outcome and the current contact are not for targeting.
    for (const name of ['duration', 'campaign', 'day', 'y'])
      expect(attribute(models.bank_marketing, name)).toBeUndefined();
  });

  it('give an age in years from a birth date, and from a numeric age column', () => {
    for (const model of [models.bank, models.berka]) {
      expect(attribute(model, 'age')).toMatchObject({
        unit: 'year',
        defaultForUnit: 'year',
        date: 'client.birth_date',
        measure: { kind: 'scalar', sql: 'extract(year from age({now}, {t}.birth_date))' },
      });
    }
    expect(attribute(models.bank_marketing, 'age')).toMatchObject({
      unit: 'year',
      defaultForUnit: 'year',
      measure: { sql: '{t}.age' },
    });
  });

  it("give dates of the client tables their role, tenure from the client table's own start", () => {
    expect(attribute(models.bank, 'closed_date')).toMatchObject({ type: 'date', date: 'client.closed_date' });
    expect(attribute(models.bank, 'client_since_years')).toMatchObject({
      unit: 'year',
      measure: { sql: 'extract(year from age({now}, {t}.client_since))' },
    });
    // An update of the record says nothing of the client.
    expect(models.bank.attributes.filter((a) => a.date?.endsWith('.updated_date'))).toEqual([]);
  });

  it('say "has a row" for each table of a client\'s rows, through a link table where no key leads', () => {
    expect(attribute(models.bank, 'has_loan')).toMatchObject({
      type: 'boolean',
      measure: { kind: 'related', table: 'loan', quantifier: 'some' },
      refinements: expect.arrayContaining(['loan.loan_type', 'loan.loan_status']),
    });
    expect(models.berka.bridges).toEqual([{ table: 'account', link: 'disp', on: 'account_id' }]);
    expect(attribute(models.berka, 'has_loan')?.measure).toEqual({
      kind: 'related',
      table: 'loan',
      quantifier: 'some',
    });
    // Reference data is no client's row.
    expect(attribute(models.bank, 'has_ref_product')).toBeUndefined();
    expect(attribute(models.berka, 'has_district')).toBeUndefined();
  });
});

describe('tables, orders and the report date', () => {
  it("date a table's rows and their end by the roles of its dates", () => {
    expect(models.bank.tables['loan']).toMatchObject({ date: 'issue_date', endDate: 'close_date' });
    expect(models.bank.tables['deposit']).toMatchObject({ date: 'open_date', endDate: 'close_date' });
    expect(models.bank.tables['card']).toMatchObject({ date: 'issue_date' });
    expect(models.bank.tables['card']?.endDate).toBeUndefined(); // the expiry is planned, not an end
    expect(models.bank.tables['client_segment_history']).toMatchObject({ date: 'month_end' });
    expect(models.berka.tables['loan']).toMatchObject({ date: 'date' });
    expect(models.berka.tables['card']).toMatchObject({ date: 'issued' });
    // A profile row's dates are facts about the client, not the row's date.
    expect(models.bank.tables['client']?.date).toBeUndefined();
  });

  it('order code lists where the comment orders them', () => {
    const segments = ['MASS', 'AFFLUENT', 'PREMIUM', 'PRIVATE'];
    expect(models.bank.orders).toEqual({
      // "консервативный", "умеренный", "агрессивный": degrees of risk.
      'brokerage_account.risk_profile': ['CONSERVATIVE', 'MODERATE', 'AGGRESSIVE'],
      'card.card_tier': ['CLASSIC', 'GOLD', 'PLATINUM', 'PREMIUM'],
      // "Клиентский сегмент": a scale, listed from the lowest.
      'client.client_segment': segments,
      'client_monthly_profile.client_segment': segments,
      'client_segment_history.client_segment': segments,
      'client.education_level': ['SECONDARY', 'VOCATIONAL', 'INCOMPLETE_HIGHER', 'HIGHER', 'POSTGRADUATE'],
      'client_employment.position_level': ['WORKER', 'SPECIALIST', 'MANAGER', 'EXECUTIVE'],
      'client_risk_profile.internal_rating': ['E', 'D', 'C', 'B', 'A'],
      'client_risk_profile.kyc_risk_level': ['LOW', 'MEDIUM', 'HIGH'],
    });
    expect(models.bank_marketing.orders).toEqual({
      'client.education': ['primary', 'secondary', 'tertiary'],
    });
    // "junior", "classic", "gold": card tiers, whatever the comment calls them.
    expect(models.berka.orders).toEqual({ 'card.type': ['junior', 'classic', 'gold'] });
  });

  it("take the warehouse's today from a column documented as the report date, else none", () => {
    expect(models.bank.now).toBe('select max(report_date) from etl_load_info');
    expect(models.berka.now).toBeUndefined();
    expect(models.bank_marketing.now).toBeUndefined();
  });

  it('name a column documented in English by the noun its comment ends on, where no other column has it', () => {
    const marketing = models.bank_marketing;
    expect(marketing.columns['client.balance']?.en).toContain('balance');
    expect(marketing.attributes.find((a) => a.name === 'balance')?.terms.en).toContain('balance');
    expect(marketing.columns['client.job']?.en).toContain('job');
    // "loan" ends both loans' comments; "number of contacts" names what it counts.
    expect(marketing.columns['client.housing']?.en).not.toContain('loan');
    expect(marketing.columns['client.previous']?.en).not.toContain('contacts');
    // "bank of the recipient": the bank's own word names no column.
    expect(models.berka.columns['order.bank_to']?.en).not.toContain('bank');
    // Russian comments: English words are the column's name's.
    expect(models.bank.columns['digital_session.payments_made']?.en).toEqual(['payments made']);
  });

  it('give column terms from comment words, and value columns of names, coarser first', () => {
    expect(models.bank.columns['client_household.children_count']).toEqual({
      ru: ['количество детей до 18 лет', 'количество детей'],
      en: ['children count'],
    });
    expect(models.berka.columns['district.a11']).toEqual({ ru: [], en: ['average salary', 'salary'] });
    expect(models.bank.valueColumns.indexOf('ref_region.region_name')).toBeLessThan(
      models.bank.valueColumns.indexOf('ref_city.city_name'),
    );
    expect(models.berka.valueColumns).toEqual(expect.arrayContaining(['district.a2', 'district.a3']));
  });
});

describe('reading comments and types, not names', () => {
  it('derives the same model from a catalog whose tables and columns are all renamed', () => {
    const rename = (name: string) => `x_${name}`;
    const source = catalogs.berka;
    const renamed: Catalog = {
      ...source,
      tables: source.tables.map((t) => ({
        ...t,
        name: rename(t.name),
        primaryKey: t.primaryKey.map(rename),
        columns: t.columns.map((c) => ({ ...c, name: rename(c.name) })),
        foreignKeys: t.foreignKeys.map((fk) => ({
          ...fk,
          columns: fk.columns.map(rename),
          refTable: rename(fk.refTable),
          refColumns: fk.refColumns.map(rename),
        })),
      })),
      entities: source.entities.map((e) => ({ ...e, table: rename(e.table), column: rename(e.column) })),
    };
    const ref = (r: string) => r.split('.').map(rename).join('.');
    const model = bootstrapSemanticModel(renamed, 'berka');
    expect(Object.keys(model.labels)).toEqual(Object.keys(models.berka.labels).map(ref));
    expect(model.valueColumns).toEqual(models.berka.valueColumns.map(ref));
    expect(model.attributes.map((a) => measureReads(a.measure))).toEqual(
      models.berka.attributes.map((a) => measureReads(a.measure).map(ref)),
    );
    expect(model.bridges).toEqual(
      models.berka.bridges.map((b) => ({ table: rename(b.table), link: rename(b.link), on: rename(b.on) })),
    );
  });
});
