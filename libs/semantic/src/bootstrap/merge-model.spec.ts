// Hand annotations only refine the bootstrap: the model a warehouse uses is the bootstrap with the hand
// file's entries over it, key by key; a warehouse with no hand model is read with the bootstrap alone.
import { loadCatalogSnapshot } from '@t2s/catalog/testing';
import { findSemanticModelFile, SemanticModel, SemanticModelError } from '../semantic-model';
import { semanticModelSchema, type Attribute, type SemanticModelFile } from '../semantic-model.schema';
import { bootstrapSemanticModel } from './bootstrap-model';
import { mergeSemanticModels } from './merge-model';
import { parseModelSource, warehouseSemanticModel } from './model-source';

const bank = loadCatalogSnapshot('bank');
const bootstrap = bootstrapSemanticModel(bank, 'bank');

/** A hand file holding only what it refines. */
function hand(extra: Record<string, unknown>): SemanticModelFile {
  return semanticModelSchema.parse({
    warehouse: 'bank',
    entity: { table: 'client', id: 'client_id', label: { ru: 'клиент', en: 'customer' } },
    ...extra,
  });
}

const attr = (name: string, sql: string, terms: string[]): Attribute => ({
  name,
  label: { ru: name, en: name },
  type: 'number',
  terms: { ru: terms, en: [] },
  phrases: [],
  refinements: [],
  measure: { kind: 'scalar', table: 'client_household', sql },
});

describe('mergeSemanticModels', () => {
  it("keeps the hand's entity, now and warehouse, else the bootstrap's", () => {
    const merged = mergeSemanticModels(bootstrap, hand({ now: 'select date 2026-10-31' }));
    expect(merged.entity.label.en).toBe('customer');
    expect(merged.now).toBe('select date 2026-10-31');
    expect(mergeSemanticModels(bootstrap, hand({})).now).toBe(bootstrap.now);
  });

  it('lets a hand attribute win by name and over a bootstrapped one on the same column', () => {
    const merged = mergeSemanticModels(
      bootstrap,
      hand({
        attributes: [
          attr('age', 'extract(year from age({now}, {t}.birth_date))', ['возраст']),
          attr('kids', '{t}.children_count', ['дети']),
        ],
      }),
    );
    const names = merged.attributes.map((a) => a.name);
    expect(merged.attributes.filter((a) => a.name === 'age')).toEqual([
      expect.objectContaining({ terms: { ru: ['возраст'], en: [] } }),
    ]);
    expect(names).toContain('kids');
    expect(names).not.toContain('children_count'); // the hand's kids reads client_household.children_count
    expect(names).toContain('dependents_count'); // nothing of the hand's reads it
    expect(names.slice(0, 2)).toEqual(['age', 'kids']);
  });

  it('drops a bootstrapped attribute every word of whose label a hand attribute has', () => {
    const merged = mergeSemanticModels(
      bootstrap,
      hand({
        attributes: [
          {
            ...attr('has_credit_card', '{t}.x', ['кредитная карта']),
            label: { ru: 'Есть действующая кредитная карта', en: 'Has an active credit card' },
            type: 'boolean',
            measure: { kind: 'related', table: 'card' },
          },
        ],
      }),
    );
    const names = merged.attributes.map((a) => a.name);
    expect(names).not.toContain('credit_cards_active'); // "Действующих кредитных карт"
    expect(names).not.toContain('has_card'); // the hand's attribute is about rows of card
    expect(names).toContain('debit_cards_active');
  });

  it('merges labels code by code, tables field by field, column terms and orders by column', () => {
    const merged = mergeSemanticModels(
      bootstrap,
      hand({
        labels: { 'client.gender': { M: { ru: ['мужчины'], en: ['men'] } } },
        tables: { loan: { endDate: 'maturity_date' } },
        columns: { 'client_household.children_count': { ru: ['дети'], en: [] } },
        orders: { 'client.client_segment': ['MASS', 'AFFLUENT', 'PREMIUM', 'PRIVATE'] },
      }),
    );
    expect(merged.labels['client.gender']).toEqual({
      M: { ru: ['мужчины'], en: ['men'] },
      F: { ru: ['женский'], en: [] },
    });
    expect(merged.tables['loan']).toMatchObject({ date: 'issue_date', endDate: 'maturity_date' });
    expect(merged.columns['client_household.children_count']).toEqual({ ru: ['дети'], en: [] });
    expect(merged.columns['client_household.dependents_count']).toEqual(
      bootstrap.columns['client_household.dependents_count'],
    );
    expect(merged.orders['client.client_segment']).toEqual(['MASS', 'AFFLUENT', 'PREMIUM', 'PRIVATE']);
    expect(merged.orders['card.card_tier']).toEqual(bootstrap.orders['card.card_tier']);
  });

  it("takes the hand's value columns when it lists some (their order breaks ties), else the bootstrap's", () => {
    const own = ['ref_city.city_name', 'ref_region.region_name'];
    expect(mergeSemanticModels(bootstrap, hand({ valueColumns: own })).valueColumns).toEqual(own);
    expect(mergeSemanticModels(bootstrap, hand({})).valueColumns).toEqual(bootstrap.valueColumns);
  });
});

describe('warehouseSemanticModel', () => {
  it.each(['bank', 'berka'] as const)(
    'merges the %s hand file over the bootstrap into a valid model, every hand attribute first',
    (warehouse) => {
      const catalog = loadCatalogSnapshot(warehouse);
      const merged = warehouseSemanticModel(warehouse, catalog, warehouse)!;
      expect(() => new SemanticModel(merged, catalog, warehouse)).not.toThrow();
      const own = findSemanticModelFile(warehouse)!;
      expect(merged.attributes.slice(0, own.attributes.length)).toEqual(own.attributes);
      expect(merged.now).toBe(own.now);
      expect(Object.keys(merged.columns).length).toBeGreaterThan(Object.keys(own.columns).length);
      expect(Object.keys(merged.labels).length).toBeGreaterThan(Object.keys(own.labels).length);
    },
  );

  it('reads a warehouse whose annotations hold no model with the bootstrap alone', () => {
    const catalog = loadCatalogSnapshot('bank_marketing');
    expect(findSemanticModelFile('bank_marketing')).toBeUndefined();
    expect(warehouseSemanticModel('bank_marketing', catalog, 'bank_marketing')).toEqual(
      bootstrapSemanticModel(catalog, 'bank_marketing'),
    );
    expect(
      warehouseSemanticModel('bank_marketing', catalog, 'bank_marketing', { source: 'hand' }),
    ).toBeUndefined();
  });

  it('reads the hand file alone or the bootstrap alone when told', () => {
    expect(
      warehouseSemanticModel('berka', loadCatalogSnapshot('berka'), 'berka', { source: 'hand' }),
    ).toEqual(findSemanticModelFile('berka'));
    expect(warehouseSemanticModel('bank', bank, 'bank', { source: 'bootstrap' })).toEqual(bootstrap);
  });

  it('takes its source from T2S_MODEL text, refusing an unknown one', () => {
    expect(parseModelSource(undefined)).toBe('merged');
    expect(parseModelSource('bootstrap')).toBe('bootstrap');
    expect(() => parseModelSource('handwritten')).toThrow(SemanticModelError);
  });
});
