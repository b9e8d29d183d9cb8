// Reads the served OpenAPI document the way a hostile client would: every operation, and every string
// it accepts in the body, the query, the path or a header.

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  schema?: JsonSchema;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperationObject>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface OpenApiOperationObject {
  operationId: string;
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

export interface Operation {
  method: string;
  /** As the document spells it: `/v1/segments/{id}`. */
  path: string;
  operationId: string;
  parameters: OpenApiParameter[];
  /** The JSON request body's schema, if the operation takes one. */
  body?: JsonSchema;
}

export interface StringField {
  /** Property names, `0` for an array's first item. */
  path: string[];
  schema: JsonSchema;
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      operationId: operation.operationId,
      parameters: operation.parameters ?? [],
      ...(operation.requestBody
        ? { body: operation.requestBody.content['application/json']?.schema ?? {} }
        : {}),
    })),
  );
}

/** The schema a `$ref` points to (itself when it is none). */
export function resolveSchema(doc: OpenApiDoc, schema: JsonSchema): JsonSchema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = doc.components?.schemas?.[name];
  if (target === undefined) throw new Error(`unresolved ${schema.$ref}`);
  return resolveSchema(doc, target);
}

function isString(schema: JsonSchema): boolean {
  return Array.isArray(schema.type) ? schema.type.includes('string') : schema.type === 'string';
}

/** A string anyone may write anything in: no format, pattern or fixed values that refuse it first. */
export function isFreeText(schema: JsonSchema): boolean {
  return (
    isString(schema) &&
    schema.format === undefined &&
    schema.pattern === undefined &&
    schema.enum === undefined &&
    schema.const === undefined
  );
}

/** Every string in a request body schema, however deep (objects, arrays, oneOf/anyOf/allOf, $refs). */
export function stringFields(doc: OpenApiDoc, root: JsonSchema): StringField[] {
  const found = new Map<string, StringField>();
  const walk = (raw: JsonSchema, path: string[]) => {
    const schema = resolveSchema(doc, raw);
    if (isString(schema)) found.set(path.join('.'), { path, schema });
    for (const [key, child] of Object.entries(schema.properties ?? {})) walk(child, [...path, key]);
    if (schema.items) walk(schema.items, [...path, '0']);
    for (const branch of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])]) {
      walk(branch, path);
    }
  };
  walk(root, []);
  return [...found.values()];
}
