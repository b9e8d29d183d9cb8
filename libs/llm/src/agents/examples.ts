import { Bm25, columnsOfSql, words, type LinkSchema } from '@t2s/linking';

/** An approved segment: the criteria a person accepted and the SQL that ran for them. */
export interface SqlExample {
  criteria: string;
  sql: string;
}

/**
 * Where approved segments come from (the service store's approvals); the strategy asks per warehouse,
 * newest first. Absent (the eval harness, the CLI), the SQL agent writes without examples.
 */
export interface ExampleSource {
  examples(warehouse: string): Promise<SqlExample[]>;
}

export interface PickOptions {
  /** At most this many examples (default 3). */
  k?: number;
  /** An example longer than this (characters of SQL) is skipped: it would crowd out the schema. */
  maxSqlChars?: number;
}

/**
 * The approved examples most like the criteria at hand (BM25 over the approved criteria's words), best
 * first. An example whose SQL does not parse or reads a PII column is never shown: a person's SQL may
 * carry a literal name or phone number, and PII values never enter a prompt.
 */
export function pickExamples(
  pool: readonly SqlExample[],
  criteria: string,
  schema: LinkSchema,
  options: PickOptions = {},
): SqlExample[] {
  const maxChars = options.maxSqlChars ?? 4_000;
  const pii = new Set(
    schema.tables.flatMap((t) =>
      [...t.columns.filter((c) => c.pii).map((c) => c.name), ...(t.hidden ?? [])].map(
        (name) => `${t.name.toLowerCase()}.${name.toLowerCase()}`,
      ),
    ),
  );
  const usable = pool.filter((example) => {
    if (example.sql.length > maxChars) return false;
    const columns = columnsOfSql(example.sql, schema);
    return columns !== null && !columns.some((c) => pii.has(c));
  });
  const index = new Bm25(usable.map((example, id) => ({ id, words: words(example.criteria) })));
  return index
    .search(words(criteria))
    .slice(0, options.k ?? 3)
    .map((hit) => usable[hit.id] as SqlExample);
}

/** Examples as the SQL prompt shows them, inside its data block. */
export function renderExamples(examples: readonly SqlExample[]): string {
  return examples
    .map((e, i) => `example ${i + 1}\ncriteria:\n${e.criteria.trim()}\nsql:\n${e.sql.trim()}`)
    .join('\n\n');
}
