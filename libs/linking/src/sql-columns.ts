import { parseSql } from '@t2s/sql-guard';
import type { LinkSchema } from './link-schema';

/**
 * The schema's columns an SQL text reads, as `table.column` (lower case): qualified references through
 * their table or alias, unqualified ones in every table of the statement that has such a column. Scope
 * is the whole statement, which is enough to score linking. Null when the SQL does not parse (call
 * `loadParser()` from @t2s/sql-guard first).
 */
export function columnsOfSql(sql: string, schema: LinkSchema): string[] | null {
  const parsed = parseSql(sql);
  if (!parsed.ok) return null;
  const byName = new Map(schema.tables.map((t) => [t.name.toLowerCase(), t]));
  const aliases = new Map<string, string>();
  const refs: string[][] = [];
  walk(parsed.tree, (node, key) => {
    if (key === 'RangeVar') {
      const name = String(node.relname ?? '').toLowerCase();
      if (!byName.has(name)) return;
      aliases.set(name, name);
      const alias = (node.alias as { aliasname?: string } | undefined)?.aliasname;
      if (alias) aliases.set(alias.toLowerCase(), name);
    }
    if (key === 'ColumnRef') {
      const fields = (node.fields as unknown[] | undefined) ?? [];
      const names = fields.map((f) => (f as { String?: { sval?: string } }).String?.sval);
      if (names.every((n): n is string => typeof n === 'string'))
        refs.push(names.map((n) => n.toLowerCase()));
    }
  });
  const tablesInUse = [...new Set(aliases.values())];
  // Hidden columns (personal data the schema keeps out of prompts) are still columns the SQL reads.
  const has = (table: string, column: string) => {
    const t = byName.get(table);
    return (
      (t?.columns.some((c) => c.name.toLowerCase() === column) ?? false) ||
      (t?.hidden?.some((name) => name.toLowerCase() === column) ?? false)
    );
  };
  const found = new Set<string>();
  for (const ref of refs) {
    const column = ref.at(-1) as string;
    const qualifier = ref.length > 1 ? ref.at(-2) : undefined;
    if (qualifier !== undefined) {
      const table = aliases.get(qualifier);
      if (table && has(table, column)) found.add(`${table}.${column}`);
      continue;
    }
    for (const table of tablesInUse) if (has(table, column)) found.add(`${table}.${column}`);
  }
  return [...found].sort();
}

type Node = Record<string, unknown>;

function walk(value: unknown, visit: (node: Node, key: string) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Node)) {
    if (child !== null && typeof child === 'object' && !Array.isArray(child) && /^[A-Z]/.test(key)) {
      visit(child as Node, key);
    }
    walk(child, visit);
  }
}
