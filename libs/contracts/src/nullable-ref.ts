import { z } from './zod-openapi';

/**
 * `schema.nullable()` for a schema registered with `.openapi('Name')`. zod-to-openapi 9 renders a
 * nullable reference as the bare `$ref` in OpenAPI 3.1 (null silently disappears from the document);
 * a union with null renders as `anyOf: [$ref, {type: 'null'}]`. Same parse behaviour, same type.
 */
export function nullableRef<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.null()]);
}
