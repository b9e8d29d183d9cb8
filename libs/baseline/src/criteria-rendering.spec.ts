// How every eval case's criteria read to a marketer, in Russian and English (issue 16): criteria text
// parsed by the baseline's parser, offers through the baseline's rules with the demo bank's reference rows
// from a fixture, each criterion rendered and held to `renderingFaults` (no `table.column`, placeholder
// or labelled code). Reviewed as a committed Jest snapshot; runs on the catalog snapshots, no database.
import { loadCatalogSnapshot, type SnapshotWarehouse } from '@t2s/catalog/testing';
import { offerSchema, type Offer } from '@t2s/contracts';
import {
  CriteriaRenderer,
  exprSchema,
  orElse,
  renderingFaults,
  SemanticModel,
  warehouseSemanticModel,
  type Expr,
  type Language,
  type ReferenceValues,
} from '@t2s/semantic';
import { createBaselineStrategy } from './baseline.strategy';
import { CriteriaParser } from './criteria-parser';
import { offerText } from './offer-rules';
import { evalCaseFiles } from './testing/eval-case-files';
import { referenceFixture } from './testing/reference-rows.fixture';

interface EvalCaseFile {
  id: string;
  warehouse: SnapshotWarehouse;
  kind: 'offer' | 'criteria';
  language: Language;
  offer: unknown;
  criteria?: string;
}

const strategy = createBaselineStrategy({
  references: (catalog) => referenceFixture(catalog.schemas[0] ?? ''),
});
const warehouses = new Map<
  SnapshotWarehouse,
  { catalog: ReturnType<typeof loadCatalogSnapshot>; model: SemanticModel; parser?: CriteriaParser }
>();

/** A warehouse's snapshot and the model the service reads it with, made once. */
function warehouse(name: SnapshotWarehouse) {
  let known = warehouses.get(name);
  if (!known) {
    const catalog = loadCatalogSnapshot(name);
    const file = warehouseSemanticModel(name, catalog, name);
    if (!file) throw new Error(`no model for ${name}`);
    known = { catalog, model: new SemanticModel(file, catalog, name) };
    warehouses.set(name, known);
  }
  return known;
}

/** The offer's product by the offer's name for it, as the strategy names it. */
function offered(offer: Offer): ReferenceValues {
  return {
    value: () => undefined,
    name: (_column, key) => (key === offer.product.code ? offer.product.name : undefined),
  };
}

interface Rendered {
  kind: string;
  /** The marketer's own words the criterion was read from (criteria cases). */
  from?: string;
  ru: string;
  en: string;
}

function rendered(
  model: SemanticModel,
  references: ReferenceValues,
  kind: string,
  expr: Expr,
  from?: string,
) {
  const ru = new CriteriaRenderer(model, 'ru', references).expr(expr);
  const en = new CriteriaRenderer(model, 'en', references).expr(expr);
  return { kind, ...(from === undefined ? {} : { from }), ru, en };
}

function faultsOf(model: SemanticModel, criteria: Rendered[]): string[] {
  return criteria.flatMap((c) =>
    [c.ru, c.en].flatMap((text) =>
      renderingFaults(text, model).map((f) => `${f.kind} ${f.text} in "${text}"`),
    ),
  );
}

const cases = evalCaseFiles<EvalCaseFile>();

it('reads every case of the eval set, own, dev and unseen', () => {
  expect(cases.length).toBeGreaterThan(400);
  expect(new Set(cases.map((c) => c.path.split('/')[0]))).toEqual(
    new Set(['bank', 'berka', 'dev', 'unseen']),
  );
});

describe.each(cases)('$path', ({ file }) => {
  it('renders each criterion for a marketer, with no code, column or placeholder', async () => {
    const known = warehouse(file.warehouse);
    const model = known.model;
    const offer = offerSchema.parse(file.offer);
    const references = orElse(referenceFixture(file.warehouse), offered(offer));
    let criteria: Rendered[];
    if (file.kind === 'criteria') {
      known.parser ??= new CriteriaParser(model);
      const parsed = known.parser.parse(file.criteria ?? '');
      criteria = parsed.criteria.map((c) => rendered(model, references, c.spec.kind, c.spec.expr, c.text));
    } else {
      const generated = await strategy.criteria.generate({ offer, catalog: known.catalog });
      criteria = generated.criteria.map((c) => {
        const expr = exprSchema.parse((c.spec as { expr: unknown }).expr);
        const both = rendered(model, references, c.kind, expr);
        // The strategy writes the same text in the offer's language.
        expect(c.text).toBe(/[а-яё]/i.test(offerText(offer)) ? both.ru : both.en);
        return both;
      });
    }
    expect(faultsOf(model, criteria)).toEqual([]);
    expect(criteria).toMatchSnapshot();
  });
});

describe("an offer's product limits (issue 16's example)", () => {
  const youthCard = offerSchema.parse({
    product: { type: 'credit_card', code: 'CC-YOUNG', name: 'Молодёжная кредитная карта' },
    title: 'Молодёжная кредитная карта: 100 дней без процентов',
    description:
      'Кредитная карта для молодёжи и студентов с льготным периодом 100 дней и кешбэком 5% на кафе.',
    channel: 'PUSH',
  });
  const cashback = offerSchema.parse({
    ...youthCard,
    product: { type: 'credit_card', code: 'CC_CASHBACK', name: 'Молодёжная кредитная карта с кешбэком' },
  });
  const ages = async (offer: Offer, references = true) => {
    const known = warehouse('bank');
    const generated = await (references ? strategy : createBaselineStrategy()).criteria.generate({
      offer,
      catalog: known.catalog,
    });
    const age = generated.criteria.find((c) => JSON.stringify(c.spec).includes('"lookup"'));
    const expr = exprSchema.parse((age?.spec as { expr: unknown }).expr);
    const refs = references ? orElse(referenceFixture('bank'), offered(offer)) : offered(offer);
    return { text: age?.text, en: new CriteriaRenderer(known.model, 'en', refs).expr(expr) };
  };

  it("reads a product the reference table holds with its limits' values and its name", async () => {
    expect(await ages(cashback)).toEqual({
      text: 'Возраст от 21 до 70 лет (пределы, установленные для продукта «Кредитная карта с кешбэком»)',
      en: 'Age between 21 and 70 years (the limits set for the product «Кредитная карта с кешбэком»)',
    });
  });

  it('says a product the reference table does not hold has no limits there, so none apply', async () => {
    // The compiled bound is "no row, no bound": the text must not promise limits.
    expect(await ages(youthCard)).toEqual({
      text: 'Возраст: у продукта «Молодёжная кредитная карта» в справочнике нет таких ограничений, они не применяются',
      en: 'Age: the product «Молодёжная кредитная карта» has no such limits in the reference table, none applied',
    });
  });

  it("reads the limits of a product nobody has the values of by the offer's name for it, never its code", async () => {
    expect(await ages(youthCard, false)).toEqual({
      text: 'Возраст в пределах, установленных для продукта «Молодёжная кредитная карта»',
      en: 'Age within the limits set for the product «Молодёжная кредитная карта»',
    });
    expect(await ages(cashback, false)).toEqual({
      text: 'Возраст в пределах, установленных для продукта «Молодёжная кредитная карта с кешбэком»',
      en: 'Age within the limits set for the product «Молодёжная кредитная карта с кешбэком»',
    });
  });
});
