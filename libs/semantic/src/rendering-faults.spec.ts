// The check every rendering is held to (issue 16): it must fail on what the old renderer wrote (a
// `table.column`, a code in brackets, an unfilled placeholder) and pass what a marketer can read.
import { loadCatalogSnapshot } from '@t2s/catalog/testing';
import { warehouseSemanticModel } from './bootstrap/model-source';
import { CriteriaRenderer } from './render';
import { referenceRows } from './render-references';
import { renderingFaults } from './rendering-faults';
import type { Expr } from './representation';
import { SemanticModel } from './semantic-model';

const catalog = loadCatalogSnapshot('bank');
const model = new SemanticModel(warehouseSemanticModel('bank', catalog, 'bank')!, catalog, 'bank');
const kinds = (text: string) => renderingFaults(text, model).map((f) => `${f.kind} ${f.text}`);

describe('renderingFaults', () => {
  it("fails the old renderer's texts", () => {
    expect(
      kinds(
        'Возраст от минимальный возраст клиента для оформления (CC-YOUNG) до максимальный возраст клиента для оформления (CC-YOUNG) лет',
      ),
    ).toEqual(['code CC-YOUNG']);
    expect(
      kinds('Age between ref_product.min_age (CC_CASHBACK) and ref_product.max_age (CC_CASHBACK) years'),
    ).toEqual([
      'column ref_product.min_age',
      'column ref_product.max_age',
      'name ref_product',
      'name min_age',
      'name max_age',
      'code CC_CASHBACK',
    ]);
    expect(kinds('client.client_status = ACTIVE')).toEqual([
      'column client.client_status',
      'name client_status',
      'code ACTIVE (card.card_status)',
    ]);
    expect(kinds('статус кредита одно из: просрочен (OVERDUE), списан (WRITTEN_OFF)')).toEqual([
      'code WRITTEN_OFF',
      'code OVERDUE (loan.loan_status)',
      'code WRITTEN_OFF (loan.loan_status)',
    ]);
  });

  it('fails a one-letter code only where it stands as a value', () => {
    expect(kinds('пол: M')).toEqual(['code M (client.gender)']);
    expect(kinds('женщины (F)')).toEqual(['code F (client.gender)']);
    expect(kinds('Age over 30 years, a Moscow resident')).toEqual([]);
  });

  it('fails placeholders and names of the warehouse', () => {
    expect(kinds('Есть карта (продукт: $product_code)')).toEqual([
      'name product_code',
      'placeholder $product_code',
    ]);
    expect(kinds('Возраст {t}.age больше 30')).toEqual(['placeholder {t}']);
    expect(kinds('Has card_transaction over undefined')).toEqual([
      'name card_transaction',
      'placeholder undefined',
    ]);
  });

  it('passes labels, values and a code that is its own label', () => {
    expect(kinds('Есть согласие на рекламу (канал коммуникации: SMS)')).toEqual([]);
    expect(kinds('Клиентский сегмент: премиальный сегмент или частное банковское обслуживание')).toEqual([]);
    expect(kinds('Has a brokerage account or IIS')).toEqual([]);
  });

  it("passes the renderer's texts of the same criteria", () => {
    const references = referenceRows(
      {
        ref_product: [
          {
            product_code: 'CC_CASHBACK',
            product_name: 'Кредитная карта с кешбэком',
            min_age: 21,
            max_age: 70,
          },
        ],
      },
      { ref_product: 'product_name' },
    );
    const lookup = (column: string) => ({
      lookup: { column, where: { column: 'ref_product.product_code', value: 'CC_CASHBACK' } },
    });
    const criteria: Expr[] = [
      {
        type: 'attr',
        attr: 'age',
        cmp: { op: 'between', min: lookup('ref_product.min_age'), max: lookup('ref_product.max_age') },
      },
      {
        type: 'related',
        quantifier: 'some',
        where: { column: 'client.client_status', cmp: { op: 'eq', value: 'ACTIVE' } },
      },
      {
        type: 'related',
        quantifier: 'some',
        table: 'loan',
        where: { column: 'loan.loan_status', cmp: { op: 'in', values: ['OVERDUE', 'WRITTEN_OFF'] } },
      },
      {
        type: 'related',
        quantifier: 'some',
        table: 'card',
        where: { column: 'card.product_code', cmp: { op: 'eq', value: 'CC_CASHBACK' } },
      },
    ];
    for (const language of ['ru', 'en'] as const) {
      for (const withRows of [true, false]) {
        const renderer = new CriteriaRenderer(model, language, withRows ? references : undefined);
        for (const expr of criteria.slice(0, withRows ? 4 : 3)) {
          const text = renderer.expr(expr);
          expect({ text, faults: kinds(text) }).toEqual({ text, faults: [] });
        }
      }
    }
  });
});
