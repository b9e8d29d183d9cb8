import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quoteIdent, quoteLiteral } from '@t2s/db';
import { SemanticModelError } from './semantic-model';
import { outcomesSpecSchema, type OutcomesSpec } from './semantic-model.schema';

/**
 * The warehouse's outcomes entry (`outcomes` in `config/warehouses/<name>.annotations.json`), or undefined.
 * Read from the file itself rather than from a `SemanticModel`: a warehouse whose model is bootstrapped
 * (Bank Marketing) keeps only annotations there, and the entry must not reach what strategies read.
 */
export function findOutcomesSpec(warehouse: string, dir = 'config/warehouses'): OutcomesSpec | undefined {
  const file = join(dir, `${warehouse}.annotations.json`);
  if (!existsSync(file)) return undefined;
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { outcomes?: unknown };
  if (raw.outcomes === undefined) return undefined;
  const parsed = outcomesSpecSchema.safeParse(raw.outcomes);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `outcomes.${i.path.join('.')}: ${i.message}`);
    throw new SemanticModelError(`${file}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * One query listing the warehouse's converted clients by the entity's key: one column, as the sandbox
 * streams ids (so no conversion time comes with them). It may read a column not for targeting
 * (`client.y`): run it only under the person policy, for the report.
 */
export function outcomesSql(spec: OutcomesSpec, schema: string): string {
  const table = `${quoteIdent(schema)}.${quoteIdent(spec.table)}`;
  const values = spec.values.map(quoteLiteral).join(', ');
  const client = `o.${quoteIdent(spec.client)}`;
  return `select distinct ${client} from ${table} o where o.${quoteIdent(spec.column)} in (${values})`;
}
