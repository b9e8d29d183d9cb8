import type { Catalog } from '@t2s/catalog';
import { quoteIdent, quoteLiteral } from '@t2s/db';
import type { MinimalRules, ParamValue } from './minimal-rules.schema';

export type ParamMap = Record<string, ParamValue>;

export type RenderResult =
  { ok: true; text: string; sql: string; tables: string[] } | { ok: false; reason: string };

const TABLE_REF = /\{t:([a-z_][a-z0-9_]*)\}/g;
const PARAM_REF = /\{([a-zA-Z][a-zA-Z0-9]*)\}/g;

/** Finds a table by name in the catalog's schemas, in search-path order. */
export function findCatalogTable(catalog: Catalog, name: string): { schema: string; name: string } | null {
  for (const schema of catalog.schemas) {
    const table = catalog.tables.find((t) => t.schema === schema && t.name === name);
    if (table) return { schema: table.schema, name: table.name };
  }
  return null;
}

function sqlValue(value: ParamValue): string {
  if (typeof value === 'number') {
    // Numbers come from the rule file or a recognised phrase; anything else must never reach the SQL.
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return quoteLiteral(value);
  return value.map(quoteLiteral).join(', ');
}

function textValue(value: ParamValue): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * Renders one criterion template against the catalog: its tables become qualified names of catalog
 * tables, its parameters SQL literals. A template that needs a table the catalog lacks is refused
 * (R4: never propose a criterion the warehouse cannot compute), as is a missing parameter.
 */
export function renderTemplate(
  rules: MinimalRules,
  templateId: string,
  params: ParamMap,
  catalog: Catalog,
): RenderResult {
  const template = rules.templates[templateId];
  if (!template) return { ok: false, reason: `unknown template ${templateId}` };
  const tables: string[] = [];
  const missingTables: string[] = [];
  const sqlWithTables = template.sql.replace(TABLE_REF, (_match, name: string) => {
    const table = findCatalogTable(catalog, name);
    if (!table) {
      missingTables.push(name);
      return name;
    }
    const qualified = `${table.schema}.${table.name}`;
    if (!tables.includes(qualified)) tables.push(qualified);
    return `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
  });
  if (missingTables.length > 0) {
    return { ok: false, reason: `the warehouse has no table ${missingTables.join(', ')}` };
  }
  const missingParams: string[] = [];
  const fill = (source: string, render: (value: ParamValue) => string) =>
    source.replace(PARAM_REF, (match, name: string) => {
      const value = params[name];
      if (value === undefined) {
        missingParams.push(name);
        return match;
      }
      return render(value);
    });
  const sql = fill(sqlWithTables, sqlValue);
  const text = fill(template.text, textValue);
  if (missingParams.length > 0) return { ok: false, reason: `missing parameter ${missingParams.join(', ')}` };
  return { ok: true, text, sql, tables };
}
