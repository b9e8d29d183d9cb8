import { CRITERION_KINDS } from './criterion.schema';
import { unsafeTextReason } from './safe-text';
import { warehouseNameSchema } from './warehouse-name.schema';
import { z } from './zod-openapi';

/** Criteria in one request at most: a builder's rows, not a rule base. */
export const MAX_CRITERIA_SPEC = 50;
/** Nesting of objects and arrays inside one criterion's `expr`; the representation needs far less. */
const MAX_EXPR_DEPTH = 16;
/** Values (strings, numbers, objects ...) inside one criterion's `expr`. */
const MAX_EXPR_NODES = 2_000;

/**
 * The JSON of one predicate tree, before the service reads it against the criteria representation: only
 * what PostgreSQL can store and a reader can walk without running out of stack. Contracts cannot import
 * the representation (@t2s/semantic); the service checks the rest, with paths into the same field.
 */
const exprJsonCheck = z.superRefine<Record<string, unknown>>((value, ctx) => {
  let nodes = 0;
  const walk = (node: unknown, path: (string | number)[]): boolean => {
    if (++nodes > MAX_EXPR_NODES) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `At most ${MAX_EXPR_NODES} values in one expression`,
      });
      return false;
    }
    if (typeof node === 'string') {
      const reason = unsafeTextReason(node);
      if (reason !== null) ctx.addIssue({ code: 'custom', path, message: reason });
      return true;
    }
    if (node === null || typeof node !== 'object') return true;
    if (path.length >= MAX_EXPR_DEPTH) {
      ctx.addIssue({ code: 'custom', path, message: `Nested deeper than ${MAX_EXPR_DEPTH} levels` });
      return true;
    }
    const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
    for (const [key, child] of entries) {
      if (typeof key === 'string') {
        const reason = unsafeTextReason(key);
        if (reason !== null) ctx.addIssue({ code: 'custom', path: [...path, key], message: reason });
      }
      if (!walk(child, [...path, key])) return false;
    }
    return true;
  };
  walk(value, []);
});

/**
 * One criterion as structure: what a criteria builder holds (attribute, operator, value, window), and
 * what the service's parser produces from text (`Criterion.spec` of a segment's criteria). The same JSON
 * as the criteria representation's `CriterionSpec`; `expr` is checked by the service against the
 * warehouse's semantic model and catalog before anything is stored.
 */
export const criterionSpecInputSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'Must be 1 to 64 letters, digits, _ or -')
      .openapi({ example: 'c1' }),
    kind: z.enum(CRITERION_KINDS).openapi({
      description: 'include: clients must meet it; exclude: clients meeting it are left out.',
    }),
    expr: z
      .record(z.string(), z.unknown())
      .check(exprJsonCheck)
      .openapi({
        description:
          'A predicate (`{type: "attr", attr, cmp?, window?}`, `{type: "related", table?, quantifier, where?, ' +
          'window?}`, `{type: "aggregate", table, fn, column?, where?, window?, cmp}`) or `{and: [...]}`, ' +
          '`{or: [...]}`, `{not: ...}` of them. A comparison is `{op: "eq"|"ne"|"gt"|"gte"|"lt"|"lte"|"like", ' +
          'value}`, `{op: "between", min, max}`, `{op: "in"|"not_in", values}` or `{op: "is_null"|"not_null"}`; ' +
          'a window `{n, unit: "day"|"month"|"year"}`. Attributes, tables, columns (`table.column`) and codes ' +
          'must exist: `GET /v1/warehouses/{name}/attributes` lists them.',
        example: { type: 'attr', attr: 'age', cmp: { op: 'between', min: 20, max: 25 } },
      }),
  })
  .openapi('CriterionSpec');

/** `criteriaSpec` of a segment request or revision: one entry per criterion, ids unique. */
export const criteriaSpecSchema = z
  .array(criterionSpecInputSchema)
  .min(1)
  .max(MAX_CRITERIA_SPEC)
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: 'Duplicate id' });
      seen.add(item.id);
    });
  })
  .openapi({
    description:
      'The criteria as structure (a criteria builder). Given, it is what runs: the text is not parsed, each ' +
      "criterion's text is written from it in the request's language, and the run has nothing unparsed. " +
      'With `criteria` beside it, the text is kept as the wording it came from.',
  });

export type CriterionSpecInput = z.infer<typeof criterionSpecInputSchema>;

export const ATTRIBUTE_TYPES = ['number', 'boolean', 'date'] as const;
export const SPEC_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'in',
  'not_in',
  'like',
  'is_null',
  'not_null',
] as const;

const labelsSchema = z.object({ ru: z.string(), en: z.string() });

export const attributeViewSchema = z
  .object({
    name: z.string().openapi({ example: 'age' }),
    label: labelsSchema.openapi({ example: { ru: 'возраст', en: 'age' } }),
    unit: z
      .string()
      .optional()
      .openapi({ description: 'year, rub, day, count, percent ...', example: 'year' }),
    type: z.enum(ATTRIBUTE_TYPES).openapi({
      description: 'boolean: a yes/no fact, written without `cmp` (`not` for its absence); else compared.',
    }),
    operators: z.array(z.enum(SPEC_OPERATORS)).openapi({ description: 'The comparisons that make sense.' }),
    window: z.boolean().openapi({
      description: 'True when the attribute counts or sums dated rows, so a `window` narrows it.',
    }),
  })
  .openapi('AttributeView');

export const codedValueSchema = z
  .object({
    code: z.string(),
    label: labelsSchema.optional().openapi({ description: "The semantic model's words for it, if any." }),
  })
  .openapi('CodedValue');

export const codedColumnSchema = z
  .object({
    column: z
      .string()
      .openapi({ description: '`table.column`, as `where` conditions name it.', example: 'client.gender' }),
    comment: z.string().nullable(),
    values: z.array(codedValueSchema),
  })
  .openapi('CodedColumn');

/** `GET /v1/warehouses/{name}/attributes`: what a criteria builder completes from. */
export const warehouseAttributesSchema = z
  .object({
    warehouse: z.string(),
    attributes: z.array(attributeViewSchema),
    columns: z.array(codedColumnSchema).openapi({
      description:
        'Coded columns (labelled in the semantic model or with few distinct values), with their values: ' +
        'what `{column, cmp: {op: "in", values}}` conditions of `related` predicates may name.',
    }),
  })
  .openapi('WarehouseAttributes');

export const warehouseNameParamsSchema = z.object({ name: warehouseNameSchema });

export type AttributeView = z.infer<typeof attributeViewSchema>;
export type CodedColumn = z.infer<typeof codedColumnSchema>;
export type WarehouseAttributes = z.infer<typeof warehouseAttributesSchema>;
