import { z } from 'zod';
import {
  AGGREGATE_FUNCTIONS,
  columnRefSchema,
  comparisonSchema,
  QUANTIFIERS,
  rowConditionSchema,
  spanSchema,
  windowSchema,
} from './representation';

const words = z.array(z.string().min(1)).default([]);

/** Words in both languages; the parser matches them (stemmed), the renderer shows the first. */
export const termsSchema = z.strictObject({ ru: words, en: words });
export type Terms = z.infer<typeof termsSchema>;

const labelSchema = z.strictObject({ ru: z.string().min(1), en: z.string().min(1) });

/** How an attribute is computed for a client, with the comparison left open. */
export const measureSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('scalar'),
    /** The entity table or a table with one row per client. */
    table: z.string().min(1),
    /** SQL over `{t}` (the table's alias) and `{now}` (the warehouse's "today"). */
    sql: z.string().min(1),
  }),
  z.strictObject({
    kind: z.literal('related'),
    table: z.string().min(1),
    quantifier: z.enum(QUANTIFIERS).default('some'),
    where: rowConditionSchema.optional(),
    window: windowSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('aggregate'),
    table: z.string().min(1),
    fn: z.enum(AGGREGATE_FUNCTIONS),
    column: columnRefSchema.optional(),
    per: z.literal('month').optional(),
    where: rowConditionSchema.optional(),
    window: windowSchema.optional(),
  }),
]);
export type Measure = z.infer<typeof measureSchema>;

export const attributeSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: labelSchema,
  /** year, rub, day, count, percent...: what numbers next to the attribute's words mean. */
  unit: z.string().min(1).optional(),
  /** The value is per month (a monthly income): an amount said per year ("годовой доход") is divided by 12. */
  per: z.literal('month').optional(),
  /** boolean: the attribute is a yes/no fact (owns a product); else it is compared with a value. */
  type: z.enum(['number', 'boolean', 'date']).default('number'),
  terms: termsSchema,
  /** Words that name the attribute's opposite ("нерезиденты", "uninsured"): the clients without it. */
  antonyms: termsSchema.optional(),
  /**
   * Words that name the attribute with a comparison of their own ("многодетные": at least 3 children;
   * "large families"), when the text gives no number.
   */
  phrases: z.array(z.strictObject({ terms: termsSchema, cmp: comparisonSchema })).default([]),
  measure: measureSchema,
  /** The date column a year or period next to this attribute refers to (age: the birth date). */
  date: columnRefSchema.optional(),
  /** A number in this unit with no attribute named next to it means this attribute ("старше 30 лет": age). */
  defaultForUnit: z.string().min(1).optional(),
  /** Columns whose values can refine the measure's rows ("траты на АЗС": the MCC group of the purchase). */
  refinements: z.array(columnRefSchema).default([]),
});
export type Attribute = z.infer<typeof attributeSchema>;

/** Maps a table's rows to a client through a link table (Berka: account -> disp(OWNER) -> client). */
export const bridgeSchema = z.strictObject({
  /** The table whose rows are mapped. */
  table: z.string().min(1),
  /** The link table, joined on `link.<on> = table.<on>`. */
  link: z.string().min(1),
  on: z.string().min(1),
  where: rowConditionSchema.optional(),
});

export const tableTermsSchema = z.strictObject({
  label: labelSchema.optional(),
  terms: termsSchema.optional(),
  /** The column a year or period about this table's rows refers to ("кредиты, выданные в 1997": loan.date). */
  date: z.string().min(1).optional(),
  /** The column a row's end is dated by (closing, cancelling); periods about ended rows refer to it. */
  endDate: z.string().min(1).optional(),
});

/**
 * One line of a segment's portrait (the segment against the whole base):
 * - `attr` with `bands`: a number in bands (age 18–24, 25–34 ...; the bands' lower bounds);
 * - `attr` with `by`: the clients with the attribute's rows, by a column of them (consents per channel);
 * - `attrs`: yes/no attributes side by side (products held), each the share that has it;
 * - `column`: a coded column of the client or of what it names (the region's federal district).
 */
export const portraitDimensionSchema = z.union([
  z.strictObject({
    attr: z.string().min(1),
    bands: z.array(z.number()).min(1),
    label: labelSchema.optional(),
  }),
  z.strictObject({ attr: z.string().min(1), by: columnRefSchema, label: labelSchema.optional() }),
  z.strictObject({ attrs: z.array(z.string().min(1)).min(1), label: labelSchema }),
  z.strictObject({ column: columnRefSchema, label: labelSchema.optional() }),
]);
export type PortraitDimensionSpec = z.infer<typeof portraitDimensionSchema>;

/**
 * Where the warehouse records that a client converted (campaign responses, a subscription flag): the
 * table, its column holding the client's key, and which rows mark a conversion (`column` in `values`).
 * Read only by the conversion report (`ConversionService` of @t2s/segment-service), never by a strategy or
 * the criteria compiler: an outcome is what a segment is judged by, not chosen by.
 */
export const outcomesSpecSchema = z.strictObject({
  table: z.string().min(1),
  client: z.string().min(1),
  column: z.string().min(1),
  values: z.array(z.string().min(1)).min(1),
  /** The column giving when the client converted, if the table has one. */
  date: z.string().min(1).optional(),
  label: labelSchema,
});
export type OutcomesSpec = z.infer<typeof outcomesSpecSchema>;

/**
 * The semantic layer of one warehouse, kept with the project's configuration
 * (`config/warehouses/<schema>.annotations.json`, next to the PII marks), not in code.
 */
export const semanticModelSchema = z.object({
  warehouse: z.string().min(1),
  entity: z.strictObject({
    table: z.string().min(1),
    id: z.string().min(1),
    label: labelSchema,
  }),
  /** A scalar subquery giving the warehouse's "today" (its report date); default `current_date`. */
  now: z.string().min(1).optional(),
  /**
   * How far back "недавно", "recently", "lately" reach when the text gives no window (the bank's own
   * convention); unset, such words set no window.
   */
  recently: spanSchema.optional(),
  bridges: z.array(bridgeSchema).default([]),
  tables: z.record(z.string(), tableTermsSchema).default({}),
  attributes: z.array(attributeSchema).default([]),
  /** `table.column` -> code value -> words that name it (labels of coded values). */
  labels: z.record(columnRefSchema, z.record(z.string(), termsSchema)).default({}),
  /**
   * Where a condition on a reference table alone is about, when no table is named: "медицинские услуги"
   * (an MCC group) means purchases, `{"ref_mcc_group": "card_transaction"}`.
   */
  valueContexts: z.record(z.string(), z.string()).default({}),
  /**
   * `table.column` -> the column keeping its past values, month by month ("перешли из массового сегмента
   * в «массовый плюс»": the segment history). The history's table needs a `date` in `tables`.
   */
  history: z.record(columnRefSchema, columnRefSchema).default({}),
  /** `table.column` -> words that name the column beyond its comment ("истекает" for the maturity date). */
  columns: z.record(columnRefSchema, termsSchema).default({}),
  /** Columns whose values a phrase may name (value linking), beyond the labelled ones. */
  valueColumns: z.array(columnRefSchema).default([]),
  /**
   * `table.column` -> its codes from lowest to highest, where the documentation orders them (education
   * levels, card tiers, ratings, "низкий/средний/высокий"), so "X and above" can be read as a set of codes.
   */
  orders: z.record(columnRefSchema, z.array(z.string().min(1)).min(2)).default({}),
  /** What a segment's portrait shows, in order; empty: the model's coded client columns and yes/no attributes. */
  portrait: z.array(portraitDimensionSchema).default([]),
  /** Campaign responses, for the conversion report only (`outcomesSpecSchema`). */
  outcomes: outcomesSpecSchema.optional(),
});
export type SemanticModelFile = z.infer<typeof semanticModelSchema>;

export { comparisonSchema };
