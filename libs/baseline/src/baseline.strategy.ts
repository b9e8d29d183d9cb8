import type { Catalog } from '@t2s/catalog';
import { AppError, type Criterion, type CriterionProvenance, type Offer } from '@t2s/contracts';
import {
  CompileError,
  CriteriaCompiler,
  CriteriaRenderer,
  exprSchema,
  NO_REFERENCES,
  orElse,
  SemanticModel,
  warehouseSemanticModel,
  type CriterionSpec,
  type Expr,
  type Language,
  type ModelSource,
  type ReferenceValues,
  type SemanticModelFile,
} from '@t2s/semantic';
import {
  adoptCriteria,
  adoptThreshold,
  keyOf,
  provenanceText,
  readsSameData,
  type AdoptOptions,
  type Precedent,
} from '@t2s/precedents';
import type { CriteriaInput, LinkingInput, PipelineStrategy, SqlInput } from '@t2s/strategy';
import { CriteriaParser } from './criteria-parser';
import { phraseStems } from './text/tokens';
import {
  audienceClauses,
  findOfferRules,
  hostileOfferText,
  matchRules,
  offerText,
  policyRules,
  readableOfferText,
  standardCriteria,
  switchClauses,
  withOffer,
  type OfferRules,
} from './offer-rules';

export interface BaselineOptions {
  /** Use this warehouse's semantic model and rules for any schema (a copy of `bank` under another name). */
  modelName?: string;
  /**
   * The semantic model of a warehouse schema; default the hand file
   * (`config/warehouses/<schema>.annotations.json`) merged over the model bootstrapped from the catalog.
   */
  modelFile?: (schema: string) => SemanticModelFile | undefined;
  /** Which model the default reads: `merged` (default), `hand` or `bootstrap` (T2S_MODEL in the apps). */
  modelSource?: ModelSource;
  /** The offer rules of a warehouse; default `config/rules/<model warehouse>.offer-rules.json`. */
  offerRules?: (warehouse: string) => OfferRules | undefined;
  /**
   * The reference rows a catalog's criteria read values from (a product's age limits), so their text
   * says "от 21 до 70 лет"; default none: the text names whose limits they are (the offer's product).
   * The strategy reads no warehouse itself: a caller that has it reads the small reference tables once,
   * as it reads the catalog (`referenceRows`).
   */
  references?: (catalog: Catalog) => ReferenceValues | undefined;
  /** How many past campaigns an offer's criteria are adopted from, and how often a criterion must recur. */
  precedents?: AdoptOptions;
}

interface Bound {
  model: SemanticModel;
  parser: CriteriaParser;
  compiler: CriteriaCompiler;
  rules: OfferRules | undefined;
  references: ReferenceValues;
}

/**
 * The offline baseline (no LLM): criteria text parsed over the warehouse's semantic model, criteria from
 * an offer by the warehouse's rule table, one SQL compiled from the structured criteria. Deterministic,
 * instant and free: the service's default strategy and the bar every LLM strategy must beat.
 */
export class BaselineStrategy implements PipelineStrategy {
  readonly name = 'baseline';
  private readonly bound = new WeakMap<Catalog, Bound>();

  readonly criteria = {
    generate: async (input: CriteriaInput) =>
      this.generateCriteria(input.offer, input.criteriaText, input.catalog, input.precedents ?? []),
  };

  readonly linking = {
    link: async (input: LinkingInput) => {
      const { compiler, model } = this.bind(input.catalog);
      const byCriterion: Record<string, string[]> = {};
      for (const criterion of input.criteria) {
        byCriterion[criterion.id] = tablesOf(compile(compiler, specOf(criterion).expr), model.schema);
      }
      const tables = [...new Set(Object.values(byCriterion).flat())].sort();
      return { tables, byCriterion, tokens: 0 };
    },
  };

  readonly sql = {
    // The criteria compile to the SQL as they are: the linked tables add nothing.
    generate: async (input: Omit<SqlInput, 'linked'>) => {
      // Deterministic: the same criteria compile to the same SQL, so a repair round cannot help.
      if (input.previousError) {
        throw new AppError(
          input.previousError.code,
          `The baseline cannot repair: ${input.previousError.message}`,
        );
      }
      const { compiler } = this.bind(input.catalog);
      const specs = input.criteria.map(specOf);
      const sql = compileWith(() => compiler.segment(specs));
      const perCriterion = specs.map((spec) => ({ id: spec.id, sql: compile(compiler, spec.expr) }));
      return { sql, perCriterion, tokens: 0 };
    },
  };

  constructor(private readonly options: BaselineOptions = {}) {}

  /**
   * The semantic model this strategy reads and compiles a catalog with (its hand file merged over the
   * bootstrap): what criteria given as structure and the portrait are read with too. Throws
   * SCHEMA_LINKING_FAILED when the warehouse has none.
   */
  modelFor(catalog: Catalog): SemanticModel {
    return this.bind(catalog).model;
  }

  private generateCriteria(
    offer: Offer,
    criteriaText: string | undefined,
    catalog: Catalog,
    precedents: readonly Precedent[],
  ) {
    const bound = this.bind(catalog);
    const language: Language = /[а-яё]/i.test(criteriaText ?? offerText(offer)) ? 'ru' : 'en';
    if (criteriaText !== undefined) {
      const parsed = bound.parser.parse(criteriaText);
      const criteria = parsed.criteria.map((c): Criterion => ({
        id: c.spec.id,
        text: c.text,
        kind: c.spec.kind,
        source: 'person',
        spec: { expr: c.spec.expr },
      }));
      return {
        criteria: this.checked(bound, criteria),
        unparsed: parsed.unparsed,
        coverage: parsed.coverage,
        tokens: 0,
      };
    }
    const picked = this.withPrecedents(bound, offer, this.fromOffer(bound, offer), precedents);
    const renderer = this.renderer(bound, offer, language);
    const criteria = picked.map((c, i): Criterion => ({
      id: `c${i + 1}`,
      text: c.provenance
        ? `${renderer.expr(c.expr)} (${provenanceText(c.provenance, language)})`
        : renderer.expr(c.expr),
      kind: c.kind,
      source: c.provenance ? 'precedent' : 'rule',
      spec: { expr: c.expr },
      ...(c.provenance ? { provenance: c.provenance } : {}),
    }));
    // Hostile text in the offer (SQL, escapes, invisible characters) is read by no rule: it is reported.
    return { criteria: this.checked(bound, criteria), unparsed: hostileOfferText(offer), tokens: 0 };
  }

  /**
   * The offer's criteria with what recurs among the nearest past campaigns (R1 from precedent): a
   * precedent criterion of the same shape as a rule's replaces it when its thresholds or values differ
   * (the bank's house convention over the rule's default), one of no rule's shape is added. Each keeps
   * the campaigns it came from.
   */
  private withPrecedents(
    bound: Bound,
    offer: Offer,
    picked: { kind: 'include' | 'exclude'; expr: Expr }[],
    precedents: readonly Precedent[],
  ): { kind: 'include' | 'exclude'; expr: Expr; provenance?: CriterionProvenance }[] {
    if (precedents.length === 0) return picked;
    const out: { kind: 'include' | 'exclude'; expr: Expr; provenance?: CriterionProvenance }[] = [...picked];
    for (const adopted of adoptCriteria(offer, precedents, this.options.precedents)) {
      const sql = compileOrNull(bound.compiler, adopted.expr);
      if (sql === null) continue;
      // Rules name attributes (`has_marketing_consent`), precedents the rows: both compared as rows.
      const prints = out.map((c) => keyOf(bound.compiler.expanded(c.expr), offer, c.kind));
      // The rules say it already: their criterion stays as it is.
      if (prints.some((p) => p.exact === adopted.exact)) continue;
      const same = prints.findIndex((p) => p.key === adopted.key);
      const criterion = { kind: adopted.kind, expr: adopted.expr, provenance: adopted.provenance };
      if (same >= 0) {
        if (compileOrNull(bound.compiler, (out[same] as { expr: Expr }).expr) !== sql) out[same] = criterion;
      } else if (
        !out.some(
          (c) => c.kind === adopted.kind && readsSameData(bound.compiler.expanded(c.expr), adopted.expr),
        )
      ) {
        // A rule that reads the same columns the same way round (consent on the offer's channel, written
        // in another order or through an attribute) says it already.
        out.push(criterion);
      }
    }
    // A rule asking only for some rows of a measure ("bought travel") takes the amount the bank's
    // campaigns asked of that measure, per month of the window.
    return out.map((c) => {
      if (c.provenance || c.kind !== 'include') return c;
      const expr = bound.compiler.expanded(c.expr);
      if (!('type' in expr) || expr.type !== 'aggregate') return c;
      const some =
        (expr.cmp.op === 'gt' && expr.cmp.value === 0) || (expr.cmp.op === 'gte' && expr.cmp.value === 1);
      const adopted = some
        ? adoptThreshold(expr, precedents, (column) => keyTarget(bound.model, column))
        : undefined;
      if (!adopted) return c;
      const adapted: Expr = { ...expr, cmp: { op: 'gte', value: adopted.value } };
      return { ...c, expr: adapted, provenance: adopted.provenance };
    });
  }

  /**
   * Product and word rules, then the attributes the rules allow to be read from the offer's own text
   * (each replacing a rule's criterion on the same attribute), then the standard exclusions.
   */
  private fromOffer(bound: Bound, offer: Offer): { kind: 'include' | 'exclude'; expr: Expr }[] {
    const rules = bound.rules;
    if (!rules) {
      throw new AppError('CRITERIA_UNPARSED', `No offer rules for warehouse ${bound.model.file.warehouse}`);
    }
    const picked: { kind: 'include' | 'exclude'; expr: Expr; fromText?: boolean; variant?: boolean }[] = [];
    const put = (criterion: { kind: 'include' | 'exclude'; expr: Expr | null }, fromText = false) => {
      if (criterion.expr === null) return;
      // The offer's own words over a word rule on the same column: "premium banking … for mass-affluent
      // clients" is for the mass-affluent, not for every premium segment the rule names.
      const own = valuesOf(criterion.expr);
      if (fromText && own && criterion.kind === 'include') {
        const ruled = picked.findIndex(
          (p) => !p.fromText && p.kind === 'include' && valuesOf(p.expr)?.column === own.column,
        );
        if (ruled >= 0) picked.splice(ruled, 1);
      }
      // Two sources naming values of one column ("премиальная" by rule, "состоятельных клиентов" in the
      // text) describe one audience: their values are alternatives, not an empty intersection.
      const merged = mergeValues(picked, criterion.kind, criterion.expr);
      if (merged) return;
      // The same rows said twice (by a rule and by the offer's text) are one criterion.
      const sql = compile(bound.compiler, criterion.expr);
      if (!picked.some((p) => p.kind === criterion.kind && compile(bound.compiler, p.expr) === sql))
        picked.push({ kind: criterion.kind, expr: criterion.expr, fromText });
    };
    const switched = this.switchedTo(bound, rules, offer);
    // Every source adds; criteria on the same attribute intersect (a youth offer's age and the product's limits).
    for (const rule of matchRules(rules, offer, switched?.stems)) {
      for (const c of rule.criteria) put({ kind: c.kind, expr: withOffer(c.expr, offer) });
    }
    const fromClauses = audienceClauses(rules, offer).flatMap((clause) =>
      bound.parser.parse(clause, 'c', { explicit: true }).criteria.map((c) => c.spec),
    );
    for (const c of fromClauses) put({ kind: c.kind, expr: c.expr }, true);
    // "Клиентам, у которых вклад заканчивается...": the audience holds the product and the clause says
    // something about their holding, so the offer is for its holders (a rollover, an upgrade) and the
    // "already holds it" exclusion would empty the segment.
    const forHolders = (owned: string) => {
      const table = bound.model.attribute(owned)?.measure.table;
      const tables = (expr: Expr) => tablesOf(compile(bound.compiler, expr), bound.model.schema);
      return (
        table !== undefined &&
        fromClauses.some((c) => c.kind === 'include' && attrKey(c.expr) === owned) &&
        fromClauses.some(
          (c) =>
            c.kind === 'include' &&
            attrKey(c.expr) !== owned &&
            tables(c.expr).includes(`${bound.model.schema}.${table}`),
        )
      );
    };
    for (let i = picked.length - 1; i >= 0; i--) {
      const owned = attrKey((picked[i] as (typeof picked)[number]).expr);
      if (picked[i]?.kind === 'exclude' && owned !== null && forHolders(owned)) picked.splice(i, 1);
    }
    if (switched) {
      // "Switch to the Premium tariff": the product's holders are the audience, less those on it already.
      for (let i = picked.length - 1; i >= 0; i--) {
        const p = picked[i] as (typeof picked)[number];
        if (p.kind === 'exclude' && attrKey(p.expr) === switched.owned) picked.splice(i, 1);
      }
      put({ kind: 'include', expr: { type: 'attr', attr: switched.owned } });
      picked.push({ kind: 'exclude', expr: switched.expr, variant: true });
    }
    if (rules.fromOfferText.length > 0) {
      for (const c of bound.parser.parse(readableOfferText(offer), 'c', { explicit: true }).criteria) {
        // An attribute by its name, or values of a column ("в Москве и Санкт-Петербурге") by the column.
        const key = attrKey(c.spec.expr) ?? valuesOf(c.spec.expr)?.column ?? null;
        if (key !== null && rules.fromOfferText.includes(key))
          put({ kind: c.spec.kind, expr: c.spec.expr }, true);
      }
    }
    for (const standard of standardCriteria(rules, offer)) put(standard);
    // A product the offer is about, named in its text, is not an audience criterion when the rules exclude
    // it; rows of some kind ever are implied by the same rows in a recent window ("recently looked at").
    return picked.filter(
      (p) =>
        p.kind === 'exclude' ||
        !picked.some(
          (q) =>
            (q.kind === 'exclude' &&
              !q.variant &&
              attrKey(q.expr) !== null &&
              attrKey(q.expr) === attrKey(p.expr)) ||
            (q.kind === 'include' && q !== p && impliedBy(p.expr, q.expr)),
        ),
    );
  }

  /**
   * The variant a switch offer names ("the Premium brokerage tariff"): a holding attribute narrowed to it,
   * read from the first switch clause that has one, with the clause's stems.
   */
  private switchedTo(
    bound: Bound,
    rules: OfferRules,
    offer: Offer,
  ): { owned: string; expr: Expr; stems: string[] } | undefined {
    for (const clause of switchClauses(rules, offer)) {
      const variant = bound.parser
        .parse(clause, 's', { explicit: true })
        .criteria.find(
          (c) => c.spec.kind === 'include' && 'type' in c.spec.expr && c.spec.expr.type === 'attr',
        );
      const expr = variant?.spec.expr;
      if (expr && 'type' in expr && expr.type === 'attr' && expr.where && !expr.cmp) {
        return { owned: expr.attr, expr, stems: phraseStems(clause) };
      }
    }
    return undefined;
  }

  /**
   * What policy applies to any reading of an offer: the product rules (its holders excluded, its age
   * limits) and the standard exclusions of its channel, as criteria with their text. The LLM strategy
   * adds these to the audience its agent reads from the offer.
   */
  policyCriteria(offer: Offer, catalog: Catalog): Criterion[] {
    const bound = this.bind(catalog);
    const rules = bound.rules;
    if (!rules) return [];
    const language: Language = /[а-яё]/i.test(offerText(offer)) ? 'ru' : 'en';
    const renderer = this.renderer(bound, offer, language);
    const picked: { kind: 'include' | 'exclude'; expr: Expr | null }[] = [];
    for (const rule of policyRules(rules, offer)) {
      for (const c of rule.criteria) picked.push({ kind: c.kind, expr: withOffer(c.expr, offer) });
    }
    picked.push(...standardCriteria(rules, offer));
    const criteria = picked
      .filter((p): p is { kind: 'include' | 'exclude'; expr: Expr } => p.expr !== null)
      .map((p, i): Criterion => ({
        id: `p${i + 1}`,
        text: renderer.expr(p.expr),
        kind: p.kind,
        source: 'rule',
        spec: { expr: p.expr },
      }));
    return this.checked(bound, criteria);
  }

  /**
   * The renderer of an offer's criteria: reference values from the rows the caller gave, and the offer's
   * product by the offer's own name for it (the rules look its limits up by its code), so no text shows
   * the code, even of a product the reference table does not hold.
   */
  private renderer(bound: Bound, offer: Offer, language: Language): CriteriaRenderer {
    const code = offer.product.code;
    const name = offer.product.name ?? productTypeName(bound.model, offer.product.type, language);
    // The rules look a product's values up by `$product_code`, so a key equal to the offer's code is it.
    const offered: ReferenceValues = {
      value: () => undefined,
      name: (_column, key) => (code !== undefined && key === code ? name : undefined),
    };
    return new CriteriaRenderer(bound.model, language, orElse(bound.references, offered));
  }

  /** Every criterion must compile (R4: names only what the warehouse has). */
  private checked(bound: Bound, criteria: Criterion[]): Criterion[] {
    for (const criterion of criteria) compile(bound.compiler, specOf(criterion).expr);
    return criteria;
  }

  private bind(catalog: Catalog): Bound {
    const known = this.bound.get(catalog);
    if (known) return known;
    const schema = catalog.schemas[0];
    if (!schema) throw new AppError('SCHEMA_LINKING_FAILED', 'The catalog names no schema');
    const modelName = this.options.modelName;
    const file = this.options.modelFile
      ? this.options.modelFile(schema)
      : warehouseSemanticModel(modelName ?? schema, catalog, schema, { source: this.options.modelSource });
    if (!file) {
      throw new AppError(
        'SCHEMA_LINKING_FAILED',
        `No semantic model for warehouse ${schema} (config/warehouses)`,
      );
    }
    const model = new SemanticModel(file, catalog, schema);
    const bound: Bound = {
      model,
      parser: new CriteriaParser(model),
      compiler: new CriteriaCompiler(model),
      rules: (this.options.offerRules ?? findOfferRules)(file.warehouse),
      references: this.options.references?.(catalog) ?? NO_REFERENCES,
    };
    this.bound.set(catalog, bound);
    return bound;
  }
}

export function createBaselineStrategy(options: BaselineOptions = {}): BaselineStrategy {
  return new BaselineStrategy(options);
}

/**
 * An offer's product with no name, by its type: the label of the code the type names in the model
 * ("credit_card": CREDIT_CARD, "кредитная карта"), else the type as words.
 */
function productTypeName(model: SemanticModel, type: string, language: Language): string {
  const code = type.toUpperCase();
  for (const codes of Object.values(model.file.labels)) {
    const label = codes[code]?.[language][0];
    if (label) return label;
  }
  return type.replace(/_/g, ' ');
}

/** The column and values of a "some row has one of these values" criterion, if it is one. */
function valuesOf(expr: Expr): { column: string; values: (string | number | boolean)[] } | null {
  if (!('type' in expr) || expr.type !== 'related' || expr.quantifier !== 'some' || expr.table || expr.window)
    return null;
  const where = expr.where;
  if (!where || !('column' in where)) return null;
  const { cmp } = where;
  if (cmp.op === 'eq' && typeof cmp.value !== 'object') return { column: where.column, values: [cmp.value] };
  if (cmp.op === 'in' && cmp.values.every((v) => typeof v !== 'object')) {
    return { column: where.column, values: cmp.values as (string | number | boolean)[] };
  }
  return null;
}

/** Adds the values of `expr` to an earlier criterion on the same column; true when it did. */
function mergeValues(
  picked: { kind: 'include' | 'exclude'; expr: Expr }[],
  kind: string,
  expr: Expr,
): boolean {
  const added = valuesOf(expr);
  if (!added || kind !== 'include') return false;
  const earlier = picked.find((p) => p.kind === 'include' && valuesOf(p.expr)?.column === added.column);
  if (!earlier) return false;
  const values = [...new Set([...(valuesOf(earlier.expr)?.values ?? []), ...added.values])];
  earlier.expr = {
    type: 'related',
    quantifier: 'some',
    where: { column: added.column, cmp: { op: 'in', values } },
  };
  return true;
}

/** "Some row where W" is implied by "some row where W, in a window". */
function impliedBy(expr: Expr, stricter: Expr): boolean {
  if (!('type' in expr) || !('type' in stricter) || expr.type !== 'related' || stricter.type !== 'related')
    return false;
  if (expr.window || !stricter.window || expr.quantifier !== 'some' || stricter.quantifier !== 'some')
    return false;
  return JSON.stringify({ ...stricter, window: undefined }) === JSON.stringify(expr);
}

/** The attribute a criterion is about, when it is a single attribute predicate (rules replace by it). */
function attrKey(expr: Expr): string | null {
  return 'type' in expr && expr.type === 'attr' ? expr.attr : null;
}

function specOf(criterion: Criterion): CriterionSpec {
  const spec = criterion.spec as { expr?: unknown } | undefined;
  const parsed = exprSchema.safeParse(spec?.expr);
  if (!parsed.success) {
    throw new AppError(
      'CRITERIA_UNPARSED',
      `Criterion ${criterion.id} has no structured form the baseline can compile`,
    );
  }
  return { id: criterion.id, kind: criterion.kind, expr: parsed.data };
}

function compileWith(run: () => string): string {
  try {
    return run();
  } catch (error) {
    if (error instanceof CompileError) throw new AppError('SCHEMA_LINKING_FAILED', error.message);
    throw error;
  }
}

function compile(compiler: CriteriaCompiler, expr: Expr): string {
  return compileWith(() => compiler.expr(expr));
}

/** `schema.table` names a query reads. */
function tablesOf(sql: string, schema: string): string[] {
  const quoted = schema.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = new Set<string>();
  for (const match of sql.matchAll(new RegExp(`"?${quoted}"?\\."?([a-z_][a-z0-9_]*)"?`, 'g'))) {
    found.add(`${schema}.${match[1]}`);
  }
  return [...found].sort();
}

/** The column a foreign key column refers to (`ref_mcc.mcc_group_code` is `ref_mcc_group.mcc_group_code`). */
function keyTarget(model: SemanticModel, column: string): string {
  const [table = '', name = ''] = column.split('.');
  const key = model.graph
    .table(table)
    ?.foreignKeys.find((fk) => fk.columns.length === 1 && fk.columns[0] === name);
  return key ? `${key.refTable}.${key.refColumns[0]}` : column;
}

/** The SQL of an expression, or null when it does not compile on this warehouse. */
function compileOrNull(compiler: CriteriaCompiler, expr: Expr): string | null {
  try {
    return compiler.expr(expr);
  } catch {
    return null;
  }
}
