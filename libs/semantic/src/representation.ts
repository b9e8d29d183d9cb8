import { z } from 'zod';

function columnRefSchemaBase() {
  return z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'Must be table.column in lower case');
}

/**
 * The criteria representation: what a criterion means, independent of how it was written. A segment is
 * inclusion and exclusion criteria; a criterion is a boolean combination of predicates; a predicate
 * names only tables, columns and attributes the warehouse has (checked against the catalog and the
 * semantic model when compiled, R4). Column references are `table.column`, unqualified by schema.
 */

export const TIME_UNITS = ['day', 'month', 'year'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

export const spanSchema = z.strictObject({ n: z.number().int().min(0).max(1_000), unit: z.enum(TIME_UNITS) });
export type Span = z.infer<typeof spanSchema>;

/** A date relative to the warehouse's "now" (its report date): `{now: true, minus: {n: 30, unit: 'day'}}`. */
export const relativeDateSchema = z.strictObject({
  now: z.literal(true),
  /** The first day of the report date's year or month ("в этом году"), before `minus`. */
  start: z.enum(['year', 'month']).optional(),
  minus: spanSchema.optional(),
  /** After `minus`: "в ближайшие 2 месяца" ends at now + 2 months; "в ноябре" is the year's start + 10 months. */
  plus: spanSchema.optional(),
});
export type RelativeDate = z.infer<typeof relativeDateSchema>;

/**
 * A value read from a reference row: `{lookup: {column: 'ref_product.min_age', where: {column:
 * 'ref_product.product_code', value: 'CC_CLASSIC'}}}` (the product's own age limit).
 */
export const lookupValueSchema = z.strictObject({
  lookup: z.strictObject({
    column: columnRefSchemaBase(),
    where: z.strictObject({
      column: columnRefSchemaBase(),
      value: z.union([z.string(), z.number(), z.boolean()]),
    }),
  }),
});
export type LookupValue = z.infer<typeof lookupValueSchema>;

/**
 * The same client's value of another scalar attribute on the same rows, times a factor: "доход в 1,5
 * раза выше средней зарплаты в регионе" is `{attr: 'region_avg_salary', times: 1.5}`.
 */
export const attrValueSchema = z.strictObject({
  attr: z.string().min(1),
  times: z.number().positive().finite().optional(),
});
export type AttrValue = z.infer<typeof attrValueSchema>;

export const scalarSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  relativeDateSchema,
  lookupValueSchema,
  attrValueSchema,
]);
export type Scalar = z.infer<typeof scalarSchema>;

export const comparisonSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'like']), value: scalarSchema }),
  z.strictObject({ op: z.literal('between'), min: scalarSchema, max: scalarSchema }),
  z.strictObject({ op: z.enum(['in', 'not_in']), values: z.array(scalarSchema).min(1) }),
  z.strictObject({ op: z.enum(['is_null', 'not_null']) }),
]);
export type Comparison = z.infer<typeof comparisonSchema>;

export const columnRefSchema = columnRefSchemaBase();

/** Rows of a table (or of tables reachable from it by many-to-one keys) that satisfy a condition. */
export type RowCondition =
  | { column: string; cmp: Comparison }
  | { all: RowCondition[] }
  | { any: RowCondition[] }
  | { not: RowCondition };

export const rowConditionSchema: z.ZodType<RowCondition> = z.lazy(() =>
  z.union([
    z.strictObject({ column: columnRefSchema, cmp: comparisonSchema }),
    z.strictObject({ all: z.array(rowConditionSchema).min(1) }),
    z.strictObject({ any: z.array(rowConditionSchema).min(1) }),
    z.strictObject({ not: rowConditionSchema }),
  ]),
);

/** Rows whose date column falls in the last `n` units before the warehouse's "now" (its report date). */
export const windowSchema = z.strictObject({
  column: columnRefSchema,
  last: spanSchema.extend({ n: z.number().int().min(1).max(1_000) }),
  /** The window ends this long before the report date ("5 purchases in the 6 months before that"). */
  before: spanSchema.optional(),
  /** The window ends on this ISO day instead of the report date ("in the last 12 months as of 31.12.1998"). */
  asOf: z.iso.date().optional(),
});
export type TimeWindow = z.infer<typeof windowSchema>;

export const AGGREGATE_FUNCTIONS = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max'] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

export const QUANTIFIERS = ['some', 'none', 'all'] as const;
export type Quantifier = (typeof QUANTIFIERS)[number];

/**
 * - `attr`: a business attribute of the semantic model (age, average monthly card spend, ...), with a
 *   comparison (omitted for boolean attributes) and optional refinements of its window and rows.
 * - `related`: clients with some / no / only rows of a table meeting a condition (`table` omitted: the
 *   table the condition's columns start from, e.g. the client table itself).
 * - `aggregate`: an aggregate over a client's related rows compared with a value (`per: 'month'`
 *   divides by the window's months).
 */
export const predicateSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('attr'),
    attr: z.string().min(1),
    cmp: comparisonSchema.optional(),
    where: rowConditionSchema.optional(),
    window: windowSchema.shape.last.optional(),
    /** With `window`: it ends this long before the report date. */
    before: spanSchema.optional(),
    /**
     * The day the attribute is taken at instead of the warehouse's "now", an ISO date: a scalar's value
     * ("aged 25 to 35 as of 1 January 1999") and a window's end ("loans granted in the last 12 months
     * as of 31.12.1998").
     */
    asOf: z.iso.date().optional(),
  }),
  z.strictObject({
    type: z.literal('related'),
    table: z.string().min(1).optional(),
    quantifier: z.enum(QUANTIFIERS),
    where: rowConditionSchema.optional(),
    window: windowSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('aggregate'),
    table: z.string().min(1),
    fn: z.enum(AGGREGATE_FUNCTIONS),
    column: columnRefSchema.optional(),
    per: z.literal('month').optional(),
    where: rowConditionSchema.optional(),
    window: windowSchema.optional(),
    /**
     * Compare the share (0..1) of the aggregate that rows meeting this condition make up ("online
     * purchases are more than half of all card purchases"): `fn` over them divided by `fn` over all.
     */
    share: rowConditionSchema.optional(),
    cmp: comparisonSchema,
  }),
]);
export type Predicate = z.infer<typeof predicateSchema>;

export type Expr = Predicate | { and: Expr[] } | { or: Expr[] } | { not: Expr };

export const exprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.union([
    predicateSchema,
    z.strictObject({ and: z.array(exprSchema).min(1) }),
    z.strictObject({ or: z.array(exprSchema).min(1) }),
    z.strictObject({ not: exprSchema }),
  ]),
);

export const CRITERION_KINDS = ['include', 'exclude'] as const;

/** One criterion of a segment in structured form: what the contracts' `Criterion.spec` carries. */
export const criterionSpecSchema = z.strictObject({
  id: z.string().min(1).max(64),
  kind: z.enum(CRITERION_KINDS),
  expr: exprSchema,
});
export type CriterionSpec = z.infer<typeof criterionSpecSchema>;

export function isPredicate(expr: Expr): expr is Predicate {
  return 'type' in expr;
}

/** The predicates of an expression, through its `and`, `or` and `not`, in order. */
export function predicatesOf(expr: Expr): Predicate[] {
  if ('and' in expr) return expr.and.flatMap(predicatesOf);
  if ('or' in expr) return expr.or.flatMap(predicatesOf);
  if ('not' in expr) return predicatesOf(expr.not);
  return [expr];
}
