import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogAnnotationsSchema, type CatalogAnnotations } from './catalog.schema';

const COLUMN_REF = /^[^.\s]+\.[^.\s]+(\.[^.\s]+)?$/;

function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (name, key) =>
      typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key),
    '',
  );
}

/** Reads and validates an annotation file; every failure names the file and, if any, the field. */
export function loadAnnotations(file: string): CatalogAnnotations {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read annotations file ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`annotations file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = catalogAnnotationsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`annotations file ${file}: field "${fieldName(issue?.path ?? [])}": ${issue?.message}`);
  }
  for (const field of ['pii', 'notPii', 'piiFilterable', 'notForTargeting'] as const) {
    (parsed.data[field] ?? []).forEach((ref, i) => {
      if (!COLUMN_REF.test(ref)) {
        throw new Error(
          `annotations file ${file}: field "${field}[${i}]": expected "table.column" or "schema.table.column", got "${ref}"`,
        );
      }
    });
  }
  const unmarked = (parsed.data.piiFilterable ?? []).filter((ref) => !parsed.data.pii.includes(ref));
  if (unmarked.length > 0) {
    throw new Error(
      `annotations file ${file}: field "piiFilterable": ${unmarked.join(', ')} must also be listed in "pii" (only personal data needs approval)`,
    );
  }
  return parsed.data;
}

/** `<dir>/<schema>.annotations.json` if it exists (relative paths from the current directory). */
export function findAnnotationsFor(
  schemaName: string,
  dir = 'config/warehouses',
): CatalogAnnotations | undefined {
  const file = join(dir, `${schemaName}.annotations.json`);
  return existsSync(file) ? loadAnnotations(file) : undefined;
}

/**
 * One set of annotations for several schemas: `table.column` references of each schema's file are
 * qualified with that schema, so a table name present in two schemas is not marked in both.
 */
export function mergeAnnotations(
  bySchema: ReadonlyMap<string, CatalogAnnotations>,
): CatalogAnnotations | undefined {
  if (bySchema.size === 0) return undefined;
  const qualify = (schema: string, ref: string) => (ref.split('.').length === 2 ? `${schema}.${ref}` : ref);
  const merged: CatalogAnnotations = {
    warehouse: [...bySchema.values()].map((a) => a.warehouse).join(', '),
    pii: [],
    notPii: [],
  };
  const piiFilterable: string[] = [];
  const notForTargeting: string[] = [];
  const entities: { table: string; id: string }[] = [];
  for (const [schema, annotations] of bySchema) {
    merged.pii.push(...annotations.pii.map((ref) => qualify(schema, ref)));
    merged.notPii.push(...annotations.notPii.map((ref) => qualify(schema, ref)));
    piiFilterable.push(...(annotations.piiFilterable ?? []).map((ref) => qualify(schema, ref)));
    notForTargeting.push(...(annotations.notForTargeting ?? []).map((ref) => qualify(schema, ref)));
    for (const entity of [
      ...(annotations.entity ? [annotations.entity] : []),
      ...(annotations.entities ?? []),
    ])
      entities.push({
        table: entity.table.includes('.') ? entity.table : `${schema}.${entity.table}`,
        id: entity.id,
      });
    for (const [ref, cap] of Object.entries(annotations.valueIndex ?? {}))
      (merged.valueIndex ??= {})[qualify(schema, ref)] = cap;
  }
  return {
    ...merged,
    ...(piiFilterable.length > 0 ? { piiFilterable } : {}),
    ...(notForTargeting.length > 0 ? { notForTargeting } : {}),
    ...(entities.length > 0 ? { entities } : {}),
  };
}

/** Each schema's annotations (`findAnnotationsFor`) merged into one, and the schemas that have none. */
export function annotationsForSchemas(
  schemas: readonly string[],
  dir?: string,
): { annotations: CatalogAnnotations | undefined; missing: string[] } {
  const found = new Map<string, CatalogAnnotations>();
  for (const schema of schemas) {
    const annotations = findAnnotationsFor(schema, dir);
    if (annotations) found.set(schema, annotations);
  }
  return { annotations: mergeAnnotations(found), missing: schemas.filter((schema) => !found.has(schema)) };
}
